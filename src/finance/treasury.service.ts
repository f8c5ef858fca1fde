import { DomainService, type ServiceScope } from '../auth/domain-service.js';

import { BadUserInputError, NotFoundError } from '../shared/errors.js';
import { Cluster } from '../membership/cluster.entity.js';
import { COLLEGE_AND_PREDECESSORS } from '../membership/college-lineage.js';
import { isoDay } from '../shared/scalars.js';
import { isMonth, monthBounds, monthsFrom, projectCash, type Forecast } from './forecast.js';
import { BALANCE_SQL } from './subsidy.service.js';
import { EXPECTING, SubsidyState } from './subsidy-state.js';

export interface TreasuryFilter {
  collegeId?: string;
  funderId?: string;
  programmeId?: string;
  year?: number;
}

export interface InstalmentDue {
  subsidyId: string;
  instalmentId: string;
  purpose: string;
  funderName: string;
  position: number;
  kind: string;
  dueOn: string;
  amount: bigint;
  unpaid: bigint;
}

export interface JustificationDeadline {
  subsidyId: string;
  purpose: string;
  funderName: string;
  deadline: string;
  state: string;
}

export interface FunderTotals {
  funderId: string;
  funderName: string;
  subsidies: number;
  awarded: bigint;
  received: bigint;
  outstanding: bigint;
  frozen: bigint;
}

export interface TreasuryReport {
  clusterId: string;
  asOf: string;
  subsidies: number;
  awarded: bigint;
  received: bigint;
  outstanding: bigint;
  frozen: bigint;
  forgone: bigint;
  overpaid: bigint;
  overdue: bigint;
  dueNext90Days: bigint;
  overdueInstalments: InstalmentDue[];
  instalmentsDueNext90Days: InstalmentDue[];
  justificationsUpcoming: JustificationDeadline[];
  justificationsMissed: JustificationDeadline[];
  byFunder: FunderTotals[];
}

export interface ForecastInput {
  clusterId: string;
  openingBalance: bigint;
  fromMonth?: string;
  months?: number;
  monthlyOutgoings?: bigint;
  outgoings?: { month: string; amount: bigint }[];
  includeOverdue?: boolean;
}

export interface WorkingCapitalForecast extends Forecast {
  clusterId: string;
  /** Unpaid instalments due before today: counted in the first month only with includeOverdue. */
  overdue: bigint;
  /** Unpaid instalments in the period left out because their subsidy is frozen then. */
  frozenExcluded: bigint;
}

const list = (states: readonly string[]) => states.map((s) => `'${s}'`).join(', ');

/** States whose spending is still to be justified to the funder. */
const AWAITING_JUSTIFICATION = EXPECTING.filter((state) => state !== SubsidyState.JUSTIFIED).concat(SubsidyState.RECEIVED);

/**
 * The subsidies a report covers, their ledger balances and their instalments' unpaid parts, as
 * SQL common table expressions: `scope` (the filtered subsidies), `balance`, `figures` (per
 * subsidy: awarded, received, outstanding, frozen…) and `due` (per instalment: unpaid part, in
 * payment order). The ledger is read once. Parameters: cluster, filters…, as-of date.
 */
function treasuryCtes(filter: TreasuryFilter, historical = false): { sql: string; params: unknown[] } {
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
  const sql = `
    scope as (
      select sub.id, ${
        historical
          ? `coalesce((select ev.to_state from subsidy_event ev where ev.subsidy_id = sub.id and ev.occurred_at < params.as_of + 1
                        order by ev.occurred_at desc, ev.created_at desc, ev.id desc limit 1), sub.state)`
          : 'sub.state'
      } as state, sub.funder_id, f.name as funder_name, sub.purpose, sub.justification_deadline
        from subsidy sub join funder f on f.id = sub.funder_id cross join params
       where ${conditions.join(' and ')}),
    balance as (${BALANCE_SQL} where e.subsidy_id in (select id from scope)${historical ? ' and e.value_date <= (select as_of from params)' : ''} group by e.subsidy_id),
    figures as (
      select scope.*, coalesce(b.awarded::bigint, 0) as awarded, coalesce(b.received::bigint, 0) as received,
             (scope.state = 'FROZEN' and (fr.until is null or fr.until > params.as_of)) as frozen_now,
             fr.until as frozen_until,
             case when scope.state in (${list(EXPECTING)}) then greatest(coalesce(b.awarded::bigint, 0) - coalesce(b.received::bigint, 0), 0) else 0 end as outstanding,
             case when scope.state not in (${list(EXPECTING)}) then greatest(coalesce(b.awarded::bigint, 0) - coalesce(b.received::bigint, 0), 0) else 0 end as forgone,
             greatest(coalesce(b.received::bigint, 0) - coalesce(b.awarded::bigint, 0), 0) as overpaid
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
             i.amount - least(i.amount, greatest(0, figures.received - (sum(i.amount) over (partition by i.subsidy_id order by i.position) - i.amount))) as unpaid
        from instalment i join figures on figures.id = i.subsidy_id
       where figures.state in (${list(EXPECTING)}))`;
  return { sql, params };
}

