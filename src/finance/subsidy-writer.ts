import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { auditSnapshot } from '../audit/audit.service.js';
import { DomainService } from '../auth/domain-service.js';
import { Action, clusterScope } from '../auth/permissions.js';
import { Cluster } from '../membership/cluster.entity.js';
import { NotFoundError } from '../shared/errors.js';
import { LedgerEntry, LedgerKind } from './ledger-entry.entity.js';
import { BALANCE_SQL } from './subsidy-balance.js';
import { receiptState, SubsidyState } from './subsidy-state.js';
import { Subsidy, SubsidyEvent, SubsidyFreeze } from './subsidy.entity.js';

/** What a ledger entry may say besides its kind, amount and value date. */
export type EntryDetails = Partial<
  Pick<LedgerEntry, 'bankReference' | 'correction' | 'reason' | 'reverses' | 'frozenException' | 'overpaymentReason' | 'counterpartCluster'>
>;

/**
 * What every write to a subsidy shares: the subsidy locked and its cluster's treasurer checked on
 * that locked row, ledger entries and state events appended, receipts followed, a freeze released.
 * The services that record, freeze and receive money extend it.
 */
export abstract class SubsidyWriter extends DomainService {
  /**
   * The subsidy, locked for the rest of `tx`, once the caller is known to be a TREASURER of the
   * cluster it now belongs to (the check is made on the locked row).
   */
  protected async lockToManage(tx: EntityManager, subsidyId: string): Promise<Subsidy> {
    const subsidy = await this.lock(tx, subsidyId);
    await this.authorizeOnCluster(tx, Action.ManageSubsidies, subsidy.cluster.id);
    return subsidy;
  }

  /** The subsidy, locked for the rest of `tx` (no authorization: for steps of an operation already authorized). */
  protected async lock(tx: EntityManager, subsidyId: string): Promise<Subsidy> {
    const subsidy = await tx.findOne(Subsidy, { id: subsidyId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!subsidy) throw new NotFoundError('Subsidy', subsidyId);
    return subsidy;
  }

  /**
   * Refuses unless the caller may do `action` on the cluster; the refusal names the cluster, read
   * only then (the allowed path costs no query).
   */
  protected async authorizeOnCluster(em: EntityManager, action: Action, clusterId: string): Promise<void> {
    if (this.may(action, clusterScope(clusterId))) return;
    const cluster = await em.findOne(Cluster, { id: clusterId }, { fields: ['name'] });
    this.authorize(action, clusterScope(clusterId, cluster?.name));
  }

  /** Net awarded and received of one subsidy, from its ledger, in `tx`. */
  protected async ledgerBalance(tx: EntityManager, subsidyId: string): Promise<{ awarded: bigint; received: bigint }> {
    const [row] = await tx.execute<{ awarded: string; received: string }[]>(`${BALANCE_SQL} where e.subsidy_id = ? group by e.subsidy_id`, [
      subsidyId,
    ]);
    return { awarded: BigInt(row?.awarded ?? 0), received: BigInt(row?.received ?? 0) };
  }

  /** Releases the subsidy's freeze in force (the subsidy is locked): back to its state before, receipts followed, audited. */
  protected async releaseLocked(tx: EntityManager, subsidy: Subsidy, reason: string): Promise<void> {
    const freeze = await tx.findOneOrFail(SubsidyFreeze, { subsidy, releasedAt: null });
    const before = auditSnapshot(subsidy);
    freeze.releasedAt = this.clock();
    freeze.releaseReason = reason;
    freeze.releasedBy = this.actorAccount(tx);
    subsidy.state = freeze.stateBefore;
    this.entry(tx, subsidy, LedgerKind.RELEASE, 0n, this.today(), { reason });
    this.event(tx, subsidy, SubsidyState.FROZEN, freeze.stateBefore, reason);
    // Receipts recorded while frozen (by exception) count from now on.
    const { awarded, received } = await this.ledgerBalance(tx, subsidy.id);
    this.followReceipts(tx, subsidy, awarded, received, 'receipts recorded while frozen');
    await tx.flush();
    await this.recordChange(tx, 'subsidy.release', subsidy, before, { freeze: auditSnapshot(freeze) });
  }

  /** Moves an ACTIVE / PARTLY_RECEIVED / RECEIVED (or AWARDED) subsidy to the state its receipts say. */
  protected followReceipts(tx: EntityManager, subsidy: Subsidy, awarded: bigint, received: bigint, reason: string): void {
    const following = [SubsidyState.AWARDED, SubsidyState.ACTIVE, SubsidyState.PARTLY_RECEIVED, SubsidyState.RECEIVED];
    if (!following.includes(subsidy.state)) return;
    const next = receiptState(awarded, received);
    if (next === subsidy.state || (next === SubsidyState.ACTIVE && subsidy.state === SubsidyState.AWARDED)) return;
    this.event(tx, subsidy, subsidy.state, next, reason);
    subsidy.state = next;
  }

  /** Appends a ledger entry of the subsidy (entries are never updated). */
  protected entry(tx: EntityManager, subsidy: Subsidy, kind: LedgerKind, amount: bigint, valueDate: string, details: EntryDetails = {}) {
    const now = this.clock();
    return tx.create(LedgerEntry, {
      subsidy,
      cluster: subsidy.cluster,
      kind,
      amount,
      valueDate,
      actor: this.actorAccount(tx),
      createdAt: now,
      updatedAt: now,
      ...details,
    });
  }

  /** Appends a change of state of the subsidy. */
  protected event(tx: EntityManager, subsidy: Subsidy, fromState: SubsidyState | null, toState: SubsidyState, reason: string | null): void {
    tx.create(SubsidyEvent, { subsidy, fromState, toState, reason, occurredAt: this.clock(), actor: this.actorAccount(tx) });
  }
}
