import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import pg from 'pg';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { Choice, ProposalKind } from '../../src/governance/proposal.entity.js';
import { Role } from '../../src/auth/role.js';
import { startTestApp, type GraphQLResponse, type TestApp } from '../support/test-app.js';

/**
 * `Proposal.executionPreview`: what executing a proposal would do, computed by a read — without a
 * write transaction and without a lock — and only where one proposal is read. On the demo data
 * (the seeded fusion, a subsidy frozen until it), plus what makes every count of the report
 * count: pending applications moved and closed, a member already in its target collège, a
 * representative's mandate, a convention to carry, a subsidy awaiting its funder's agreement.
 */
let app: TestApp;
let admin: { token: string; accountId: string };
let fusionId: string;
let planEffectiveDate: string;
const cluster: Record<string, string> = {};

const REPORT = `proposalId kind dryRun effectiveDate earlyEffectiveDate clustersMerged membershipsMoved membershipsAlreadyInTarget
  representativeMandatesEnded boardMandatesEnded rolesEnded applicationsMoved applicationsClosed subsidiesTransferred subsidiesReleased conventionsCarried
  subsidiesAwaitingFunderAgreement conventionId`;
const PREVIEW = `query($id: ID!) { proposal(id: $id) { id state executionPreview { ${REPORT} } } }`;
const DRY_RUN = `mutation($id: ID!) { executeProposal(proposalId: $id, dryRun: true) { ${REPORT} } }`;

function data<T = Record<string, any>>(res: GraphQLResponse<T>): T {
  expect(res.body.errors).toBeUndefined();
  return res.body.data!;
}

const preview = async () => data(await app.gql(PREVIEW, { id: fusionId }, { token: admin.token })).proposal.executionPreview;
const dryRun = async () => data(await app.gql(DRY_RUN, { id: fusionId }, { token: admin.token })).executeProposal;

async function auditEntries(): Promise<number> {
  const [{ n }] = await app.sql<{ n: number }>('select count(*)::int as n from audit_entry');
  return n;
}

/** A pending application of `organisationId` to `collegeId`, straight in SQL (the admission flow is tested elsewhere). */
async function pendingApplication(organisationId: string, collegeId: string): Promise<void> {
  await app.sql(
    `insert into application (id, created_at, updated_at, organisation_id, college_id, rule_set_id, state, criteria_results)
     select gen_random_uuid(), now(), now(), $1, $2, (select id from admission_rule_set where college_id = $2 order by version desc limit 1),
            'SUBMITTED', '[]'::jsonb`,
    [organisationId, collegeId],
  );
}

