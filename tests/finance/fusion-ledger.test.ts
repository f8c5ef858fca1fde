import { Role } from '../../src/auth/role.js';
import { FunderKind } from '../../src/finance/funder.entity.js';
import { InstalmentKind } from '../../src/finance/subsidy.entity.js';
import { SubsidyState } from '../../src/finance/subsidy-state.js';
import { ProposalKind } from '../../src/governance/proposal.entity.js';
import { BodyKind } from '../../src/governance/voting-body.entity.js';
import { Majority, Secrecy, Weighting, type VotingRules } from '../../src/governance/voting-rules.js';
import { ClusterKind } from '../../src/membership/cluster.entity.js';
import { startTestApp, type GraphQLResponse, type TestApp } from '../support/test-app.js';
import { csvRecords, download, ledgerSums, type LedgerLine } from './exports-support.js';

/**
 * The accountant's files reconcile across a fusion (issue 12, item 1). FrenchSouth.digital absorbs
 * Media Cloud Cluster and Novae LR; their subsidies pass to it by TRANSFER entries. Before and
 * after, for every cluster and every subsidy it reports: the sums of its ledger (ledger.csv and the
 * `ledger` query, computed from the entries' kinds and amounts) = its row of subsidies.csv =
 * `Subsidy.balance`, and the rows of subsidies.csv add up to the treasury report. After the fusion,
 * the absorbing cluster's ledger holds the absorbed subsidies' whole history, each entry saying
 * for whom it was written (`original_cluster`, `originalCluster`).
 */
let app: TestApp;
const ids: Record<string, string> = {};
let admin: { token: string; accountId: string };
let clusterAdmin: { token: string; accountId: string };
let treasurer: { token: string; accountId: string };
const boardMembers: Record<string, { token: string; accountId: string }> = {};

const NAMES = { fsd: 'FrenchSouth.digital', media: 'Media Cloud Cluster', novae: 'Novae LR' };
const RULES: VotingRules = {
  quorumBasisPoints: 0,
  majority: Majority.SIMPLE,
  abstentionsCount: false,
  weighting: Weighting.PER_VOTER,
  collegeWeights: [],
  doubleMajorityColleges: null,
  proxyLimit: 0,
  proxySameCollege: false,
  secrecy: Secrecy.NAMED,
};

const day = (offset: number) => new Date(app.clock.now().getTime() + offset * 86_400_000).toISOString().slice(0, 10);

const REPORT = `query($clusterId: ID!) { treasuryReport(clusterId: $clusterId) { subsidies awarded received outstanding frozen forgone overpaid } }`;
const LEDGER = `query($clusterId: ID!, $after: String) {
  ledger(clusterId: $clusterId, first: 200, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { id subsidyId kind amount valueDate reversesId clusterId originalCluster { id name } } }
  }
}`;
const BALANCES = `query($clusterId: ID!) { subsidies(clusterId: $clusterId, first: 200) { edges { node { id balance { awarded received outstanding } } } } }`;

const MONEY = ['awarded', 'received', 'outstanding', 'frozen', 'forgone', 'overpaid'] as const;

interface Reconciled {
  /** ledger.csv's records, in order. */
  ledger: Record<string, string>[];
  /** subsidies.csv's records by subsidy. */
  subsidies: Map<string, Record<string, string>>;
  report: Record<string, string | number>;
}

/**
 * Reads a cluster's ledger (CSV and API), subsidies export, report and balances, and checks they
 * agree: per subsidy, and in total.
 */