const DUE_JSON = `json_build_object('subsidyId', subsidy_id, 'instalmentId', instalment_id, 'purpose', purpose, 'funderName', funder_name,
  'position', position, 'kind', kind, 'dueOn', due_on, 'amount', amount::text, 'unpaid', unpaid::text)`;
const DEADLINE_JSON = `json_build_object('subsidyId', id, 'purpose', purpose, 'funderName', funder_name, 'deadline', justification_deadline, 'state', state)`;

/** The figures treasurers, board members and cluster admins read: computed in SQL. */
export class TreasuryService extends DomainService {
  constructor(scope: ServiceScope) {
    super(scope);
  }

  /**
   * Awarded, received, outstanding, frozen, forgone and overpaid for a cluster's subsidies, with the
   * overdue instalments, those due in the next 90 days and the justification deadlines — one
   * statement. Per subsidy: outstanding = awarded − received while money is still expected (else
   * 0); forgone = what an ended subsidy never received; overpaid = received beyond awarded; so
   * awarded − received = outstanding + forgone − overpaid, to the cent. With `asOfDay` (a past
   * day), the report as it stood then: the subsidies the cluster was the beneficiary of (before
   * a fusion's transfer), their state then, the entries valued by then, the freezes then in force.
   */
  async report(clusterId: string, filter: TreasuryFilter = {}, asOfDay?: string): Promise<TreasuryReport> {
    await this.requireCluster(clusterId);
    const today = isoDay(this.clock());
    if (asOfDay && asOfDay > today) throw BadUserInputError.field('asOf', 'must not be in the future');
    const asOf = asOfDay ?? today;
    const ctes = treasuryCtes(filter, asOf < today);
    const [row] = await this.em.execute<{ report: RawReport }[]>(
      `with params as (select ?::date as as_of, ?::date + 90 as horizon), ${ctes.sql}
       select json_build_object(
         'subsidies', (select count(*) from figures),
         'awarded', (select coalesce(sum(awarded), 0)::text from figures),
         'received', (select coalesce(sum(received), 0)::text from figures),
         'outstanding', (select coalesce(sum(outstanding), 0)::text from figures),
         'frozen', (select coalesce(sum(outstanding) filter (where frozen_now), 0)::text from figures),
         'forgone', (select coalesce(sum(forgone), 0)::text from figures),
         'overpaid', (select coalesce(sum(overpaid), 0)::text from figures),
         'overdue', (select coalesce(sum(unpaid), 0)::text from due, params where unpaid > 0 and not frozen_now and due_on < as_of),
         'dueNext90Days', (select coalesce(sum(unpaid), 0)::text from due, params where unpaid > 0 and not frozen_now and due_on >= as_of and due_on < horizon),
         'overdueInstalments', (select coalesce(json_agg(${DUE_JSON} order by due_on, subsidy_id, position), '[]') from due, params
                                 where unpaid > 0 and not frozen_now and due_on < as_of),
         'instalmentsDueNext90Days', (select coalesce(json_agg(${DUE_JSON} order by due_on, subsidy_id, position), '[]') from due, params
                                 where unpaid > 0 and not frozen_now and due_on >= as_of and due_on < horizon),
         'justificationsUpcoming', (select coalesce(json_agg(${DEADLINE_JSON} order by justification_deadline, id), '[]') from figures, params
                                 where state in (${list(AWAITING_JUSTIFICATION)}) and justification_deadline >= as_of and justification_deadline < horizon),
         'justificationsMissed', (select coalesce(json_agg(${DEADLINE_JSON} order by justification_deadline, id), '[]') from figures, params
                                 where state in (${list(AWAITING_JUSTIFICATION)}) and justification_deadline < as_of),
         'byFunder', (select coalesce(json_agg(x order by x."funderName"), '[]') from (
                        select funder_id as "funderId", funder_name as "funderName", count(*) as subsidies,
                               sum(awarded)::text as awarded, sum(received)::text as received, sum(outstanding)::text as outstanding,
                               coalesce(sum(outstanding) filter (where frozen_now), 0)::text as frozen
                          from figures group by funder_id, funder_name) x)
       ) as report`,
      [asOf, asOf, clusterId, ...ctes.params],
    );
    const r = row.report;
    const due = (d: RawDue): InstalmentDue => ({ ...d, amount: BigInt(d.amount), unpaid: BigInt(d.unpaid) });
    return {
      clusterId,
      asOf,
      subsidies: Number(r.subsidies),
      awarded: BigInt(r.awarded),
      received: BigInt(r.received),
      outstanding: BigInt(r.outstanding),
      frozen: BigInt(r.frozen),
      forgone: BigInt(r.forgone),
      overpaid: BigInt(r.overpaid),
      overdue: BigInt(r.overdue),
      dueNext90Days: BigInt(r.dueNext90Days),
      overdueInstalments: r.overdueInstalments.map(due),
      instalmentsDueNext90Days: r.instalmentsDueNext90Days.map(due),
      justificationsUpcoming: r.justificationsUpcoming,
      justificationsMissed: r.justificationsMissed,
      byFunder: r.byFunder.map((f) => ({
        ...f,
        subsidies: Number(f.subsidies),
        awarded: BigInt(f.awarded),
        received: BigInt(f.received),
        outstanding: BigInt(f.outstanding),
        frozen: BigInt(f.frozen),
      })),
    };
  }

