import ExcelJS from 'exceljs';
import { Role } from '../../src/auth/role.js';
import { FunderKind, ProgrammeKind } from '../../src/finance/funder.entity.js';
import { InstalmentKind } from '../../src/finance/subsidy.entity.js';
import { SubsidyState } from '../../src/finance/subsidy-state.js';
import { ClusterKind } from '../../src/membership/cluster.entity.js';
import { startTestApp, type GraphQLResponse, type TestApp } from '../support/test-app.js';
import { centsFromFrench, centsOfCell, csvRecords, download, ledgerSums, parseCsv, readWorkbook, sheetRecords } from './exports-support.js';
import { downloadRefusal } from '../support/refusals.js';

/**
 * The accountant's downloads in the three formats (issue 12, items 2 and 3): the RFC 4180 CSV for
 * machines (the default, with the report's frozen, forgone and overpaid per subsidy), the CSV
 * French Excel opens (`?format=excel-fr`: BOM, `;`, decimal comma, French headers) and the XLSX
 * workbooks (number cells in euros, date cells, French headers, frozen header row), each read
 * back as an accountant's tool would and added up against the treasury report. Plus the `ledger`
 * query's statement count.
 */
let app: TestApp;
let clusterId: string;
let reader: { token: string };
const ids: Record<string, string> = {};

const PURPOSE_A = 'Fab Lab; « Occitanie » "phase 1"';
const CLAWBACK_REASON = '=HYPERLINK("http://example.test","payer")';