async function reconcile(clusterId: string, token: string): Promise<Reconciled> {
  const ledgerCsv = await download(app, `/exports/clusters/${clusterId}/ledger.csv`, token);
  expect(ledgerCsv.status).toBe(200);
  const ledger = csvRecords(await ledgerCsv.text(), ',');
  const subsidiesCsv = await download(app, `/exports/clusters/${clusterId}/subsidies.csv`, token);
  expect(subsidiesCsv.status).toBe(200);
  const subsidies = new Map(csvRecords(await subsidiesCsv.text(), ',').map((r) => [r.subsidy_id, r]));

  // The ledger's sums, from the entries themselves.
  const csvLines: LedgerLine[] = ledger.map((r) => ({
    id: r.entry_id,
    subsidyId: r.subsidy_id,
    kind: r.kind,
    amount: BigInt(r.amount_cents),
    reversesId: r.reverses_entry_id || null,
  }));
  const sums = ledgerSums(csvLines);
  // … and from the columns that say what each entry adds (they must say the same).
  const columnSums = new Map<string, { awarded: bigint; received: bigint }>();
  for (const r of ledger) {
    const sum = columnSums.get(r.subsidy_id) ?? { awarded: 0n, received: 0n };
    sum.awarded += BigInt(r.awarded_change_cents);
    sum.received += BigInt(r.received_change_cents);
    columnSums.set(r.subsidy_id, sum);
  }
  expect(columnSums).toEqual(sums);

  // The API's ledger: the same entries, in the same order, with the same cluster of origin.
  const nodes: Record<string, any>[] = [];
  let after: string | null = null;
  do {
    const res: GraphQLResponse = await app.gql(LEDGER, { clusterId, after }, { token });
    expect(res.body.errors).toBeUndefined();
    const page: Record<string, any> = res.body.data!.ledger;
    expect(page.totalCount).toBe(ledger.length);
    nodes.push(...page.edges.map((e: { node: Record<string, any> }) => e.node));
    after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
  } while (after);
  expect(nodes.map((n) => [n.id, n.subsidyId, n.kind, n.amount, n.valueDate, n.originalCluster.id, n.originalCluster.name])).toEqual(
    ledger.map((r) => [r.entry_id, r.subsidy_id, r.kind, r.amount_cents, r.value_date, r.original_cluster_id, r.original_cluster]),
  );
  expect(nodes.every((n) => n.clusterId === n.originalCluster.id)).toBe(true);
  expect(
    ledgerSums(nodes.map((n) => ({ id: n.id, subsidyId: n.subsidyId, kind: n.kind, amount: BigInt(n.amount), reversesId: n.reversesId }))),
  ).toEqual(sums);

  // Per subsidy reported: ledger = export = balance; awarded − received = outstanding + forgone − overpaid.
  const balances = await app.gql(BALANCES, { clusterId }, { token });
  expect(balances.body.errors).toBeUndefined();
  const balanceOf = new Map(
    balances.body.data!.subsidies.edges.map((e: { node: { id: string; balance: Record<string, string> } }) => [e.node.id, e.node.balance]),
  );
  expect(new Set(balanceOf.keys())).toEqual(new Set(subsidies.keys()));
  for (const [id, row] of subsidies) {
    const fromLedger = sums.get(id) ?? { awarded: 0n, received: 0n };
    expect({ id, awarded: BigInt(row.awarded_cents), received: BigInt(row.received_cents) }).toEqual({ id, ...fromLedger });
    expect(balanceOf.get(id)).toEqual({ awarded: row.awarded_cents, received: row.received_cents, outstanding: row.outstanding_cents });
    const [awarded, received, outstanding, forgone, overpaid] = (
      ['awarded', 'received', 'outstanding', 'forgone', 'overpaid'] as const
    ).map((m) => BigInt(row[`${m}_cents`]));
    expect(awarded - received).toBe(outstanding + forgone - overpaid);
  }

  // The export adds up to the report.
  const res = await app.gql(REPORT, { clusterId }, { token });
  expect(res.body.errors).toBeUndefined();
  const report = res.body.data!.treasuryReport;
  expect(report.subsidies).toBe(subsidies.size);
  for (const m of MONEY) {
    const total = [...subsidies.values()].reduce((sum, row) => sum + BigInt(row[`${m}_cents`]), 0n);
    expect({ [m]: String(total) }).toEqual({ [m]: report[m] });
  }
  return { ledger, subsidies, report };
}

