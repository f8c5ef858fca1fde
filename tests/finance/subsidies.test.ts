import { Role } from '../../src/auth/role.js';
import { ClusterKind } from '../../src/membership/cluster.entity.js';
import { errorCodes, startTestApp, type TestApp } from '../support/test-app.js';

/**
 * The treasurer's journeys over HTTP: funders and programmes, recording a subsidy with its plan,
 * state transitions, freezes, receipts (idempotent on the bank reference), reversals, and the
 * bad input that must be refused with a coded error naming the field while writing nothing.
 */
let app: TestApp;
let clusterId: string;
let collegeA: string;
let collegeB: string;
let treasurer: { token: string; accountId: string };
let funderId: string;

const RECORD = `mutation($input: RecordSubsidyInput!) {
  recordSubsidy(input: $input) { subsidy { id state amountAwarded balance { awarded received outstanding } instalments { position kind amount dueOn } } }
}`;
const RECEIPT = `mutation($input: RecordReceiptInput!) {
  recordReceipt(input: $input) { alreadyRecorded entry { id kind amount bankReference } subsidy { id state balance { awarded received outstanding } } }
}`;
const TRANSITION = `mutation($input: TransitionSubsidyInput!) { transitionSubsidy(input: $input) { subsidy { id state balance { awarded received outstanding } } } }`;
const FREEZE = `mutation($input: FreezeSubsidyInput!) { freezeSubsidy(input: $input) { subsidy { id state freezes { reason until untilProposalId stateBefore releasedAt } } } }`;
const RELEASE = `mutation($input: ReleaseSubsidyInput!) { releaseSubsidy(input: $input) { subsidy { id state } } }`;
const REVERSE = `mutation($input: ReverseEntryInput!) { reverseEntry(input: $input) { entry { id kind amount reversesId } subsidy { id state balance { received } } } }`;

// The test clock starts at the real time; `it.each` tables are built before it exists.
const now = () => (app ? app.clock.now() : new Date());
const today = () => now().toISOString().slice(0, 10);
const daysFromToday = (days: number) => new Date(now().getTime() + days * 86_400_000).toISOString().slice(0, 10);

function subsidyInput(overrides: Record<string, unknown> = {}) {
  return {
    clusterId,
    funderId,
    purpose: 'Animation de la filière numérique',
    decisionReference: 'CP/2026/042',
    decisionDate: daysFromToday(-30),
    amountAwarded: '15000000',
    eligibleCost: '30000000',
    financingPlan: [
      { kind: 'REGION', label: 'Région Occitanie', funderId, amount: '15000000' },
      { kind: 'OWN_FUNDS', label: 'Autofinancement', amount: '15000000' },
    ],
    instalments: [
      { kind: 'ADVANCE', amount: '4500000', dueOn: daysFromToday(-20) },
      { kind: 'INTERIM', amount: '6000000', dueOn: daysFromToday(30) },
      { kind: 'BALANCE', amount: '4500000', dueOn: daysFromToday(200) },
    ],
    allocations: [
      { collegeId: collegeA, shareBasisPoints: 6000 },
      { collegeId: collegeB, shareBasisPoints: 4000 },
    ],
    justificationDeadline: daysFromToday(300),
    ...overrides,
  };
}

async function record(overrides: Record<string, unknown> = {}) {
  const res = await app.gql(RECORD, { input: subsidyInput(overrides) }, { token: treasurer.token });
  expect(res.body.errors).toBeUndefined();
  return res.body.data!.recordSubsidy.subsidy as { id: string; state: string };
}

async function ledgerCount(): Promise<number> {
  const [{ count }] = await app.sql<{ count: number }>('select count(*)::int as count from ledger_entry');
  return count;
}

