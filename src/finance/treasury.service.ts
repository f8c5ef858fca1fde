import { DomainService } from '../auth/domain-service.js';
import { Action, clusterScope } from '../auth/permissions.js';
import { Cluster } from '../membership/cluster.entity.js';
import { BadUserInputError, NotFoundError } from '../shared/errors.js';
import { paginate, type ConnectionShape, type PageArgs } from '../shared/pagination.js';
import { isMonth, monthBounds, monthsFrom, projectCash } from './forecast.js';
import { LedgerEntry } from './ledger-entry.entity.js';
import type { SubsidyState } from './subsidy-state.js';
import {
  forecastSql,
  LEDGER_EXPORT_SQL,
  subsidiesExportSql,
  treasuryCtes,
  treasuryReportSql,
  type TreasuryFilter,
} from './treasury-sql.js';
import type {
  FunderTotalsType,
  InstalmentDueType,
  JustificationDeadlineType,
  TreasuryReportType,
  WorkingCapitalForecastType,
} from './treasury.payloads.js';

export type { TreasuryFilter } from './treasury-sql.js';

export interface ForecastInput {
  clusterId: string;
  openingBalance: bigint;
  fromMonth?: string;
  months?: number;
  monthlyOutgoings?: bigint;
  outgoings?: { month: string; amount: bigint }[];
  includeOverdue?: boolean;
}

/** A ledger entry as the accountant's CSV shows it (amounts in cents, as text). */
export interface LedgerExportRow {
  id: string;
  value_date: string;
  recorded_at: string;
  subsidy_id: string;
  purpose: string;
  funder: string;
  kind: string;
  amount: string;
  bank_reference: string | null;
  reverses_id: string | null;
  reason: string | null;
  frozen_exception: string | null;
  overpayment_reason: string | null;
  /** The cluster the entry was written for: the beneficiary then (another one for a subsidy received by a fusion). */
  original_cluster_id: string;
  original_cluster: string;
  /** For a TRANSFER: the cluster the subsidy passed to. */
  transferred_to: string | null;
  /** What the entry adds to its subsidy's awarded and received, in cents (as text). */
  awarded_change: string;
  received_change: string;
}

/** A subsidy as the accountant's CSV shows it, with its balance. */
export interface SubsidyExportRow {
  id: string;
  funder: string;
  funder_kind: string;
  programme: string | null;
  purpose: string;
  decision_reference: string | null;
  decision_date: string | null;
  state: SubsidyState;
  awarded: bigint;
  received: bigint;
  outstanding: bigint;
  frozen: bigint;
  forgone: bigint;
  overpaid: bigint;
  justification_deadline: string | null;
}

/** What an export answers: the cluster it is of (for the file's name) and its rows. */
export interface ClusterExport<Row> {
  cluster: { id: string; slug: string; name: string };
  rows: Row[];
}

/**
 * The figures treasurers, board members and cluster admins read, computed in SQL: the treasury
 * report, the working-capital forecast, the cluster's ledger and the accountant's exports. Each loads the cluster, then
 * checks the caller may read its treasury.
 */
