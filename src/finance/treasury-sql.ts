import { COLLEGE_AND_PREDECESSORS } from '../membership/college-lineage.js';
import {
  AWARDED_CHANGE_SQL,
  BALANCE_SQL,
  balancesSql,
  forgoneSql,
  instalmentUnpaidSql,
  outstandingSql,
  overpaidSql,
  RECEIVED_CHANGE_SQL,
  sqlStates,
} from './subsidy-balance.js';
import { AWAITING_JUSTIFICATION, EXPECTING } from './subsidy-state.js';

/** What a treasury report may be restricted to. */
export interface TreasuryFilter {
  collegeId?: string;
  funderId?: string;
  programmeId?: string;
  year?: number;
}

/**
 * The subsidies a report covers, their ledger balances and their instalments' unpaid parts, as
 * SQL common table expressions: `scope` (the filtered subsidies), `balance`, `figures` (per
 * subsidy: awarded, received, outstanding, frozen, forgone, overpaid — what the report sums and
 * the subsidies export lists) and `due` (per instalment: unpaid part, in
 * payment order). The ledger is read once. Parameters: cluster, filters…, as-of date.
 */
export function treasuryCtes(filter: TreasuryFilter, historical = false): { sql: string; params: unknown[] } {
  // As of a past day: the subsidies the cluster was the beneficiary of then (before any later
  // TRANSFER), their state then (the last event of that day or before), the entries valued by then.
  const beneficiary = historical
    ? `coalesce((select t.cluster_id from ledger_entry t where t.subsidy_id = sub.id and t.kind = 'TRANSFER' and t.value_date > params.as_of
                  order by t.value_date, t.created_at, t.id limit 1), sub.cluster_id) = ?
       and coalesce(sub.decision_date, sub.created_at::date) <= params.as_of`
    : 'sub.cluster_id = ?';
  const conditions = [beneficiary];
  const params: unknown[] = [];
  if (filter.collegeId) {
    conditions.push(
      `exists (select 1 from subsidy_allocation a where a.subsidy_id = sub.id and a.college_id in (${COLLEGE_AND_PREDECESSORS}))`,
    );
    params.push(filter.collegeId);
  }
  if (filter.funderId) {
    conditions.push('sub.funder_id = ?');
    params.push(filter.funderId);
  }
  if (filter.programmeId) {
    conditions.push('sub.programme_id = ?');
    params.push(filter.programmeId);
  }
  if (filter.year) {
    conditions.push('extract(year from coalesce(sub.decision_date, sub.created_at::date)) = ?');
    params.push(filter.year);
  }
  // Where the scope is plain column equalities (today's report, by cluster, funder or programme),
  // PostgreSQL estimates its rows well: it is written out where `balance` filters the ledger too,
  // so that the ledger's scan and sums can be shared among parallel workers (a scan of a
  // materialised CTE can't be), and the reversals are summed apart (balancesSql). Other filters
  // (a year, a collège, a past day) are estimated by guess — a few dozen rows where there are
  // thousands —, which would have the sums, or the reversals' index, read again for every
  // subsidy: their scope is computed once (materialised), and their balances found entry by
  // entry (BALANCE_SQL), a plan that holds whatever the estimate.
  const inlineScope = !historical && !filter.collegeId && !filter.year;
  const awarded = 'coalesce(b.awarded::bigint, 0)';
  const received = 'coalesce(b.received::bigint, 0)';
  const outstanding = outstandingSql('scope.state', awarded, received);
  // Frozen now: in FROZEN, under a freeze without an end date or ending after the report's day.
  const frozenNow = `(scope.state = 'FROZEN' and (fr.until is null or fr.until > params.as_of))`;
  const sql = `
    scope as ${inlineScope ? 'not materialized' : 'materialized'} (
      select sub.id, ${
        historical
          ? `coalesce((select ev.to_state from subsidy_event ev where ev.subsidy_id = sub.id and ev.occurred_at < params.as_of + 1
                        order by ev.occurred_at desc, ev.created_at desc, ev.id desc limit 1), sub.state)`
          : 'sub.state'
      } as state, sub.funder_id, f.name as funder_name, sub.purpose, sub.justification_deadline
        from subsidy sub join funder f on f.id = sub.funder_id cross join params
       where ${conditions.join(' and ')}),
    balance as (${
      inlineScope
        ? balancesSql('e.subsidy_id in (select id from scope)')
        : `${BALANCE_SQL} where e.subsidy_id in (select id from scope)${historical ? ' and e.value_date <= (select as_of from params)' : ''} group by e.subsidy_id`
    }),
    figures as (
      select scope.*, ${awarded} as awarded, ${received} as received,
             ${frozenNow} as frozen_now,
             fr.until as frozen_until,
             ${outstanding} as outstanding,
             case when ${frozenNow} then ${outstanding} else 0 end as frozen,
             ${forgoneSql('scope.state', awarded, received)} as forgone,
             ${overpaidSql(awarded, received)} as overpaid
        from scope cross join params
        left join balance b on b.subsidy_id = scope.id
        left join subsidy_freeze fr on fr.subsidy_id = scope.id and ${
          historical
            ? 'fr.frozen_at < params.as_of + 1 and (fr.released_at is null or fr.released_at >= params.as_of + 1)'
            : 'fr.released_at is null'
        }),
    due as (
      select i.id as instalment_id, i.subsidy_id, i.position, i.kind, i.due_on, i.amount, figures.purpose, figures.funder_name,
             figures.state, figures.frozen_now, figures.frozen_until,
             ${instalmentUnpaidSql('figures.received')} as unpaid
        from instalment i join figures on figures.id = i.subsidy_id
       where figures.state in (${sqlStates(EXPECTING)}))`;
  return { sql, params };
}

