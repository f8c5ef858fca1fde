import { Role } from '../../src/auth/role.js';
import { FunderKind, ProgrammeKind } from '../../src/finance/funder.entity.js';
import { InstalmentKind } from '../../src/finance/subsidy.entity.js';
import { SubsidyState } from '../../src/finance/subsidy-state.js';
import { ClusterKind } from '../../src/membership/cluster.entity.js';
import { errorCodes, startTestApp, type TestApp } from '../support/test-app.js';
import { downloadRefusal, refusal } from '../support/refusals.js';

/**
 * What treasurers read: the treasury report (totals, overdue and upcoming instalments, deadlines,
 * per funder, filters), the working-capital forecast, and the accountant's CSV downloads.
 */
let app: TestApp;
let clusterId: string;
let cloudId: string;
let region: string;
let feder: string;
let fabRegion: string;
let reader: { token: string };
const ids: Record<string, string> = {};

const day = (offset: number) => new Date(app.clock.now().getTime() + offset * 86_400_000).toISOString().slice(0, 10);
const thisMonth = () => day(0).slice(0, 7);

const REPORT = `query($clusterId: ID!, $filter: TreasuryFilterInput) {
  treasuryReport(clusterId: $clusterId, filter: $filter) {
    subsidies awarded received outstanding frozen forgone overpaid overdue dueNext90Days
    overdueInstalments { subsidyId position kind dueOn amount unpaid }
    instalmentsDueNext90Days { subsidyId position unpaid }
    justificationsUpcoming { subsidyId deadline state }
    justificationsMissed { subsidyId deadline state }
    byFunder { funderName subsidies awarded received outstanding frozen }
  }
}`;

async function report(filter?: Record<string, unknown>) {
  const res = await app.gql(REPORT, { clusterId, filter }, { token: reader.token });
  expect(res.body.errors).toBeUndefined();
  return res.body.data!.treasuryReport;
}

