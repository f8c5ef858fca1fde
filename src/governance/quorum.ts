import type { EntityManager } from '@mikro-orm/postgresql';
import { NotFoundError } from '../shared/errors.js';
import type { QuorumCount } from './meeting.entity.js';
import { MeetingReason, refuseMeeting } from './meeting.reasons.js';

/** One meeting's quorum as the statement returns it (null `basis`: no statutes yet, a DRAFT). */
interface QuorumRow {
  meeting_id: string;
  basis: string | null;
  electorate: number;
  present: number;
  represented: number;
  counted: number;
  required: number;
  met: boolean;
}

/**
 * The quorum of each meeting of `meetingIds` now, in ONE statement whatever the size of the
 * assembly (PostgreSQL counts; nothing is read per delegate):
 * - electorate: the frozen convocation list;
 * - present: members with an open stint on the attendance sheet (at most one each: the partial
 *   unique index), a remote one only where the statutes count remote participation as presence;
 * - represented: standing pouvoirs whose holder is counted present and whose principal is not on
 *   the sheet (a principal who arrives cancels their pouvoir; this guards the count regardless);
 * - counted: present, or present + represented, as the statutes' basis says;
 * - required: ⌈electorate × basis points / 10 000⌉, with the first-convocation quorum, or the
 *   second-convocation one (none: 0) at a second convocation.
 * Meetings without statutes (DRAFT) come back with `basis` null; unknown ids do not come back.
 */
async function quorumRows(em: EntityManager, meetingIds: readonly string[]): Promise<QuorumRow[]> {
  return em.execute<QuorumRow[]>(
    `with m as (
            select m.id, m.convocation, s.quorum_basis::text as basis, coalesce(s.remote_counts_as_present, false) as remote_counts,
                   case when m.convocation = 1 then s.quorum_first_basis_points else coalesce(s.quorum_second_basis_points, 0) end as bp
              from meeting m left join body_statutes s on s.id = m.statutes_id
             where m.id = any(?::uuid[])),
          -- Materialized: \`counted\` reads its columns several times, and each must be computed once.
          -- The attendance lookups go through the partial unique index attendance_one_open_stint
          -- (meeting_id, voter_id) where left_at is null: one probe per pouvoir, never a scan of
          -- the sheet per pouvoir (a nested loop over a CTE was 3.75 M comparisons at 5 000
          -- delegates with 1 500 pouvoirs: 0.75 s per opening; bench:meetings).
          tallied as materialized (
            select m.id, m.basis, m.bp,
                   (select count(*) from convocation_recipient c where c.meeting_id = m.id)::int as electorate,
                   (select count(*) from attendance a
                     where a.meeting_id = m.id and a.left_at is null and (a.mode = 'IN_PERSON' or m.remote_counts))::int as present,
                   (select count(*) from pouvoir p
                     where p.meeting_id = m.id and p.state = 'ACTIVE'
                       and exists (select 1 from attendance h
                                    where h.meeting_id = m.id and h.voter_id = p.holder_id and h.left_at is null
                                      and (h.mode = 'IN_PERSON' or m.remote_counts))
                       and not exists (select 1 from attendance r
                                        where r.meeting_id = m.id and r.voter_id = p.principal_id and r.left_at is null))::int as represented
              from m),
          counted as (
            select t.*, case when t.basis = 'PRESENT' then t.present else t.present + t.represented end as counted,
                   ((t.electorate::bigint * coalesce(t.bp, 0) + 9999) / 10000)::int as required
              from tallied t)
     select id as meeting_id, basis, electorate, present, represented, counted, required, counted >= required as met
       from counted`,
    [`{${meetingIds.join(',')}}`],
  );
}

function toCount(row: QuorumRow): QuorumCount {
  return {
    electorate: row.electorate,
    present: row.present,
    represented: row.represented,
    counted: row.counted,
    required: row.required,
    met: row.met,
  };
}

/**
 * The quorum of a convened meeting from its live attendance sheet, in one statement: what the
 * opening stores, and what the opening of each vote checks again (the quorum is held for the
 * whole meeting). Refuses a meeting not yet convened (a DRAFT: no convocation list, no statutes
 * to count by: MEETING_NOT_CONVENED); an unknown meeting is NOT_FOUND.
 */
export async function liveQuorum(em: EntityManager, meetingId: string): Promise<QuorumCount> {
  const [row] = await quorumRows(em, [meetingId]);
  if (!row) throw new NotFoundError('Meeting', meetingId);
  if (row.basis === null) {
    throw refuseMeeting(
      MeetingReason.MEETING_NOT_CONVENED,
      'This meeting has not been convened: there is no convocation list nor statutes to count a quorum by.',
      { currentState: 'DRAFT' },
    );
  }
  return toCount(row);
}

/**
 * The live quorum of several meetings in one statement (a list of meetings reading `liveQuorum`):
 * by meeting id; a meeting without statutes (a DRAFT) maps to null.
 */
export async function liveQuorums(em: EntityManager, meetingIds: readonly string[]): Promise<Map<string, QuorumCount | null>> {
  const rows = meetingIds.length ? await quorumRows(em, meetingIds) : [];
  return new Map(rows.map((row) => [row.meeting_id, row.basis === null ? null : toCount(row)]));
}
