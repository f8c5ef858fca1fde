import type { ProposalKind, Proposal } from '../governance/proposal.entity.js';

/** What executing a proposal did (or, in a dry run or a preview, would do). */
export interface ExecutionReport {
  proposalId: string;
  kind: ProposalKind;
  dryRun: boolean;
  /** FUSION: the day the plan sets for it to take effect (PARTNERSHIP: the convention's signature date). */
  effectiveDate: string | null;
  /**
   * FUSION executed before the plan's date (forced by an ADMIN, with a reason): the day it took
   * effect instead — in a preview or a dry run, today, the day it would take effect if forced
   * now. Null on or after the plan's date.
   */
  earlyEffectiveDate: string | null;
  clustersMerged: number;
  membershipsMoved: number;
  /** Members already in the target collège: their old membership ended MERGED, no second one started. */
  membershipsAlreadyInTarget: number;
  representativeMandatesEnded: number;
  boardMandatesEnded: number;
  /** Other rights held in the absorbed clusters and their collèges (administrators, treasurers, members…), ended at the execution instant. */
  rolesEnded: number;
  applicationsMoved: number;
  applicationsClosed: number;
  subsidiesTransferred: number;
  subsidiesReleased: number;
  conventionsCarried: number;
  /** Subsidies whose funder must agree to the transfer and has not (the execution refuses while any remain). */
  subsidiesAwaitingFunderAgreement: string[];
  conventionId: string | null;
}

/** A report of nothing done yet. */
export function emptyReport(
  proposal: Proposal,
  dryRun: boolean,
  effectiveDate: string | null,
  earlyEffectiveDate: string | null = null,
): ExecutionReport {
  return {
    proposalId: proposal.id,
    kind: proposal.kind,
    dryRun,
    effectiveDate,
    earlyEffectiveDate,
    clustersMerged: 0,
    membershipsMoved: 0,
    membershipsAlreadyInTarget: 0,
    representativeMandatesEnded: 0,
    boardMandatesEnded: 0,
    rolesEnded: 0,
    applicationsMoved: 0,
    applicationsClosed: 0,
    subsidiesTransferred: 0,
    subsidiesReleased: 0,
    conventionsCarried: 0,
    subsidiesAwaitingFunderAgreement: [],
    conventionId: null,
  };
}

/**
 * A report stored by an earlier version, completed with what it did not count yet: it named no
 * early effective date, and ended no right but those of the mandates.
 */
export function storedReport(stored: Record<string, unknown>): ExecutionReport {
  return { earlyEffectiveDate: null, rolesEnded: 0, ...stored } as unknown as ExecutionReport;
}
