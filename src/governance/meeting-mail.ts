import type { EntityManager } from '@mikro-orm/postgresql';
import type { MeetingCancelledPayload, MeetingConvenedPayload } from '../notification/messages/meeting-messages.js';
import { NotificationKind } from '../notification/notification-kind.js';
import { enqueueMany, sqlPayload } from '../notification/outbox.js';

/**
 * The messages of a meeting (issue 15): its convocation, and its cancellation once convened, to
 * every member of its frozen convocation list — each queued by ONE statement whatever the number
 * of recipients, in the transaction of the change (a refused convocation mails nobody). Event key:
 * the meeting. Disabled accounts are left out.
 */

const ISO = (column: string) => `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** A MeetingConvenedPayload from a row joining `mt` (the meeting), `vb` (its body) and `st` (its statutes). */
const CONVENED: Record<keyof MeetingConvenedPayload, string> = {
  meetingId: 'mt.id',
  title: 'mt.title',
  bodyName: 'vb.name',
  kind: 'mt.kind',
  convocation: 'mt.convocation',
  scheduledAt: ISO('mt.scheduled_at'),
  place: 'mt.place',
  remoteAllowed: 'mt.remote_allowed',
  agenda: `(select coalesce(jsonb_agg(jsonb_build_object('position', ai.position, 'title', ai.title, 'description', ai.description,
                                                           'binding', ai.binding) order by ai.position), '[]'::jsonb)
              from agenda_item ai where ai.meeting_id = mt.id)`,
  quorumBasisPoints: 'case when mt.convocation = 2 then st.quorum_second_basis_points else st.quorum_first_basis_points end',
  quorumBasis: 'st.quorum_basis',
};

const CANCELLED: Record<keyof MeetingCancelledPayload, string> = {
  meetingId: 'mt.id',
  title: 'mt.title',
  bodyName: 'vb.name',
  scheduledAt: ISO('mt.scheduled_at'),
  place: 'mt.place',
  reason: 'mt.cancel_reason',
};

/** MEETING_CONVENED to every recipient of a meeting just convened. Returns how many were queued. */
export function queueMeetingConvened(tx: EntityManager, now: Date, meetingId: string): Promise<number> {
  return enqueueMany(tx, now, NotificationKind.MEETING_CONVENED, {
    sql: `select a.id as account_id, a.email, mt.id::text as event_key, ${sqlPayload(CONVENED)} as payload
            from meeting mt
            join voting_body vb on vb.id = mt.body_id
            join body_statutes st on st.id = mt.statutes_id
            join convocation_recipient r on r.meeting_id = mt.id
            join account a on a.id = r.voter_id and not a.disabled
           where mt.id = ?`,
    params: [meetingId],
  });
}

/** MEETING_CANCELLED to every recipient of a convened meeting just cancelled. Returns how many were queued. */
export function queueMeetingCancelled(tx: EntityManager, now: Date, meetingId: string): Promise<number> {
  return enqueueMany(tx, now, NotificationKind.MEETING_CANCELLED, {
    sql: `select a.id as account_id, a.email, mt.id::text as event_key, ${sqlPayload(CANCELLED)} as payload
            from meeting mt
            join voting_body vb on vb.id = mt.body_id
            join convocation_recipient r on r.meeting_id = mt.id
            join account a on a.id = r.voter_id and not a.disabled
           where mt.id = ?`,
    params: [meetingId],
  });
}
