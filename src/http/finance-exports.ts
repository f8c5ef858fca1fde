import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import express, { type Router } from 'express';
import { Action, authorize, clusterScope } from '../auth/permissions.js';
import { Cluster } from '../membership/cluster.entity.js';
import type { AppDeps } from '../services.js';
import { csvDownload } from './download.js';
import { NotFoundError } from '../shared/errors.js';
import { uuidArg } from '../shared/ids.js';
import { formatEuros } from '../finance/money.js';
import { BALANCE_SQL } from '../finance/subsidy.service.js';
import { EXPECTING } from '../finance/subsidy-state.js';

const LEDGER_COLUMNS = [
  'entry_id',
  'value_date',
  'recorded_at',
  'subsidy_id',
  'subsidy_purpose',
  'funder',
  'kind',
  'amount_cents',
  'amount_eur',
  'bank_reference',
  'reverses_entry_id',
  'reason',
  'frozen_exception',
  'overpayment_reason',
] as const;

const SUBSIDY_COLUMNS = [
  'subsidy_id',
  'funder',
  'funder_kind',
  'programme',
  'purpose',
  'decision_reference',
  'decision_date',
  'state',
  'awarded_cents',
  'awarded_eur',
  'received_cents',
  'received_eur',
  'outstanding_cents',
  'outstanding_eur',
  'justification_deadline',
] as const;

async function readableCluster(em: EntityManager, viewer: Parameters<typeof authorize>[0], clusterIdParam: string): Promise<Cluster> {
  const clusterId = uuidArg('clusterId', clusterIdParam);
  const cluster = await em.findOne(Cluster, { id: clusterId });
  if (!cluster) throw new NotFoundError('Cluster', clusterId);
  authorize(viewer, Action.ReadTreasury, clusterScope(cluster.id));
  return cluster;
}

/**
 * The accountant's downloads, behind the treasury report's authorization (the cluster's
 * TREASURER, CLUSTER_ADMIN and BOARD_MEMBERs, ADMIN): amounts both in cents and in euros with
 * two decimals (a dot), ISO dates, UTF-8 CSV with a header row.
 *
 * - GET /exports/clusters/:clusterId/ledger.csv — every ledger entry written for the cluster, by value date.
 * - GET /exports/clusters/:clusterId/subsidies.csv — its subsidies with awarded, received and outstanding.
 */
export function financeExportRouter(orm: MikroORM, deps: AppDeps): Router {
  const router = express.Router();
  router.get(
    '/exports/clusters/:clusterId/ledger.csv',
    csvDownload(orm, deps, async (em, viewer, params) => {
      const cluster = await readableCluster(em, viewer, params.clusterId);
      const rows = await em.execute<Record<string, string | null>[]>(
        `select e.id, e.value_date::text, to_char(e.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as recorded_at,
                s.id as subsidy_id, s.purpose, f.name as funder, e.kind, e.amount::text, e.bank_reference, e.reverses_id,
                e.reason, e.frozen_exception, e.overpayment_reason
           from ledger_entry e join subsidy s on s.id = e.subsidy_id join funder f on f.id = s.funder_id
          where e.cluster_id = ?
          order by e.value_date, e.created_at, e.id`,
        [cluster.id],
      );
      return {
        filename: `${cluster.slug}-ledger.csv`,
        columns: LEDGER_COLUMNS,
        rows: rows.map((r) => [
          r.id,
          r.value_date,
          r.recorded_at,
          r.subsidy_id,
          r.purpose,
          r.funder,
          r.kind,
          r.amount,
          formatEuros(BigInt(r.amount!)),
          r.bank_reference,
          r.reverses_id,
          r.reason,
          r.frozen_exception,
          r.overpayment_reason,
        ]),
      };
    }),
  );
  router.get(
    '/exports/clusters/:clusterId/subsidies.csv',
    csvDownload(orm, deps, async (em, viewer, params) => {
      const cluster = await readableCluster(em, viewer, params.clusterId);
      const rows = await em.execute<Record<string, string | null>[]>(
        `with balance as (${BALANCE_SQL} where e.subsidy_id in (select id from subsidy where cluster_id = ?) group by e.subsidy_id)
         select s.id, f.name as funder, f.kind as funder_kind, p.name as programme, s.purpose, s.decision_reference,
                s.decision_date::text, s.state, coalesce(b.awarded, '0') as awarded, coalesce(b.received, '0') as received,
                s.justification_deadline::text
           from subsidy s join funder f on f.id = s.funder_id left join programme p on p.id = s.programme_id
           left join balance b on b.subsidy_id = s.id
          where s.cluster_id = ?
          order by s.decision_date nulls last, s.created_at, s.id`,
        [cluster.id, cluster.id],
      );
      return {
        filename: `${cluster.slug}-subsidies.csv`,
        columns: SUBSIDY_COLUMNS,
        rows: rows.map((r) => {
          const awarded = BigInt(r.awarded!);
          const received = BigInt(r.received!);
          const outstanding = EXPECTING.includes(r.state as never) && awarded > received ? awarded - received : 0n;
          return [
            r.id,
            r.funder,
            r.funder_kind,
            r.programme,
            r.purpose,
            r.decision_reference,
            r.decision_date,
            r.state,
            awarded,
            formatEuros(awarded),
            received,
            formatEuros(received),
            outstanding,
            formatEuros(outstanding),
            r.justification_deadline,
          ];
        }),
      };
    }),
  );
  return router;
}