beforeAll(async () => {
  app = await startTestApp();
  const services = app.services();
  clusterId = (await services.clusters.createCluster({ name: 'FrenchSouth.digital', slug: 'fsd', kind: ClusterKind.CLUSTER })).id;
  collegeA = (await services.clusters.createCollege({ clusterId, name: 'Cloud', slug: 'cloud', theme: 'cloud' })).id;
  collegeB = (await services.clusters.createCollege({ clusterId, name: 'Créa', slug: 'crea', theme: 'digital creation' })).id;
  treasurer = await app.signUp({ role: Role.TREASURER, clusterId });
  const funder = await app.gql(
    'mutation($input: CreateFunderInput!) { createFunder(input: $input) { funder { id name kind } } }',
    { input: { name: 'Région Occitanie', kind: 'REGION', region: 'Occitanie' } },
    { token: treasurer.token },
  );
  expect(funder.body.errors).toBeUndefined();
  funderId = funder.body.data!.createFunder.funder.id;
});
afterAll(async () => {
  await app.close();
});

describe('funders and programmes', () => {
  it('refuses a second funder of the same name, whatever the case', async () => {
    const res = await app.gql(
      'mutation($input: CreateFunderInput!) { createFunder(input: $input) { funder { id } } }',
      { input: { name: 'région occitanie', kind: 'REGION' } },
      { token: treasurer.token },
    );
    expect(errorCodes(res)).toEqual(['CONFLICT']);
  });

  it('records a call for projects with its laureates, and lists it publicly', async () => {
    const organisation = await app.services().organisations.createOrganisation({ name: 'Artilect', kind: 'ASSOCIATION' as never }, null);
    const res = await app.gql(
      `mutation($input: CreateProgrammeInput!) { createProgramme(input: $input) { programme { id name budget laureates { project kind amount organisation { name } } } } }`,
      {
        input: {
          funderId,
          name: 'Fab Région',
          kind: 'CALL_FOR_PROJECTS',
          budget: '100000000',
          laureates: [{ organisationId: organisation.id, project: 'Extension du Fab Lab', kind: 'EXTENSION', amount: '12500000' }],
        },
      },
      { token: treasurer.token },
    );
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data!.createProgramme.programme).toMatchObject({
      name: 'Fab Région',
      budget: '100000000',
      laureates: [{ project: 'Extension du Fab Lab', kind: 'EXTENSION', amount: '12500000', organisation: { name: 'Artilect' } }],
    });
    const listed = await app.gql('{ programmes { name funder { name } } funders { name } }');
    expect(listed.body.data!.programmes).toEqual([{ name: 'Fab Région', funder: { name: 'Région Occitanie' } }]);
  });
});