const day = (offset: number) => new Date(app.clock.now().getTime() + offset * 86_400_000).toISOString().slice(0, 10);
/** 2026-12-03 → 03/12/2026. */
const frenchDay = (iso: string) => `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;

const MONEY = ['awarded', 'received', 'outstanding', 'frozen', 'forgone', 'overpaid'] as const;
type MoneyKey = (typeof MONEY)[number];
const FRENCH_MONEY: Record<MoneyKey, string> = {
  awarded: 'Attribué (€)',
  received: 'Reçu (€)',
  outstanding: 'Reste à recevoir (€)',
  frozen: 'Dont gelé (€)',
  forgone: 'Non perçu, abandonné (€)',
  overpaid: 'Trop-perçu (€)',
};

async function report(): Promise<Record<MoneyKey, bigint> & { subsidies: number }> {
  const res = await app.gql(
    'query($c: ID!) { treasuryReport(clusterId: $c) { subsidies awarded received outstanding frozen forgone overpaid } }',
    { c: clusterId },
    { token: reader.token },
  );
  expect(res.body.errors).toBeUndefined();
  const r = res.body.data!.treasuryReport;
  return { subsidies: r.subsidies, ...(Object.fromEntries(MONEY.map((m) => [m, BigInt(r[m])])) as Record<MoneyKey, bigint>) };
}

const get = (file: string, token: string | undefined = reader.token) => download(app, `/exports/clusters/${clusterId}/${file}`, token);

beforeAll(async () => {
  app = await startTestApp();
  const s = app.services();
  clusterId = (await s.clusters.createCluster({ name: 'Novae LR', slug: 'novae', kind: ClusterKind.CLUSTER })).id;
  const region = (await s.funders.createFunder({ name: 'Région Occitanie', kind: FunderKind.REGION })).id;
  const feder = (await s.funders.createFunder({ name: 'Union européenne — FEDER', kind: FunderKind.EU_ERDF })).id;
  const fab = (await s.funders.createProgramme({ funderId: region, name: 'Fab Région', kind: ProgrammeKind.CALL_FOR_PROJECTS })).id;
  reader = await app.signUp({ role: Role.TREASURER, clusterId });

  // A: partly received, a receipt reversed; a purpose with ; quotes and accents.
  ids.a = (
    await s.subsidies.recordSubsidy({
      clusterId,
      funderId: region,
      programmeId: fab,
      purpose: PURPOSE_A,
      decisionDate: day(-100),
      decisionReference: 'DEL-2026-0042',
      amountAwarded: 10_000_000n,
      instalments: [
        { kind: InstalmentKind.ADVANCE, amount: 3_000_000n, dueOn: day(-90) },
        { kind: InstalmentKind.BALANCE, amount: 7_000_000n, dueOn: day(60) },
      ],
      justificationDeadline: day(45),
    })
  ).id;
  await s.subsidies.recordReceipt({ subsidyId: ids.a, amount: 3_000_000n, valueDate: day(-85), bankReference: 'VIR-A1' });
  const wrong = await s.subsidies.recordReceipt({ subsidyId: ids.a, amount: 123_456n, valueDate: day(-80), bankReference: 'VIR-A2' });
  await s.subsidies.reverseEntry({ entryId: wrong.entry.id, reason: 'erreur d’imputation' });
  // B: frozen.
  ids.b = (
    await s.subsidies.recordSubsidy({
      clusterId,
      funderId: feder,
      purpose: 'Animation',
      decisionDate: day(-400),
      amountAwarded: 5_000_000n,
    })
  ).id;
  await s.subsidies.freeze({ subsidyId: ids.b, reason: 'contrôle' });
  // C: overpaid by 1 €, closed.
  ids.c = (
    await s.subsidies.recordSubsidy({ clusterId, funderId: region, purpose: 'Salon', decisionDate: day(-800), amountAwarded: 2_000_000n })
  ).id;
  await s.subsidies.recordReceipt({
    subsidyId: ids.c,
    amount: 2_000_100n,
    valueDate: day(-700),
    bankReference: 'VIR-C1',
    overpaymentReason: 'arrondi',
  });
  await s.subsidies.transition({ subsidyId: ids.c, to: SubsidyState.JUSTIFIED });
  await s.subsidies.transition({ subsidyId: ids.c, to: SubsidyState.CLOSED });
  // D: 20 000 € never received, closed.
  ids.d = (
    await s.subsidies.recordSubsidy({ clusterId, funderId: region, purpose: 'Étude', decisionDate: day(-600), amountAwarded: 3_000_000n })
  ).id;
  await s.subsidies.recordReceipt({ subsidyId: ids.d, amount: 1_000_000n, valueDate: day(-500), bankReference: 'VIR-D1' });
  await s.subsidies.transition({ subsidyId: ids.d, to: SubsidyState.JUSTIFIED });
  await s.subsidies.transition({ subsidyId: ids.d, to: SubsidyState.CLOSED });
  // E: received, then 5 000 € clawed back, with a reason that looks like a formula.
  ids.e = (
    await s.subsidies.recordSubsidy({ clusterId, funderId: region, purpose: 'Export', decisionDate: day(-300), amountAwarded: 1_500_000n })
  ).id;
  await s.subsidies.recordReceipt({ subsidyId: ids.e, amount: 1_500_000n, valueDate: day(-290), bankReference: 'VIR-E1' });
  await s.subsidies.transition({ subsidyId: ids.e, to: SubsidyState.CLAWED_BACK, clawbackAmount: 500_000n, reason: CLAWBACK_REASON });
  // F: requested only: no decision date, nothing in the ledger.
  ids.f = (
    await s.subsidies.recordSubsidy({
      clusterId,
      funderId: region,
      purpose: 'Demande',
      amountAwarded: 900_000n,
      state: SubsidyState.REQUESTED,
    })
  ).id;
});
afterAll(async () => {
  await app.close();
});

describe('subsidies.csv (RFC 4180)', () => {
  it('adds the report’s frozen, forgone and overpaid, per subsidy and in total, after today’s columns', async () => {
    const response = await get('subsidies.csv');
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const text = await response.text();
    expect(text.charCodeAt(0)).not.toBe(0xfeff);
    expect(text.split('\r\n')[0]).toBe(
      'subsidy_id,funder,funder_kind,programme,purpose,decision_reference,decision_date,state,awarded_cents,awarded_eur,received_cents,received_eur,outstanding_cents,outstanding_eur,justification_deadline,frozen_cents,frozen_eur,forgone_cents,forgone_eur,overpaid_cents,overpaid_eur',
    );
    const rows = new Map(csvRecords(text, ',').map((r) => [r.subsidy_id, r]));
    expect(rows.get(ids.b)).toMatchObject({
      state: 'FROZEN',
      outstanding_cents: '5000000',
      frozen_cents: '5000000',
      frozen_eur: '50000.00',
    });
    expect(rows.get(ids.c)).toMatchObject({ overpaid_cents: '100', overpaid_eur: '1.00', forgone_cents: '0' });
    expect(rows.get(ids.d)).toMatchObject({ forgone_cents: '2000000', outstanding_cents: '0', frozen_cents: '0' });
    expect(rows.get(ids.a)).toMatchObject({ purpose: PURPOSE_A, frozen_cents: '0', forgone_cents: '0', overpaid_cents: '0' });
    const r = await report();
    expect(rows.size).toBe(r.subsidies);
    for (const m of MONEY) {
      const total = [...rows.values()].reduce((sum, row) => sum + BigInt(row[`${m}_cents`]), 0n);
      expect({ [m]: total }).toEqual({ [m]: r[m] });
    }
    for (const row of rows.values()) {
      const [awarded, received, outstanding, forgone, overpaid] = (
        ['awarded', 'received', 'outstanding', 'forgone', 'overpaid'] as const
      ).map((m) => BigInt(row[`${m}_cents`]));
      expect(awarded - received).toBe(outstanding + forgone - overpaid);
    }
  });

  it('is the same file with ?format=rfc4180', async () => {
    for (const file of ['ledger.csv', 'subsidies.csv']) {
      expect(await (await get(`${file}?format=rfc4180`)).text()).toBe(await (await get(file)).text());
    }
  });
});

describe('?format=excel-fr', () => {
  it('starts with a UTF-8 BOM, separates with ;, writes French headers and amounts with a decimal comma that add up to the report', async () => {
    const response = await get('subsidies.csv?format=excel-fr');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="novae-subsidies.csv"');
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes).slice(1);
    const [header] = parseCsv(text, ';');
    expect(header).toEqual([
      'Subvention (id)',
      'Financeur',
      'Type de financeur',
      'Programme',
      'Objet',
      'Référence de la décision',
      'Date de décision',
      'État',
      'Attribué (€)',
      'Reçu (€)',
      'Reste à recevoir (€)',
      'Date limite de justification',
      'Dont gelé (€)',
      'Non perçu, abandonné (€)',
      'Trop-perçu (€)',
    ]);
    const rows = new Map(csvRecords(text, ';').map((r) => [r['Subvention (id)'], r]));
    const a = rows.get(ids.a)!;
    expect(a).toMatchObject({
      Objet: PURPOSE_A,
      'Type de financeur': 'Région',
      'Date de décision': frenchDay(day(-100)),
      'Date limite de justification': frenchDay(day(45)),
      État: 'Partiellement reçue',
      'Attribué (€)': '100000,00',
      'Reçu (€)': '30000,00',
    });
    expect(rows.get(ids.f)).toMatchObject({ 'Date de décision': '', 'Attribué (€)': '0,00', État: 'Demandée' });
    const r = await report();
    for (const m of MONEY) {
      const total = [...rows.values()].reduce((sum, row) => sum + centsFromFrench(row[FRENCH_MONEY[m]]), 0n);
      expect({ [m]: total }).toEqual({ [m]: r[m] });
    }
  });

  it('writes the ledger in French: every amount with a decimal comma, dates dd/mm/yyyy, a formula-looking text defused', async () => {
    const text = (await (await get('ledger.csv?format=excel-fr')).text()).replace(/^\uFEFF/, '');
    const rows = csvRecords(text, ';');
    expect(rows.length).toBeGreaterThan(5);
    for (const row of rows) {
      for (const column of ['Montant (€)', 'Effet sur l’attribué (€)', 'Effet sur le reçu (€)'])
        expect(row[column]).toMatch(/^-?\d+,\d{2}$/);
      expect(row['Date de valeur']).toMatch(/^\d{2}\/\d{2}\/\d{4}$/);
      expect(row['Enregistrée le (UTC)']).toMatch(/^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}:\d{2}$/);
      expect(row['Cluster d’origine']).toBe('Novae LR');
    }
    const reversal = rows.find((r) => r.Nature === 'Contre-passation')!;
    expect(reversal).toMatchObject({ 'Montant (€)': '-1234,56', 'Effet sur le reçu (€)': '-1234,56', 'Effet sur l’attribué (€)': '0,00' });
    const clawback = rows.find((r) => r.Nature === 'Reversement au financeur')!;
    expect(clawback).toMatchObject({ Motif: `'${CLAWBACK_REASON}`, 'Montant (€)': '-5000,00' });
    // Per subsidy, the ledger's effects add up to the subsidies' list.
    const subsidies = csvRecords((await (await get('subsidies.csv?format=excel-fr')).text()).replace(/^\uFEFF/, ''), ';');
    for (const s of subsidies) {
      const lines = rows.filter((r) => r['Subvention (id)'] === s['Subvention (id)']);
      const sum = (column: string) => lines.reduce((total, r) => total + centsFromFrench(r[column]), 0n);
      expect(sum('Effet sur l’attribué (€)')).toBe(centsFromFrench(s['Attribué (€)']));
      expect(sum('Effet sur le reçu (€)')).toBe(centsFromFrench(s['Reçu (€)']));
    }
  });
});

