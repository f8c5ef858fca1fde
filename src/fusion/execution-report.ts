import type { ProposalKind, Proposal } from '../governance/proposal.entity.js';

/** What executing a proposal did (or, in a dry run or a preview, would do). */
export interface ExecutionReport {
  proposalId: string;
  kind: ProposalKind;
  dryRun: boolean;
  /** The day the fusion takes effect: the plan's date (today when forced early). */
  effectiveDate: string | null;
  clustersMerged: number;
  membershipsMoved: number;
  /** Members already in the target collège: their old membership ended MERGED, no second one started. */
  membershipsAlreadyInTarget: number;
  representativeMandatesEnded: number;
  boardMandatesEnded: number;
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
export function emptyReport(proposal: Proposal, dryRun: boolean, effectiveDate: string | null): ExecutionReport {
  return {
    proposalId: proposal.id,
    kind: proposal.kind,
    dryRun,
    effectiveDate,
    clustersMerged: 0,
    membershipsMoved: 0,
    membershipsAlreadyInTarget: 0,
    representativeMandatesEnded: 0,
    boardMandatesEnded: 0,
    applicationsMoved: 0,
    applicationsClosed: 0,
    subsidiesTransferred: 0,
    subsidiesReleased: 0,
    conventionsCarried: 0,
    subsidiesAwaitingFunderAgreement: [],
    conventionId: null,
  };
}
