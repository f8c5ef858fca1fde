import type { EntityManager } from '@mikro-orm/postgresql';
import type { ServiceScope } from '../auth/domain-service.js';
import { SubsidyService } from './subsidy.service.js';

/**
 * Finance's steps of a fusion: the subsidies of the absorbed clusters pass to the absorbing one
 * (a TRANSFER entry each, their history staying with them), and those frozen until the fusion are
 * released (through SubsidyService, which writes the RELEASE entries and audits them). The fusion
 * orchestrator (src/fusion/fusion.service.ts) calls them inside its transaction, once it has
 * authorized the execution; each write has a counting twin for the read-only preview.
 */

const uuidArray = (values: readonly string[]) => `{${values.join(',')}}`;

/** Subsidies of the absorbed clusters whose funder must agree to their transfer and has not: the fusion waits for them. */
export async function subsidiesAwaitingFunderAgreement(em: EntityManager, absorbedIds: readonly string[]): Promise<string[]> {
  const rows = await em.execute<{ id: string }[]>(
    `select id from subsidy where cluster_id = any(?::uuid[]) and transfer_requires_funder_agreement and funder_transfer_agreement is null order by id`,
    [uuidArray(absorbedIds)],
  );
  return rows.map((r) => r.id);
}

/** Every subsidy of the absorbed clusters passes to the absorbing one, with a TRANSFER entry (0 €) naming both. Returns how many. */
export async function transferSubsidies(
  tx: EntityManager,
  args: { absorbedIds: readonly string[]; absorbingId: string; date: string; reason: string; now: Date; actorId: string | null },
): Promise<number> {
  const { absorbedIds, absorbingId, date, reason, now, actorId } = args;
  const subsidies = await tx.execute<{ id: string; cluster_id: string }[]>(
    `select id, cluster_id from subsidy where cluster_id = any(?::uuid[]) order by id for update`,
    [uuidArray(absorbedIds)],
  );
  if (!subsidies.length) return 0;
  const ids = uuidArray(subsidies.map((s) => s.id));
  await tx.execute(`update subsidy set cluster_id = ?, updated_at = ? where id = any(?::uuid[])`, [absorbingId, now, ids]);
  await tx.execute(
    `insert into ledger_entry (id, created_at, updated_at, subsidy_id, cluster_id, kind, amount, value_date, reason, actor_id, counterpart_cluster_id, correction)
     select gen_random_uuid(), ?, ?, t.subsidy_id, t.cluster_id, 'TRANSFER', 0, ?, ?, ?, ?, 0
       from unnest(?::uuid[], ?::uuid[]) as t(subsidy_id, cluster_id)`,
    [now, now, date, reason, actorId, absorbingId, ids, uuidArray(subsidies.map((s) => s.cluster_id))],
  );
  return subsidies.length;
}

/** How many subsidies `transferSubsidies` would transfer. */
export async function countSubsidiesToTransfer(em: EntityManager, absorbedIds: readonly string[]): Promise<number> {
  const [{ n }] = await em.execute<{ n: number }[]>(`select count(*)::int as n from subsidy where cluster_id = any(?::uuid[])`, [
    uuidArray(absorbedIds),
  ]);
  return n;
}

/**
 * Releases the subsidies frozen until `proposalId` is executed, wherever they are, inside the
 * caller's transaction `tx` (`scope` is the caller's, trusted: the execution is authorized). Returns how many.
 */
export async function releaseSubsidiesFrozenUntil(
  tx: EntityManager,
  scope: ServiceScope,
  proposalId: string,
  reason: string,
): Promise<number> {
  const released = await new SubsidyService({ ...scope, em: tx, trusted: true }).releaseFrozenUntilProposal(proposalId, reason);
  return released.length;
}

/** How many subsidies `releaseSubsidiesFrozenUntil` would release. */
export async function countSubsidiesFrozenUntil(em: EntityManager, proposalId: string): Promise<number> {
  const [{ n }] = await em.execute<{ n: number }[]>(
    `select count(*)::int as n from subsidy_freeze where until_proposal_id = ? and released_at is null`,
    [proposalId],
  );
  return n;
}