async function adoptedFusion(): Promise<string> {
  const s = app.services(clusterAdmin.accountId);
  const proposal = await s.proposals.create({
    kind: ProposalKind.FUSION,
    title: 'Fusion-absorption dans FrenchSouth.digital',
    text: 'Media Cloud Cluster et Novae LR fusionnent dans FrenchSouth.digital.',
    plan: {
      absorbingClusterId: ids.fsd,
      effectiveDate: day(-1),
      absorbed: [
        { clusterId: ids.media, targetCollegeId: ids.cloud },
        { clusterId: ids.novae, targetCollegeId: ids.eco },
      ],
    },
  });
  await s.proposals.open({ proposalId: proposal.id, closesAt: new Date(app.clock.now().getTime() + 3_600_000) });
  for (const key of ['fsd', 'media', 'novae']) {
    await app.services(boardMembers[key].accountId).voting.cast({ proposalId: proposal.id, choice: 'FOR' as never, clusterId: ids[key] });
    const [party] = await app.sql<{ id: string }>('select id from proposal_party where proposal_id = $1 and cluster_id = $2', [
      proposal.id,
      ids[key],
    ]);
    await app.services(admin.accountId).voting.close(party.id);
  }
  return proposal.id;
}

beforeAll(async () => {
  app = await startTestApp({ env: { LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent' } });
  const s = app.services();
  for (const key of ['fsd', 'media', 'novae'] as const) {
    ids[key] = (await s.clusters.createCluster({ name: NAMES[key], slug: key, kind: ClusterKind.CLUSTER })).id;
  }
  ids.cloud = (await s.clusters.createCollege({ clusterId: ids.fsd, name: 'Cloud', slug: 'cloud', theme: 'cloud' })).id;
  ids.eco = (await s.clusters.createCollege({ clusterId: ids.fsd, name: 'Économie numérique', slug: 'eco', theme: 'digital economy' })).id;
  for (const key of ['media', 'novae'] as const) {
    ids[`${key}College`] = (await s.clusters.createCollege({ clusterId: ids[key], name: 'Membres', slug: 'membres', theme: key })).id;
  }
  admin = await app.signUp({ role: Role.ADMIN });
  clusterAdmin = await app.signUp({ role: Role.CLUSTER_ADMIN, clusterId: ids.fsd });
  treasurer = await app.signUp({ role: Role.TREASURER, clusterId: ids.fsd });
  for (const key of ['fsd', 'media', 'novae']) {
    const college = key === 'fsd' ? ids.cloud : ids[`${key}College`];
    await s.bodies.configure({
      clusterId: ids[key],
      kind: BodyKind.BOARD,
      name: `Conseil ${key}`,
      rules: RULES,
      seats: [{ collegeId: college, seats: 3 }],
    });
    boardMembers[key] = await app.signUp();
    await s.bodies.appoint({ clusterId: ids[key], collegeId: college, accountId: boardMembers[key].accountId });
  }
  const region = (await s.funders.createFunder({ name: 'Région Occitanie', kind: FunderKind.REGION })).id;
  const feder = (await s.funders.createFunder({ name: 'Union européenne — FEDER', kind: FunderKind.EU_ERDF })).id;
  const award = (clusterId: string, purpose: string, amount: bigint, decided: number, extra: Record<string, unknown> = {}) =>
    s.subsidies.recordSubsidy({ clusterId, funderId: region, purpose, decisionDate: day(decided), amountAwarded: amount, ...extra });

  // FrenchSouth.digital's own subsidy, partly received.
  ids.fsdOwn = (await award(ids.fsd, 'Animation du cluster', 18_000_000n, -60)).id;
  await s.subsidies.recordReceipt({ subsidyId: ids.fsdOwn, amount: 5_000_000n, valueDate: day(-50), bankReference: 'VIR-FSD-1' });

  // Media Cloud: instalments and an advance; a receipt reversed then recorded again; a clawback; a freeze.
  ids.mediaCloud = (
    await award(ids.media, 'Cloud souverain', 9_000_000n, -300, {
      instalments: [
        { kind: InstalmentKind.ADVANCE, amount: 4_000_000n, dueOn: day(-290) },
        { kind: InstalmentKind.BALANCE, amount: 5_000_000n, dueOn: day(60) },
      ],
      allocations: [{ collegeId: ids.mediaCollege, shareBasisPoints: 10_000 }],
    })
  ).id;
  await s.subsidies.recordReceipt({ subsidyId: ids.mediaCloud, amount: 4_000_000n, valueDate: day(-280), bankReference: 'VIR-MCC-1' });
  ids.mediaCorrected = (await award(ids.media, 'Datacenter', 2_000_000n, -200)).id;
  const wrong = await s.subsidies.recordReceipt({
    subsidyId: ids.mediaCorrected,
    amount: 500_000n,
    valueDate: day(-150),
    bankReference: 'VIR-MCC-2',
  });
  await s.subsidies.reverseEntry({ entryId: wrong.entry.id, reason: 'virement d’un autre financeur' });
  await s.subsidies.recordReceipt({ subsidyId: ids.mediaCorrected, amount: 500_000n, valueDate: day(-140), bankReference: 'VIR-MCC-3' });
  ids.mediaClawed = (await award(ids.media, 'Salon', 3_000_000n, -400)).id;
  await s.subsidies.recordReceipt({ subsidyId: ids.mediaClawed, amount: 3_000_000n, valueDate: day(-390), bankReference: 'VIR-MCC-4' });
  await s.subsidies.transition({
    subsidyId: ids.mediaClawed,
    to: SubsidyState.CLAWED_BACK,
    clawbackAmount: 1_000_000n,
    reason: 'dépenses non éligibles',
  });
  ids.mediaFrozen = (
    await s.subsidies.recordSubsidy({
      clusterId: ids.media,
      funderId: feder,
      purpose: 'Animation FEDER',
      decisionDate: day(-100),
      amountAwarded: 6_000_000n,
    })
  ).id;
  await s.subsidies.freeze({ subsidyId: ids.mediaFrozen, reason: 'contrôle du FEDER' });

  // Novae LR: one closed with money never received (forgone), one overpaid, one only requested.
  ids.novaeForgone = (await award(ids.novae, 'Étude', 3_000_000n, -600)).id;
  await s.subsidies.recordReceipt({ subsidyId: ids.novaeForgone, amount: 1_000_000n, valueDate: day(-500), bankReference: 'VIR-NOV-1' });
  await s.subsidies.transition({ subsidyId: ids.novaeForgone, to: SubsidyState.JUSTIFIED });
  await s.subsidies.transition({ subsidyId: ids.novaeForgone, to: SubsidyState.CLOSED });
  ids.novaeOverpaid = (await award(ids.novae, 'Hackathon', 1_000_000n, -90)).id;
  await s.subsidies.recordReceipt({
    subsidyId: ids.novaeOverpaid,
    amount: 1_000_100n,
    valueDate: day(-80),
    bankReference: 'VIR-NOV-2',
    overpaymentReason: 'arrondi du financeur',
  });
  ids.novaeRequested = (
    await s.subsidies.recordSubsidy({
      clusterId: ids.novae,
      funderId: region,
      purpose: 'Demande',
      amountAwarded: 400_000n,
      state: SubsidyState.REQUESTED,
    })
  ).id;
});
afterAll(async () => {
  await app.close();
});

it('reconciles each cluster’s ledger, subsidies export and report per subsidy, before and after a fusion', async () => {
  const before = {
    fsd: await reconcile(ids.fsd, treasurer.token),
    media: await reconcile(ids.media, admin.token),
    novae: await reconcile(ids.novae, admin.token),
  };
  expect(before.fsd.subsidies.size).toBe(1);
  expect(before.media.subsidies.size).toBe(4);
  expect(before.novae.subsidies.size).toBe(3);
  expect(before.media.ledger.every((r) => r.original_cluster === NAMES.media && r.original_cluster_id === ids.media)).toBe(true);

  const proposalId = await adoptedFusion();
  const executed = await app.gql(
    'mutation($id: ID!) { executeProposal(proposalId: $id) { clustersMerged subsidiesTransferred } }',
    { id: proposalId },
    { token: clusterAdmin.token },
  );
  expect(executed.body.errors).toBeUndefined();
  expect(executed.body.data!.executeProposal).toEqual({ clustersMerged: 2, subsidiesTransferred: 7 });

  // FrenchSouth.digital now reports the eight subsidies, and its ledger explains each of them.
  const after = await reconcile(ids.fsd, treasurer.token);
  expect(after.subsidies.size).toBe(8);
  for (const m of MONEY) {
    const sum = BigInt(before.fsd.report[m]) + BigInt(before.media.report[m]) + BigInt(before.novae.report[m]);
    expect({ [m]: String(after.report[m]) }).toEqual({ [m]: String(sum) });
  }
  // Every entry written for an absorbed cluster is there, as written, saying for whom; plus the TRANSFER of each subsidy.
  for (const key of ['media', 'novae'] as const) {
    const history = after.ledger.filter((r) => r.original_cluster_id === ids[key]);
    expect(history.every((r) => r.original_cluster === NAMES[key])).toBe(true);
    const written = history.filter((r) => r.kind !== 'TRANSFER');
    expect(written).toEqual(before[key].ledger);
    const transfers = history.filter((r) => r.kind === 'TRANSFER');
    expect(transfers.map((r) => r.subsidy_id).sort()).toEqual([...before[key].subsidies.keys()].sort());
    expect(transfers.every((r) => r.transferred_to === NAMES.fsd && r.amount_cents === '0')).toBe(true);
  }
  expect(after.ledger.filter((r) => r.original_cluster_id === ids.fsd).map((r) => r.entry_id)).toEqual(
    before.fsd.ledger.map((r) => r.entry_id),
  );

  // The absorbed clusters report nothing now; their own ledgers keep what was written for them, the TRANSFERs included.
  for (const key of ['media', 'novae'] as const) {
    const merged = await reconcile(ids[key], admin.token);
    expect(merged.subsidies.size).toBe(0);
    expect(merged.ledger.filter((r) => r.kind !== 'TRANSFER')).toEqual(before[key].ledger);
    expect(merged.ledger.every((r) => r.original_cluster_id === ids[key])).toBe(true);
  }

  // Money after the fusion is written for FrenchSouth.digital, and the files still reconcile.
  const receipt = await app
    .services(treasurer.accountId)
    .subsidies.recordReceipt({ subsidyId: ids.mediaCloud, amount: 5_000_000n, valueDate: day(0), bankReference: 'VIR-FSD-2' });
  const later = await reconcile(ids.fsd, treasurer.token);
  const line = later.ledger.find((r) => r.entry_id === receipt.entry.id)!;
  expect(line).toMatchObject({ original_cluster_id: ids.fsd, original_cluster: NAMES.fsd, subsidy_id: ids.mediaCloud });
  expect(later.subsidies.get(ids.mediaCloud)).toMatchObject({ received_cents: '9000000', outstanding_cents: '0', state: 'RECEIVED' });
});

it('refuses the ledger query to a member of the cluster and without a token, like the report', async () => {
  const member = await app.signUp({ role: Role.MEMBER, clusterId: ids.fsd });
  const refused = await app.gql(LEDGER, { clusterId: ids.fsd }, { token: member.token });
  expect(refused.body.errors![0].extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'RIGHT_MISSING' });
  const anonymous = await app.gql(LEDGER, { clusterId: ids.fsd });
  expect(anonymous.body.errors![0].extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'SIGN_IN_REQUIRED' });
  const malformed = await app.gql(LEDGER, { clusterId: 'nope' }, { token: admin.token });
  expect(malformed.body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
});
