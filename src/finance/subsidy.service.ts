import type { FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import DataLoader from 'dataloader';
import { auditSnapshot } from '../audit/audit.service.js';
import type { ServiceScope } from '../auth/domain-service.js';
import { Action, clusterScope, collegeScope } from '../auth/permissions.js';
import { Cluster, ClusterStatus } from '../membership/cluster.entity.js';
import { College } from '../membership/college.entity.js';
import { COLLEGE_AND_PREDECESSORS, collegesAndSuccessors } from '../membership/college-lineage.js';
import { BadUserInputError, NotFoundError } from '../shared/errors.js';
import { paginate, type ConnectionShape, type PageArgs } from '../shared/pagination.js';
import { FinanceReason, refuse } from './finance.reasons.js';
import type {
  FreezeSubsidyInput,
  RecordReceiptInput,
  RecordSubsidyInput,
  ReleaseSubsidyInput,
  ReverseEntryInput,
  TransitionSubsidyInput,
} from './finance.inputs.js';
import { Funder, Programme } from './funder.entity.js';
import type { FusionProposals } from './fusion-proposals.port.js';
import { LedgerEntry, LedgerKind } from './ledger-entry.entity.js';
import { SUBSIDY_BALANCES_SQL, toBalance, type RawBalance, type SubsidyBalance } from './subsidy-balance.js';
import { SubsidyFreezes } from './subsidy-freezes.js';
import { SubsidyReceipts, type ReceiptResult } from './subsidy-receipts.js';
import { subsidyPlanProblems } from './subsidy-rules.js';
import { MANUAL_TRANSITIONS, SubsidyState } from './subsidy-state.js';
import { SubsidyWriter } from './subsidy-writer.js';
import { FinancingShare, Instalment, Subsidy, SubsidyAllocation } from './subsidy.entity.js';

export type { ReceiptResult } from './subsidy-receipts.js';
export type { SubsidyBalance } from './subsidy-balance.js';

/** The collèges a subsidy `?` is allocated to, and those their members moved to by fusion since. */
const ALLOCATED_COLLEGES_AND_SUCCESSORS = collegesAndSuccessors('select college_id from subsidy_allocation where subsidy_id = ?');

const REASON_REQUIRED: readonly SubsidyState[] = [SubsidyState.REFUSED, SubsidyState.CANCELLED, SubsidyState.CLAWED_BACK];

/** A SubsidyService built without the port (a fusion step releasing freezes) must not freeze until a proposal. */
const NO_FUSION_PROPOSALS: FusionProposals = {
  standing: () =>
    Promise.reject(new Error('SubsidyService was built without FusionProposals: build it with financeServices(scope, deps).')),
};

/**
 * Subsidies: reading them (each read authorized on what it loaded), recording them, moving them
 * from state to state, the funder's transfer agreement. Every write runs in one transaction with
 * the subsidy row locked, checks the caller on that row, appends its ledger entries and state
 * events, and is audited. Freezes (SubsidyFreezes) and money in (SubsidyReceipts) live in files
 * of their own; this service is their one entry point, so callers see one subsidy API.
 */
export class SubsidyService extends SubsidyWriter {
  private readonly freezes: SubsidyFreezes;
  private readonly receipts: SubsidyReceipts;
  private balances?: DataLoader<string, SubsidyBalance>;

  constructor(scope: ServiceScope, proposals: FusionProposals = NO_FUSION_PROPOSALS) {
    super(scope);
    this.freezes = new SubsidyFreezes(scope, proposals);
    this.receipts = new SubsidyReceipts(scope);
  }

  /**
   * One subsidy, for the readers of its cluster and the representatives of the collèges it is
   * allocated to or of their successors (by fusion).
   */
  async subsidy(id: string): Promise<Subsidy> {
    this.requireSignedIn();
    const subsidy = await this.em.findOne(Subsidy, { id });
    if (!subsidy) throw new NotFoundError('Subsidy', id);
    const clusterId = subsidy.cluster.id;
    if (this.may(Action.ReadSubsidies, clusterScope(clusterId))) return subsidy;
    const colleges = await this.em.execute<{ id: string }[]>(ALLOCATED_COLLEGES_AND_SUCCESSORS, [subsidy.id]);
    const collegeScopes = colleges.map((college) => collegeScope(clusterId, college.id));
    if (this.may(Action.ReadSubsidies, ...collegeScopes)) return subsidy;
    await this.authorizeOnCluster(this.em, Action.ReadSubsidies, clusterId);
    return subsidy;
  }

  /**
   * A cluster's subsidies, newest first, for its readers; with `collegeId`, only those allocated
   * to that collège or to a collège whose members moved into it by fusion, for its representatives too.
   */
  async list(
    clusterId: string,
    filter: { collegeId?: string; states?: SubsidyState[] },
    page: PageArgs,
    includeCount: boolean,
  ): Promise<ConnectionShape<Subsidy>> {
    const where: FilterQuery<Subsidy> = { cluster: clusterId };
    if (filter.states?.length) where.state = { $in: filter.states };
    if (filter.collegeId) {
      const college = await this.em.findOne(College, { id: filter.collegeId, cluster: clusterId }, { fields: ['name'] });
      if (!college) throw new NotFoundError('College', filter.collegeId);
      this.authorize(Action.ReadSubsidies, collegeScope(clusterId, college.id, college.name));
      const allocated = await this.em.execute<{ subsidy_id: string }[]>(
        `select distinct subsidy_id from subsidy_allocation where college_id in (${COLLEGE_AND_PREDECESSORS})`,
        [filter.collegeId],
      );
      where.id = { $in: allocated.map((row) => row.subsidy_id) };
    } else {
      await this.authorizeOnCluster(this.em, Action.ReadSubsidies, clusterId);
    }
    return paginate(this.em, Subsidy, where, { createdAt: 'desc', id: 'desc' }, page, [], includeCount);
  }

  /**
   * Awarded, received and outstanding of a subsidy its caller already read: batched, one query for
   * every subsidy of a request tick (a page of 200 costs one). Not cached: a later change of the
   * same request is seen.
   */
  balance(subsidyId: string): Promise<SubsidyBalance> {
    this.balances ??= new DataLoader(
      async (ids: readonly string[]) => {
        const rows = await this.em.execute<(RawBalance & { subsidy_id: string })[]>(`${SUBSIDY_BALANCES_SQL} where s.id = any(?::uuid[])`, [
          `{${ids.join(',')}}`,
        ]);
        const byId = new Map(rows.map((row) => [row.subsidy_id, row]));
        return ids.map((id) => toBalance(byId.get(id)));
      },
      { cache: false },
    );
    return this.balances.load(subsidyId);
  }

  async recordSubsidy(input: RecordSubsidyInput): Promise<Subsidy> {
    this.requireSignedIn();
    const state = input.state ?? SubsidyState.AWARDED;
    const problems = subsidyPlanProblems(input, this.today());
    if (state !== SubsidyState.REQUESTED && state !== SubsidyState.AWARDED) {
      problems.unshift({ field: 'input.state', messages: ['a subsidy is recorded REQUESTED or AWARDED'] });
    }
    if (state === SubsidyState.AWARDED && !input.decisionDate) {
      problems.push({ field: 'input.decisionDate', messages: ['is required for an AWARDED subsidy'] });
    }
    if (problems.length)
      throw new BadUserInputError(`Invalid subsidy: ${problems.map((p) => `${p.field} ${p.messages[0]}`).join('; ')}`, problems);

    return this.em.transactional(async (tx) => {
      const cluster = await tx.findOne(Cluster, { id: input.clusterId });
      if (!cluster) throw new NotFoundError('Cluster', input.clusterId);
      this.authorize(Action.ManageSubsidies, clusterScope(cluster.id, cluster.name));
      if (cluster.status !== ClusterStatus.ACTIVE) {
        throw refuse(FinanceReason.BENEFICIARY_NOT_ACTIVE, `${cluster.name} is ${cluster.status}: it receives no new subsidy.`, {
          clusterStatus: cluster.status,
        });
      }
      const { funder, programme } = await this.checkReferences(tx, input, cluster);
      const subsidy = tx.create(Subsidy, {
        cluster,
        funder,
        programme,
        purpose: input.purpose.trim(),
        decisionReference: input.decisionReference ?? null,
        decisionDate: input.decisionDate ?? null,
        amountAwarded: input.amountAwarded,
        eligibleCost: input.eligibleCost ?? null,
        justificationDeadline: input.justificationDeadline ?? null,
        state,
        transferRequiresFunderAgreement: input.transferRequiresFunderAgreement ?? false,
      });
      (input.instalments ?? []).forEach((instalment, i) =>
        tx.create(Instalment, { subsidy, position: i + 1, kind: instalment.kind, amount: instalment.amount, dueOn: instalment.dueOn }),
      );
      (input.financingPlan ?? []).forEach((share, i) =>
        tx.create(FinancingShare, {
          subsidy,
          position: i + 1,
          kind: share.kind,
          label: share.label.trim(),
          funder: share.funderId ? tx.getReference(Funder, share.funderId) : null,
          amount: share.amount,
        }),
      );
      const allocations = input.allocations ?? [];
      allocations.forEach((allocation) =>
        tx.create(SubsidyAllocation, {
          subsidy,
          college: tx.getReference(College, allocation.collegeId),
          shareBasisPoints: allocation.shareBasisPoints,
        }),
      );
      this.event(tx, subsidy, null, state, 'recorded');
      if (state === SubsidyState.AWARDED)
        this.entry(tx, subsidy, LedgerKind.AWARD, input.amountAwarded, input.decisionDate!, { reason: input.decisionReference ?? null });
      await tx.flush();
      await this.recordChange(tx, 'subsidy.record', subsidy, null, {
        instalments: (input.instalments ?? []).map((i) => ({ kind: i.kind, amount: i.amount.toString(), dueOn: i.dueOn })),
        financingPlan: (input.financingPlan ?? []).map((s) => ({
          kind: s.kind,
          label: s.label,
          funderId: s.funderId ?? null,
          amount: s.amount.toString(),
        })),
        allocations,
      });
      return subsidy;
    });
  }

  /** The funder, programme, collèges and co-financers a new subsidy names: they exist, and belong together. */
  private async checkReferences(
    tx: EntityManager,
    input: RecordSubsidyInput,
    cluster: Cluster,
  ): Promise<{ funder: Funder; programme: Programme | null }> {
    const funder = await tx.findOne(Funder, { id: input.funderId });
    if (!funder) throw new NotFoundError('Funder', input.funderId);
    let programme: Programme | null = null;
    if (input.programmeId) {
      programme = await tx.findOne(Programme, { id: input.programmeId });
      if (!programme) throw new NotFoundError('Programme', input.programmeId);
      if (programme.funder.id !== funder.id) throw BadUserInputError.field('input.programmeId', `is not a programme of ${funder.name}`);
    }
    const allocations = input.allocations ?? [];
    if (allocations.length) {
      const colleges = await tx.find(College, { id: { $in: allocations.map((a) => a.collegeId) } });
      allocations.forEach((allocation, i) => {
        const college = colleges.find((c) => c.id === allocation.collegeId);
        if (!college) throw new NotFoundError('College', allocation.collegeId);
        if (college.cluster.id !== cluster.id)
          throw BadUserInputError.field(`input.allocations.${i}.collegeId`, `is not a collège of ${cluster.name}`);
      });
    }
    const shareFunders = (input.financingPlan ?? []).map((share) => share.funderId).filter((id): id is string => Boolean(id));
    if (shareFunders.length) {
      const found = new Set((await tx.find(Funder, { id: { $in: shareFunders } })).map((f) => f.id));
      const unknown = shareFunders.find((id) => !found.has(id));
      if (unknown) throw new NotFoundError('Funder', unknown);
    }
    return { funder, programme };
  }

  async transition(input: TransitionSubsidyInput): Promise<Subsidy> {
    this.requireSignedIn();
    const from = MANUAL_TRANSITIONS[input.to];
    if (!from) {
      const how =
        input.to === SubsidyState.FROZEN
          ? 'use freezeSubsidy'
          : input.to === SubsidyState.REQUESTED
            ? 'a subsidy is only REQUESTED when recorded'
            : 'it follows from recording receipts (or releaseSubsidy)';
      throw BadUserInputError.field('input.to', `cannot be set directly: ${how}`);
    }
    if (REASON_REQUIRED.includes(input.to) && !input.reason?.trim())
      throw BadUserInputError.field('input.reason', `is required to make a subsidy ${input.to}`);
    if (input.decisionDate && input.decisionDate > this.today())
      throw BadUserInputError.field('input.decisionDate', 'must not be in the future');
    if (input.clawbackAmount != null && input.clawbackAmount <= 0n)
      throw BadUserInputError.field('input.clawbackAmount', 'must be more than 0 cents');

    return this.em.transactional(async (tx) => {
      const subsidy = await this.lockToManage(tx, input.subsidyId);
      const current = subsidy.state;
      if (!from.includes(current)) {
        throw refuse(
          FinanceReason.SUBSIDY_TRANSITION_NOT_ALLOWED,
          `This subsidy is ${current}: it cannot become ${input.to} (only from ${from.join(', ')}).`,
          { currentState: current },
        );
      }
      const before = auditSnapshot(subsidy);
      const reason = input.reason?.trim() || null;
      if (input.to === SubsidyState.AWARDED) await this.award(tx, subsidy, input, reason);
      if (input.to === SubsidyState.CANCELLED) await this.cancel(tx, subsidy, reason);
      if (input.to === SubsidyState.CLAWED_BACK) await this.clawBack(tx, subsidy, input, reason);
      subsidy.state = input.to;
      this.event(tx, subsidy, current, input.to, reason);
      await tx.flush();
      await this.recordChange(tx, 'subsidy.transition', subsidy, before);
      return subsidy;
    });
  }

  /** REQUESTED → AWARDED: the decision date (no instalment before it) and an AWARD entry. */
  private async award(tx: EntityManager, subsidy: Subsidy, input: TransitionSubsidyInput, reason: string | null): Promise<void> {
    const decisionDate = input.decisionDate ?? subsidy.decisionDate;
    if (!decisionDate) throw BadUserInputError.field('input.decisionDate', 'is required to award a subsidy');
    const early = await tx.count(Instalment, { subsidy, dueOn: { $lt: decisionDate } });
    if (early) throw BadUserInputError.field('input.decisionDate', 'is after the due date of an instalment');
    subsidy.decisionDate = decisionDate;
    if (input.decisionReference) subsidy.decisionReference = input.decisionReference;
    this.entry(tx, subsidy, LedgerKind.AWARD, subsidy.amountAwarded, decisionDate, { reason: subsidy.decisionReference ?? reason });
  }

  /** → CANCELLED: refused once money came in; every award not yet reversed is. */
  private async cancel(tx: EntityManager, subsidy: Subsidy, reason: string | null): Promise<void> {
    const { received } = await this.ledgerBalance(tx, subsidy.id);
    if (received !== 0n) {
      throw refuse(
        FinanceReason.SUBSIDY_MONEY_RECEIVED,
        `${received} cents came in on this subsidy: claw it back (CLAWED_BACK) instead of cancelling it.`,
        { currentState: subsidy.state },
      );
    }
    const awards = await tx.find(LedgerEntry, { subsidy, kind: LedgerKind.AWARD });
    const reversed = new Set((await tx.find(LedgerEntry, { reverses: { $in: awards.map((a) => a.id) } })).map((r) => r.reverses!.id));
    for (const award of awards.filter((a) => !reversed.has(a.id))) {
      this.entry(tx, subsidy, LedgerKind.REVERSAL, -award.amount, this.today(), { reason, reverses: award });
    }
  }

  /** → CLAWED_BACK: a CLAWBACK entry, never more than was both awarded and received. */
  private async clawBack(tx: EntityManager, subsidy: Subsidy, input: TransitionSubsidyInput, reason: string | null): Promise<void> {
    if (input.clawbackAmount == null) throw BadUserInputError.field('input.clawbackAmount', 'is required to claw a subsidy back');
    const { awarded, received } = await this.ledgerBalance(tx, subsidy.id);
    const reclaimable = awarded < received ? awarded : received;
    if (input.clawbackAmount > reclaimable) {
      throw BadUserInputError.field(
        'input.clawbackAmount',
        `is more than the ${reclaimable} cents both awarded and received`,
        FinanceReason.CLAWBACK_EXCEEDS_RECLAIMABLE,
      );
    }
    const today = this.today();
    const valueDate = input.valueDate ?? today;
    if (valueDate > today) throw BadUserInputError.field('input.valueDate', 'must not be in the future');
    this.entry(tx, subsidy, LedgerKind.CLAWBACK, -input.clawbackAmount, valueDate, { reason });
  }

  /** Records the funder's agreement to pass the subsidy to another beneficiary (which a fusion requires). */
  async recordFunderTransferAgreement(subsidyId: string, agreement: string): Promise<Subsidy> {
    this.requireSignedIn();
    const text = agreement.trim();
    if (!text) throw BadUserInputError.field('agreement', 'must not be blank');
    return this.em.transactional(async (tx) => {
      const subsidy = await this.lockToManage(tx, subsidyId);
      if (subsidy.funderTransferAgreement) {
        throw refuse(
          FinanceReason.FUNDER_AGREEMENT_RECORDED,
          `The funder's agreement is already recorded (${subsidy.funderTransferAgreement}).`,
        );
      }
      const before = auditSnapshot(subsidy);
      subsidy.funderTransferAgreement = text;
      await tx.flush();
      await this.recordChange(tx, 'subsidy.funder-agreement', subsidy, before);
      return subsidy;
    });
  }

  /** Freezes a subsidy: with a reason, until a date, or until a fusion proposal is executed (see SubsidyFreezes). */
  freeze(input: FreezeSubsidyInput): Promise<Subsidy> {
    return this.freezes.freeze(input);
  }

  /** Lifts a freeze by hand (see SubsidyFreezes). */
  release(input: ReleaseSubsidyInput): Promise<Subsidy> {
    return this.freezes.release(input);
  }

  /**
   * Releases every subsidy frozen until `proposalId` is executed, anywhere: what executing a
   * fusion calls, inside its own transaction, having authorized the execution. Returns the
   * subsidies released.
   */
  releaseFrozenUntilProposal(proposalId: string, reason: string): Promise<Subsidy[]> {
    return this.freezes.releaseFrozenUntilProposal(proposalId, reason);
  }

  /** Records money received, idempotent on the bank reference (see SubsidyReceipts). */
  recordReceipt(input: RecordReceiptInput): Promise<ReceiptResult> {
    return this.receipts.recordReceipt(input);
  }

  /** Corrects a RECEIPT or CLAWBACK entry with a REVERSAL (see SubsidyReceipts). */
  reverseEntry(input: ReverseEntryInput): Promise<{ entry: LedgerEntry; subsidy: Subsidy }> {
    return this.receipts.reverseEntry(input);
  }
}