const DUE_JSON = `json_build_object('subsidyId', subsidy_id, 'instalmentId', instalment_id, 'purpose', purpose, 'funderName', funder_name,
  'position', position, 'kind', kind, 'dueOn', due_on, 'amount', amount::text, 'unpaid', unpaid::text)`;
const DEADLINE_JSON = `json_build_object('subsidyId', id, 'purpose', purpose, 'funderName', funder_name, 'deadline', justification_deadline, 'state', state)`;

/**
 * The whole treasury report as one JSON value, from `ctes` (see treasuryCtes). Parameters: as-of
 * day twice (as of, and the 90-day horizon's start), then the CTEs' parameters.
 */
export function treasuryReportSql(ctes: { sql: string }): string {
  return `with params as not materialized (select ?::date as as_of, ?::date + 90 as horizon), ${ctes.sql}
       select json_build_object(
         'subsidies', (select count(*) from figures),
         'awarded', (select coalesce(sum(awarded), 0)::text from figures),
         'received', (select coalesce(sum(received), 0)::text from figures),
         'outstanding', (select coalesce(sum(outstanding), 0)::text from figures),
         'frozen', (select coalesce(sum(frozen), 0)::text from figures),
         'forgone', (select coalesce(sum(forgone), 0)::text from figures),
         'overpaid', (select coalesce(sum(overpaid), 0)::text from figures),
         'overdue', (select coalesce(sum(unpaid), 0)::text from due, params where unpaid > 0 and not frozen_now and due_on < as_of),
         'dueNext90Days', (select coalesce(sum(unpaid), 0)::text from due, params where unpaid > 0 and not frozen_now and due_on >= as_of and due_on < horizon),
         'overdueInstalments', (select coalesce(json_agg(${DUE_JSON} order by due_on, subsidy_id, position), '[]') from due, params
                                 where unpaid > 0 and not frozen_now and due_on < as_of),
         'instalmentsDueNext90Days', (select coalesce(json_agg(${DUE_JSON} order by due_on, subsidy_id, position), '[]') from due, params
                                 where unpaid > 0 and not frozen_now and due_on >= as_of and due_on < horizon),
         'justificationsUpcoming', (select coalesce(json_agg(${DEADLINE_JSON} order by justification_deadline, id), '[]') from figures, params
                                 where state in (${sqlStates(AWAITING_JUSTIFICATION)}) and justification_deadline >= as_of and justification_deadline < horizon),
         'justificationsMissed', (select coalesce(json_agg(${DEADLINE_JSON} order by justification_deadline, id), '[]') from figures, params
                                 where state in (${sqlStates(AWAITING_JUSTIFICATION)}) and justification_deadline < as_of),
         'byFunder', (select coalesce(json_agg(x order by x."funderName"), '[]') from (
                        select funder_id as "funderId", funder_name as "funderName", count(*) as subsidies,
                               sum(awarded)::text as awarded, sum(received)::text as received, sum(outstanding)::text as outstanding,
                               sum(frozen)::text as frozen
                          from figures group by funder_id, funder_name) x)
       ) as report`;
}