describe('.xlsx', () => {
  it('gives the subsidies as number cells in euros and date cells, under a frozen French header row, adding up to the report', async () => {
    const response = await get('subsidies.xlsx');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="novae-subsidies.xlsx"');
    const sheet = await readWorkbook(response);
    expect(sheet.name).toBe('Subventions');
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(sheet.getRow(1).getCell(1).font?.bold).toBe(true);
    const { header, rows } = sheetRecords(sheet);
    expect(header.slice(0, 3)).toEqual(['Subvention (id)', 'Financeur', 'Type de financeur']);
    const r = await report();
    expect(rows).toHaveLength(r.subsidies);
    for (const m of MONEY) {
      const total = rows.reduce((sum, row) => sum + centsOfCell(row.get(FRENCH_MONEY[m])), 0n);
      expect({ [m]: total }).toEqual({ [m]: r[m] });
      for (const row of rows) expect(row.get(FRENCH_MONEY[m])!.numFmt).toBe('#,##0.00 "€"');
    }
    const a = rows.find((row) => row.get('Subvention (id)')!.value === ids.a)!;
    expect(a.get('Objet')!.value).toBe(PURPOSE_A);
    expect(a.get('Attribué (€)')!.value).toBe(100_000);
    const decided = a.get('Date de décision')!;
    expect(decided.type).toBe(ExcelJS.ValueType.Date);
    expect(decided.value).toEqual(new Date(`${day(-100)}T00:00:00Z`));
    expect(decided.numFmt).toBe('dd/mm/yyyy');
    const f = rows.find((row) => row.get('Subvention (id)')!.value === ids.f)!;
    expect(f.get('Date de décision')!.type).toBe(ExcelJS.ValueType.Null);
  });

  it('gives the ledger with every amount a number cell and every date a date cell; per subsidy its sums are the subsidies’ figures', async () => {
    const sheet = await readWorkbook(await get('ledger.xlsx'));
    expect(sheet.name).toBe('Grand livre');
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    const { rows } = sheetRecords(sheet);
    const csv = csvRecords(await (await get('ledger.csv')).text(), ',');
    expect(rows.map((row) => row.get('Écriture (id)')!.value)).toEqual(csv.map((r) => r.entry_id));
    for (const row of rows) {
      expect(row.get('Date de valeur')!.type).toBe(ExcelJS.ValueType.Date);
      expect(row.get('Enregistrée le (UTC)')!.type).toBe(ExcelJS.ValueType.Date);
      for (const column of ['Montant (€)', 'Effet sur l’attribué (€)', 'Effet sur le reçu (€)']) {
        expect(row.get(column)!.type).toBe(ExcelJS.ValueType.Number);
      }
    }
    // A formula-looking reason is a text cell: nothing runs.
    const clawback = rows.find((row) => row.get('Nature')!.value === 'Reversement au financeur')!;
    expect(clawback.get('Motif')!.type).toBe(ExcelJS.ValueType.String);
    expect(clawback.get('Motif')!.value).toBe(CLAWBACK_REASON);
    // The ledger's own sums (kinds, amounts, reversals) = its effect columns = the subsidies' workbook.
    const sums = ledgerSums(
      rows.map((row) => ({
        id: row.get('Écriture (id)')!.text,
        subsidyId: row.get('Subvention (id)')!.text,
        kind: csv.find((r) => r.entry_id === row.get('Écriture (id)')!.value)!.kind,
        amount: centsOfCell(row.get('Montant (€)')),
        reversesId: (row.get('Écriture contre-passée (id)')!.value as string | null) ?? null,
      })),
    );
    const subsidies = sheetRecords(await readWorkbook(await get('subsidies.xlsx'))).rows;
    for (const s of subsidies) {
      const id = s.get('Subvention (id)')!.text;
      const lines = rows.filter((row) => row.get('Subvention (id)')!.value === id);
      const effect = (column: string) => lines.reduce((total, row) => total + centsOfCell(row.get(column)), 0n);
      const expected = { awarded: centsOfCell(s.get('Attribué (€)')), received: centsOfCell(s.get('Reçu (€)')) };
      expect({ id, ...(sums.get(id) ?? { awarded: 0n, received: 0n }) }).toEqual({ id, ...expected });
      expect({ id, awarded: effect('Effet sur l’attribué (€)'), received: effect('Effet sur le reçu (€)') }).toEqual({ id, ...expected });
    }
  });
});

