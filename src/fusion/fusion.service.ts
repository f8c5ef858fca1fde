import { IsolationLevel, LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { DomainService, type ServiceScope } from '../auth/domain-service.js';
import { countRightsInClusters, endRightsInClusters, endRoleAssignments } from '../auth/fusion-steps.js';
import { Action, clusterScope, GLOBAL, withinCluster, type Scope } from '../auth/permissions.js';
import {
  countSubsidiesFrozenUntil,
  countSubsidiesToTransfer,
  releaseSubsidiesFrozenUntil,
  subsidiesAwaitingFunderAgreement,
  transferSubsidies,
} from '../finance/fusion-steps.js';
import { fusionPartyIds } from '../governance/fusion-plan.js';
import {
  boardMandatesToEnd,
  carryConventions,
  countConventionsToCarry,
  endBoardMandates,
  recordConvention,
} from '../governance/fusion-steps.js';
import { Proposal, ProposalKind, ProposalParty, ProposalState, type FusionPlan } from '../governance/proposal.entity.js';
import { afterClosingDueVote, VoteClosingService, VoteDue } from '../governance/vote-closing.service.js';
import { Cluster } from '../membership/cluster.entity.js';
import { College } from '../membership/college.entity.js';
import {
  continueMemberships,
  countMembershipMoves,
  countPendingApplications,
  endRepresentativeMandates,
  mergeClusters,
  representativeMandatesToEnd,
  settlePendingApplications,
} from '../membership/fusion-steps.js';
import { BadUserInputError, NotFoundError } from '../shared/errors.js';
import { emptyReport, type ExecutionReport } from './execution-report.js';
import { FusionReason, refuse } from './fusion.reasons.js';
import { earlyEffectiveDate, fusionInstants, planMoves, requireActiveClusters, takesEffectOn } from './plan-execution.js';

export type { ExecutionReport } from './execution-report.js';

/** A failure injected by tests after a given step, to prove the execution is all or nothing. */
export type ExecutionStep = 'clusters' | 'memberships' | 'mandates' | 'rights' | 'applications' | 'subsidies' | 'releases' | 'conventions';

export interface FusionHooks {
  afterStep?: (step: ExecutionStep) => void | Promise<void>;
}

class DryRunRollback extends Error {
  constructor(readonly report: ExecutionReport) {
    super('dry run');
  }
}

export interface ExecuteOptions {
  /** Report without writing: the same work in a transaction rolled back (any state; readers of the proposal may ask). */
  dryRun?: boolean;
  /** Execute a fusion before its effective date (ADMIN only): why. */
  forceReason?: string | null;
  /** PARTNERSHIP: the convention's duration in months (default 36). */
  durationMonths?: number;
}

/**
 * Executes adopted proposals — the orchestrator above the domains. A FUSION merges the absorbed
 * clusters into the absorbing one in one transaction, calling each domain's set-based steps in
 * turn (membership: clusters, collèges, memberships, representatives, applications; auth: the
 * rights of ended mandates and every other right in the absorbed clusters; governance: board
 * mandates, conventions; finance: transfers and releases) — a constant number of statements
 * whatever the number of members — then records the report and its audit entry; a PARTNERSHIP
 * records its convention. The execution instant is the proposal's `executedAt`. A dry run does
 * the same work in a transaction that is rolled back. `preview` counts the same numbers
 * read-only, without a lock: what a read of the proposal shows.
 */
export class FusionService extends DomainService {
  constructor(
    scope: ServiceScope,
    private readonly hooks: FusionHooks = {},
  ) {
    super(scope);
  }

  /**
   * Executes (or, `dryRun`, reports on) a proposal. Authorized on the locked proposal: a dry run,
   * the readers of its parties; an execution, the administrators of the absorbing cluster (a
   * fusion) or of a party (a partnership); forcing, a platform administrator. A vote found past
   * its closing time is closed first.
   */
  async execute(proposalId: string, options: ExecuteOptions = {}): Promise<ExecutionReport> {
    this.requireSignedIn();
    const dryRun = options.dryRun ?? false;
    const forceReason = options.forceReason?.trim() || null;
    const run = () => this.executeOnce(proposalId, dryRun, forceReason, options.durationMonths ?? 36);
    if (dryRun) return run();
    return afterClosingDueVote(VoteClosingService.system(this.scope), proposalId, run);
  }

  private async executeOnce(
    proposalId: string,
    dryRun: boolean,
    forceReason: string | null,
    durationMonths: number,
  ): Promise<ExecutionReport> {
    try {
      return await this.em.transactional(async (tx) => {
        const proposal = await tx.findOne(Proposal, { id: proposalId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
        if (!proposal) throw new NotFoundError('Proposal', proposalId);
        const parties = await this.authorizeExecution(tx, proposal, dryRun, forceReason);
        if (!dryRun) {
          if (VoteClosingService.system(this.scope).isDue(proposal)) throw new VoteDue();
          if (proposal.state === ProposalState.EXECUTED)
            throw refuse(FusionReason.PROPOSAL_ALREADY_EXECUTED, 'This proposal has already been executed.', {
              currentState: proposal.state,
            });
          if (proposal.state !== ProposalState.ADOPTED) {
            throw refuse(FusionReason.PROPOSAL_NOT_ADOPTED, `This proposal is ${proposal.state}: only an ADOPTED proposal is executed.`, {
              currentState: proposal.state,
            });
          }
        }
        if (proposal.kind === ProposalKind.RESOLUTION)
          throw refuse(FusionReason.NOTHING_TO_EXECUTE, 'A RESOLUTION has nothing to execute.');
        // The execution instant: the proposal's `executedAt`, the end of the rights the fusion ends.
        const now = this.clock();
        const report =
          proposal.kind === ProposalKind.FUSION
            ? await this.fusion(tx, proposal, parties.clusters, dryRun, forceReason, now)
            : await this.partnership(tx, proposal, parties.parties, dryRun, durationMonths);
        if (dryRun) throw new DryRunRollback(report);
        proposal.state = ProposalState.EXECUTED;
        proposal.executedAt = now;
        proposal.executionReport = { ...report };
        await tx.flush();
        await this.audit.record(tx, this.actor, {
          action: 'proposal.execute',
          entityType: 'Proposal',
          entityId: proposal.id,
          after: { ...report, forceReason },
        });
        return report;
      });
    } catch (error) {
      if (error instanceof DryRunRollback) return error.report;
      throw error;
    }
  }

  /**
   * Loads what the execution acts on and authorizes on it: a fusion's clusters (locked: the
   * absorbing one first; they are its parties), or a partnership's (or resolution's) parties.
   */
  private async authorizeExecution(
    tx: EntityManager,
    proposal: Proposal,
    dryRun: boolean,
    forceReason: string | null,
  ): Promise<{ clusters: Cluster[]; parties: ProposalParty[] }> {
    let clusters: Cluster[];
    let parties: ProposalParty[] = [];
    let executors: Cluster[];
    if (proposal.kind === ProposalKind.FUSION && proposal.plan) {
      clusters = await tx.find(Cluster, { id: { $in: fusionPartyIds(proposal.plan) } }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      executors = clusters.filter((c) => c.id === proposal.plan!.absorbingClusterId);
    } else {
      parties = await tx.find(ProposalParty, { proposal }, { populate: ['cluster'], orderBy: { createdAt: 'asc', id: 'asc' } });
      clusters = parties.map((p) => p.cluster);
      executors = clusters;
    }
    if (dryRun) {
      this.authorize(Action.ReadProposals, ...clusters.map((c) => withinCluster(c.id, c.name)));
    } else {
      this.authorize(Action.ExecuteProposal, ...executors.map((c): Scope => clusterScope(c.id, c.name)));
      if (forceReason) this.authorize(Action.ForceExecution, GLOBAL);
    }
    return { clusters, parties };
  }

  private async step(step: ExecutionStep): Promise<void> {
    await this.hooks.afterStep?.(step);
  }

  private async fusion(
    tx: EntityManager,
    proposal: Proposal,
    clusters: Cluster[],
    dryRun: boolean,
    forceReason: string | null,
    now: Date,
  ): Promise<ExecutionReport> {
    const plan = proposal.plan as FusionPlan;
    if (plan.effectiveDate > this.today() && !dryRun && !forceReason) {
      throw refuse(
        FusionReason.FUSION_NOT_YET_EFFECTIVE,
        `The fusion takes effect on ${plan.effectiveDate}: execute it then, or force it with a reason (ADMIN).`,
        { effectiveDate: plan.effectiveDate },
      );
    }
    // The day things move: the plan's date, or today when forced before it.
    const date = takesEffectOn(plan, this.today());
    requireActiveClusters(clusters);
    const absorbing = clusters.find((c) => c.id === plan.absorbingClusterId)!;
    const absorbedIds = plan.absorbed.map((a) => a.clusterId);
    const reason = `Fusion into ${absorbing.name} (proposal ${proposal.id})`;
    const moves = planMoves(plan, await tx.find(College, { cluster: { $in: absorbedIds } }));

    // Subsidies whose funder must agree to the transfer and has not: nothing moves.
    const awaiting = await subsidiesAwaitingFunderAgreement(tx, absorbedIds);
    const report: ExecutionReport = {
      ...emptyReport(proposal, dryRun, plan.effectiveDate, earlyEffectiveDate(plan, this.today())),
      clustersMerged: absorbedIds.length,
      subsidiesAwaitingFunderAgreement: awaiting,
    };
    if (awaiting.length && !dryRun) {
      throw refuse(
        FusionReason.FUNDER_AGREEMENT_MISSING,
        `The funder has not agreed to the transfer of ${awaiting.length} subsidy(ies): record their agreement first.`,
        { subsidyIds: awaiting },
      );
    }
    const actorId = this.actor.accountId;

    // 1. The absorbed clusters become MERGED with their successor; each collège names where its members go.
    await mergeClusters(tx, absorbedIds, absorbing.id, moves.map, now);
    await this.step('clusters');

    // 2. Memberships: each current one ends MERGED and continues in the mapped collège with the same seniority.
    const memberships = await continueMemberships(tx, { map: moves.map, date, reason, now, actorId });
    report.membershipsMoved = memberships.moved;
    report.membershipsAlreadyInTarget = memberships.alreadyInTarget;
    await this.step('memberships');

    // 3. Representatives' and board mandates of the absorbed clusters end when the fusion takes
    // effect, never before an act done under them, and the rights that follow them with them.
    const at = fusionInstants(plan, now);
    const representatives = await endRepresentativeMandates(tx, { absorbedIds, at, reason });
    const board = await endBoardMandates(tx, { absorbedIds, at, reason });
    const mandateRights = [...representatives, ...board];
    await endRoleAssignments(tx, mandateRights, now);
    report.representativeMandatesEnded = representatives.length;
    report.boardMandatesEnded = board.length;
    await this.step('mandates');

    // 3b. Every other right held in the absorbed clusters and their collèges ends at the execution.
    report.rolesEnded = await endRightsInClusters(tx, {
      clusterIds: absorbedIds,
      except: mandateRights.map((r) => r.roleAssignmentId),
      now,
    });
    await this.step('rights');

    // 4. Pending applications: moved to the mapped collège, or closed, as the plan says.
    const applications = await settlePendingApplications(tx, { move: moves.move, close: moves.close, reason, now, actorId });
    report.applicationsMoved = applications.moved;
    report.applicationsClosed = applications.closed;
    await this.step('applications');

    // 5. Subsidies pass to the absorbing cluster: a TRANSFER entry each; their history stays with them.
    report.subsidiesTransferred = await transferSubsidies(tx, { absorbedIds, absorbingId: absorbing.id, date, reason, now, actorId });
    await this.step('subsidies');

    // 6. Subsidies frozen until this fusion are released, wherever they are.
    report.subsidiesReleased = await releaseSubsidiesFrozenUntil(tx, this.scope, proposal.id, `Released: ${reason} executed`);
    await this.step('releases');

    // 7. Partnership conventions of the absorbed clusters bind the absorbing one.
    report.conventionsCarried = await carryConventions(tx, { absorbedIds, absorbingId: absorbing.id, date, now });
    await this.step('conventions');
    return report;
  }

  private async partnership(
    tx: EntityManager,
    proposal: Proposal,
    parties: ProposalParty[],
    dryRun: boolean,
    durationMonths: number,
  ): Promise<ExecutionReport> {
    if (!Number.isInteger(durationMonths) || durationMonths < 1 || durationMonths > 600)
      throw BadUserInputError.field('durationMonths', 'must be 1 to 600');
    const signedOn = this.today();
    const convention = await recordConvention(tx, proposal, parties, signedOn, durationMonths);
    return { ...emptyReport(proposal, dryRun, signedOn), conventionId: convention.id };
  }

  /**
   * What executing `proposal` would do now, read without writing and without a lock: the same
   * numbers as a dry run, counted by each domain's counting twin of its step in one READ ONLY
   * REPEATABLE READ snapshot. Null for what has nothing to execute (a resolution, an executed or
   * cancelled proposal); a partnership names no convention (none is recorded). The caller has
   * authorized reading the proposal (it is a field of a proposal already read).
   */
  async preview(proposal: Proposal): Promise<ExecutionReport | null> {
    if (
      proposal.kind === ProposalKind.RESOLUTION ||
      proposal.state === ProposalState.EXECUTED ||
      proposal.state === ProposalState.CANCELLED
    )
      return null;
    if (proposal.kind === ProposalKind.PARTNERSHIP || !proposal.plan) return emptyReport(proposal, true, this.today());
    const plan = proposal.plan;
    // A transaction of its own, bound to a fork (not to the request's async context): nothing
    // else of the request runs in it, and nothing is left to roll back but a snapshot.
    const reader = this.em.fork();
    await reader.begin({ readOnly: true, isolationLevel: IsolationLevel.REPEATABLE_READ });
    try {
      requireActiveClusters(await reader.find(Cluster, { id: { $in: fusionPartyIds(plan) } }));
      const absorbedIds = plan.absorbed.map((a) => a.clusterId);
      const absorbingId = plan.absorbingClusterId;
      const moves = planMoves(plan, await reader.find(College, { cluster: { $in: absorbedIds } }));
      const at = fusionInstants(plan, this.clock());
      const memberships = await countMembershipMoves(reader, moves.map);
      const applications = await countPendingApplications(reader, moves.move, moves.close);
      const representatives = await representativeMandatesToEnd(reader, absorbedIds, at);
      const board = await boardMandatesToEnd(reader, absorbedIds, at);
      return {
        ...emptyReport(proposal, true, plan.effectiveDate, earlyEffectiveDate(plan, this.today())),
        clustersMerged: absorbedIds.length,
        membershipsMoved: memberships.moved,
        membershipsAlreadyInTarget: memberships.alreadyInTarget,
        representativeMandatesEnded: representatives.length,
        boardMandatesEnded: board.length,
        rolesEnded: await countRightsInClusters(reader, { clusterIds: absorbedIds, except: [...representatives, ...board], now: at.now }),
        applicationsMoved: applications.moved,
        applicationsClosed: applications.closed,
        subsidiesTransferred: await countSubsidiesToTransfer(reader, absorbedIds),
        subsidiesReleased: await countSubsidiesFrozenUntil(reader, proposal.id),
        conventionsCarried: await countConventionsToCarry(reader, absorbedIds, absorbingId),
        subsidiesAwaitingFunderAgreement: await subsidiesAwaitingFunderAgreement(reader, absorbedIds),
      };
    } finally {
      await reader.rollback();
    }
  }
}
