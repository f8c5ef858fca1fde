import { Role } from '../auth/role.js';
import type { MandateEndingPayload } from '../notification/messages/governance-messages.js';
import { NotificationKind } from '../notification/notification-kind.js';
import { enqueueMany, sqlPayload } from '../notification/outbox.js';
import { parisDayAndHour, type ScheduledJob } from '../notification/scheduler.js';
import { currentHoldersOf } from './recipients.js';

const MANDATE_ENDING: Record<keyof MandateEndingPayload, string> = {
  mandateId: 'm.id',
  personName: 'rep.display_name',
  mandate: `'REPRESENTATIVE'`,
  scopeName: 'c.name',
  clusterName: 'cl.name',
  endsOn: `to_char(m.ends_at at time zone 'Europe/Paris', 'YYYY-MM-DD')`,
};

/**
 * Representatives' mandates still running whose end falls within the next 60 days (Paris days,
 * today included): one message per mandate to each current CLUSTER_ADMIN of the collège's cluster,
 * once (the mandate is the event key). A mandate ended early already ended: it is not announced.
 * (Board seats are governance's.) Parameters: now, today (ISO, Paris).
 */
const REPRESENTATIVE_MANDATE_ENDING_SQL = `
  with params as (select ?::timestamptz as now, ?::date as today)
  select h.account_id, h.email, m.id::text as event_key, ${sqlPayload(MANDATE_ENDING)} as payload
    from representative_mandate m cross join params
    join account rep on rep.id = m.representative_id
    join college c on c.id = m.college_id join cluster cl on cl.id = c.cluster_id
    join (${currentHoldersOf(Role.CLUSTER_ADMIN)}) h on h.cluster_id = c.cluster_id and h.college_id is null
   where m.ends_at > params.now and (m.ends_at at time zone 'Europe/Paris')::date <= params.today + 60`;

export const REPRESENTATIVE_MANDATE_ENDING_JOB: ScheduledJob = {
  name: 'representative-mandate-ending',
  cadence: 'daily',
  run: (tx, now) =>
    enqueueMany(tx, now, NotificationKind.MANDATE_ENDING, {
      sql: REPRESENTATIVE_MANDATE_ENDING_SQL,
      params: [now, parisDayAndHour(now).day],
    }),
};
