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

/**
 * Membership's steps of a fusion: set-based statements on membership's tables (clusters, collèges,
 * memberships and their events, applications, representatives' mandates), a constant number
 * whatever the number of members. The fusion orchestrator (src/fusion/fusion.service.ts) calls
 * them inside its one transaction, once it has authorized the execution; each write has a
 * counting twin with the same predicates, which the read-only preview uses.
 */

/** Where each collège of the absorbed clusters goes: `from[i]` → `to[i]`, as the set-based statements take them. */
export interface CollegeMap {
  from: string[];
  to: string[];
}

/** A PostgreSQL array literal of UUIDs: the driver expands JS arrays into lists of parameters, so arrays travel as one text parameter. */
export const uuidArray = (values: readonly string[]) => `{${values.join(',')}}`;

/** A college map as a relation (parameters: from, to). */
const MAPPED = `unnest(?::uuid[], ?::uuid[]) as map(from_college, to_college)`;

/** The current memberships of the mapped collèges, with the collège each goes to (parameters: from, to). */
const CURRENT_IN_MAPPED = `from membership m join ${MAPPED} on map.from_college = m.college_id
  where m.ended_on is null`;

/** A continued membership is started unless the organisation is already a current member of its target. */
const NOT_ALREADY_IN_TARGET = `not exists (select 1 from membership x where x.organisation_id = f.organisation_id and x.college_id = f.to_college and x.ended_on is null)`;

/** Pending applications of the mapped collèges (`a`, joined to `MAPPED`) that can move: none of the organisation's is pending in the target. */
const MOVABLE_APPLICATION = `a.college_id = map.from_college and a.state in ('SUBMITTED', 'UNDER_REVIEW')
  and not exists (select 1 from application x where x.organisation_id = a.organisation_id and x.college_id = map.to_college
                  and x.state in ('SUBMITTED', 'UNDER_REVIEW'))`;

/**
 * Representatives' mandates of the absorbed clusters' collèges with the end the fusion gives each
 * (auth's rule, `fusionEndOf`: never before an act done under it), as `e(id, ends_at,
 * never_started)`; `rm` and `e` joined, those ending earlier anyway are left out (parameters:
 * the instants, cluster ids).
 */
const MANDATES_TO_END = `(select rm.id, ${fusionEndOf('rm.starts_at', 'rm.representative_id')} as ends_at, ${MANDATE_NEVER_STARTED('rm.starts_at')} as never_started
     from representative_mandate rm join college c on c.id = rm.college_id, ${FUSION_INSTANTS}
    where c.cluster_id = any(?::uuid[])) e
  where rm.id = e.id and (rm.ends_at is null or rm.ends_at > e.ends_at)`;

/** 1. The absorbed clusters become MERGED with their successor (they stay readable); each of their collèges names its successor. */
export async function mergeClusters(
  tx: EntityManager,
  absorbedIds: readonly string[],
  successorId: string,
  map: CollegeMap,
  now: Date,
): Promise<void> {
  await tx.execute(`update cluster set status = 'MERGED', successor_id = ?, merged_at = ?, updated_at = ? where id = any(?::uuid[])`, [
    successorId,
    now,
    now,
    uuidArray(absorbedIds),
  ]);
  // What was allocated to an absorbed collège follows it to the collège its members move to.
  await tx.execute(
    `update college c set successor_id = map.to_college, updated_at = ?
       from unnest(?::uuid[], ?::uuid[]) as map(from_college, to_college) where c.id = map.from_college`,
    [now, uuidArray(map.from), uuidArray(map.to)],
  );
}

export interface MembershipMoves {
  /** Memberships continued in their target collège (same seniority, `origin` pointing back). */
  moved: number;
  /** Members already current in the target collège: their old membership ended MERGED, none started. */
  alreadyInTarget: number;
}

/**
 * 2. Each current membership of the mapped collèges ends MERGED and continues in its target
 * collège with the same status and seniority (one per organisation and target), from the
 * effective date — or from the day it started, for one that started later. Events MERGED and
 * STARTED are written for each.
 */
export async function continueMemberships(
  tx: EntityManager,
  args: { map: CollegeMap; date: string; reason: string; now: Date; actorId: string | null },
): Promise<MembershipMoves> {
  const { map, date, reason, now, actorId } = args;
  await tx.execute(
    `create temporary table fusion_move on commit drop as
     select m.id as old_id, m.organisation_id, m.status, m.member_since, greatest(m.started_on, ?::date) as move_on, map.to_college
       ${CURRENT_IN_MAPPED}`,
    [date, uuidArray(map.from), uuidArray(map.to)],
  );
  await tx.execute(
    `update membership m set status = 'MERGED', ended_on = f.move_on, end_reason = ?, updated_at = ? from fusion_move f where m.id = f.old_id`,
    [reason, now],
  );
  const started = await tx.execute<{ id: string }[]>(
    `insert into membership (id, created_at, updated_at, organisation_id, college_id, status, started_on, member_since, origin_id)
     select gen_random_uuid(), ?, ?, organisation_id, to_college, status, move_on, member_since, old_id
       from (select distinct on (organisation_id, to_college) * from fusion_move order by organisation_id, to_college, member_since, old_id) f
      where ${NOT_ALREADY_IN_TARGET}
     returning id`,
    [now, now],
  );
  const [{ moves }] = await tx.execute<{ moves: number }[]>(`select count(*)::int as moves from fusion_move`);
  await tx.execute(
    `insert into membership_event (id, created_at, updated_at, membership_id, kind, effective_on, reason, actor_id)
     select gen_random_uuid(), ?::timestamptz, ?::timestamptz, old_id, 'MERGED'::membership_event_kind, move_on, ?::text, ?::uuid from fusion_move
     union all
     select gen_random_uuid(), ?::timestamptz, ?::timestamptz, m.id, 'STARTED'::membership_event_kind, m.started_on, ?::text, ?::uuid
       from membership m join fusion_move f on m.origin_id = f.old_id`,
    [now, now, reason, actorId, now, now, reason, actorId],
  );
  return { moved: started.length, alreadyInTarget: moves - started.length };
}