describe('recordSubsidy', () => {
  it('records an awarded subsidy with its plan, instalments and allocations, and an AWARD entry', async () => {
    const res = await app.gql(RECORD, { input: subsidyInput() }, { token: treasurer.token });
    expect(res.body.errors).toBeUndefined();
    const subsidy = res.body.data!.recordSubsidy.subsidy;
    expect(subsidy).toMatchObject({
      state: 'AWARDED',
      amountAwarded: '15000000',
      balance: { awarded: '15000000', received: '0', outstanding: '15000000' },
    });
    expect(subsidy.instalments.map((i: { kind: string }) => i.kind)).toEqual(['ADVANCE', 'INTERIM', 'BALANCE']);
    const entries = await app.sql('select kind, amount::text from ledger_entry where subsidy_id = $1', [subsidy.id]);
    expect(entries).toEqual([{ kind: 'AWARD', amount: '15000000' }]);
  });

  it('carries amounts beyond 32 bits exactly', async () => {
    const big = '987654321098';
    const subsidy = await record({ amountAwarded: big, eligibleCost: null, financingPlan: null, instalments: null });
    const res = await app.gql(
      'query($id: ID!) { subsidy(id: $id) { amountAwarded balance { awarded } } }',
      { id: subsidy.id },
      { token: treasurer.token },
    );
    expect(res.body.data!.subsidy).toEqual({ amountAwarded: big, balance: { awarded: big } });
  });

  it.each([
    ['a negative amount', { amountAwarded: '-100' }, 'input.amountAwarded'],
    ['a fraction of a cent', { amountAwarded: '100.5' }, 'input.amountAwarded'],
    [
      'instalments that do not add up',
      { instalments: [{ kind: 'BALANCE', amount: '100', dueOn: daysFromToday(10) }] },
      'input.instalments',
    ],
    ['a financing plan that does not balance', { eligibleCost: '30000001' }, 'input.financingPlan'],
    [
      'allocations over 100 %',
      () => ({
        allocations: [
          { collegeId: collegeA, shareBasisPoints: 6000 },
          { collegeId: collegeB, shareBasisPoints: 5000 },
        ],
      }),
      'input.allocations',
    ],
    ['an instalment due before the decision', { decisionDate: daysFromToday(-10) }, 'input.instalments.0.dueOn'],
    ['a decision in the future', { decisionDate: daysFromToday(5), instalments: null }, 'input.decisionDate'],
    ['an awarded subsidy without decision date', { decisionDate: null, instalments: null }, 'input.decisionDate'],
  ] as [string, Record<string, unknown> | (() => Record<string, unknown>), string][])(
    'refuses %s, naming the field, writing nothing',
    async (_label, given, field) => {
      const overrides = typeof given === 'function' ? given() : given;
      const before = await ledgerCount();
      const [{ count: subsidiesBefore }] = await app.sql<{ count: number }>('select count(*)::int as count from subsidy');
      const res = await app.gql(RECORD, { input: subsidyInput(overrides) }, { token: treasurer.token });
      expect(errorCodes(res)).toEqual(['BAD_USER_INPUT']);
      const fields = (res.body.errors![0].extensions!.fields as { field: string }[]).map((f) => f.field);
      expect(fields).toContain(field);
      expect(await ledgerCount()).toBe(before);
      const [{ count: subsidiesAfter }] = await app.sql<{ count: number }>('select count(*)::int as count from subsidy');
      expect(subsidiesAfter).toBe(subsidiesBefore);
    },
  );

  it('answers NOT_FOUND for an unknown funder or programme', async () => {
    for (const overrides of [
      { funderId: '00000000-0000-4000-8000-000000000000' },
      { programmeId: '00000000-0000-4000-8000-000000000000' },
    ]) {
      const res = await app.gql(RECORD, { input: subsidyInput(overrides) }, { token: treasurer.token });
      expect(errorCodes(res)).toEqual(['NOT_FOUND']);
    }
  });

  it('refuses the treasurer of another cluster', async () => {
    const otherCluster = (await app.services().clusters.createCluster({ name: 'Other', slug: 'other', kind: ClusterKind.CLUSTER })).id;
    const other = await app.signUp({ role: Role.TREASURER, clusterId: otherCluster });
    const res = await app.gql(RECORD, { input: subsidyInput() }, { token: other.token });
    expect(errorCodes(res)).toEqual(['FORBIDDEN']);
  });
});

