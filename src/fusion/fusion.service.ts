import { DomainService, type ServiceScope } from '../auth/domain-service.js';
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';

import { SubsidyService } from '../finance/subsidy.service.js';
import { Cluster, ClusterStatus } from '../membership/cluster.entity.js';
import { College } from '../membership/college.entity.js';
import { BadUserInputError, ConflictError, NotFoundError } from '../shared/errors.js';
import { isoDay } from '../shared/scalars.js';
import { Convention, ConventionParty } from '../governance/convention.entity.js';
import {
  PendingApplications,
  Proposal,
  ProposalKind,
  ProposalParty,
  ProposalState,
  type FusionPlan,
} from '../governance/proposal.entity.js';

/** What executing a proposal did (or, in a dry run, would do). */
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

/** A failure injected by tests after a given step, to prove the execution is all or nothing. */
export type ExecutionStep = 'clusters' | 'memberships' | 'mandates' | 'applications' | 'subsidies' | 'releases' | 'conventions';

export interface FusionHooks {
  afterStep?: (step: ExecutionStep) => void | Promise<void>;
}

function emptyReport(proposal: Proposal, dryRun: boolean, effectiveDate: string | null): ExecutionReport {
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

class DryRunRollback extends Error {
  constructor(readonly report: ExecutionReport) {
    super('dry run');
  }
}

const list = (n: number) => Array.from({ length: n }, () => '?').join(', ');

/** A PostgreSQL array literal of UUIDs: the driver expands JS arrays into lists of parameters, so arrays travel as one text parameter. */
const uuids = (values: readonly string[]) => `{${values.join(',')}}`;

/**
 * Executes adopted proposals: a FUSION merges the absorbed clusters into the absorbing one in one
 * transaction — set-based SQL, a constant number of statements whatever the number of members —
 * and a PARTNERSHIP records its convention. A dry run does the same work in a transaction that is
 * rolled back, so its report is exactly what the execution would do.
 */
export class FusionService extends DomainService {
  constructor(
    scope: ServiceScope,
    private readonly hooks: FusionHooks = {},
  ) {
    super(scope);
  }

  async execute(
    proposalId: string,
    options: { dryRun?: boolean; forceReason?: string | null; durationMonths?: number } = {},
  ): Promise<ExecutionReport> {
    const dryRun = options.dryRun ?? false;
    try {
      return await this.em.transactional(async (tx) => {
        const proposal = await tx.findOne(Proposal, { id: proposalId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
        if (!proposal) throw new NotFoundError('Proposal', proposalId);
        if (!dryRun) {
          if (proposal.state === ProposalState.EXECUTED)
            throw new ConflictError('This proposal has already been executed.', { currentState: proposal.state });
          if (proposal.state !== ProposalState.ADOPTED) {
            throw new ConflictError(`This proposal is ${proposal.state}: only an ADOPTED proposal is executed.`, {
              currentState: proposal.state,
            });
          }
        }
        if (proposal.kind === ProposalKind.RESOLUTION) throw new ConflictError('A RESOLUTION has nothing to execute.');
        const report =
          proposal.kind === ProposalKind.FUSION
            ? await this.fusion(tx, proposal, dryRun, options.forceReason ?? null)
            : await this.partnership(tx, proposal, dryRun, options.durationMonths ?? 36);
        if (dryRun) throw new DryRunRollback(report);
        proposal.state = ProposalState.EXECUTED;
        proposal.executedAt = this.clock();
        proposal.executionReport = { ...report };
        await tx.flush();
        await this.audit.record(tx, this.actor, {
          action: 'proposal.execute',
          entityType: 'Proposal',
          entityId: proposal.id,
          after: { ...report, forceReason: options.forceReason ?? null },
        });
        return report;
      });
    } catch (error) {
      if (error instanceof DryRunRollback) return error.report;
      throw error;
    }
  }

  private async step(step: ExecutionStep): Promise<void> {
    await this.hooks.afterStep?.(step);
  }

  private async fusion(tx: EntityManager, proposal: Proposal, dryRun: boolean, forceReason: string | null): Promise<ExecutionReport> {
    const plan = proposal.plan as FusionPlan;
    const today = isoDay(this.clock());
    if (plan.effectiveDate > today && !dryRun && !forceReason) {
      throw new ConflictError(`The fusion takes effect on ${plan.effectiveDate}: execute it then, or force it with a reason (ADMIN).`);
    }
    const date = plan.effectiveDate > today ? today : plan.effectiveDate;
    const absorbedIds = plan.absorbed.map((a) => a.clusterId);
    const clusters = await tx.find(
      Cluster,
      { id: { $in: [plan.absorbingClusterId, ...absorbedIds] } },
      { lockMode: LockMode.PESSIMISTIC_WRITE },
    );
    for (const cluster of clusters) {
      if (cluster.status !== ClusterStatus.ACTIVE) {
        throw new ConflictError(
          `The plan names ${cluster.name}, which is ${cluster.status} since it was drafted: it cannot be executed as is.`,
        );
      }
    }
    const absorbing = clusters.find((c) => c.id === plan.absorbingClusterId)!;
    const reason = `Fusion into ${absorbing.name} (proposal ${proposal.id})`;

    // Where each collège of an absorbed cluster goes.
    const colleges = await tx.find(College, { cluster: { $in: absorbedIds } });
    const from: string[] = [];
    const to: string[] = [];
    for (const absorbed of plan.absorbed) {
      for (const college of colleges.filter((c) => c.cluster.id === absorbed.clusterId)) {
        const target = absorbed.collegeMoves.find((m) => m.fromCollegeId === college.id)?.toCollegeId ?? absorbed.targetCollegeId;
        if (!target) throw new ConflictError(`The plan gives ${college.name} nowhere to go (it was created after the plan).`);
        from.push(college.id);
        to.push(target);
      }
    }

    // Subsidies whose funder must agree to the transfer and has not: nothing moves.
    const awaiting = await tx.execute<{ id: string }[]>(
      `select id from subsidy where cluster_id in (${list(absorbedIds.length)}) and transfer_requires_funder_agreement and funder_transfer_agreement is null order by id`,
      absorbedIds,
    );
    const report: ExecutionReport = {
      ...emptyReport(proposal, dryRun, date),
      clustersMerged: absorbedIds.length,
      subsidiesAwaitingFunderAgreement: awaiting.map((s) => s.id),
    };
    if (awaiting.length && !dryRun) {
      throw new ConflictError(
        `The funder has not agreed to the transfer of ${awaiting.length} subsidy(ies): record their agreement first.`,
        {
          subsidyIds: report.subsidiesAwaitingFunderAgreement,
        },
      );
    }
    const now = this.clock();
    const actorId = this.actor.accountId;

    // 1. The absorbed clusters become MERGED, with their successor; they stay readable.
    await tx.execute(
      `update cluster set status = 'MERGED', successor_id = ?, merged_at = ?, updated_at = ? where id in (${list(absorbedIds.length)})`,
      [absorbing.id, now, now, ...absorbedIds],
    );
    // Each of their collèges names the collège its members move to: what was allocated to it follows.
    await tx.execute(
      `update college c set successor_id = map.to_college, updated_at = ?
         from unnest(?::uuid[], ?::uuid[]) as map(from_college, to_college) where c.id = map.from_college`,
      [now, uuids(from), uuids(to)],
    );
    await this.step('clusters');

    // 2. Memberships: each current one ends MERGED; one starts in the mapped collège with the same seniority.
    await tx.execute(
      `create temporary table fusion_move on commit drop as
       select m.id as old_id, m.organisation_id, m.status, m.member_since, greatest(m.started_on, ?::date) as move_on, map.to_college
         from membership m join unnest(?::uuid[], ?::uuid[]) as map(from_college, to_college) on map.from_college = m.college_id
        where m.ended_on is null`,
      [date, uuids(from), uuids(to)],
    );
    // A member who joined after the effective date moves on the day it joined.
    await tx.execute(
      `update membership m set status = 'MERGED', ended_on = f.move_on, end_reason = ?, updated_at = ? from fusion_move f where m.id = f.old_id`,
      [reason, now],
    );
    const started = await tx.execute<{ id: string }[]>(
      `insert into membership (id, created_at, updated_at, organisation_id, college_id, status, started_on, member_since, origin_id)
       select gen_random_uuid(), ?, ?, organisation_id, to_college, status, move_on, member_since, old_id
         from (select distinct on (organisation_id, to_college) * from fusion_move order by organisation_id, to_college, member_since, old_id) f
        where not exists (select 1 from membership x where x.organisation_id = f.organisation_id and x.college_id = f.to_college and x.ended_on is null)
       returning id`,
      [now, now],
    );
    const [{ moved }] = await tx.execute<{ moved: number }[]>(`select count(*)::int as moved from fusion_move`);
    report.membershipsMoved = started.length;
    report.membershipsAlreadyInTarget = moved - started.length;
    await tx.execute(
      `insert into membership_event (id, created_at, updated_at, membership_id, kind, effective_on, reason, actor_id)
       select gen_random_uuid(), ?::timestamptz, ?::timestamptz, old_id, 'MERGED'::membership_event_kind, move_on, ?::text, ?::uuid from fusion_move
       union all
       select gen_random_uuid(), ?::timestamptz, ?::timestamptz, m.id, 'STARTED'::membership_event_kind, m.started_on, ?::text, ?::uuid
         from membership m join fusion_move f on m.origin_id = f.old_id`,
      [now, now, reason, actorId, now, now, reason, actorId],
    );
    await this.step('memberships');

    // 3. Representatives' and board mandates of the absorbed clusters end, and the rights with them.
    const endsAt = new Date(`${date}T00:00:00Z`) > now ? now : new Date(`${date}T00:00:00Z`);
    const reps = await tx.execute<{ role_assignment_id: string }[]>(
      `update representative_mandate rm set ends_at = greatest(rm.starts_at + interval '1 millisecond', ?::timestamptz), ended_early_reason = ?, updated_at = ?
         from college c where c.id = rm.college_id and c.cluster_id in (${list(absorbedIds.length)}) and (rm.ends_at is null or rm.ends_at > ?)
       returning rm.role_assignment_id`,
      [endsAt, reason, now, ...absorbedIds, endsAt],
    );
    const boards = await tx.execute<{ role_assignment_id: string }[]>(
      `update board_mandate bm set ends_at = greatest(bm.starts_at + interval '1 millisecond', ?::timestamptz), ended_early_reason = ?, updated_at = ?
         from voting_body b where b.id = bm.body_id and b.cluster_id in (${list(absorbedIds.length)}) and (bm.ends_at is null or bm.ends_at > ?)
       returning bm.role_assignment_id`,
      [endsAt, reason, now, ...absorbedIds, endsAt],
    );
    const roleIds = [...reps, ...boards].map((r) => r.role_assignment_id);
    if (roleIds.length) {
      await tx.execute(
        `update role_assignment set valid_to = greatest(valid_from + interval '1 millisecond', ?::timestamptz), updated_at = ? where id in (${list(roleIds.length)})`,
        [endsAt, now, ...roleIds],
      );
    }
    report.representativeMandatesEnded = reps.length;
    report.boardMandatesEnded = boards.length;
    await this.step('mandates');

    // 4. Pending applications: moved to the mapped collège, or closed, as the plan says.
    const moveFrom: string[] = [];
    const moveTo: string[] = [];
    const closeFrom: string[] = [];
    plan.absorbed.forEach((absorbed) => {
      from.forEach((collegeId, i) => {
        if (colleges.find((c) => c.id === collegeId)?.cluster.id !== absorbed.clusterId) return;
        if (absorbed.pendingApplications === PendingApplications.MOVE) {
          moveFrom.push(collegeId);
          moveTo.push(to[i]);
        } else closeFrom.push(collegeId);
      });
    });
    const movedApplications = await tx.execute<{ id: string }[]>(
      `update application a set college_id = map.to_college, updated_at = ?
         from unnest(?::uuid[], ?::uuid[]) as map(from_college, to_college)
        where a.college_id = map.from_college and a.state in ('SUBMITTED', 'UNDER_REVIEW')
          and not exists (select 1 from application x where x.organisation_id = a.organisation_id and x.college_id = map.to_college
                          and x.state in ('SUBMITTED', 'UNDER_REVIEW'))
       returning a.id`,
      [now, uuids(moveFrom), uuids(moveTo)],
    );
    // Closed: those the plan closes, and those it moves to a collège where the organisation already applied.
    const closedApplications = await tx.execute<{ id: string }[]>(
      `update application set state = 'REJECTED', decided_at = ?, decided_by_id = ?, decision_reason = ?, updated_at = ?
        where college_id = any(?::uuid[]) and state in ('SUBMITTED', 'UNDER_REVIEW')
       returning id`,
      [now, actorId, `Closed: ${reason}`, now, uuids([...closeFrom, ...moveFrom])],
    );
    report.applicationsMoved = movedApplications.length;
    report.applicationsClosed = closedApplications.length;
    await this.step('applications');

    // 5. Subsidies pass to the absorbing cluster: a TRANSFER entry each; their history stays with them.
    const transferred = await tx.execute<{ id: string; cluster_id: string }[]>(
      `select id, cluster_id from subsidy where cluster_id in (${list(absorbedIds.length)}) order by id for update`,
      absorbedIds,
    );
    if (transferred.length) {
      await tx.execute(`update subsidy set cluster_id = ?, updated_at = ? where id = any(?::uuid[])`, [
        absorbing.id,
        now,
        uuids(transferred.map((t) => t.id)),
      ]);
      await tx.execute(
        `insert into ledger_entry (id, created_at, updated_at, subsidy_id, cluster_id, kind, amount, value_date, reason, actor_id, counterpart_cluster_id, correction)
         select gen_random_uuid(), ?, ?, t.subsidy_id, t.cluster_id, 'TRANSFER', 0, ?, ?, ?, ?, 0
           from unnest(?::uuid[], ?::uuid[]) as t(subsidy_id, cluster_id)`,
        [now, now, date, reason, actorId, absorbing.id, uuids(transferred.map((t) => t.id)), uuids(transferred.map((t) => t.cluster_id))],
      );
    }
    report.subsidiesTransferred = transferred.length;
    await this.step('subsidies');

    // 6. Subsidies frozen until this fusion are released, wherever they are.
    const released = await new SubsidyService({ ...this.scope, em: tx, trusted: true }).releaseFrozenUntilProposal(
      proposal.id,
      `Released: ${reason} executed`,
    );
    report.subsidiesReleased = released.length;
    await this.step('releases');

    // 7. Partnership conventions of the absorbed clusters bind the absorbing one.
    const carried = await tx.execute<{ id: string }[]>(
      `insert into convention_party (id, created_at, updated_at, convention_id, cluster_id, bound_since, carried_from_id)
       select distinct on (cp.convention_id) gen_random_uuid(), ?, ?, cp.convention_id, ?, ?, cp.cluster_id
         from convention_party cp
        where cp.cluster_id in (${list(absorbedIds.length)})
          and not exists (select 1 from convention_party x where x.convention_id = cp.convention_id and x.cluster_id = ?)
        order by cp.convention_id, cp.cluster_id
       returning id`,
      [now, now, absorbing.id, date, ...absorbedIds, absorbing.id],
    );
    report.conventionsCarried = carried.length;
    await this.step('conventions');
    return report;
  }

  private async partnership(tx: EntityManager, proposal: Proposal, dryRun: boolean, durationMonths: number): Promise<ExecutionReport> {
    if (!Number.isInteger(durationMonths) || durationMonths < 1 || durationMonths > 600)
      throw BadUserInputError.field('durationMonths', 'must be 1 to 600');
    const parties = await tx.find(ProposalParty, { proposal }, { populate: ['cluster'] });
    const signedOn = isoDay(this.clock());
    const end = new Date(`${signedOn}T00:00:00Z`);
    end.setUTCMonth(end.getUTCMonth() + durationMonths);
    end.setUTCDate(end.getUTCDate() - 1);
    const convention = tx.create(Convention, {
      proposal,
      title: proposal.title,
      axes: proposal.partnershipAxes,
      signedOn,
      durationMonths,
      endsOn: isoDay(end),
    });
    for (const party of parties) tx.create(ConventionParty, { convention, cluster: party.cluster, boundSince: signedOn });
    await tx.flush();
    return { ...emptyReport(proposal, dryRun, signedOn), conventionId: convention.id };
  }
}