export class TreasuryService extends DomainService {
  /**
   * Awarded, received, outstanding, frozen, forgone and overpaid for a cluster's subsidies, with the
   * overdue instalments, those due in the next 90 days and the justification deadlines — one
   * statement. Per subsidy: outstanding = awarded − received while money is still expected (else
   * 0); forgone = what an ended subsidy never received; overpaid = received beyond awarded; so
   * awarded − received = outstanding + forgone − overpaid, to the cent. With `asOfDay` (a past
   * day), the report as it stood then: the subsidies the cluster was the beneficiary of (before
   * a fusion's transfer), their state then, the entries valued by then, the freezes then in force.
   */
  async report(clusterId: string, filter: TreasuryFilter = {}, asOfDay?: string): Promise<TreasuryReportType> {
    await this.readableCluster(clusterId);
    const today = this.today();
    if (asOfDay && asOfDay > today) throw BadUserInputError.field('asOf', 'must not be in the future');
    const asOf = asOfDay ?? today;
    const ctes = treasuryCtes(filter, asOf < today);
    const [row] = await this.em.execute<{ report: RawReport }[]>(treasuryReportSql(ctes), [asOf, asOf, clusterId, ...ctes.params]);
    const r = row.report;
    const due = (d: RawDue): InstalmentDueType => ({ ...d, amount: BigInt(d.amount), unpaid: BigInt(d.unpaid) });
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
  async forecast(input: ForecastInput): Promise<WorkingCapitalForecastType> {
    await this.readableCluster(input.clusterId);
    const today = this.today();
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
    const rows = await this.em.execute<{ month: string; expected: string; frozen: string }[]>(forecastSql(ctes), [
      today,
      input.clusterId,
      from,
      to,
    ]);
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

  /**
   * The cluster's ledger, by value date (the accountant's ledger.csv): every entry written for it,
   * and the whole history of the subsidies it now holds, those it received by a fusion included
   * (`original_cluster` says for whom each entry was written).
   */
  async ledgerExport(clusterId: string): Promise<ClusterExport<LedgerExportRow>> {
    const cluster = await this.readableCluster(clusterId);
    const rows = await this.em.execute<LedgerExportRow[]>(LEDGER_EXPORT_SQL, [cluster.id, cluster.id]);
    return { cluster, rows };
  }

  /** The same ledger as ledgerExport, a page at a time (the `ledger` query): by value date, then as written. */
  async ledger(clusterId: string, page: PageArgs, includeCount: boolean): Promise<ConnectionShape<LedgerEntry>> {
    const cluster = await this.readableCluster(clusterId);
    return paginate(
      this.em,
      LedgerEntry,
      { $or: [{ cluster: cluster.id }, { subsidy: { cluster: cluster.id } }] },
      { valueDate: 'asc', createdAt: 'asc', id: 'asc' },
      page,
      [],
      includeCount,
    );
  }

  /**
   * The cluster's subsidies with the treasury report's figures for each (awarded, received,
   * outstanding, frozen, forgone, overpaid: the report's own CTE, so the export adds up to the
   * report), by decision date (the accountant's subsidies.csv).
   */
  async subsidiesExport(clusterId: string): Promise<ClusterExport<SubsidyExportRow>> {
    const cluster = await this.readableCluster(clusterId);
    const ctes = treasuryCtes({});
    const rows = await this.em.execute<(Omit<SubsidyExportRow, Money> & Record<Money, string>)[]>(subsidiesExportSql(ctes), [
      this.today(),
      cluster.id,
      ...ctes.params,
    ]);
    return {
      cluster,
      rows: rows.map((r) => ({
        ...r,
        awarded: BigInt(r.awarded),
        received: BigInt(r.received),
        outstanding: BigInt(r.outstanding),
        frozen: BigInt(r.frozen),
        forgone: BigInt(r.forgone),
        overpaid: BigInt(r.overpaid),
      })),
    };
  }

  /** The cluster, once the caller is known to read its treasury (its TREASURER, CLUSTER_ADMIN and BOARD_MEMBERs, ADMIN). */
  private async readableCluster(clusterId: string): Promise<{ id: string; slug: string; name: string }> {
    this.requireSignedIn();
    const cluster = await this.em.findOne(Cluster, { id: clusterId }, { fields: ['slug', 'name'] });
    if (!cluster) throw new NotFoundError('Cluster', clusterId);
    this.authorize(Action.ReadTreasury, clusterScope(cluster.id, cluster.name));
    return { id: cluster.id, slug: cluster.slug, name: cluster.name };
  }
}

type FunderMoney = 'awarded' | 'received' | 'outstanding' | 'frozen';
type Money = 'awarded' | 'received' | 'outstanding' | 'frozen' | 'forgone' | 'overpaid';

interface RawDue extends Omit<InstalmentDueType, 'amount' | 'unpaid'> {
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
  justificationsUpcoming: JustificationDeadlineType[];
  justificationsMissed: JustificationDeadlineType[];
  byFunder: (Omit<FunderTotalsType, FunderMoney> & Record<FunderMoney, string>)[];
}
