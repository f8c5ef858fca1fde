import { Role } from '../auth/role.js';
import { currentHoldersOf } from '../membership/recipients.js';
import type { InstalmentOverduePayload, JustificationDuePayload } from '../notification/messages/finance-messages.js';
import { NotificationKind } from '../notification/notification-kind.js';
import { enqueueMany, sqlPayload } from '../notification/outbox.js';
import { parisDayAndHour, type ScheduledJob } from '../notification/scheduler.js';
import { BALANCE_SQL, instalmentUnpaidSql, sqlStates } from './subsidy-balance.js';
import { AWAITING_JUSTIFICATION, EXPECTING, SubsidyState } from './subsidy-state.js';

/**
 * The treasurers' daily reminders: what the treasury report lists as overdue instalments and
 * upcoming justifications, mailed to the current TREASURERs of the subsidy's cluster (after a
 * fusion, the absorbing cluster's). Days are Paris days. Each job is one statement whatever the
 * number of subsidies and treasurers, and queues each message once (its event key).
 */

/** Parameters of both: now (the instant rights are read at), today (ISO, Paris). */
const PARAMS = 'params as (select ?::timestamptz as now, ?::date as today)';

const OVERDUE: Record<keyof InstalmentOverduePayload, string> = {
  subsidyId: 'o.id',
  subsidyTitle: 'o.purpose',
  funderName: 'o.funder_name',
  clusterName: 'o.cluster_name',
  rank: 'd.position',
  dueOn: 'd.due_on::text',
  outstandingCents: 'd.unpaid::text',
};

/**
 * Instalments past due (before today) with part of them unpaid — receipts pay instalments in
 * order, as in the treasury report (treasury-sql.ts `due`) — of subsidies still expecting money
 * (not requested, refused, cancelled, closed, clawed back or fully received) and not frozen
 * today: one message per instalment and treasurer.
 */
const INSTALMENT_OVERDUE_SQL = `
  with ${PARAMS},
  open_subsidy as (
    select s.id, s.cluster_id, s.purpose, f.name as funder_name, cl.name as cluster_name
      from subsidy s join funder f on f.id = s.funder_id join cluster cl on cl.id = s.cluster_id cross join params
     where s.state in (${sqlStates(EXPECTING)})
       and exists (select 1 from instalment i where i.subsidy_id = s.id and i.due_on < params.today)
       and not (s.state = '${SubsidyState.FROZEN}' and exists (
             select 1 from subsidy_freeze fr where fr.subsidy_id = s.id and fr.released_at is null and (fr.until is null or fr.until > params.today)))),
  balance as (${BALANCE_SQL} where e.subsidy_id in (select id from open_subsidy) group by e.subsidy_id),
  due as (
    select i.id, i.subsidy_id, i.position, i.due_on,
           ${instalmentUnpaidSql('coalesce(b.received::bigint, 0)')} as unpaid
      from instalment i join open_subsidy o on o.id = i.subsidy_id left join balance b on b.subsidy_id = i.subsidy_id)
  select h.account_id, h.email, d.id::text as event_key, ${sqlPayload(OVERDUE)} as payload
    from due d cross join params join open_subsidy o on o.id = d.subsidy_id
    join (${currentHoldersOf(Role.TREASURER)}) h on h.cluster_id = o.cluster_id and h.college_id is null
   where d.unpaid > 0 and d.due_on < params.today`;

const JUSTIFICATION: Record<keyof JustificationDuePayload, string> = {
  subsidyId: 's.id',
  subsidyTitle: 's.purpose',
  funderName: 'f.name',
  clusterName: 'cl.name',
  deadline: 's.justification_deadline::text',
};

/**
 * Subsidies not yet justified (nor ended) whose justification deadline falls within the next
 * 30 days (today included, the 30th day not): one message per subsidy and treasurer.
 */
const JUSTIFICATION_DUE_SQL = `
  with ${PARAMS}
  select h.account_id, h.email, s.id::text as event_key, ${sqlPayload(JUSTIFICATION)} as payload
    from subsidy s cross join params join funder f on f.id = s.funder_id join cluster cl on cl.id = s.cluster_id
    join (${currentHoldersOf(Role.TREASURER)}) h on h.cluster_id = s.cluster_id and h.college_id is null
   where s.state in (${sqlStates(AWAITING_JUSTIFICATION)})
     and s.justification_deadline >= params.today and s.justification_deadline < params.today + 30`;

function dailyJob(name: string, kind: NotificationKind, sql: string): ScheduledJob {
  return {
    name,
    cadence: 'daily',
    run: (tx, now) => enqueueMany(tx, now, kind, { sql, params: [now, parisDayAndHour(now).day] }),
  };
}

export const INSTALMENT_OVERDUE_JOB = dailyJob('instalment-overdue', NotificationKind.INSTALMENT_OVERDUE, INSTALMENT_OVERDUE_SQL);
export const JUSTIFICATION_DUE_JOB = dailyJob('justification-due', NotificationKind.JUSTIFICATION_DUE, JUSTIFICATION_DUE_SQL);