describe('refusals', () => {
  it.each([
    ['ledger.csv?format=xlsx'],
    ['subsidies.csv?format=excel'],
    ['subsidies.csv?format=excel-fr&format=rfc4180'],
    ['ledger.xlsx?format=excel-fr'],
    ['subsidies.xlsx?format='],
  ])('refuses %s with 400 INVALID_INPUT naming format', async (file) => {
    const response = await get(file);
    expect(response.status).toBe(400);
    const body = (await response.json()) as { errors: { extensions: Record<string, any> }[] };
    expect(body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'INVALID_INPUT' });
    expect(body.errors[0].extensions.fields.map((f: { field: string }) => f.field)).toEqual(['format']);
  });

  it('answers the workbooks and the excel-fr CSV with the CSV’s refusals: 401, 403, 404, 400', async () => {
    const member = await app.signUp({ role: Role.MEMBER, clusterId });
    for (const file of ['ledger.xlsx', 'subsidies.xlsx', 'ledger.csv?format=excel-fr', 'subsidies.csv?format=excel-fr']) {
      expect(await downloadRefusal(await download(app, `/exports/clusters/${clusterId}/${file}`))).toEqual({
        status: 401,
        code: 'UNAUTHENTICATED',
        reason: 'SIGN_IN_REQUIRED',
      });
      expect(await downloadRefusal(await get(file, member.token))).toEqual({ status: 403, code: 'FORBIDDEN', reason: 'RIGHT_MISSING' });
      const unknown = await download(app, `/exports/clusters/00000000-0000-4000-8000-000000000000/${file}`, reader.token);
      expect(await downloadRefusal(unknown)).toEqual({ status: 404, code: 'NOT_FOUND', reason: 'NOT_FOUND' });
      const malformed = await download(app, `/exports/clusters/nope/${file}`, reader.token);
      expect(await downloadRefusal(malformed)).toEqual({ status: 400, code: 'BAD_USER_INPUT', reason: 'INVALID_INPUT' });
    }
  });
});

