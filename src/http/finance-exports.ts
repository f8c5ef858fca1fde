import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import express, { type Router } from 'express';
import type { Viewer } from '../auth/permissions.js';
import { formatEuros } from '../finance/money.js';
import type { TreasuryService } from '../finance/treasury.service.js';
import { createServices, requestScope, type AppDeps } from '../services.js';
import { uuidArg } from '../shared/ids.js';
import { csvDownload } from './download.js';

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

/**
 * The accountant's downloads, behind the treasury report's authorization (the cluster's
 * TREASURER, CLUSTER_ADMIN and BOARD_MEMBERs, ADMIN), which TreasuryService checks on the cluster
 * it loaded: amounts both in cents and in euros with two decimals (a dot), ISO dates, UTF-8 CSV
 * with a header row.
 *
 * - GET /exports/clusters/:clusterId/ledger.csv — every ledger entry written for the cluster, by value date.
 * - GET /exports/clusters/:clusterId/subsidies.csv — its subsidies with awarded, received and outstanding.
 */
export function financeExportRouter(orm: MikroORM, deps: AppDeps): Router {
  const router = express.Router();
  /** The treasury service of this download's caller (a request scope: never trusted). */
  const treasury = (em: EntityManager, viewer: Viewer): TreasuryService =>
    createServices(requestScope(em, { accountId: viewer.accountId, requestId: null }, viewer, deps), deps).treasury;

  router.get(
    '/exports/clusters/:clusterId/ledger.csv',
    csvDownload(orm, deps, async (em, viewer, params) => {
      const { cluster, rows } = await treasury(em, viewer).ledgerExport(uuidArg('clusterId', params.clusterId));
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
          formatEuros(BigInt(r.amount)),
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
      const { cluster, rows } = await treasury(em, viewer).subsidiesExport(uuidArg('clusterId', params.clusterId));
      return {
        filename: `${cluster.slug}-subsidies.csv`,
        columns: SUBSIDY_COLUMNS,
        rows: rows.map((r) => [
          r.id,
          r.funder,
          r.funder_kind,
          r.programme,
          r.purpose,
          r.decision_reference,
          r.decision_date,
          r.state,
          r.awarded,
          formatEuros(r.awarded),
          r.received,
          formatEuros(r.received),
          r.outstanding,
          formatEuros(r.outstanding),
          r.justification_deadline,
        ]),
      };
    }),
  );
  return router;
}