beforeAll(async () => {
  app = await startTestApp();
  const s = app.services();
  clusterId = (await s.clusters.createCluster({ name: 'Novae LR', slug: 'novae', kind: ClusterKind.CLUSTER })).id;
  cloudId = (await s.clusters.createCollege({ clusterId, name: 'Cloud', slug: 'cloud', theme: 'cloud' })).id;
  const otherCollege = (await s.clusters.createCollege({ clusterId, name: 'Créa', slug: 'crea', theme: 'creation' })).id;
  region = (await s.funders.createFunder({ name: 'Région Occitanie', kind: FunderKind.REGION })).id;
  feder = (await s.funders.createFunder({ name: 'Union européenne — FEDER', kind: FunderKind.EU_ERDF })).id;
  fabRegion = (await s.funders.createProgramme({ funderId: region, name: 'Fab Région', kind: ProgrammeKind.CALL_FOR_PROJECTS })).id;
  reader = await app.signUp({ role: Role.BOARD_MEMBER, clusterId });

  // A: 100 000 € from the Region, allocated to Cloud; advance received, interim overdue, balance in 60 days.
  ids.a = (
    await s.subsidies.recordSubsidy({
      clusterId,
      funderId: region,
      programmeId: fabRegion,
      purpose: 'Fab Lab',
      decisionDate: day(-100),
      amountAwarded: 10_000_000n,
      instalments: [
        { kind: InstalmentKind.ADVANCE, amount: 3_000_000n, dueOn: day(-90) },
        { kind: InstalmentKind.INTERIM, amount: 5_000_000n, dueOn: day(-10) },
        { kind: InstalmentKind.BALANCE, amount: 2_000_000n, dueOn: day(60) },
      ],
      allocations: [
        { collegeId: cloudId, shareBasisPoints: 7_500 },
        { collegeId: otherCollege, shareBasisPoints: 2_500 },
      ],
      justificationDeadline: day(45),
    })
  ).id;
  await s.subsidies.recordReceipt({ subsidyId: ids.a, amount: 3_000_000n, valueDate: day(-85), bankReference: 'VIR-A1' });
  // Part of the interim too: 1 000 000 of the 5 000 000 are paid.
  await s.subsidies.recordReceipt({ subsidyId: ids.a, amount: 1_000_000n, valueDate: day(-5), bankReference: 'VIR-A2' });

  // B: 50 000 € of FEDER, frozen until a fusion; one instalment overdue, not counted as overdue while frozen.
  ids.b = (
    await s.subsidies.recordSubsidy({
      clusterId,
      funderId: feder,
      purpose: 'Animation régionale',
      decisionDate: day(-400),
      amountAwarded: 5_000_000n,
      instalments: [{ kind: InstalmentKind.BALANCE, amount: 5_000_000n, dueOn: day(-30) }],
      justificationDeadline: day(-20),
    })
  ).id;
  await s.subsidies.freeze({ subsidyId: ids.b, reason: 'until the merger' });

  // C: 20 000 € from the Region, received in full plus an overpayment of 1 €, then justified and closed.
  ids.c = (
    await s.subsidies.recordSubsidy({ clusterId, funderId: region, purpose: 'Salon', decisionDate: day(-800), amountAwarded: 2_000_000n })
  ).id;
  await s.subsidies.recordReceipt({
    subsidyId: ids.c,
    amount: 2_000_100n,
    valueDate: day(-700),
    bankReference: 'VIR-C1',
    overpaymentReason: 'rounding by the funder',
  });
  await s.subsidies.transition({ subsidyId: ids.c, to: SubsidyState.JUSTIFIED });
  await s.subsidies.transition({ subsidyId: ids.c, to: SubsidyState.CLOSED });

  // D: 30 000 € from the Region, 10 000 € received, then closed after justification: 20 000 € forgone.
  ids.d = (
    await s.subsidies.recordSubsidy({ clusterId, funderId: region, purpose: 'Étude', decisionDate: day(-600), amountAwarded: 3_000_000n })
  ).id;
  await s.subsidies.recordReceipt({ subsidyId: ids.d, amount: 1_000_000n, valueDate: day(-500), bankReference: 'VIR-D1' });
  await s.subsidies.transition({ subsidyId: ids.d, to: SubsidyState.JUSTIFIED });
  await s.subsidies.transition({ subsidyId: ids.d, to: SubsidyState.CLOSED });

  // E: requested only: counted, with nothing awarded.
  ids.e = (
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

describe('treasuryReport', () => {
  it('adds up what was awarded, received, outstanding, frozen, forgone and overpaid, to the cent', async () => {
    const r = await report();
    expect(r).toMatchObject({
      subsidies: 5,
      awarded: String(10_000_000 + 5_000_000 + 2_000_000 + 3_000_000),
      received: String(4_000_000 + 2_000_100 + 1_000_000),
      outstanding: String(6_000_000 + 5_000_000),
      frozen: '5000000',
      forgone: '2000000',
      overpaid: '100',
    });
    expect(BigInt(r.awarded) - BigInt(r.received)).toBe(BigInt(r.outstanding) + BigInt(r.forgone) - BigInt(r.overpaid));
  });

  it('lists the overdue and upcoming instalments with their unpaid part; a frozen subsidy’s are not late', async () => {
    const r = await report();
    expect(r.overdue).toBe('4000000');
    expect(r.overdueInstalments).toEqual([
      { subsidyId: ids.a, position: 2, kind: 'INTERIM', dueOn: day(-10), amount: '5000000', unpaid: '4000000' },
    ]);
    expect(r.dueNext90Days).toBe('2000000');
    expect(r.instalmentsDueNext90Days).toEqual([{ subsidyId: ids.a, position: 3, unpaid: '2000000' }]);
  });

  it('lists justification deadlines coming and missed', async () => {
    const r = await report();
    expect(r.justificationsUpcoming).toEqual([{ subsidyId: ids.a, deadline: day(45), state: 'PARTLY_RECEIVED' }]);
    expect(r.justificationsMissed).toEqual([{ subsidyId: ids.b, deadline: day(-20), state: 'FROZEN' }]);
  });

  it('does not list a justified subsidy among the missed justifications', async () => {
    const s = app.services();
    const other = (await s.clusters.createCluster({ name: 'PixLR', slug: 'pixlr-j', kind: ClusterKind.CLUSTER })).id;
    const justified = await s.subsidies.recordSubsidy({
      clusterId: other,
      funderId: region,
      purpose: 'Justified',
      decisionDate: day(-90),
      amountAwarded: 1_000n,
      justificationDeadline: day(-30),
    });
    const pending = await s.subsidies.recordSubsidy({
      clusterId: other,
      funderId: region,
      purpose: 'Pending',
      decisionDate: day(-90),
      amountAwarded: 1_000n,
      justificationDeadline: day(-30),
    });
    await s.subsidies.recordReceipt({ subsidyId: justified.id, amount: 1_000n, valueDate: day(-60), bankReference: 'VIR-J' });
    await s.subsidies.transition({ subsidyId: justified.id, to: SubsidyState.JUSTIFIED });
    const r = await s.treasury.report(other);
    expect(r.justificationsMissed.map((j) => j.subsidyId)).toEqual([pending.id]);
  });

  it('breaks the figures down by funder', async () => {
    const r = await report();
    expect(r.byFunder).toEqual([
      { funderName: 'Région Occitanie', subsidies: 4, awarded: '15000000', received: '7000100', outstanding: '6000000', frozen: '0' },
      {
        funderName: 'Union européenne — FEDER',
        subsidies: 1,
        awarded: '5000000',
        received: '0',
        outstanding: '5000000',
        frozen: '5000000',
      },
    ]);
  });

  it('filters by collège, funder, programme and year', async () => {
    expect((await report({ collegeId: cloudId })).subsidies).toBe(1);
    expect((await report({ funderId: feder })).awarded).toBe('5000000');
    expect((await report({ programmeId: fabRegion })).awarded).toBe('10000000');
    const year = Number(day(-800).slice(0, 4));
    const byYear = await report({ year });
    expect(byYear.subsidies).toBeGreaterThanOrEqual(1);
    expect((await report({ year: 1999 })).subsidies).toBe(0);
  });

  it('answers NOT_FOUND for an unknown cluster and BAD_USER_INPUT for a malformed id', async () => {
    const admin = await app.signUp({ role: Role.ADMIN });
    expect(refusal(await app.gql(REPORT, { clusterId: '00000000-0000-4000-8000-000000000000' }, { token: admin.token }))).toEqual({
      code: 'NOT_FOUND',
      reason: 'NOT_FOUND',
    });
    expect(refusal(await app.gql(REPORT, { clusterId: 'nope' }, { token: admin.token }))).toEqual({
      code: 'BAD_USER_INPUT',
      reason: 'INVALID_INPUT',
    });
  });

  it('tells a member of the cluster, in plain words naming it, who may read its treasury', async () => {
    const member = await app.signUp({ role: Role.MEMBER, clusterId });
    const res = await app.gql(REPORT, { clusterId }, { token: member.token });
    expect(refusal(res)).toEqual({ code: 'FORBIDDEN', reason: 'RIGHT_MISSING' });
    expect(res.body.errors![0].message).toBe(
      'Only the treasurers, administrators or board members of Novae LR (or a platform administrator) may read the treasury of this cluster.',
    );
    expect(refusal(await app.gql(REPORT, { clusterId }))).toEqual({ code: 'UNAUTHENTICATED', reason: 'SIGN_IN_REQUIRED' });
  });
});

describe('workingCapitalForecast', () => {
  const FORECAST = `query($clusterId: ID!, $opening: Money!, $from: String, $months: Int, $monthly: Money, $outgoings: [MonthlyOutgoingInput!], $overdue: Boolean) {
    workingCapitalForecast(clusterId: $clusterId, openingBalance: $opening, fromMonth: $from, months: $months, monthlyOutgoings: $monthly, outgoings: $outgoings, includeOverdue: $overdue) {
      months { month opening inflows outgoings closing } lowest { month balance } workingCapitalNeed overdue frozenExcluded
    }
  }`;

  it('projects cash month by month from the expected instalments, frozen ones left out, and finds the lowest point', async () => {
    const res = await app.gql(FORECAST, { clusterId, opening: '1000000', months: 6, monthly: '1500000' }, { token: reader.token });
    expect(res.body.errors).toBeUndefined();
    const f = res.body.data!.workingCapitalForecast;
    expect(f.months).toHaveLength(6);
    expect(f.months[0]).toMatchObject({ month: thisMonth(), opening: '1000000', outgoings: '1500000' });
    const inflows = f.months.reduce((sum: bigint, m: { inflows: string }) => sum + BigInt(m.inflows), 0n);
    expect(inflows).toBe(2_000_000n); // A's balance, in two months; B is frozen and overdue anyway
    expect(f.overdue).toBe('4000000');
    for (let i = 1; i < 6; i += 1) expect(f.months[i].opening).toBe(f.months[i - 1].closing);
    const lowest = f.months.reduce(
      (low: bigint, m: { closing: string }) => (BigInt(m.closing) < low ? BigInt(m.closing) : low),
      1_000_000n,
    );
    expect(BigInt(f.lowest.balance)).toBe(lowest);
    expect(f.workingCapitalNeed).toBe(String(-lowest));
  });

  it('counts overdue instalments in the first month when asked, and takes month-by-month outgoings', async () => {
    const res = await app.gql(
      FORECAST,
      { clusterId, opening: '0', months: 2, overdue: true, outgoings: [{ month: thisMonth(), amount: '100' }] },
      { token: reader.token },
    );
    const f = res.body.data!.workingCapitalForecast;
    expect(BigInt(f.months[0].inflows)).toBeGreaterThanOrEqual(4_000_000n);
    expect(f.months[0].outgoings).toBe('100');
  });

  it.each([
    [{ months: 0 }, 'months'],
    [{ from: '2027-13' }, 'fromMonth'],
    [{ monthly: '-5' }, 'monthlyOutgoings'],
    [{ outgoings: [{ month: '1999-01', amount: '5' }] }, 'outgoings.0.month'],
    [{ opening: '1.5' }, null],
  ])('refuses %p', async (variables, field) => {
    const res = await app.gql(FORECAST, { clusterId, opening: '0', ...variables }, { token: reader.token });
    expect(errorCodes(res)).toEqual(['BAD_USER_INPUT']);
    if (field) expect(refusal(res).reason).toBe('INVALID_INPUT');
    if (field) expect(JSON.stringify(res.body.errors![0].extensions)).toContain(field);
  });
});

describe('CSV exports', () => {
  it('downloads the ledger with amounts in cents and euros, ISO dates; the columns added later follow today’s', async () => {
    const response = await fetch(`${app.url}/exports/clusters/${clusterId}/ledger.csv`, {
      headers: { authorization: `Bearer ${reader.token}` },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/csv; charset=utf-8/);
    const text = await response.text();
    const [header, ...lines] = text.trimEnd().split('\r\n');
    expect(header).toBe(
      'entry_id,value_date,recorded_at,subsidy_id,subsidy_purpose,funder,kind,amount_cents,amount_eur,bank_reference,reverses_entry_id,reason,frozen_exception,overpayment_reason,' +
        'original_cluster_id,original_cluster,transferred_to,awarded_change_cents,awarded_change_eur,received_change_cents,received_change_eur',
    );
    expect(lines.find((l) => l.includes('VIR-C1'))).toMatch(/,RECEIPT,2000100,20001\.00,VIR-C1,/);
    expect(lines.every((l) => /^[0-9a-f-]{36},\d{4}-\d{2}-\d{2},\d{4}-\d{2}-\d{2}T/.test(l))).toBe(true);
  });

  it('downloads the subsidies with awarded, received and outstanding', async () => {
    const response = await fetch(`${app.url}/exports/clusters/${clusterId}/subsidies.csv`, {
      headers: { authorization: `Bearer ${reader.token}` },
    });
    const text = await response.text();
    const line = text.split('\r\n').find((l) => l.startsWith(ids.a))!;
    expect(line).toContain(',PARTLY_RECEIVED,10000000,100000.00,4000000,40000.00,6000000,60000.00,');
  });

  it('says the same outstanding as the report and as Subsidy.balance (one formula)', async () => {
    const response = await fetch(`${app.url}/exports/clusters/${clusterId}/subsidies.csv`, {
      headers: { authorization: `Bearer ${reader.token}` },
    });
    const [header, ...lines] = (await response.text()).trimEnd().split('\r\n');
    const columns = header.split(',');
    const at = (line: string, column: string) => line.split(',')[columns.indexOf(column)];
    const csv = new Map(lines.map((line) => [at(line, 'subsidy_id'), BigInt(at(line, 'outstanding_cents'))]));
    expect([...csv.values()].reduce((sum, value) => sum + value, 0n)).toBe(BigInt((await report()).outstanding));
    const list = await app.gql(
      'query($clusterId: ID!) { subsidies(clusterId: $clusterId, first: 50) { edges { node { id balance { outstanding } } } } }',
      { clusterId },
      { token: reader.token },
    );
    const nodes = list.body.data!.subsidies.edges.map((e: { node: { id: string; balance: { outstanding: string } } }) => e.node);
    expect(new Map(nodes.map((n: { id: string; balance: { outstanding: string } }) => [n.id, BigInt(n.balance.outstanding)]))).toEqual(csv);
  });

  it('is refused without a token, and to a member of the cluster', async () => {
    const anonymous = await fetch(`${app.url}/exports/clusters/${clusterId}/ledger.csv`);
    expect(await downloadRefusal(anonymous)).toEqual({ status: 401, code: 'UNAUTHENTICATED', reason: 'SIGN_IN_REQUIRED' });
    const member = await app.signUp({ role: Role.MEMBER, clusterId });
    for (const file of ['ledger.csv', 'subsidies.csv']) {
      const refused = await fetch(`${app.url}/exports/clusters/${clusterId}/${file}`, {
        headers: { authorization: `Bearer ${member.token}` },
      });
      expect(await downloadRefusal(refused)).toEqual({ status: 403, code: 'FORBIDDEN', reason: 'RIGHT_MISSING' });
    }
  });

  it('answers 404 for an unknown cluster and 400 for a malformed id', async () => {
    for (const file of ['ledger.csv', 'subsidies.csv']) {
      const unknown = await fetch(`${app.url}/exports/clusters/00000000-0000-4000-8000-000000000000/${file}`, {
        headers: { authorization: `Bearer ${reader.token}` },
      });
      expect(await downloadRefusal(unknown)).toEqual({ status: 404, code: 'NOT_FOUND', reason: 'NOT_FOUND' });
      const malformed = await fetch(`${app.url}/exports/clusters/nope/${file}`, { headers: { authorization: `Bearer ${reader.token}` } });
      expect(await downloadRefusal(malformed)).toEqual({ status: 400, code: 'BAD_USER_INPUT', reason: 'INVALID_INPUT' });
    }
  });
});