/** What `continueMemberships` would do, counted without writing. */
export async function countMembershipMoves(em: EntityManager, map: CollegeMap): Promise<MembershipMoves> {
  const [row] = await em.execute<{ moves: number; started: number }[]>(
    `with f as (select m.organisation_id, map.to_college ${CURRENT_IN_MAPPED})
     select (select count(*) from f)::int as moves,
            (select count(*) from (select distinct organisation_id, to_college from f) f where ${NOT_ALREADY_IN_TARGET})::int as started`,
    [uuidArray(map.from), uuidArray(map.to)],
  );
  return { moved: row.started, alreadyInTarget: row.moves - row.started };
}

/**
 * 3. The representatives' mandates of the absorbed clusters end when the fusion takes effect,
 * never before an act done under it (`fusionEndOf`); one appointed for later never starts.
 * Returns their rights with the end given, which the caller ends with them (auth's step).
 */
export async function endRepresentativeMandates(
  tx: EntityManager,
  args: { absorbedIds: readonly string[]; at: FusionInstants; reason: string },
): Promise<EndedRight[]> {
  const rows = await tx.execute<{ role_assignment_id: string; ends_at: Date | string }[]>(
    `update representative_mandate rm
        set ends_at = e.ends_at, ended_early_reason = case when e.never_started then ?::text || ?::text else ?::text end, updated_at = ?
       from ${MANDATES_TO_END}
     returning rm.role_assignment_id, rm.ends_at`,
    [NEVER_STARTED_PREFIX, args.reason, args.reason, args.at.now, ...fusionInstantParams(args.at), uuidArray(args.absorbedIds)],
  );
  return rows.map((r) => ({ roleAssignmentId: r.role_assignment_id, endsAt: new Date(r.ends_at) }));
}

/** The rights of the mandates `endRepresentativeMandates` would end (their number is the mandates'). */
export async function representativeMandatesToEnd(
  em: EntityManager,
  absorbedIds: readonly string[],
  at: FusionInstants,
): Promise<string[]> {
  const rows = await em.execute<{ role_assignment_id: string }[]>(
    `select rm.role_assignment_id from representative_mandate rm, ${MANDATES_TO_END}`,
    [...fusionInstantParams(at), uuidArray(absorbedIds)],
  );
  return rows.map((r) => r.role_assignment_id);
}

export interface ApplicationMoves {
  moved: number;
  closed: number;
}

/**
 * 4. Pending applications: those of `move` collèges move to the mapped collège, unless the
 * organisation already applied there; the rest of `move`'s and all of `close`'s are closed
 * (REJECTED, with the fusion as the reason).
 */
export async function settlePendingApplications(
  tx: EntityManager,
  args: { move: CollegeMap; close: readonly string[]; reason: string; now: Date; actorId: string | null },
): Promise<ApplicationMoves> {
  const { move, close, reason, now, actorId } = args;
  const moved = await tx.execute<{ id: string }[]>(
    `update application a set college_id = map.to_college, updated_at = ? from ${MAPPED} where ${MOVABLE_APPLICATION} returning a.id`,
    [now, uuidArray(move.from), uuidArray(move.to)],
  );
  const closed = await tx.execute<{ id: string }[]>(
    `update application set state = 'REJECTED', decided_at = ?, decided_by_id = ?, decision_reason = ?, updated_at = ?
      where college_id = any(?::uuid[]) and state in ('SUBMITTED', 'UNDER_REVIEW')
     returning id`,
    [now, actorId, `Closed: ${reason}`, now, uuidArray([...close, ...move.from])],
  );
  return { moved: moved.length, closed: closed.length };
}

/** What `settlePendingApplications` would do, counted without writing: what does not move is closed. */
export async function countPendingApplications(em: EntityManager, move: CollegeMap, close: readonly string[]): Promise<ApplicationMoves> {
  const [row] = await em.execute<{ movable: number; pending: number }[]>(
    `select (select count(*) from application a, ${MAPPED} where ${MOVABLE_APPLICATION})::int as movable,
            (select count(*) from application where college_id = any(?::uuid[]) and state in ('SUBMITTED', 'UNDER_REVIEW'))::int as pending`,
    [uuidArray(move.from), uuidArray(move.to), uuidArray([...close, ...move.from])],
  );
  return { moved: row.movable, closed: row.pending - row.movable };
}
