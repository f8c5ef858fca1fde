import type { EntityManager } from '@mikro-orm/postgresql';
import { Role } from '../auth/role.js';
import type { ActRequestDecidedPayload, ActRequestReceivedPayload } from '../notification/messages/membership-messages.js';
import { NotificationKind } from '../notification/notification-kind.js';
import { enqueueMany, sqlPayload } from '../notification/outbox.js';
import { currentHoldersOf } from './recipients.js';

/**
 * The messages of "ask to act for an organisation", queued in the transaction of the step (a
 * refused step queues nothing), each in one statement. The event key is the request.
 */

/** The request `?` with its organisation's name; `params (now)` first. Parameters: now, request id. */
const REQUEST = `
  params as (select ?::timestamptz as now),
  req as (
    select r.id, r.organisation_id, r.requester_id, r.full_name, r.status, r.reason, o.name as organisation_name
      from act_request r join organisation o on o.id = r.organisation_id
     where r.id = ?)`;

const RECEIVED: Record<keyof ActRequestReceivedPayload, string> = {
  requestId: 'req.id',
  organisationName: 'req.organisation_name',
  requesterName: 'req.full_name',
};

const DECIDED: Record<keyof ActRequestDecidedPayload, string> = {
  requestId: 'req.id',
  organisationName: 'req.organisation_name',
  state: 'req.status::text',
  reason: `case when req.status = 'REFUSED' then req.reason end`,
};

/**
 * A request was made: those who may approve it are told — the organisation's contacts who have an
 * account; when it has none, the representatives of the collèges where it is an ACTIVE member and
 * their clusters' administrators; when there are none either, the platform administrators. So a
 * request is never left with nobody told.
 */
export async function announceActRequest(tx: EntityManager, now: Date, requestId: string): Promise<void> {
  await enqueueMany(tx, now, NotificationKind.ACT_REQUEST_RECEIVED, {
    sql: `with ${REQUEST},
          contacts as (
            select a.id as account_id, a.email
              from person p join req on p.organisation_id = req.organisation_id join account a on a.id = p.account_id
             where not a.disabled and a.id <> req.requester_id),
          colleges as (
            select c.id as college_id, c.cluster_id
              from membership m join req on m.organisation_id = req.organisation_id join college c on c.id = m.college_id
             where m.status = 'ACTIVE' and m.ended_on is null),
          stewards as (
            select h.account_id, h.email from (${currentHoldersOf(Role.COLLEGE_REPRESENTATIVE)}) h join colleges on h.college_id = colleges.college_id
            union
            select h.account_id, h.email from (${currentHoldersOf(Role.CLUSTER_ADMIN)}) h join colleges on h.cluster_id = colleges.cluster_id and h.college_id is null),
          chosen as (
            select account_id, email from contacts
            union all select account_id, email from stewards where not exists (select 1 from contacts)
            union all select h.account_id, h.email from (${currentHoldersOf(Role.ADMIN)}) h
                       where not exists (select 1 from contacts) and not exists (select 1 from stewards))
          select chosen.account_id, chosen.email, req.id::text as event_key, ${sqlPayload(RECEIVED)} as payload
            from chosen cross join req
           where chosen.account_id <> req.requester_id`,
    params: [now, requestId],
  });
}

/** A request was approved or refused: the person who asked is told (with the reason of a refusal). */
export async function announceActRequestDecision(tx: EntityManager, now: Date, requestId: string): Promise<void> {
  await enqueueMany(tx, now, NotificationKind.ACT_REQUEST_DECIDED, {
    sql: `with ${REQUEST}
          select a.id as account_id, a.email, req.id::text as event_key, ${sqlPayload(DECIDED)} as payload
            from req join account a on a.id = req.requester_id
           where not a.disabled`,
    params: [now, requestId],
  });
}