describe('receipts', () => {
  it('moves the subsidy to PARTLY_RECEIVED then RECEIVED, and counts a bank transfer once', async () => {
    const subsidy = await record();
    const receipt = (amount: string, bankReference: string) =>
      app.gql(RECEIPT, { input: { subsidyId: subsidy.id, amount, valueDate: today(), bankReference } }, { token: treasurer.token });
    const first = await receipt('4500000', 'VIR-001');
    expect(first.body.data!.recordReceipt).toMatchObject({
      alreadyRecorded: false,
      subsidy: { state: 'PARTLY_RECEIVED', balance: { received: '4500000' } },
    });
    const again = await receipt('4500000', 'VIR-001');
    expect(again.body.data!.recordReceipt).toMatchObject({ alreadyRecorded: true, entry: { id: first.body.data!.recordReceipt.entry.id } });
    const clash = await receipt('100', 'VIR-001');
    expect(errorCodes(clash)).toEqual(['CONFLICT']);
    const rest = await receipt('10500000', 'VIR-002');
    expect(rest.body.data!.recordReceipt.subsidy).toMatchObject({ state: 'RECEIVED', balance: { received: '15000000', outstanding: '0' } });
    const over = await receipt('1', 'VIR-003');
    expect(errorCodes(over)).toEqual(['BAD_USER_INPUT']);
  });

  it('records the same bank reference sent in parallel once', async () => {
    const subsidy = await record();
    const responses = await Promise.all(
      Array.from({ length: 8 }, () =>
        app.gql(
          RECEIPT,
          { input: { subsidyId: subsidy.id, amount: '4500000', valueDate: today(), bankReference: 'VIR-PAR' } },
          { token: treasurer.token },
        ),
      ),
    );
    expect(responses.every((r) => r.body.errors === undefined)).toBe(true);
    expect(responses.filter((r) => !r.body.data!.recordReceipt.alreadyRecorded)).toHaveLength(1);
    const rows = await app.sql('select amount::text from ledger_entry where subsidy_id = $1 and kind = $2', [subsidy.id, 'RECEIPT']);
    expect(rows).toEqual([{ amount: '4500000' }]);
  });

  it('reverses a receipt with an opposite entry, once', async () => {
    const subsidy = await record();
    const first = await app.gql(
      RECEIPT,
      { input: { subsidyId: subsidy.id, amount: '4500000', valueDate: today(), bankReference: 'VIR-R' } },
      { token: treasurer.token },
    );
    const entryId = first.body.data!.recordReceipt.entry.id;
    const reversed = await app.gql(REVERSE, { input: { entryId, reason: 'wrong subsidy' } }, { token: treasurer.token });
    expect(reversed.body.data!.reverseEntry).toMatchObject({
      entry: { kind: 'REVERSAL', amount: '-4500000', reversesId: entryId },
      subsidy: { state: 'ACTIVE', balance: { received: '0' } },
    });
    expect(errorCodes(await app.gql(REVERSE, { input: { entryId, reason: 'again' } }, { token: treasurer.token }))).toEqual(['CONFLICT']);
  });

  it('records a reversed receipt again, corrected, under its real bank reference', async () => {
    const subsidy = await record();
    const receipt = (amount: string) =>
      app.gql(
        RECEIPT,
        { input: { subsidyId: subsidy.id, amount, valueDate: today(), bankReference: 'VIR-TYPO' } },
        { token: treasurer.token },
      );
    const typo = await receipt('450000');
    await app.gql(
      REVERSE,
      { input: { entryId: typo.body.data!.recordReceipt.entry.id, reason: 'typed 4 500 € instead of 45 000 €' } },
      { token: treasurer.token },
    );
    const corrected = await receipt('4500000');
    expect(corrected.body.errors).toBeUndefined();
    expect(corrected.body.data!.recordReceipt).toMatchObject({ alreadyRecorded: false, subsidy: { balance: { received: '4500000' } } });
    // Sent again, the corrected receipt is the one recorded: idempotent as before.
    expect((await receipt('4500000')).body.data!.recordReceipt).toMatchObject({ alreadyRecorded: true });
    expect(errorCodes(await receipt('450000'))).toEqual(['CONFLICT']);
  });

  it('has the database refuse UPDATE and DELETE on ledger entries', async () => {
    await expect(app.sql(`update ledger_entry set amount = 1`)).rejects.toThrow(/append-only/);
    await expect(app.sql(`delete from ledger_entry`)).rejects.toThrow(/append-only/);
    await expect(app.sql(`truncate ledger_entry cascade`)).rejects.toThrow(/append-only/);
  });
});

