import type { EntityManager } from '@mikro-orm/postgresql';
import type { PositionalStatement } from '../shared/sql-script.js';
import { isSecurityKind, NotificationKind } from './notification-kind.js';

/** One message to queue. */
export interface OutboxMessage {
  kind: NotificationKind;
  email: string;
  /** The recipient's account: their preferences apply (security mail aside). */
  accountId?: string | null;
  /**
   * The event this message announces (e.g. the proposal's id): one message per kind, event and
   * recipient, ever — queueing it again (a job rerun, a second instance) is ignored. Null: no
   * such guarantee (a reset link asked twice is sent twice).
   */
  eventKey?: string | null;
  payload: Record<string, unknown>;
}

/**
 * The recipients of a message kind as one SELECT returning `account_id` (uuid or null), `email`,
 * `event_key` (text or null: see OutboxMessage.eventKey) and `payload` (jsonb), with `?` placeholders.
 */
export type Recipients = PositionalStatement;

/**
 * Queues one message per row of `recipients`, in the caller's transaction, in ONE statement
 * whatever their number (a general assembly of 5 000 delegates is one insert). Rows without an
 * email, recipients who turned the kind off (security mail aside) and keys already queued are
 * skipped. Returns how many messages were queued.
 *
 * Call it inside the transaction of the change it announces: if that transaction rolls back, no
 * message exists, so none is sent (the transactional outbox).
 */
export async function enqueueMany(tx: EntityManager, now: Date, kind: NotificationKind, recipients: Recipients): Promise<number> {
  const rows = await tx.execute<{ queued: number }[]>(
    `with queued as (
       insert into notification (id, kind, account_id, email, dedupe_key, payload, status, attempts, next_attempt_at, created_at, updated_at)
       select distinct on (r.event_key, lower(r.email))
              gen_random_uuid(), ?, r.account_id, lower(r.email),
              case when r.event_key is null then null else ? || ':' || r.event_key || ':' || lower(r.email) end,
              r.payload, 'PENDING', 0, ?, ?, ?
         from (${recipients.sql}) r
        where r.email is not null and r.email <> ''
          and (? or r.account_id is null or not exists (
                select 1 from notification_opt_out o where o.account_id = r.account_id and o.kind = ?))
        order by r.event_key, lower(r.email), r.account_id nulls last
       on conflict (dedupe_key) do nothing
       returning 1)
     select count(*)::int as queued from queued`,
    [kind, kind, now, now, now, ...recipients.params, isSecurityKind(kind), kind],
  );
  return rows[0]?.queued ?? 0;
}

/** Queues one message (see enqueueMany). Returns whether it was queued. */
export async function enqueue(tx: EntityManager, now: Date, message: OutboxMessage): Promise<boolean> {
  const queued = await enqueueMany(tx, now, message.kind, {
    sql: 'select ?::uuid as account_id, ?::text as email, ?::text as event_key, ?::jsonb as payload',
    params: [message.accountId ?? null, message.email, message.eventKey ?? null, JSON.stringify(message.payload)],
  });
  return queued === 1;
}

/**
 * A message's payload built in SQL, one expression per field of its payload interface (typed by
 * the caller as `Record<keyof ThatPayload, string>`, so that no field is forgotten), for the
 * `payload` column of `Recipients`. The keys are the code's, never user input.
 */
export function sqlPayload(fields: Record<string, string>): string {
  return `jsonb_build_object(${Object.entries(fields)
    .map(([key, sql]) => `'${key}', ${sql}`)
    .join(', ')})`;
}
