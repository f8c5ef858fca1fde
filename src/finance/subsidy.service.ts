import { DomainService, type ServiceScope } from '../auth/domain-service.js';
import { LockMode, type FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { auditSnapshot } from '../audit/audit.service.js';
import { Account } from '../auth/account.entity.js';
import { Cluster, ClusterStatus } from '../membership/cluster.entity.js';
import { College } from '../membership/college.entity.js';
import { COLLEGE_AND_PREDECESSORS, collegesAndSuccessors } from '../membership/college-lineage.js';
import { BadUserInputError, ConflictError, NotFoundError } from '../shared/errors.js';
import { paginate, type ConnectionShape, type PageArgs } from '../shared/pagination.js';

import type {
  FreezeSubsidyInput,
  RecordReceiptInput,
  RecordSubsidyInput,
  ReleaseSubsidyInput,
  ReverseEntryInput,
  TransitionSubsidyInput,
} from './finance.inputs.js';
import { Funder, Programme } from './funder.entity.js';
import { LedgerEntry, LedgerKind } from './ledger-entry.entity.js';
import { subsidyPlanProblems } from './subsidy-rules.js';
import { FREEZABLE, MANUAL_TRANSITIONS, RECEIVABLE, receiptState, SubsidyState } from './subsidy-state.js';
import { FinancingShare, Instalment, Subsidy, SubsidyAllocation, SubsidyEvent, SubsidyFreeze } from './subsidy.entity.js';

/** What the ledger says a subsidy is owed and has received, in cents. */
export interface SubsidyBalance {
  awarded: bigint;
  received: bigint;
}

/** The net awarded and received of each subsidy, from its ledger entries (reversals follow the entry they reverse). */
export const BALANCE_SQL = `
  select e.subsidy_id,
         coalesce(sum(e.amount) filter (where coalesce(r.kind, e.kind) in ('AWARD', 'CLAWBACK')), 0)::text as awarded,
         coalesce(sum(e.amount) filter (where coalesce(r.kind, e.kind) in ('RECEIPT', 'CLAWBACK')), 0)::text as received
    from ledger_entry e left join ledger_entry r on r.id = e.reverses_id`;

export interface ReceiptResult {
  entry: LedgerEntry;
  subsidy: Subsidy;
  /** True when this bank reference was already recorded on the subsidy: nothing new was written. */
  alreadyRecorded: boolean;
}

/** The collèges a subsidy `?` is allocated to, and those their members moved to by fusion since. */
const ALLOCATED_COLLEGES_AND_SUCCESSORS = collegesAndSuccessors('select college_id from subsidy_allocation where subsidy_id = ?');

const REASON_REQUIRED: readonly SubsidyState[] = [SubsidyState.REFUSED, SubsidyState.CANCELLED, SubsidyState.CLAWED_BACK];

/**
 * Subsidies and their ledger: recording, state transitions, freezes and releases, receipts and
 * corrections. Every write runs in one transaction with the subsidy row locked, appends its
 * ledger entries and state events, and is audited.
 */
export class SubsidyService extends DomainService {
  constructor(scope: ServiceScope) {
    super(scope);
  }

  private actorRef(tx: EntityManager): Account | null {
    return this.actor.accountId ? tx.getReference(Account, this.actor.accountId) : null;
  }

  async getSubsidy(id: string): Promise<Subsidy> {
    const subsidy = await this.em.findOne(Subsidy, { id });
    if (!subsidy) throw new NotFoundError('Subsidy', id);
    return subsidy;
  }

  async getEntry(id: string): Promise<LedgerEntry> {
    const entry = await this.em.findOne(LedgerEntry, { id }, { populate: ['subsidy'] });
    if (!entry) throw new NotFoundError('LedgerEntry', id);
    return entry;
  }

  /** The collèges a subsidy is allocated to, and those their members moved to by fusion since (for authorization). */
  async allocatedCollegeIds(subsidyId: string): Promise<string[]> {
    const rows = await this.em.execute<{ id: string }[]>(ALLOCATED_COLLEGES_AND_SUCCESSORS, [subsidyId]);
    return rows.map((row) => row.id);
  }

  async balance(subsidyId: string, em: EntityManager = this.em): Promise<SubsidyBalance> {
    const [row] = await em.execute<{ awarded: string; received: string }[]>(`${BALANCE_SQL} where e.subsidy_id = ? group by e.subsidy_id`, [
      subsidyId,
    ]);
    return { awarded: BigInt(row?.awarded ?? 0), received: BigInt(row?.received ?? 0) };
  }

  /**
   * A cluster's subsidies, newest first; with `collegeId`, only those allocated to that collège or
   * to a collège whose members moved into it by fusion.
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
      const allocated = await this.em.execute<{ subsidy_id: string }[]>(
        `select distinct subsidy_id from subsidy_allocation where college_id in (${COLLEGE_AND_PREDECESSORS})`,
        [filter.collegeId],
      );
      where.id = { $in: allocated.map((row) => row.subsidy_id) };
    }
    return paginate(this.em, Subsidy, where, { createdAt: 'desc', id: 'desc' }, page, [], includeCount);
  }

  async recordSubsidy(input: RecordSubsidyInput): Promise<Subsidy> {
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
      if (cluster.status !== ClusterStatus.ACTIVE)
        throw new ConflictError(`Cluster ${cluster.slug} is ${cluster.status}: it receives no new subsidy.`);
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
      await this.audit.record(tx, this.actor, {
        action: 'subsidy.record',
        entityType: 'Subsidy',
        entityId: subsidy.id,
        after: {
          ...auditSnapshot(subsidy),
          instalments: (input.instalments ?? []).map((i) => ({ kind: i.kind, amount: i.amount.toString(), dueOn: i.dueOn })),
          financingPlan: (input.financingPlan ?? []).map((s) => ({
            kind: s.kind,
            label: s.label,
            funderId: s.funderId ?? null,
            amount: s.amount.toString(),
          })),
          allocations,
        },
      });
      return subsidy;
    });
  }

  async transition(input: TransitionSubsidyInput): Promise<Subsidy> {
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
      const subsidy = await this.lock(tx, input.subsidyId);
      const current = subsidy.state;
      if (!from.includes(current)) {
        throw new ConflictError(`This subsidy is ${current}: it cannot become ${input.to} (only from ${from.join(', ')}).`, {
          currentState: current,
        });
      }
      const today = this.today();
      const before = auditSnapshot(subsidy);
      const reason = input.reason?.trim() || null;
      if (input.to === SubsidyState.AWARDED) {
        const decisionDate = input.decisionDate ?? subsidy.decisionDate;
        if (!decisionDate) throw BadUserInputError.field('input.decisionDate', 'is required to award a subsidy');
        const early = await tx.count(Instalment, { subsidy, dueOn: { $lt: decisionDate } });
        if (early) throw BadUserInputError.field('input.decisionDate', 'is after the due date of an instalment');
        subsidy.decisionDate = decisionDate;
        if (input.decisionReference) subsidy.decisionReference = input.decisionReference;
        this.entry(tx, subsidy, LedgerKind.AWARD, subsidy.amountAwarded, decisionDate, { reason: subsidy.decisionReference ?? reason });
      }
      if (input.to === SubsidyState.CANCELLED) {
        const { received } = await this.balance(subsidy.id, tx);
        if (received !== 0n)
          throw new ConflictError(`${received} cents came in on this subsidy: claw it back (CLAWED_BACK) instead of cancelling it.`, {
            currentState: current,
          });
        const awards = await tx.find(LedgerEntry, { subsidy, kind: LedgerKind.AWARD });
        const reversed = new Set((await tx.find(LedgerEntry, { reverses: { $in: awards.map((a) => a.id) } })).map((r) => r.reverses!.id));
        for (const award of awards.filter((a) => !reversed.has(a.id))) {
          this.entry(tx, subsidy, LedgerKind.REVERSAL, -award.amount, today, { reason, reverses: award });
        }
      }
      if (input.to === SubsidyState.CLAWED_BACK) {
        if (input.clawbackAmount == null) throw BadUserInputError.field('input.clawbackAmount', 'is required to claw a subsidy back');
        const { awarded, received } = await this.balance(subsidy.id, tx);
        // A clawback takes back money that was awarded and received: never more than either.
        const reclaimable = awarded < received ? awarded : received;
        if (input.clawbackAmount > reclaimable) {
          throw BadUserInputError.field('input.clawbackAmount', `is more than the ${reclaimable} cents both awarded and received`);
        }
        const valueDate = input.valueDate ?? today;
        if (valueDate > today) throw BadUserInputError.field('input.valueDate', 'must not be in the future');
        this.entry(tx, subsidy, LedgerKind.CLAWBACK, -input.clawbackAmount, valueDate, { reason });
      }
      subsidy.state = input.to;
      this.event(tx, subsidy, current, input.to, reason);
      await tx.flush();
      await this.audit.record(tx, this.actor, {
        action: 'subsidy.transition',
        entityType: 'Subsidy',
        entityId: subsidy.id,
        before,
        after: auditSnapshot(subsidy),
      });
      return subsidy;
    });
  }

  /** Records the funder's agreement to pass the subsidy to another beneficiary (which a fusion requires). */
  async recordFunderTransferAgreement(subsidyId: string, agreement: string): Promise<Subsidy> {
    const text = agreement.trim();
    if (!text) throw BadUserInputError.field('agreement', 'must not be blank');
    return this.em.transactional(async (tx) => {
      const subsidy = await this.lock(tx, subsidyId);
      if (subsidy.funderTransferAgreement)
        throw new ConflictError(`The funder's agreement is already recorded (${subsidy.funderTransferAgreement}).`);
      const before = auditSnapshot(subsidy);
      subsidy.funderTransferAgreement = text;
      await tx.flush();
      await this.audit.record(tx, this.actor, {
        action: 'subsidy.funder-agreement',
        entityType: 'Subsidy',
        entityId: subsidy.id,
        before,
        after: auditSnapshot(subsidy),
      });
      return subsidy;
    });
  }

  async freeze(input: FreezeSubsidyInput): Promise<Subsidy> {
    const today = this.today();
    if (input.until && input.untilProposalId) throw BadUserInputError.field('input.until', 'give a date or a proposal, not both');
    if (input.until && input.until <= today) throw BadUserInputError.field('input.until', 'must be after today');
    return this.em.transactional(async (tx) => {
      const subsidy = await this.lock(tx, input.subsidyId);
      if (input.untilProposalId) {
        const [proposal] = await tx.execute<{ kind: string; state: string }[]>('select kind, state from proposal where id = ?', [
          input.untilProposalId,
        ]);
        if (!proposal) throw new NotFoundError('Proposal', input.untilProposalId);
        if (proposal.kind !== 'FUSION' || ['CANCELLED', 'REJECTED', 'EXECUTED'].includes(proposal.state)) {
          throw BadUserInputError.field(
            'input.untilProposalId',
            `is a ${proposal.state} ${proposal.kind} proposal: freeze until a fusion still to be executed`,
          );
        }
      }
      const current = subsidy.state;
      if (!FREEZABLE.includes(current)) {
        throw new ConflictError(`This subsidy is ${current}: only ${FREEZABLE.join(', ')} subsidies can be frozen.`, {
          currentState: current,
        });
      }
      const before = auditSnapshot(subsidy);
      const freeze = tx.create(SubsidyFreeze, {
        subsidy,
        reason: input.reason.trim(),
        frozenAt: this.clock(),
        until: input.until ?? null,
        untilProposalId: input.untilProposalId ?? null,
        stateBefore: current,
        frozenBy: this.actorRef(tx),
      });
      subsidy.state = SubsidyState.FROZEN;
      this.entry(tx, subsidy, LedgerKind.FREEZE, 0n, today, { reason: freeze.reason });
      this.event(tx, subsidy, current, SubsidyState.FROZEN, freeze.reason);
      await tx.flush();
      await this.audit.record(tx, this.actor, {
        action: 'subsidy.freeze',
        entityType: 'Subsidy',
        entityId: subsidy.id,
        before,
        after: { ...auditSnapshot(subsidy), freeze: auditSnapshot(freeze) },
      });
      return subsidy;
    });
  }

  async release(input: ReleaseSubsidyInput): Promise<Subsidy> {
    return this.em.transactional(async (tx) => {
      const subsidy = await this.lock(tx, input.subsidyId);
      if (subsidy.state !== SubsidyState.FROZEN)
        throw new ConflictError(`This subsidy is ${subsidy.state}, not FROZEN.`, { currentState: subsidy.state });
      await this.releaseLocked(tx, subsidy, input.reason.trim());
      return subsidy;
    });
  }

  /**
   * Releases every subsidy frozen until `proposalId` is executed, anywhere: what executing a
   * fusion calls, inside its own transaction. Returns the subsidies released.
   */
  async releaseFrozenUntilProposal(proposalId: string, reason: string): Promise<Subsidy[]> {
    return this.em.transactional(async (tx) => {
      const freezes = await tx.find(SubsidyFreeze, { untilProposalId: proposalId, releasedAt: null }, { orderBy: { id: 'asc' } });
      const released: Subsidy[] = [];
      for (const freeze of freezes) {
        const subsidy = await this.lock(tx, freeze.subsidy.id);
        await this.releaseLocked(tx, subsidy, reason);
        released.push(subsidy);
      }
      return released;
    });
  }

  private async releaseLocked(tx: EntityManager, subsidy: Subsidy, reason: string): Promise<void> {
    const freeze = await tx.findOneOrFail(SubsidyFreeze, { subsidy, releasedAt: null });
    const before = auditSnapshot(subsidy);
    freeze.releasedAt = this.clock();
    freeze.releaseReason = reason;
    freeze.releasedBy = this.actorRef(tx);
    subsidy.state = freeze.stateBefore;
    this.entry(tx, subsidy, LedgerKind.RELEASE, 0n, this.today(), { reason });
    this.event(tx, subsidy, SubsidyState.FROZEN, freeze.stateBefore, reason);
    // Receipts recorded while frozen (by exception) count from now on.
    const { awarded, received } = await this.balance(subsidy.id, tx);
    this.followReceipts(tx, subsidy, awarded, received, 'receipts recorded while frozen');
    await tx.flush();
    await this.audit.record(tx, this.actor, {
      action: 'subsidy.release',
      entityType: 'Subsidy',
      entityId: subsidy.id,
      before,
      after: { ...auditSnapshot(subsidy), freeze: auditSnapshot(freeze) },
    });
  }

  async recordReceipt(input: RecordReceiptInput): Promise<ReceiptResult> {
    const today = this.today();
    if (input.amount <= 0n) throw BadUserInputError.field('input.amount', 'must be more than 0 cents');
    if (input.valueDate > today) throw BadUserInputError.field('input.valueDate', 'must not be in the future');
    const bankReference = input.bankReference.trim();
    if (!bankReference) throw BadUserInputError.field('input.bankReference', 'must not be blank');
    return this.em.transactional(async (tx) => {
      // The lock serialises receipts of one subsidy: the same transfer sent twice at once is seen once.
      const subsidy = await this.lock(tx, input.subsidyId);
      const earlier = await tx.find(LedgerEntry, { subsidy, kind: LedgerKind.RECEIPT, bankReference }, { orderBy: { correction: 'asc' } });
      const reversed = new Set(
        earlier.length ? (await tx.find(LedgerEntry, { reverses: { $in: earlier.map((e) => e.id) } })).map((r) => r.reverses!.id) : [],
      );
      const existing = earlier.find((entry) => !reversed.has(entry.id));
      if (existing) {
        if (existing.amount !== input.amount || existing.valueDate !== input.valueDate) {
          throw new ConflictError(
            `Bank reference ${bankReference} is already recorded on this subsidy for ${existing.amount} cents on ${existing.valueDate} (reverse that entry to correct it).`,
            { field: 'input.bankReference', entryId: existing.id },
          );
        }
        return { entry: existing, subsidy, alreadyRecorded: true };
      }
      const before = auditSnapshot(subsidy);
      if (subsidy.state === SubsidyState.FROZEN) {
        const freeze = await tx.findOneOrFail(SubsidyFreeze, { subsidy, releasedAt: null });
        if (freeze.until && freeze.until <= today) {
          await this.releaseLocked(tx, subsidy, `freeze expired on ${freeze.until}`);
        } else if (!input.frozenException?.trim()) {
          throw new ConflictError(
            `This subsidy is FROZEN (${freeze.reason}): record an explicit exception (frozenException) to accept this receipt.`,
            {
              currentState: SubsidyState.FROZEN,
            },
          );
        }
      }
      if (!RECEIVABLE.includes(subsidy.state)) {
        throw new ConflictError(`This subsidy is ${subsidy.state}: it accepts no receipt.`, { currentState: subsidy.state });
      }
      const { awarded, received } = await this.balance(subsidy.id, tx);
      const due = awarded - received;
      if (input.amount > due && !input.overpaymentReason?.trim()) {
        throw BadUserInputError.field(
          'input.amount',
          `is more than the ${due > 0n ? due : 0n} cents still due: give an overpaymentReason to record it`,
        );
      }
      const entry = this.entry(tx, subsidy, LedgerKind.RECEIPT, input.amount, input.valueDate, {
        bankReference,
        correction: earlier.length,
        frozenException: subsidy.state === SubsidyState.FROZEN ? input.frozenException!.trim() : null,
        overpaymentReason: input.amount > due ? input.overpaymentReason!.trim() : null,
      });
      this.followReceipts(tx, subsidy, awarded, received + input.amount, `receipt ${bankReference}`);
      await tx.flush();
      await this.audit.record(tx, this.actor, {
        action: 'subsidy.receipt',
        entityType: 'LedgerEntry',
        entityId: entry.id,
        before: { subsidy: before },
        after: { ...auditSnapshot(entry), subsidyState: subsidy.state },
      });
      return { entry, subsidy, alreadyRecorded: false };
    });
  }

  async reverseEntry(input: ReverseEntryInput): Promise<{ entry: LedgerEntry; subsidy: Subsidy }> {
    const today = this.today();
    const valueDate = input.valueDate ?? today;
    if (valueDate > today) throw BadUserInputError.field('input.valueDate', 'must not be in the future');
    return this.em.transactional(async (tx) => {
      const target = await tx.findOne(LedgerEntry, { id: input.entryId });
      if (!target) throw new NotFoundError('LedgerEntry', input.entryId);
      const subsidy = await this.lock(tx, target.subsidy.id);
      if (target.kind !== LedgerKind.RECEIPT && target.kind !== LedgerKind.CLAWBACK) {
        throw BadUserInputError.field(
          'input.entryId',
          `is a ${target.kind} entry: only RECEIPT and CLAWBACK entries are reversed (an award is reversed by cancelling the subsidy)`,
        );
      }
      if (await tx.count(LedgerEntry, { reverses: target }))
        throw new ConflictError('This entry is already reversed.', { entryId: target.id });
      const before = auditSnapshot(subsidy);
      const current = await this.balance(subsidy.id, tx);
      if (target.kind === LedgerKind.RECEIPT && current.received < target.amount) {
        throw new ConflictError(
          `Only ${current.received} cents remain received (money was clawed back since): reverse the clawback first.`,
          {
            entryId: target.id,
          },
        );
      }
      const entry = this.entry(tx, subsidy, LedgerKind.REVERSAL, -target.amount, valueDate, {
        reason: input.reason.trim(),
        reverses: target,
      });
      const { awarded, received } = await this.balance(subsidy.id, tx);
      const delta = target.kind === LedgerKind.RECEIPT ? -target.amount : 0n;
      // A reversed clawback gives back both awarded and received: the state is left as it is.
      if (target.kind === LedgerKind.RECEIPT)
        this.followReceipts(tx, subsidy, awarded, received + delta, `reversal of ${target.bankReference}`);
      await tx.flush();
      await this.audit.record(tx, this.actor, {
        action: 'ledger.reverse',
        entityType: 'LedgerEntry',
        entityId: entry.id,
        before: { subsidy: before },
        after: { ...auditSnapshot(entry), subsidyState: subsidy.state },
      });
      return { entry, subsidy };
    });
  }

  /** Moves an ACTIVE / PARTLY_RECEIVED / RECEIVED (or AWARDED) subsidy to the state its receipts say. */
  private followReceipts(tx: EntityManager, subsidy: Subsidy, awarded: bigint, received: bigint, reason: string): void {
    const following = [SubsidyState.AWARDED, SubsidyState.ACTIVE, SubsidyState.PARTLY_RECEIVED, SubsidyState.RECEIVED];
    if (!following.includes(subsidy.state)) return;
    const next = receiptState(awarded, received);
    if (next === subsidy.state || (next === SubsidyState.ACTIVE && subsidy.state === SubsidyState.AWARDED)) return;
    this.event(tx, subsidy, subsidy.state, next, reason);
    subsidy.state = next;
  }

  private async lock(tx: EntityManager, subsidyId: string): Promise<Subsidy> {
    const subsidy = await tx.findOne(Subsidy, { id: subsidyId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!subsidy) throw new NotFoundError('Subsidy', subsidyId);
    return subsidy;
  }

  private entry(
    tx: EntityManager,
    subsidy: Subsidy,
    kind: LedgerKind,
    amount: bigint,
    valueDate: string,
    extra: Partial<
      Pick<
        LedgerEntry,
        'bankReference' | 'correction' | 'reason' | 'reverses' | 'frozenException' | 'overpaymentReason' | 'counterpartCluster'
      >
    > = {},
  ): LedgerEntry {
    const now = this.clock();
    return tx.create(LedgerEntry, {
      subsidy,
      cluster: subsidy.cluster,
      kind,
      amount,
      valueDate,
      actor: this.actorRef(tx),
      createdAt: now,
      updatedAt: now,
      ...extra,
    });
  }

  private event(tx: EntityManager, subsidy: Subsidy, fromState: SubsidyState | null, toState: SubsidyState, reason: string | null): void {
    tx.create(SubsidyEvent, { subsidy, fromState, toState, reason, occurredAt: this.clock(), actor: this.actorRef(tx) });
  }
}
