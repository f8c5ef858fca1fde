import type { EntityManager } from '@mikro-orm/postgresql';

/**
 * Auth's step of a fusion, and the rule every step follows to end a mandate or a right of an
 * absorbed cluster. The fusion orchestrator (src/fusion/fusion.service.ts) calls them inside its
 * transaction, once it has authorized the execution; each write has a counting twin for the
 * read-only preview. Set-based: one statement each, whatever the number of rights.
 */

const uuidArray = (values: readonly string[]) => `{${values.join(',')}}`;

/** When a fusion ends the mandates and rights of the clusters it absorbs. */
export interface FusionInstants {
  /** The execution instant. */
  now: Date;
  /**
   * The instant the fusion takes effect: the start of the plan's effective day when executed on
   * or after it; the execution instant when forced before it.
   */
  takesEffectAt: Date;
}

/**
 * The instants as a relation `at(now, takes_effect_at)` to join (two parameters: now, takesEffectAt),
 * so the rule below names them without repeating parameters.
 */
export const FUSION_INSTANTS = `(select ?::timestamptz as now, ?::timestamptz as takes_effect_at) at`;
export const fusionInstantParams = (at: FusionInstants) => [at.now, at.takesEffectAt];

/**
 * The end the fusion gives a mandate that starts at `startsAt` and is held by `holder` (SQL
 * columns; `at` joined from FUSION_INSTANTS). A mandate ends when the fusion takes effect, never
 * before an act done under it:
 * - in force when the fusion takes effect, and its holder did nothing recorded since (an entry of
 *   the audit trail they are the actor of — a vote, a proxy, a decision…; signing in or out and
 *   their own account's changes are not acts under a mandate): at that instant — the start of
 *   the effective day, or the execution instant when forced early;
 * - started since, or its holder acted since (the absorbed cluster stayed ACTIVE until the
 *   execution): at the execution instant, after every act;
 * - starting at or after the execution instant (appointed for later): it never starts, and is
 *   recorded as ended 1 ms after its start — the shortest period the database's check
 *   `ends_at > starts_at` allows, the convention of a right revoked before it started — with a
 *   reason saying it was cancelled (NEVER_STARTED_PREFIX).
 */
export function fusionEndOf(startsAt: string, holder: string): string {
  return `case when ${startsAt} >= at.now then ${startsAt} + interval '1 millisecond'
               when ${startsAt} >= at.takes_effect_at
                 or exists (select 1 from audit_entry a
                             where a.actor_id = ${holder} and a.occurred_at >= at.takes_effect_at
                               and a.action not like 'session.%' and a.action not like 'account.%') then at.now
               else at.takes_effect_at end`;
}

/** Whether a mandate starting at `startsAt` never starts: it starts at or after the execution (SQL; `at` joined from FUSION_INSTANTS). */
export const MANDATE_NEVER_STARTED = (startsAt: string) => `${startsAt} >= at.now`;

/** What the reason of a mandate that never starts begins with, before the fusion's reason. */
export const NEVER_STARTED_PREFIX = 'Cancelled before it started: ';

/** A right that follows a mandate, and the end the fusion gave that mandate. */
export interface EndedRight {
  roleAssignmentId: string;
  endsAt: Date;
}

/**
 * The rights that followed the mandates the fusion ended end with them, each at its mandate's end:
 * one statement. (Never before the right's start: the database requires `valid_to > valid_from`.)
 */
export async function endRoleAssignments(tx: EntityManager, ended: readonly EndedRight[], now: Date): Promise<void> {
  if (!ended.length) return;
  await tx.execute(
    `update role_assignment r set valid_to = greatest(r.valid_from + interval '1 millisecond', e.ends_at), updated_at = ?
       from unnest(?::uuid[], ?::timestamptz[]) as e(id, ends_at) where r.id = e.id`,
    [now, uuidArray(ended.map((e) => e.roleAssignmentId)), `{${ended.map((e) => e.endsAt.toISOString()).join(',')}}`],
  );
}

/** The end the fusion gives another right: the execution instant; for one starting later, 1 ms after its start (it never starts). */
const RIGHT_END = `case when r.valid_from >= at.now then r.valid_from + interval '1 millisecond' else at.now end`;

/**
 * The other rights held in the absorbed clusters and their collèges (administrators, treasurers,
 * members, roles granted without a mandate) that the fusion shortens: `r`, with `at` joined
 * (parameters: cluster ids, ids excluded).
 */
const OTHER_RIGHTS = `r.cluster_id = any(?::uuid[]) and r.id <> all(?::uuid[]) and (r.valid_to is null or r.valid_to > ${RIGHT_END})`;

/**
 * Ends every other right held in the absorbed clusters (and their collèges) at the execution
 * instant, except `except` (the rights of the mandates already ended, which end with them).
 * Returns how many. The absorbing cluster's people keep reading the absorbed clusters' history
 * through their own rights (`Grant.predecessorIds`).
 */
export async function endRightsInClusters(
  tx: EntityManager,
  args: { clusterIds: readonly string[]; except: readonly string[]; now: Date },
): Promise<number> {
  const { clusterIds, except, now } = args;
  const ended = await tx.execute<{ id: string }[]>(
    `update role_assignment r set valid_to = ${RIGHT_END}, updated_at = at.now from ${FUSION_INSTANTS} where ${OTHER_RIGHTS} returning r.id`,
    [now, now, uuidArray(clusterIds), uuidArray(except)],
  );
  return ended.length;
}

/** How many rights `endRightsInClusters` would end. */
export async function countRightsInClusters(
  em: EntityManager,
  args: { clusterIds: readonly string[]; except: readonly string[]; now: Date },
): Promise<number> {
  const [{ n }] = await em.execute<{ n: number }[]>(
    `select count(*)::int as n from role_assignment r, ${FUSION_INSTANTS} where ${OTHER_RIGHTS}`,
    [args.now, args.now, uuidArray(args.clusterIds), uuidArray(args.except)],
  );
  return n;
}
