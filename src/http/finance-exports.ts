import type { MikroORM } from '@mikro-orm/postgresql';
import express, { type Router } from 'express';
import { FunderKind } from '../finance/funder.entity.js';
import { LedgerKind } from '../finance/ledger-entry.entity.js';
import { SubsidyState } from '../finance/subsidy-state.js';
import type { LedgerExportRow, SubsidyExportRow } from '../finance/treasury.service.js';
import { type AppDeps } from '../services.js';
import { uuidArg } from '../shared/ids.js';
import { sheetDownload, type SheetColumn, type SheetRoute } from './spreadsheet.js';

/** The ledger's kinds in an accountant's words. */
const KIND_FR: Record<LedgerKind, string> = {
  [LedgerKind.AWARD]: 'Attribution',
  [LedgerKind.RECEIPT]: 'Encaissement',
  [LedgerKind.REVERSAL]: 'Contre-passation',
  [LedgerKind.CLAWBACK]: 'Reversement au financeur',
  [LedgerKind.TRANSFER]: 'Transfert (fusion)',
  [LedgerKind.FREEZE]: 'Gel',
  [LedgerKind.RELEASE]: 'Levée du gel',
};

const STATE_FR: Record<SubsidyState, string> = {
  [SubsidyState.REQUESTED]: 'Demandée',
  [SubsidyState.AWARDED]: 'Attribuée',
  [SubsidyState.ACTIVE]: 'En cours',
  [SubsidyState.FROZEN]: 'Gelée',
  [SubsidyState.PARTLY_RECEIVED]: 'Partiellement reçue',
  [SubsidyState.RECEIVED]: 'Reçue',
  [SubsidyState.JUSTIFIED]: 'Justifiée',
  [SubsidyState.CLOSED]: 'Soldée',
  [SubsidyState.REFUSED]: 'Refusée',
  [SubsidyState.CANCELLED]: 'Annulée',
  [SubsidyState.CLAWED_BACK]: 'Reversée au financeur',
};

const FUNDER_KIND_FR: Record<FunderKind, string> = {
  [FunderKind.REGION]: 'Région',
  [FunderKind.DEPARTMENT]: 'Département',
  [FunderKind.METROPOLIS]: 'Métropole',
  [FunderKind.STATE]: 'État',
  [FunderKind.EU_ERDF]: 'Union européenne (FEDER)',
  [FunderKind.PRIVATE]: 'Privé',
  [FunderKind.OTHER]: 'Autre',
};

/**
 * The ledger's columns. The RFC 4180 CSV keeps today's columns in today's order; those added
 * later follow them, so a machine reading by position is not misled.
 */
const LEDGER_COLUMNS: SheetColumn<LedgerExportRow>[] = [
  { name: 'entry_id', label: 'Écriture (id)', kind: 'text', value: (r) => r.id, width: 38 },
  { name: 'value_date', label: 'Date de valeur', kind: 'date', value: (r) => r.value_date },
  { name: 'recorded_at', label: 'Enregistrée le (UTC)', kind: 'timestamp', value: (r) => r.recorded_at },
  { name: 'subsidy_id', label: 'Subvention (id)', kind: 'text', value: (r) => r.subsidy_id, width: 38 },
  { name: 'subsidy_purpose', label: 'Objet de la subvention', kind: 'text', value: (r) => r.purpose, width: 32 },
  { name: 'funder', label: 'Financeur', kind: 'text', value: (r) => r.funder },
  { name: 'kind', label: 'Nature', kind: 'text', value: (r) => r.kind, french: KIND_FR, width: 20 },
  { name: 'amount', label: 'Montant (€)', kind: 'money', value: (r) => r.amount },
  { name: 'bank_reference', label: 'Référence bancaire', kind: 'text', value: (r) => r.bank_reference },
  { name: 'reverses_entry_id', label: 'Écriture contre-passée (id)', kind: 'text', value: (r) => r.reverses_id, width: 38 },
  { name: 'reason', label: 'Motif', kind: 'text', value: (r) => r.reason, width: 32 },
  { name: 'frozen_exception', label: 'Exception au gel', kind: 'text', value: (r) => r.frozen_exception },
  { name: 'overpayment_reason', label: 'Motif du trop-perçu', kind: 'text', value: (r) => r.overpayment_reason },
  { name: 'original_cluster_id', label: 'Cluster d’origine (id)', kind: 'text', value: (r) => r.original_cluster_id, width: 38 },
  { name: 'original_cluster', label: 'Cluster d’origine', kind: 'text', value: (r) => r.original_cluster },
  { name: 'transferred_to', label: 'Transférée à', kind: 'text', value: (r) => r.transferred_to },
  { name: 'awarded_change', label: 'Effet sur l’attribué (€)', kind: 'money', value: (r) => r.awarded_change },
  { name: 'received_change', label: 'Effet sur le reçu (€)', kind: 'money', value: (r) => r.received_change },
];

