import { Role } from '../../src/auth/role.js';
import { ClusterKind } from '../../src/membership/cluster.entity.js';
import { errorCodes, startTestApp, type TestApp } from '../support/test-app.js';
import { refusal } from '../support/refusals.js';

/**
 * The treasurer's journeys over HTTP: funders and programmes, recording a subsidy with its plan,
 * state transitions, freezes, receipts (idempotent on the bank reference), reversals, and the
 * bad input that must be refused with a coded error naming the field while writing nothing. Refusals
 * are asserted by code and reason (`extensions.reason`), never by their wording — except the one
 * test of the FORBIDDEN wording.
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
    expect(refusal(res)).toEqual({ code: 'CONFLICT', reason: 'FUNDER_EXISTS' });
  });

  it('refuses a second programme of the same name, and a laureate project listed twice', async () => {
    const organisation = await app.services().organisations.createOrganisation({ name: 'La Cantine', kind: 'ASSOCIATION' as never }, null);
    const create = (input: Record<string, unknown>) =>
      app.gql(
        'mutation($input: CreateProgrammeInput!) { createProgramme(input: $input) { programme { id } } }',
        { input: { funderId, kind: 'CALL_FOR_PROJECTS', ...input } },
        { token: treasurer.token },
      );
    expect((await create({ name: 'Booster' })).body.errors).toBeUndefined();
    expect(refusal(await create({ name: 'Booster' }))).toEqual({ code: 'CONFLICT', reason: 'PROGRAMME_EXISTS' });
    const laureate = { organisationId: organisation.id, project: 'Tiers-lieu', kind: 'CREATION' };
    expect(refusal(await create({ name: 'Booster 2', laureates: [laureate, { ...laureate, project: ' Tiers-lieu ' }] }))).toEqual({
      code: 'CONFLICT',
      reason: 'LAUREATE_LISTED_TWICE',
    });
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
    expect(listed.body.data!.programmes).toEqual([
      { name: 'Booster', funder: { name: 'Région Occitanie' } },
      { name: 'Fab Région', funder: { name: 'Région Occitanie' } },
    ]);
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
    expect(refusal(clash)).toEqual({ code: 'CONFLICT', reason: 'BANK_REFERENCE_CLASH' });
    expect(clash.body.errors![0].extensions!.entryId).toBe(first.body.data!.recordReceipt.entry.id);
    const rest = await receipt('10500000', 'VIR-002');
    expect(rest.body.data!.recordReceipt.subsidy).toMatchObject({ state: 'RECEIVED', balance: { received: '15000000', outstanding: '0' } });
    const over = await receipt('1', 'VIR-003');
    expect(refusal(over)).toEqual({ code: 'BAD_USER_INPUT', reason: 'OVERPAYMENT_UNEXPLAINED' });
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
    expect(refusal(await app.gql(REVERSE, { input: { entryId, reason: 'again' } }, { token: treasurer.token }))).toEqual({
      code: 'CONFLICT',
      reason: 'ENTRY_ALREADY_REVERSED',
    });
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
    expect(refusal(await receipt('450000'))).toEqual({ code: 'CONFLICT', reason: 'BANK_REFERENCE_CLASH' });
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
    expect(refusal(unknown)).toEqual({ code: 'NOT_FOUND', reason: 'NOT_FOUND' });
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
    expect(refusal(refused)).toEqual({ code: 'CONFLICT', reason: 'SUBSIDY_FROZEN' });
    expect(refused.body.errors![0].extensions!.currentState).toBe('FROZEN');
    const again = await app.gql(FREEZE, { input: { subsidyId: subsidy.id, reason: 'twice' } }, { token: treasurer.token });
    expect(refusal(again)).toEqual({ code: 'CONFLICT', reason: 'SUBSIDY_NOT_FREEZABLE' });
    expect(again.body.errors![0].extensions!.currentState).toBe('FROZEN');
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
    expect(refusal(res)).toEqual({ code: 'CONFLICT', reason: 'SUBSIDY_TRANSITION_NOT_ALLOWED' });
    expect(res.body.errors![0].extensions!.currentState).toBe('AWARDED');
    const release = await app.gql(RELEASE, { input: { subsidyId: subsidy.id, reason: 'x' } }, { token: treasurer.token });
    expect(refusal(release)).toEqual({ code: 'CONFLICT', reason: 'SUBSIDY_NOT_FROZEN' });
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
    expect(refusal(res)).toEqual({ code: 'CONFLICT', reason: 'SUBSIDY_NOT_RECEIVABLE' });
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

describe('refusals a client can switch on', () => {
  const AGREEMENT = `mutation($id: ID!, $agreement: String!) { recordFunderTransferAgreement(subsidyId: $id, agreement: $agreement) { subsidy { id } } }`;
  const receive = (subsidyId: string, amount: string, bankReference: string) =>
    app.gql(RECEIPT, { input: { subsidyId, amount, valueDate: today(), bankReference } }, { token: treasurer.token });

  it('refuses a new subsidy to a cluster that is no longer active (BENEFICIARY_NOT_ACTIVE), writing nothing', async () => {
    const merged = (await app.services().clusters.createCluster({ name: 'Dissolved', slug: 'dissolved', kind: ClusterKind.CLUSTER })).id;
    const mergedTreasurer = await app.signUp({ role: Role.TREASURER, clusterId: merged });
    await app.sql(`update cluster set status = 'DISSOLVED' where id = $1`, [merged]);
    const before = await ledgerCount();
    const res = await app.gql(
      RECORD,
      { input: subsidyInput({ clusterId: merged, allocations: null, financingPlan: null, eligibleCost: null }) },
      { token: mergedTreasurer.token },
    );
    expect(refusal(res)).toEqual({ code: 'CONFLICT', reason: 'BENEFICIARY_NOT_ACTIVE' });
    expect(await ledgerCount()).toBe(before);
  });

  it('refuses to cancel once money came in (SUBSIDY_MONEY_RECEIVED), and a clawback beyond what came in (CLAWBACK_EXCEEDS_RECLAIMABLE)', async () => {
    const subsidy = await record();
    expect((await receive(subsidy.id, '4500000', 'VIR-CB')).body.errors).toBeUndefined();
    // Receipts move a subsidy out of the states it is cancelled from; the ledger still has the last word
    // should the state say otherwise (here forced back to ACTIVE).
    await app.sql(`update subsidy set state = 'ACTIVE' where id = $1`, [subsidy.id]);
    const cancel = await app.gql(
      TRANSITION,
      { input: { subsidyId: subsidy.id, to: 'CANCELLED', reason: 'abandoned' } },
      { token: treasurer.token },
    );
    expect(refusal(cancel)).toEqual({ code: 'CONFLICT', reason: 'SUBSIDY_MONEY_RECEIVED' });
    await app.sql(`update subsidy set state = 'PARTLY_RECEIVED' where id = $1`, [subsidy.id]);
    const clawback = await app.gql(
      TRANSITION,
      { input: { subsidyId: subsidy.id, to: 'CLAWED_BACK', reason: 'audit', clawbackAmount: '4500001' } },
      { token: treasurer.token },
    );
    expect(refusal(clawback)).toEqual({ code: 'BAD_USER_INPUT', reason: 'CLAWBACK_EXCEEDS_RECLAIMABLE' });
    expect((clawback.body.errors![0].extensions!.fields as { field: string }[]).map((f) => f.field)).toEqual(['input.clawbackAmount']);
  });

  it('reverses only receipts and clawbacks (ENTRY_NOT_REVERSIBLE), and a receipt only while its money is still received (RECEIPT_CLAWED_BACK)', async () => {
    const subsidy = await record();
    const [award] = await app.sql<{ id: string }>(`select id from ledger_entry where subsidy_id = $1 and kind = 'AWARD'`, [subsidy.id]);
    const notReversible = await app.gql(REVERSE, { input: { entryId: award.id, reason: 'typo' } }, { token: treasurer.token });
    expect(refusal(notReversible)).toEqual({ code: 'BAD_USER_INPUT', reason: 'ENTRY_NOT_REVERSIBLE' });
    const receipt = await receive(subsidy.id, '4500000', 'VIR-CL');
    const clawedBack = await app.gql(
      TRANSITION,
      { input: { subsidyId: subsidy.id, to: 'CLAWED_BACK', reason: 'audit', clawbackAmount: '1000' } },
      { token: treasurer.token },
    );
    expect(clawedBack.body.errors).toBeUndefined();
    const res = await app.gql(
      REVERSE,
      { input: { entryId: receipt.body.data!.recordReceipt.entry.id, reason: 'wrong subsidy' } },
      { token: treasurer.token },
    );
    expect(refusal(res)).toEqual({ code: 'CONFLICT', reason: 'RECEIPT_CLAWED_BACK' });
  });

  it('records the funder’s transfer agreement once (FUNDER_AGREEMENT_RECORDED)', async () => {
    const subsidy = await record({ transferRequiresFunderAgreement: true });
    const first = await app.gql(AGREEMENT, { id: subsidy.id, agreement: 'Lettre du 2 novembre' }, { token: treasurer.token });
    expect(first.body.errors).toBeUndefined();
    const again = await app.gql(AGREEMENT, { id: subsidy.id, agreement: 'Lettre du 3 novembre' }, { token: treasurer.token });
    expect(refusal(again)).toEqual({ code: 'CONFLICT', reason: 'FUNDER_AGREEMENT_RECORDED' });
  });

  it('freezes only until a fusion still to be executed (PROPOSAL_NOT_PENDING_FUSION)', async () => {
    const subsidy = await record();
    for (const [id, kind, state] of [
      ['33333333-3333-4333-8333-333333333333', 'RESOLUTION', 'VOTING'],
      ['44444444-4444-4444-8444-444444444444', 'FUSION', 'EXECUTED'],
    ]) {
      await app.sql(
        `insert into proposal (id, created_at, updated_at, kind, title, text, author_id, state, partnership_axes)
         values ($1, now(), now(), $2, 'Proposal', 'Text.', $3, $4, '{}')`,
        [id, kind, treasurer.accountId, state],
      );
      const res = await app.gql(FREEZE, { input: { subsidyId: subsidy.id, reason: 'x', untilProposalId: id } }, { token: treasurer.token });
      expect(refusal(res)).toEqual({ code: 'BAD_USER_INPUT', reason: 'PROPOSAL_NOT_PENDING_FUSION' });
      expect((res.body.errors![0].extensions!.fields as { field: string }[]).map((f) => f.field)).toEqual(['input.untilProposalId']);
    }
    const [{ state }] = await app.sql<{ state: string }>('select state from subsidy where id = $1', [subsidy.id]);
    expect(state).toBe('AWARDED');
  });

  it('says in plain words who may, naming the cluster, when another cluster’s treasurer tries', async () => {
    const subsidy = await record();
    const elsewhere = (await app.services().clusters.createCluster({ name: 'Elsewhere', slug: 'elsewhere', kind: ClusterKind.CLUSTER })).id;
    const stranger = await app.signUp({ role: Role.TREASURER, clusterId: elsewhere });
    const res = await app.gql(TRANSITION, { input: { subsidyId: subsidy.id, to: 'ACTIVE' } }, { token: stranger.token });
    expect(refusal(res)).toEqual({ code: 'FORBIDDEN', reason: 'RIGHT_MISSING' });
    expect(res.body.errors![0].message).toBe(
      'Only the treasurers of FrenchSouth.digital may record the subsidies and money of this cluster.',
    );
    const read = await app.gql('query($id: ID!) { subsidy(id: $id) { id } }', { id: subsidy.id }, { token: stranger.token });
    expect(refusal(read)).toEqual({ code: 'FORBIDDEN', reason: 'RIGHT_MISSING' });
    expect(read.body.errors![0].message).toMatch(
      /^Only the .* of FrenchSouth\.digital \(or a platform administrator\) may read these subsidies\.$/,
    );
    const [{ state }] = await app.sql<{ state: string }>('select state from subsidy where id = $1', [subsidy.id]);
    expect(state).toBe('AWARDED');
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

    // The representatives of the collège at the end of the chain read it (two fusions on), those of
    // another collège of the same cluster do not.
    const sibling = (await s.clusters.createCollege({ clusterId: clusters[2], name: 'Autres', slug: 'autres', theme: 'other' })).id;
    const last = await app.signUp({ role: Role.COLLEGE_REPRESENTATIVE, clusterId: clusters[2], collegeId: colleges[2] });
    const outsider = await app.signUp({ role: Role.COLLEGE_REPRESENTATIVE, clusterId: clusters[2], collegeId: sibling });
    const ONE = 'query($id: ID!) { subsidy(id: $id) { id } }';
    expect((await app.gql(ONE, { id: subsidy.id }, { token: last.token })).body.errors).toBeUndefined();
    expect(refusal(await app.gql(ONE, { id: subsidy.id }, { token: outsider.token }))).toEqual({
      code: 'FORBIDDEN',
      reason: 'RIGHT_MISSING',
    });
    const services = app.services();
    const listed = await services.subsidies.list(clusters[2], { collegeId: colleges[2] }, { first: 10 }, false);
    expect(listed.edges.map((edge) => edge.node.id)).toEqual([subsidy.id]);
    for (const collegeId of [colleges[2], colleges[1]]) {
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
    expect((await app.gql(ONE, { id: other.id }, { token: last.token })).body.errors).toBeUndefined();
    expect((await services.treasury.report(clusters[2], { collegeId: colleges[0] })).awarded).toBe(1_000_000n);
    expect((await services.treasury.report(clusters[2], { collegeId: colleges[2] })).awarded).toBe(1_500_000n);
  });
});