describe('freezes', () => {
  it('refuses receipts while frozen unless an exception is recorded, and releases to the state before', async () => {
    const subsidy = await record();
    // A fusion proposal still to be executed (the governance tests draft real ones).
    await app.sql(
      `insert into proposal (id, created_at, updated_at, kind, title, text, author_id, state, partnership_axes)
       values ('11111111-1111-4111-8111-111111111111', now(), now(), 'FUSION', 'Fusion', 'Fusion.', $1, 'VOTING', '{}')`,
      [treasurer.accountId],
    );
    const unknown = await app.gql(
      FREEZE,
      { input: { subsidyId: subsidy.id, reason: 'x', untilProposalId: '22222222-2222-4222-8222-222222222222' } },
      { token: treasurer.token },
    );
    expect(errorCodes(unknown)).toEqual(['NOT_FOUND']);
    const frozen = await app.gql(
      FREEZE,
      { input: { subsidyId: subsidy.id, reason: 'until the merger', untilProposalId: '11111111-1111-4111-8111-111111111111' } },
      { token: treasurer.token },
    );
    expect(frozen.body.errors).toBeUndefined();
    expect(frozen.body.data!.freezeSubsidy.subsidy).toMatchObject({
      state: 'FROZEN',
      freezes: [{ stateBefore: 'AWARDED', releasedAt: null }],
    });
    const refused = await app.gql(
      RECEIPT,
      { input: { subsidyId: subsidy.id, amount: '100', valueDate: today(), bankReference: 'VIR-F1' } },
      { token: treasurer.token },
    );
    expect(errorCodes(refused)).toEqual(['CONFLICT']);
    expect(refused.body.errors![0].extensions!.currentState).toBe('FROZEN');
    const excepted = await app.gql(
      RECEIPT,
      {
        input: {
          subsidyId: subsidy.id,
          amount: '100',
          valueDate: today(),
          bankReference: 'VIR-F2',
          frozenException: 'advance paid before the freeze decision',
        },
      },
      { token: treasurer.token },
    );
    expect(excepted.body.data!.recordReceipt.subsidy.state).toBe('FROZEN');
    const released = await app.services().subsidies.releaseFrozenUntilProposal('11111111-1111-4111-8111-111111111111', 'fusion executed');
    // The receipt recorded by exception counts once released.
    expect(released.map((s) => s.state)).toEqual(['PARTLY_RECEIVED']);
    const markers = await app.sql('select kind from ledger_entry where subsidy_id = $1 order by created_at, id', [subsidy.id]);
    expect(markers.map((m) => m.kind)).toEqual(expect.arrayContaining(['AWARD', 'FREEZE', 'RECEIPT', 'RELEASE']));
  });

  it('names the current state when a transition is not allowed', async () => {
    const subsidy = await record();
    const res = await app.gql(TRANSITION, { input: { subsidyId: subsidy.id, to: 'CLOSED' } }, { token: treasurer.token });
    expect(errorCodes(res)).toEqual(['CONFLICT']);
    expect(res.body.errors![0].extensions!.currentState).toBe('AWARDED');
    expect(errorCodes(await app.gql(RELEASE, { input: { subsidyId: subsidy.id, reason: 'x' } }, { token: treasurer.token }))).toEqual([
      'CONFLICT',
    ]);
  });

  it.each(['REFUSED', 'CLOSED', 'CANCELLED'])('refuses a receipt on a %s subsidy, naming the state, ledger unchanged', async (state) => {
    const subsidy =
      state === 'REFUSED'
        ? await record({ state: 'REQUESTED', decisionDate: null, instalments: null })
        : await record({ instalments: null });
    const go = (to: string, extra: Record<string, unknown> = {}) =>
      app.gql(TRANSITION, { input: { subsidyId: subsidy.id, to, reason: 'as decided', ...extra } }, { token: treasurer.token });
    if (state === 'CLOSED') {
      await app.gql(
        RECEIPT,
        { input: { subsidyId: subsidy.id, amount: '15000000', valueDate: today(), bankReference: `VIR-${state}` } },
        { token: treasurer.token },
      );
      expect((await go('JUSTIFIED')).body.errors).toBeUndefined();
    }
    expect((await go(state)).body.errors).toBeUndefined();
    const before = await ledgerCount();
    const res = await app.gql(
      RECEIPT,
      { input: { subsidyId: subsidy.id, amount: '100', valueDate: today(), bankReference: `VIR-X-${state}` } },
      { token: treasurer.token },
    );
    expect(errorCodes(res)).toEqual(['CONFLICT']);
    expect(res.body.errors![0].extensions!.currentState).toBe(state);
    expect(await ledgerCount()).toBe(before);
  });

  it('keeps every change of state with its reason', async () => {
    const subsidy = await record({ state: 'REQUESTED', decisionDate: null, instalments: null });
    await app.gql(
      TRANSITION,
      { input: { subsidyId: subsidy.id, to: 'AWARDED', decisionDate: daysFromToday(-1), decisionReference: 'CP/7' } },
      { token: treasurer.token },
    );
    await app.gql(TRANSITION, { input: { subsidyId: subsidy.id, to: 'ACTIVE', reason: 'agreement signed' } }, { token: treasurer.token });
    const res = await app.gql(
      'query($id: ID!) { subsidy(id: $id) { state decisionReference events { fromState toState reason } ledger { kind amount } } }',
      { id: subsidy.id },
      { token: treasurer.token },
    );
    expect(res.body.data!.subsidy).toEqual({
      state: 'ACTIVE',
      decisionReference: 'CP/7',
      events: [
        { fromState: null, toState: 'REQUESTED', reason: 'recorded' },
        { fromState: 'REQUESTED', toState: 'AWARDED', reason: null },
        { fromState: 'AWARDED', toState: 'ACTIVE', reason: 'agreement signed' },
      ],
      ledger: [{ kind: 'AWARD', amount: '15000000' }],
    });
  });

  it('refuses to set a state that follows from receipts', async () => {
    const subsidy = await record();
    const res = await app.gql(TRANSITION, { input: { subsidyId: subsidy.id, to: 'RECEIVED' } }, { token: treasurer.token });
    expect(errorCodes(res)).toEqual(['BAD_USER_INPUT']);
  });

  it('cancels a subsidy with no money received by reversing its award', async () => {
    const subsidy = await record();
    const res = await app.gql(
      TRANSITION,
      { input: { subsidyId: subsidy.id, to: 'CANCELLED', reason: 'project abandoned' } },
      { token: treasurer.token },
    );
    expect(res.body.data!.transitionSubsidy.subsidy).toMatchObject({ state: 'CANCELLED', balance: { awarded: '0', outstanding: '0' } });
  });
});

