import { Role } from '../../src/auth/role.js';
import { FunderKind, ProgrammeKind } from '../../src/finance/funder.entity.js';
import { InstalmentKind, ShareKind } from '../../src/finance/subsidy.entity.js';
import { ClusterKind } from '../../src/membership/cluster.entity.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * The `subsidies` list costs the same number of SQL statements for a page of 10 and of 200
 * subsidies, each read with its usual fields (cluster, funder, programme, instalments, plan,
 * allocations and their collèges, freezes, events, ledger, transfers, balance): every field is
 * batched for the page, none queries per subsidy. (A second path to an entity the page also loads —
 * `programme { funder }` beside `funder` — is left out: whether it costs a statement depends on
 * which of two concurrent queries answers first, not on the page's size.)
 */
let app: TestApp;
let clusterId: string;
let collegeId: string;
let templateId: string;
let treasurer: { token: string };
let representative: { token: string };

const LIST = `query($clusterId: ID!, $collegeId: ID, $first: Int) {
  subsidies(clusterId: $clusterId, collegeId: $collegeId, first: $first) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node {
      id state purpose amountAwarded
      cluster { name } funder { name } programme { name }
      instalments { position kind amount dueOn }
      financingPlan { label amount }
      allocations { shareBasisPoints college { name } }
      freezes { reason stateBefore releasedAt }
      events { fromState toState reason }
      ledger { kind amount subsidyId reversesId }
      transfers { kind }
      balance { awarded received outstanding }
    } }
  }
}`;

/** Copies the template subsidy (and every row that hangs from it) until the cluster has `count` subsidies. */
async function growTo(count: number): Promise<void> {
  const [{ n }] = await app.sql<{ n: number }>('select count(*)::int as n from subsidy where cluster_id = $1', [clusterId]);
  await app.sql(
    `insert into subsidy
     select (jsonb_populate_record(null::subsidy, to_jsonb(t) || jsonb_build_object(
               'id', gen_random_uuid(), 'created_at', t.created_at - make_interval(secs => k), 'purpose', t.purpose || ' #' || k))).*
       from subsidy t cross join generate_series($2::int, $3::int - 1) k
      where t.id = $1`,
    [templateId, n, count],
  );
  for (const table of ['instalment', 'financing_share', 'subsidy_allocation', 'subsidy_event', 'subsidy_freeze', 'ledger_entry']) {
    await app.sql(
      `insert into ${table}
       select (jsonb_populate_record(null::${table}, to_jsonb(c) || jsonb_build_object('id', gen_random_uuid(), 'subsidy_id', s.id))).*
         from subsidy s join ${table} c on c.subsidy_id = $1
        where s.cluster_id = $2 and s.id <> $1 and not exists (select 1 from ${table} x where x.subsidy_id = s.id)`,
      [templateId, clusterId],
    );
  }
}

async function statementsFor(variables: Record<string, unknown>, token: string, expected: number): Promise<number> {
  app.resetSqlCount();
  const res = await app.gql(LIST, variables, { token });
  const statements = app.sqlCount();
  expect(res.body.errors).toBeUndefined();
  const edges = res.body.data!.subsidies.edges as { node: Record<string, any> }[];
  expect(edges).toHaveLength(expected);
  for (const { node } of edges) {
    expect(node).toMatchObject({
      state: 'FROZEN',
      cluster: { name: 'Statements' },
      funder: { name: 'Région Occitanie' },
      programme: { name: 'Fab Région' },
      balance: { awarded: '9000000', received: '3000000', outstanding: '6000000' },
    });
    expect(node.instalments).toHaveLength(2);
    expect(node.financingPlan.map((share: { label: string }) => share.label)).toEqual(['Région Occitanie', 'Autofinancement']);
    expect(node.allocations.map((a: { college: { name: string } }) => a.college.name).sort()).toEqual(['Cloud', 'Créa']);
    expect(node.freezes).toHaveLength(1);
    expect(node.ledger.map((e: { kind: string }) => e.kind)).toEqual(['AWARD', 'RECEIPT', 'FREEZE']);
    expect(node.ledger.every((e: { subsidyId: string }) => e.subsidyId === node.id)).toBe(true);
  }
  return statements;
}

beforeAll(async () => {
  // Pages of 200 subsidies with their nested lists are what the statement counts compare; the
  // cost limit (which refuses such a document in production) is not what this file tests.
  app = await startTestApp({ env: { GRAPHQL_MAX_COST: '1000000' } });
  const s = app.services();
  clusterId = (await s.clusters.createCluster({ name: 'Statements', slug: 'statements', kind: ClusterKind.CLUSTER })).id;
  collegeId = (await s.clusters.createCollege({ clusterId, name: 'Cloud', slug: 'cloud', theme: 'cloud' })).id;
  const other = (await s.clusters.createCollege({ clusterId, name: 'Créa', slug: 'crea', theme: 'creation' })).id;
  const funderId = (await s.funders.createFunder({ name: 'Région Occitanie', kind: FunderKind.REGION })).id;
  const programmeId = (await s.funders.createProgramme({ funderId, name: 'Fab Région', kind: ProgrammeKind.CALL_FOR_PROJECTS })).id;
  const day = (offset: number) => new Date(app.clock.now().getTime() + offset * 86_400_000).toISOString().slice(0, 10);
  templateId = (
    await s.subsidies.recordSubsidy({
      clusterId,
      funderId,
      programmeId,
      purpose: 'Template',
      decisionDate: day(-30),
      amountAwarded: 9_000_000n,
      eligibleCost: 18_000_000n,
      financingPlan: [
        { kind: ShareKind.REGION, label: 'Région Occitanie', funderId, amount: 9_000_000n },
        { kind: ShareKind.OWN_FUNDS, label: 'Autofinancement', amount: 9_000_000n },
      ],
      instalments: [
        { kind: InstalmentKind.ADVANCE, amount: 3_000_000n, dueOn: day(-20) },
        { kind: InstalmentKind.BALANCE, amount: 6_000_000n, dueOn: day(60) },
      ],
      allocations: [
        { collegeId, shareBasisPoints: 5_000 },
        { collegeId: other, shareBasisPoints: 5_000 },
      ],
    })
  ).id;
  await s.subsidies.recordReceipt({ subsidyId: templateId, amount: 3_000_000n, valueDate: day(-10), bankReference: 'VIR-T1' });
  await s.subsidies.freeze({ subsidyId: templateId, reason: 'until the audit' });
  treasurer = await app.signUp({ role: Role.TREASURER, clusterId });
  representative = await app.signUp({ role: Role.COLLEGE_REPRESENTATIVE, clusterId, collegeId });
});
afterAll(async () => {
  await app.close();
});

describe('subsidies: statements per page', () => {
  it('the same count for a page of 10 and of 200 subsidies, for the treasurer and for a collège’s representative', async () => {
    await growTo(10);
    const forTen = {
      treasurer: await statementsFor({ clusterId, first: 10 }, treasurer.token, 10),
      representative: await statementsFor({ clusterId, collegeId, first: 10 }, representative.token, 10),
    };
    await growTo(200);
    const forTwoHundred = {
      treasurer: await statementsFor({ clusterId, first: 200 }, treasurer.token, 200),
      representative: await statementsFor({ clusterId, collegeId, first: 200 }, representative.token, 200),
    };
    expect(forTwoHundred).toEqual(forTen);
    // For the record (the README's table): one statement per field at most, whatever the page.
    expect(forTen.treasurer).toBeLessThanOrEqual(20);
  });
});