describe('the ledger query', () => {
  it('costs the same statements for 10 and 200 entries, each with the cluster it was written for', async () => {
    const s = app.services();
    const bulk = (await s.clusters.createCluster({ name: 'Bulk', slug: 'bulk', kind: ClusterKind.CLUSTER })).id;
    const former = (await s.clusters.createCluster({ name: 'Ancien', slug: 'ancien', kind: ClusterKind.CLUSTER })).id;
    const [{ id: funder }] = await app.sql<{ id: string }>('select id from funder limit 1');
    const subsidy = (
      await s.subsidies.recordSubsidy({ clusterId: bulk, funderId: funder, purpose: 'Bulk', decisionDate: day(-10), amountAwarded: 100n })
    ).id;
    // FREEZE markers (0 €), alternately written for the cluster and for a former beneficiary; at
    // whole milliseconds, as the app writes them (a cursor carries a JavaScript Date).
    await app.sql(
      `insert into ledger_entry (id, created_at, updated_at, subsidy_id, cluster_id, kind, amount, value_date, correction)
       select gen_random_uuid(), date_trunc('milliseconds', now()) + make_interval(secs => i), now(), $1, case when i % 2 = 0 then $2::uuid else $3::uuid end, 'FREEZE', 0, current_date, 0
         from generate_series(1, 220) i`,
      [subsidy, bulk, former],
    );
    const admin = await app.signUp({ role: Role.ADMIN });
    const count = async (first: number) => {
      app.resetSqlCount();
      const res = await app.gql(
        `query($c: ID!, $first: Int) { ledger(clusterId: $c, first: $first) { totalCount edges { node { kind amount originalCluster { name } } } } }`,
        { c: bulk, first },
        { token: admin.token },
      );
      const statements = app.sqlCount();
      expect(res.body.errors).toBeUndefined();
      const nodes = res.body.data!.ledger.edges.map((e: { node: { originalCluster: { name: string } } }) => e.node);
      expect(nodes).toHaveLength(first);
      expect(new Set(nodes.map((n: { originalCluster: { name: string } }) => n.originalCluster.name))).toEqual(new Set(['Bulk', 'Ancien']));
      return statements;
    };
    await count(10); // warm-up
    const ten = await count(10);
    expect(await count(200)).toBe(ten);
    // Page by page, every entry once, in the export's order.
    const seen: string[] = [];
    let after: string | null = null;
    do {
      const res: GraphQLResponse = await app.gql(
        `query($c: ID!, $after: String) { ledger(clusterId: $c, first: 50, after: $after) { pageInfo { hasNextPage endCursor } edges { node { id } } } }`,
        { c: bulk, after },
        { token: admin.token },
      );
      const page: Record<string, any> = res.body.data!.ledger;
      seen.push(...page.edges.map((e: { node: { id: string } }) => e.node.id));
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after);
    const exported = csvRecords(await (await download(app, `/exports/clusters/${bulk}/ledger.csv`, admin.token)).text(), ',');
    expect(seen).toHaveLength(221);
    expect(seen).toEqual(exported.map((r) => r.entry_id));
  });
});