describe('allocations after successive fusions', () => {
  it('lets the collège at the end of a chain of fusions read what was allocated to the first one', async () => {
    const s = app.services();
    const colleges: string[] = [];
    const clusters: string[] = [];
    for (const key of ['first', 'second', 'third']) {
      clusters.push((await s.clusters.createCluster({ name: `Chain ${key}`, slug: `chain-${key}`, kind: ClusterKind.CLUSTER })).id);
      colleges.push((await s.clusters.createCollege({ clusterId: clusters.at(-1)!, name: 'Membres', slug: 'membres', theme: key })).id);
    }
    const subsidy = await s.subsidies.recordSubsidy({
      clusterId: clusters[0],
      funderId,
      purpose: 'Chain',
      decisionDate: today(),
      amountAwarded: 1_000_000n,
      allocations: [{ collegeId: colleges[0], shareBasisPoints: 10_000 }],
    });
    // What two executed fusions leave (the execution itself: tests/governance/fusion.test.ts):
    // the first collège's members went to the second, then the second's to the third; the subsidy passed on.
    await app.sql('update college set successor_id = $2 where id = $1', [colleges[0], colleges[1]]);
    await app.sql('update college set successor_id = $2 where id = $1', [colleges[1], colleges[2]]);
    await app.sql('update subsidy set cluster_id = $2 where id = $1', [subsidy.id, clusters[2]]);

    const services = app.services();
    expect((await services.subsidies.allocatedCollegeIds(subsidy.id)).sort()).toEqual([...colleges].sort());
    for (const collegeId of [colleges[2], colleges[1]]) {
      const listed = await services.subsidies.list(clusters[2], { collegeId }, { first: 10 }, false);
      expect(listed.edges.map((edge) => edge.node.id)).toEqual([subsidy.id]);
      expect((await services.treasury.report(clusters[2], { collegeId })).awarded).toBe(1_000_000n);
    }
    // Nothing flows backwards: the first collège does not read what the later ones were given.
    const other = await s.subsidies.recordSubsidy({
      clusterId: clusters[2],
      funderId,
      purpose: 'Third only',
      decisionDate: today(),
      amountAwarded: 500_000n,
      allocations: [{ collegeId: colleges[2], shareBasisPoints: 10_000 }],
    });
    expect(await services.subsidies.allocatedCollegeIds(other.id)).toEqual([colleges[2]]);
    const firstOnly = await services.subsidies.list(clusters[2], { collegeId: colleges[0] }, { first: 10 }, false);
    expect(firstOnly.edges.map((edge) => edge.node.id)).toEqual([subsidy.id]);
  });
});