  /**
   * Month-by-month projected cash from an opening balance, the expected instalments (their
   * unpaid parts, by due month; those of a subsidy frozen at their due date left out) and the
   * planned outgoings; the lowest point is the working capital the cluster must secure.
   */
  async forecast(input: ForecastInput): Promise<WorkingCapitalForecast> {
    await this.requireCluster(input.clusterId);
    const today = isoDay(this.clock());
    const first = input.fromMonth ?? today.slice(0, 7);
    if (!isMonth(first)) throw BadUserInputError.field('fromMonth', 'must be a month, YYYY-MM');
    const count = input.months ?? 12;
    if (!Number.isInteger(count) || count < 1 || count > 60) throw BadUserInputError.field('months', 'must be 1 to 60');
    const months = monthsFrom(first, count);
    const outgoings = new Map(months.map((m) => [m, input.monthlyOutgoings ?? 0n]));
    if ((input.monthlyOutgoings ?? 0n) < 0n) throw BadUserInputError.field('monthlyOutgoings', 'must not be negative');
    (input.outgoings ?? []).forEach((line, i) => {
      if (!isMonth(line.month) || !outgoings.has(line.month))
        throw BadUserInputError.field(`outgoings.${i}.month`, `must be a month of the forecast (${months[0]} to ${months.at(-1)})`);
      if (line.amount < 0n) throw BadUserInputError.field(`outgoings.${i}.amount`, 'must not be negative');
      outgoings.set(line.month, line.amount);
    });
    const { from, to } = monthBounds(months);
    const ctes = treasuryCtes({});
    const rows = await this.em.execute<{ month: string; expected: string; frozen: string; overdue: string }[]>(
      `with params as (select ?::date as as_of), ${ctes.sql}
       select case when due_on < as_of then 'overdue' when due_on >= ?::date then to_char(due_on, 'YYYY-MM') else 'before' end as month,
              coalesce(sum(unpaid) filter (where not (state = 'FROZEN' and (frozen_until is null or frozen_until > due_on))), 0)::text as expected,
              coalesce(sum(unpaid) filter (where state = 'FROZEN' and (frozen_until is null or frozen_until > due_on)), 0)::text as frozen
         from due cross join params
        where unpaid > 0 and due_on < ?::date
        group by 1`,
      [today, input.clusterId, from, to],
    );
    const inflows = new Map<string, bigint>();
    let overdue = 0n;
    let frozenExcluded = 0n;
    for (const row of rows) {
      // Instalments due between today and a later first month are not counted: they come before it.
      if (row.month === 'before') continue;
      if (row.month === 'overdue') overdue = BigInt(row.expected);
      else {
        inflows.set(row.month, BigInt(row.expected));
        frozenExcluded += BigInt(row.frozen);
      }
    }
    if (input.includeOverdue && overdue > 0n) inflows.set(months[0], (inflows.get(months[0]) ?? 0n) + overdue);
    return { clusterId: input.clusterId, ...projectCash(input.openingBalance, months, inflows, outgoings), overdue, frozenExcluded };
  }

  private async requireCluster(clusterId: string): Promise<void> {
    if (!(await this.em.count(Cluster, { id: clusterId }))) throw new NotFoundError('Cluster', clusterId);
  }
}

interface RawDue extends Omit<InstalmentDue, 'amount' | 'unpaid'> {
  amount: string;
  unpaid: string;
}

interface RawReport {
  subsidies: number;
  awarded: string;
  received: string;
  outstanding: string;
  frozen: string;
  forgone: string;
  overpaid: string;
  overdue: string;
  dueNext90Days: string;
  overdueInstalments: RawDue[];
  instalmentsDueNext90Days: RawDue[];
  justificationsUpcoming: JustificationDeadline[];
  justificationsMissed: JustificationDeadline[];
  byFunder: (Omit<FunderTotals, 'awarded' | 'received' | 'outstanding' | 'frozen'> &
    Record<'awarded' | 'received' | 'outstanding' | 'frozen', string>)[];
}
