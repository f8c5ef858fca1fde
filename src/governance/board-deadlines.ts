import type { MandateEndingPayload } from '../notification/messages/governance-messages.js';
import { NotificationKind } from '../notification/notification-kind.js';
import { enqueueMany, sqlPayload } from '../notification/outbox.js';
import { parisDayAndHour, type ScheduledJob } from '../notification/scheduler.js';

const MANDATE_ENDING: Record<keyof MandateEndingPayload, string> = {
  mandateId: 'm.id',
  personName: 'holder.display_name',
  mandate: `'BOARD'`,
  scopeName: 'vb.name',
  clusterName: 'c.name',
  endsOn: `to_char(m.ends_at at time zone 'Europe/Paris', 'YYYY-MM-DD')`,
};

/**
 * Board seats still running whose end falls within the next 60 days (Paris days, today included),
 * of clusters still ACTIVE: one message per mandate to each account holding CLUSTER_ADMIN over the
 * board's cluster now (disabled accounts left out), once — the mandate is the event key, so an
 * administrator appointed later is told at the next run and nobody twice. A mandate ended early
 * already ended; one the same holder continues on the same board from its end (renewed) is not
 * announced. Parameters: now, today (ISO, Paris).
 */
const BOARD_MANDATE_ENDING_SQL = `
  with params as (select ?::timestamptz as now, ?::date as today)
  select a.id as account_id, a.email, m.id::text as event_key, ${sqlPayload(MANDATE_ENDING)} as payload
    from board_mandate m cross join params
    join voting_body vb on vb.id = m.body_id
    join cluster c on c.id = vb.cluster_id and c.status = 'ACTIVE'
    join account holder on holder.id = m.holder_id
    join role_assignment r on r.cluster_id = c.id and r.role = 'CLUSTER_ADMIN'
                          and r.valid_from <= params.now and (r.valid_to is null or r.valid_to > params.now)
    join account a on a.id = r.account_id and not a.disabled
   where m.ends_at > params.now and (m.ends_at at time zone 'Europe/Paris')::date <= params.today + 60
     and not exists (select 1 from board_mandate renewal
                      where renewal.body_id = m.body_id and renewal.holder_id = m.holder_id and renewal.id <> m.id
                        and renewal.starts_at <= m.ends_at and (renewal.ends_at is null or renewal.ends_at > m.ends_at))`;

/** MANDATE_ENDING for board seats, daily (representatives' mandates are membership's job). */
export const BOARD_MANDATE_ENDING_JOB: ScheduledJob = {
  name: 'board-mandate-ending',
  cadence: 'daily',
  run: (tx, now) =>
    enqueueMany(tx, now, NotificationKind.MANDATE_ENDING, {
      sql: BOARD_MANDATE_ENDING_SQL,
      params: [now, parisDayAndHour(now).day],
    }),
};