beforeAll(async () => {
  app = await startTestApp({ env: { LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent' } });
  await app.seedDemo();
  for (const row of await app.sql<{ id: string; slug: string }>('select id, slug from cluster')) cluster[row.slug] = row.id;
  admin = await app.signUp({ role: Role.ADMIN });
  const [fusion] = await app.sql<{
    id: string;
    plan: { effectiveDate: string; absorbed: { clusterId: string; targetCollegeId: string }[] };
  }>(`select id, plan from proposal where kind = 'FUSION'`);
  fusionId = fusion.id;
  planEffectiveDate = fusion.plan.effectiveDate;
  const [media] = fusion.plan.absorbed.filter((a) => a.clusterId === cluster['media-cloud-cluster']);
  const [mediaCollege] = await app.sql<{ id: string }>('select id from college where cluster_id = $1 order by name limit 1', [
    media.clusterId,
  ]);
  const members = await app.sql<{ organisation_id: string }>(
    `select organisation_id from membership where college_id = $1 and ended_on is null order by organisation_id limit 3`,
    [mediaCollege.id],
  );
  // A member already in its target collège: its old membership ends MERGED, none starts.
  await app.sql(
    `insert into membership (id, created_at, updated_at, organisation_id, college_id, status, started_on, member_since)
     values (gen_random_uuid(), now(), now(), $1, $2, 'ACTIVE', date '2022-01-01', date '2022-01-01')`,
    [members[0].organisation_id, media.targetCollegeId],
  );
  // Pending applications: one moves to the target collège; one is closed, its organisation having applied there already.
  const outsiders = await app.sql<{ id: string }>(
    `select o.id from organisation o
      where not exists (select 1 from membership m where m.organisation_id = o.id)
        and not exists (select 1 from application a where a.organisation_id = o.id and a.state in ('SUBMITTED', 'UNDER_REVIEW'))
      order by o.id limit 2`,
  );
  await pendingApplication(outsiders[0].id, mediaCollege.id);
  await pendingApplication(outsiders[1].id, mediaCollege.id);
  await pendingApplication(outsiders[1].id, media.targetCollegeId);
  // A representative of the absorbed collège, whose mandate ends; its treasurer, whose right ends.
  await app.signUp({ role: Role.COLLEGE_REPRESENTATIVE, clusterId: media.clusterId, collegeId: mediaCollege.id });
  await app.signUp({ role: Role.TREASURER, clusterId: media.clusterId });
  // A convention Media Cloud Cluster signed, which the fusion carries over.
  const partnership = await app.services(admin.accountId).proposals.create({
    kind: ProposalKind.PARTNERSHIP,
    title: 'Convention Media Cloud Cluster — DigitalPlace',
    text: 'Coopération sur le cloud.',
    partyClusterIds: [media.clusterId, cluster.digitalplace],
    partnershipAxes: ['la mutualisation de services'],
  });
  await app.sql(`update proposal set state = 'ADOPTED' where id = $1`, [partnership.id]);
  await app.services(admin.accountId).fusions.execute(partnership.id);
  // A subsidy of an absorbed cluster whose transfer needs its funder's agreement, not recorded yet.
  await app.sql(
    `update subsidy set transfer_requires_funder_agreement = true
      where id = (select id from subsidy where cluster_id = $1 order by id limit 1)`,
    [cluster['novae-lr']],
  );
});
afterAll(async () => {
  await app.close();
});

it('a freshly started app answers its first read of a preview, alone and beside a list, without an error', async () => {
  // A second app on the same database: nothing of it has run yet when the first request arrives.
  const fresh = await createApp({
    config: loadConfig({ NODE_ENV: 'test', DATABASE_URL: app.databaseUrl, LOG_LEVEL: 'silent' }),
    clock: app.clock.now,
  });
  const server: Server = await new Promise((resolve) => {
    const s = fresh.app.listen(0, '127.0.0.1', () => resolve(s));
  });
  try {
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
    const before = await auditEntries();
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${admin.token}` },
      body: JSON.stringify({
        query: `query($id: ID!, $cluster: ID!) {
          proposal(id: $id) { id executionPreview { membershipsMoved subsidiesReleased } }
          proposals(clusterId: $cluster) { edges { node { id kind author { id } parties { cluster { name } electorate participation } executionPreview { membershipsMoved } } } }
        }`,
        variables: { id: fusionId, cluster: cluster['frenchsouth-digital'] },
      }),
    });
    const body = (await response.json()) as GraphQLResponse['body'];
    expect(body.errors).toBeUndefined();
    expect(body.data!.proposal.executionPreview.membershipsMoved).toBeGreaterThan(0);
    expect(body.data!.proposal.executionPreview.subsidiesReleased).toBe(1);
    // In a list, the preview is not computed: null for every item (the field's description says so).
    const nodes = body.data!.proposals.edges.map((e: { node: { id: string; executionPreview: unknown } }) => e.node);
    expect(nodes.map((n: { id: string }) => n.id)).toContain(fusionId);
    expect(nodes.every((n: { executionPreview: unknown }) => n.executionPreview === null)).toBe(true);
    // A read writes nothing.
    expect(await auditEntries()).toBe(before);
  } finally {
    await new Promise((resolve) => server.close(resolve));
    await fresh.close();
  }
});

it('is computed without a lock: it answers while the tables a fusion writes are locked, where a dry run waits', async () => {
  const holder = new pg.Client({ connectionString: app.databaseUrl });
  await holder.connect();
  try {
    // EXCLUSIVE lets plain reads through and nothing that locks rows; the trail's global lock is held too.
    await holder.query('begin');
    await holder.query(
      'lock table cluster, membership, subsidy, application, board_mandate, representative_mandate, role_assignment in exclusive mode',
    );
    await holder.query('select pg_advisory_xact_lock(7262017)');
    const shown = await Promise.race([
      preview().then(() => 'answered'),
      new Promise((resolve) => setTimeout(() => resolve('blocked'), 5_000)),
    ]);
    expect(shown).toBe('answered');
    const dry = app.gql(DRY_RUN, { id: fusionId }, { token: admin.token });
    const waited = await Promise.race([dry.then(() => 'answered'), new Promise((resolve) => setTimeout(() => resolve('blocked'), 1_000))]);
    expect(waited).toBe('blocked');
    await holder.query('rollback');
    data(await dry);
  } finally {
    await holder.end();
  }
});

it('reports what the dry run reports, then what the execution does', async () => {
  const expectedCounts = {
    clustersMerged: 3,
    membershipsAlreadyInTarget: 1,
    applicationsClosed: 1,
    subsidiesReleased: 1,
    conventionsCarried: 1,
  };
  // On the draft: the same report, counts and all, as the dry run's.
  const drafted = await preview();
  expect(drafted).toEqual(await dryRun());
  expect(drafted).toMatchObject({ ...expectedCounts, dryRun: true, conventionId: null });
  expect(drafted.subsidiesAwaitingFunderAgreement).toHaveLength(1);
  // The seeded fusion takes effect months ahead: the preview shows the plan's date, and says apart
  // that executing it today would force it early (issue 12, item 4).
  const today = app.clock.now().toISOString().slice(0, 10);
  expect(planEffectiveDate > today).toBe(true);
  expect(drafted).toMatchObject({ effectiveDate: planEffectiveDate, earlyEffectiveDate: today });
  for (const count of [
    'membershipsMoved',
    'representativeMandatesEnded',
    'boardMandatesEnded',
    'rolesEnded',
    'applicationsMoved',
    'subsidiesTransferred',
  ] as const)
    expect(drafted[count]).toBeGreaterThan(0);

  // Adopted by every board, the funder's agreement recorded: the preview, the dry run and the execution agree.
  await app.services(admin.accountId).proposals.open({ proposalId: fusionId, closesAt: new Date(app.clock.now().getTime() + 86_400_000) });
  const electors = await app.sql<{ voter_id: string; cluster_id: string }>(
    `select e.voter_id, p.cluster_id from elector e join proposal_party p on p.id = e.party_id where p.proposal_id = $1`,
    [fusionId],
  );
  for (const e of electors)
    await app.services(e.voter_id).voting.cast({ proposalId: fusionId, choice: Choice.FOR, clusterId: e.cluster_id });
  for (const party of await app.sql<{ id: string }>('select id from proposal_party where proposal_id = $1', [fusionId])) {
    await app.services(admin.accountId).voting.close(party.id);
  }
  const [awaiting] = drafted.subsidiesAwaitingFunderAgreement as string[];
  await app.services().subsidies.recordFunderTransferAgreement(awaiting, 'Lettre de la Région');
  const adopted = await preview();
  expect(adopted).toEqual(await dryRun());
  expect(adopted.subsidiesAwaitingFunderAgreement).toEqual([]);
  const executed = data(
    await app.gql(
      `mutation($id: ID!) { executeProposal(proposalId: $id, forceReason: "La Région le demande") { ${REPORT} } }`,
      { id: fusionId },
      { token: admin.token },
    ),
  ).executeProposal;
  expect(executed).toEqual({ ...adopted, dryRun: false });
  // Executed: nothing left to preview.
  expect(await preview()).toBeNull();
});