/**
 * The forecast's inflows by due month (`overdue` before today, `before` between today and the
 * first month), frozen ones apart. Parameters: today, then the CTEs' (cluster), first day, end day.
 */
export function forecastSql(ctes: { sql: string }): string {
  return `with params as not materialized (select ?::date as as_of), ${ctes.sql}
       select case when due_on < as_of then 'overdue' when due_on >= ?::date then to_char(due_on, 'YYYY-MM') else 'before' end as month,
              coalesce(sum(unpaid) filter (where not (state = 'FROZEN' and (frozen_until is null or frozen_until > due_on))), 0)::text as expected,
              coalesce(sum(unpaid) filter (where state = 'FROZEN' and (frozen_until is null or frozen_until > due_on)), 0)::text as frozen
         from due cross join params
        where unpaid > 0 and due_on < ?::date
        group by 1`;
}

/**
 * The accountant's list of subsidies, from `ctes` (see treasuryCtes, today's): per subsidy the
 * report's own figures (awarded, received, outstanding, frozen, forgone, overpaid: the same CTE),
 * with its funder, programme and decision, by decision date. Parameters: today, then the CTEs'.
 */
export function subsidiesExportSql(ctes: { sql: string }): string {
  return `with params as not materialized (select ?::date as as_of), ${ctes.sql}
       select figures.id, figures.funder_name as funder, f.kind as funder_kind, p.name as programme, figures.purpose,
              s.decision_reference, s.decision_date::text, figures.state,
              figures.awarded::text, figures.received::text, figures.outstanding::text, figures.frozen::text,
              figures.forgone::text, figures.overpaid::text, figures.justification_deadline::text
         from figures join subsidy s on s.id = figures.id join funder f on f.id = s.funder_id
         left join programme p on p.id = s.programme_id
        order by s.decision_date nulls last, s.created_at, s.id`;
}

/**
 * The accountant's ledger of cluster `?` (given twice): every entry written for the cluster, and
 * every entry of the subsidies it now holds — those it received by a fusion bring their history,
 * written for the cluster they then belonged to (`original_cluster`). So it explains every
 * subsidy the cluster reports: per subsidy, the sums of `awarded_change` and `received_change`
 * are its awarded and received. By value date, then as written.
 */
export const LEDGER_EXPORT_SQL = `
  select e.id, e.value_date::text, to_char(e.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as recorded_at,
         s.id as subsidy_id, s.purpose, f.name as funder, e.kind, e.amount::text, e.bank_reference, e.reverses_id,
         e.reason, e.frozen_exception, e.overpayment_reason,
         e.cluster_id as original_cluster_id, oc.name as original_cluster, cc.name as transferred_to,
         (${AWARDED_CHANGE_SQL})::text as awarded_change, (${RECEIVED_CHANGE_SQL})::text as received_change
    from ledger_entry e join subsidy s on s.id = e.subsidy_id join funder f on f.id = s.funder_id
    join cluster oc on oc.id = e.cluster_id left join cluster cc on cc.id = e.counterpart_cluster_id
    left join ledger_entry r on r.id = e.reverses_id
   where e.cluster_id = ? or s.cluster_id = ?
   order by e.value_date, e.created_at, e.id`;
