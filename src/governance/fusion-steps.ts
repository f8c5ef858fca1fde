import type { EntityManager } from '@mikro-orm/postgresql';
import {
  FUSION_INSTANTS,
  fusionEndOf,
  fusionInstantParams,
  MANDATE_NEVER_STARTED,
  NEVER_STARTED_PREFIX,
  type EndedRight,
  type FusionInstants,
} from '../auth/fusion-steps.js';
import { isoDay } from '../shared/scalars.js';
import { Convention, ConventionParty } from './convention.entity.js';
import type { Proposal, ProposalParty } from './proposal.entity.js';

/**
 * Governance's steps of executing a proposal: board mandates ended and conventions carried over
 * by a fusion (set-based, a constant number of statements), the convention a partnership records.
 * The orchestrator (src/fusion/fusion.service.ts) calls them inside its transaction, once it has
 * authorized the execution; each fusion write has a counting twin for the read-only preview.
 */

const uuidArray = (values: readonly string[]) => `{${values.join(',')}}`;

/**
 * Board mandates of the absorbed clusters' bodies with the end the fusion gives each (auth's
 * rule, `fusionEndOf`: never before an act done under it, such as a vote), as `e(id, ends_at,
 * never_started)`; `bm` and `e` joined, those ending earlier anyway are left out (parameters:
 * the instants, cluster ids).
 */
const BOARD_MANDATES_TO_END = `(select bm.id, ${fusionEndOf('bm.starts_at', 'bm.holder_id')} as ends_at, ${MANDATE_NEVER_STARTED('bm.starts_at')} as never_started
     from board_mandate bm join voting_body b on b.id = bm.body_id, ${FUSION_INSTANTS}
    where b.cluster_id = any(?::uuid[])) e
  where bm.id = e.id and (bm.ends_at is null or bm.ends_at > e.ends_at)`;

/** Conventions binding an absorbed cluster that do not bind the absorbing one yet (parameters: absorbed ids, absorbing id). */
const CONVENTIONS_TO_CARRY = `from convention_party cp
  where cp.cluster_id = any(?::uuid[])
    and not exists (select 1 from convention_party x where x.convention_id = cp.convention_id and x.cluster_id = ?)`;

/**
 * The board mandates of the absorbed clusters end when the fusion takes effect, never before an
 * act done under it (`fusionEndOf`: a vote, a proxy…); one appointed for later never starts.
 * Returns their rights with the end given, which the caller ends with them (auth's step).
 */
export async function endBoardMandates(
  tx: EntityManager,
  args: { absorbedIds: readonly string[]; at: FusionInstants; reason: string },
): Promise<EndedRight[]> {
  const rows = await tx.execute<{ role_assignment_id: string; ends_at: Date | string }[]>(
    `update board_mandate bm
        set ends_at = e.ends_at, ended_early_reason = case when e.never_started then ?::text || ?::text else ?::text end, updated_at = ?
       from ${BOARD_MANDATES_TO_END}
     returning bm.role_assignment_id, bm.ends_at`,
    [NEVER_STARTED_PREFIX, args.reason, args.reason, args.at.now, ...fusionInstantParams(args.at), uuidArray(args.absorbedIds)],
  );
  return rows.map((r) => ({ roleAssignmentId: r.role_assignment_id, endsAt: new Date(r.ends_at) }));
}

/** The rights of the mandates `endBoardMandates` would end (their number is the mandates'). */
export async function boardMandatesToEnd(em: EntityManager, absorbedIds: readonly string[], at: FusionInstants): Promise<string[]> {
  const rows = await em.execute<{ role_assignment_id: string }[]>(
    `select bm.role_assignment_id from board_mandate bm, ${BOARD_MANDATES_TO_END}`,
    [...fusionInstantParams(at), uuidArray(absorbedIds)],
  );
  return rows.map((r) => r.role_assignment_id);
}

/** The partnership conventions of the absorbed clusters bind the absorbing one from `date` (one party each, naming whose place it took). */
export async function carryConventions(
  tx: EntityManager,
  args: { absorbedIds: readonly string[]; absorbingId: string; date: string; now: Date },
): Promise<number> {
  const carried = await tx.execute<{ id: string }[]>(
    `insert into convention_party (id, created_at, updated_at, convention_id, cluster_id, bound_since, carried_from_id)
     select distinct on (cp.convention_id) gen_random_uuid(), ?, ?, cp.convention_id, ?, ?, cp.cluster_id
       ${CONVENTIONS_TO_CARRY}
      order by cp.convention_id, cp.cluster_id
     returning id`,
    [args.now, args.now, args.absorbingId, args.date, uuidArray(args.absorbedIds), args.absorbingId],
  );
  return carried.length;
}

/** How many conventions `carryConventions` would carry. */
export async function countConventionsToCarry(em: EntityManager, absorbedIds: readonly string[], absorbingId: string): Promise<number> {
  const [{ n }] = await em.execute<{ n: number }[]>(`select count(distinct cp.convention_id)::int as n ${CONVENTIONS_TO_CARRY}`, [
    uuidArray(absorbedIds),
    absorbingId,
  ]);
  return n;
}

/** The last day of a convention signed on `signedOn` for `durationMonths`. */
export function conventionEnd(signedOn: string, durationMonths: number): string {
  const end = new Date(`${signedOn}T00:00:00Z`);
  end.setUTCMonth(end.getUTCMonth() + durationMonths);
  end.setUTCDate(end.getUTCDate() - 1);
  return isoDay(end);
}

/** A PARTNERSHIP's convention, binding every party from `signedOn`. */
export async function recordConvention(
  tx: EntityManager,
  proposal: Proposal,
  parties: readonly ProposalParty[],
  signedOn: string,
  durationMonths: number,
): Promise<Convention> {
  const convention = tx.create(Convention, {
    proposal,
    title: proposal.title,
    axes: proposal.partnershipAxes,
    signedOn,
    durationMonths,
    endsOn: conventionEnd(signedOn, durationMonths),
  });
  for (const party of parties) tx.create(ConventionParty, { convention, cluster: party.cluster, boundSince: signedOn });
  await tx.flush();
  return convention;
}