/** The subsidies' columns (today's first, in today's order; frozen, forgone and overpaid follow). */
const SUBSIDY_COLUMNS: SheetColumn<SubsidyExportRow>[] = [
  { name: 'subsidy_id', label: 'Subvention (id)', kind: 'text', value: (r) => r.id, width: 38 },
  { name: 'funder', label: 'Financeur', kind: 'text', value: (r) => r.funder },
  { name: 'funder_kind', label: 'Type de financeur', kind: 'text', value: (r) => r.funder_kind, french: FUNDER_KIND_FR },
  { name: 'programme', label: 'Programme', kind: 'text', value: (r) => r.programme },
  { name: 'purpose', label: 'Objet', kind: 'text', value: (r) => r.purpose, width: 32 },
  { name: 'decision_reference', label: 'Référence de la décision', kind: 'text', value: (r) => r.decision_reference },
  { name: 'decision_date', label: 'Date de décision', kind: 'date', value: (r) => r.decision_date },
  { name: 'state', label: 'État', kind: 'text', value: (r) => r.state, french: STATE_FR, width: 20 },
  { name: 'awarded', label: 'Attribué (€)', kind: 'money', value: (r) => r.awarded },
  { name: 'received', label: 'Reçu (€)', kind: 'money', value: (r) => r.received },
  { name: 'outstanding', label: 'Reste à recevoir (€)', kind: 'money', value: (r) => r.outstanding },
  { name: 'justification_deadline', label: 'Date limite de justification', kind: 'date', value: (r) => r.justification_deadline },
  { name: 'frozen', label: 'Dont gelé (€)', kind: 'money', value: (r) => r.frozen },
  { name: 'forgone', label: 'Non perçu, abandonné (€)', kind: 'money', value: (r) => r.forgone },
  { name: 'overpaid', label: 'Trop-perçu (€)', kind: 'money', value: (r) => r.overpaid },
];

/**
 * The accountant's downloads, behind the treasury report's authorization (the cluster's
 * TREASURER, CLUSTER_ADMIN and BOARD_MEMBERs, ADMIN), which TreasuryService checks on the cluster
 * it loaded. Each list comes as `.csv` (RFC 4180 by default, `?format=excel-fr` for French
 * Excel) and as `.xlsx` (see spreadsheet.ts for what each format writes).
 *
 * - /exports/clusters/:clusterId/ledger.{csv,xlsx} — the cluster's ledger by value date: every
 *   entry written for it and the whole history of the subsidies it holds (those received by a
 *   fusion included, with the cluster each entry was written for), and what each entry adds to
 *   its subsidy's awarded and received.
 * - /exports/clusters/:clusterId/subsidies.{csv,xlsx} — its subsidies with the treasury report's
 *   figures: awarded, received, outstanding, frozen, forgone, overpaid.
 */
export function financeExportRouter(orm: MikroORM, deps: AppDeps): Router {
  const router = express.Router();

  for (const route of ['csv', 'xlsx'] as const satisfies readonly SheetRoute[]) {
    router.get(
      `/exports/clusters/:clusterId/ledger.${route}`,
      sheetDownload(orm, deps, route, async (services, params) => {
        const { cluster, rows } = await services.treasury.ledgerExport(uuidArg('clusterId', params.clusterId));
        return { basename: `${cluster.slug}-ledger`, title: 'Grand livre', columns: LEDGER_COLUMNS, rows };
      }),
    );
    router.get(
      `/exports/clusters/:clusterId/subsidies.${route}`,
      sheetDownload(orm, deps, route, async (services, params) => {
        const { cluster, rows } = await services.treasury.subsidiesExport(uuidArg('clusterId', params.clusterId));
        return { basename: `${cluster.slug}-subsidies`, title: 'Subventions', columns: SUBSIDY_COLUMNS, rows };
      }),
    );
  }
  return router;
}
