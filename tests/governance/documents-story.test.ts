import { Choice, ProposalKind } from '../../src/governance/proposal.entity.js';
import { DEMO_PASSWORD } from '../../seeds/membership-data.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * The press documents' story on the demo data: the boards of Media Cloud Cluster, Novae LR, PixLR
 * and FrenchSouth.digital adopt the seeded fusion; its execution moves every member to the
 * planned collège with its seniority, releases the regional subsidy frozen until the merger,
 * carries over the absorbed associations' conventions; the associations, their old memberships,
 * subsidies and votes stay readable; totals reconcile to the cent and to the member.
 */
let app: TestApp;
const cluster: Record<string, string> = {};
const ABSORBED = ['media-cloud-cluster', 'novae-lr', 'pixlr'];

async function idOf(email: string): Promise<string> {
  const [row] = await app.sql<{ id: string }>('select id from account where email = $1', [email]);
  return row.id;
}

/** Every voter of every party votes FOR, then each party's vote is closed by an administrator. */
async function adopt(proposalId: string, adminId: string): Promise<void> {
  await app.services(adminId).proposals.open({ proposalId, closesAt: new Date(app.clock.now().getTime() + 86_400_000) });
  const electors = await app.sql<{ voter_id: string; cluster_id: string }>(
    `select e.voter_id, p.cluster_id from elector e join proposal_party p on p.id = e.party_id where p.proposal_id = $1`,
    [proposalId],
  );
  for (const e of electors) await app.services(e.voter_id).voting.cast({ proposalId, choice: Choice.FOR, clusterId: e.cluster_id });
  for (const party of await app.sql<{ id: string }>('select id from proposal_party where proposal_id = $1', [proposalId])) {
    await app.services(adminId).voting.close(party.id);
  }
  const [{ state }] = await app.sql<{ state: string }>('select state from proposal where id = $1', [proposalId]);
  expect(state).toBe('ADOPTED');
}

const money = (clusterIds: string[]) =>
  app.sql<{ awarded: string; received: string }>(
    `select coalesce(sum(e.amount) filter (where coalesce(r.kind, e.kind) in ('AWARD', 'CLAWBACK')), 0)::text as awarded,
            coalesce(sum(e.amount) filter (where coalesce(r.kind, e.kind) in ('RECEIPT', 'CLAWBACK')), 0)::text as received
       from ledger_entry e left join ledger_entry r on r.id = e.reverses_id join subsidy s on s.id = e.subsidy_id
      where s.cluster_id = any($1::uuid[])`,
    [clusterIds],
  );

beforeAll(async () => {
  app = await startTestApp();
  await app.seedDemo();
  for (const row of await app.sql<{ id: string; slug: string }>('select id, slug from cluster')) cluster[row.slug] = row.id;
});
afterAll(async () => {
  await app.close();
});

it('adopts and executes the seeded fusion, and every question about the past still has its answer', async () => {
  const admin = await idOf('admin@collegia.example');
  const fsdAdmin = await idOf('cluster-admin@frenchsouth.example');
  const [fusion] = await app.sql<{ id: string; plan: { absorbed: { clusterId: string; targetCollegeId: string }[] } }>(
    `select id, plan from proposal where kind = 'FUSION'`,
  );

  // A convention of an absorbed association, signed before the fusion: Media Cloud Cluster with DigitalPlace.
  const partnership = await app.services(admin).proposals.create({
    kind: ProposalKind.PARTNERSHIP,
    title: 'Convention Media Cloud Cluster — DigitalPlace',
    text: 'Coopération sur le cloud.',
    partyClusterIds: [cluster['media-cloud-cluster'], cluster.digitalplace],
    partnershipAxes: ['la mutualisation de services'],
  });
  await adopt(partnership.id, admin);
  const convention = await app.services(admin).fusions.execute(partnership.id);
  expect(convention.conventionId).toEqual(expect.any(String));

  await adopt(fusion.id, fsdAdmin);

  // Before: who is where, since when; what money.
  const before = await app.sql<{ organisation_id: string; member_since: string; cluster_id: string }>(
    `select m.organisation_id, m.member_since::text, c.cluster_id from membership m join college c on c.id = m.college_id
      where m.ended_on is null and c.cluster_id = any($1::uuid[]) order by 1, 3`,
    [ABSORBED.map((slug) => cluster[slug])],
  );
  const fsdMembersBefore = await app.sql<{ n: number }>(
    `select count(*)::int as n from membership m join college c on c.id = m.college_id where m.ended_on is null and c.cluster_id = $1`,
    [cluster['frenchsouth-digital']],
  );
  const allClusters = [cluster['frenchsouth-digital'], ...ABSORBED.map((slug) => cluster[slug])];
  const [moneyBefore] = await money(allClusters);
  const [frozen] = await app.sql<{ id: string; state: string }>(
    `select s.id, s.state from subsidy s join subsidy_freeze f on f.subsidy_id = s.id where f.until_proposal_id = $1`,
    [fusion.id],
  );
  expect(frozen.state).toBe('FROZEN');

  // The fusion takes effect on the 1st of a month ahead: the platform administrator forces it, with a reason.
  const login = await app.gql('mutation($input: LoginInput!) { login(input: $input) { token } }', {
    input: { email: 'admin@collegia.example', password: DEMO_PASSWORD },
  });
  const token = login.body.data!.login.token as string;
  const res = await app.gql(
    `mutation($id: ID!) { executeProposal(proposalId: $id, forceReason: "Demandé par la Région pour débloquer les subventions") {
       clustersMerged membershipsMoved membershipsAlreadyInTarget subsidiesTransferred subsidiesReleased conventionsCarried boardMandatesEnded } }`,
    { id: fusion.id },
    { token },
  );
  expect(res.body.errors).toBeUndefined();
  const report = res.body.data!.executeProposal;
  expect(report).toMatchObject({ clustersMerged: 3, subsidiesReleased: 1, conventionsCarried: 1 });
  expect(report.subsidiesTransferred).toBeGreaterThan(0);
  expect(report.boardMandatesEnded).toBeGreaterThan(0);

  // To the member: everyone continues in the planned collège, with the same seniority.
  expect(report.membershipsMoved + report.membershipsAlreadyInTarget).toBe(before.length);
  const targets = new Map(fusion.plan.absorbed.map((a) => [a.clusterId, a.targetCollegeId]));
  const after = await app.sql<{ organisation_id: string; member_since: string; college_id: string; origin_cluster: string }>(
    `select m.organisation_id, m.member_since::text, m.college_id, oc.cluster_id as origin_cluster
       from membership m join membership o on o.id = m.origin_id join college oc on oc.id = o.college_id
      where m.ended_on is null and o.status = 'MERGED'`,
  );
  expect(after).toHaveLength(report.membershipsMoved);
  for (const moved of after) {
    expect(moved.college_id).toBe(targets.get(moved.origin_cluster));
    expect(before).toContainEqual({
      organisation_id: moved.organisation_id,
      member_since: moved.member_since,
      cluster_id: moved.origin_cluster,
    });
  }
  const [fsdMembersAfter] = await app.sql<{ n: number }>(
    `select count(*)::int as n from membership m join college c on c.id = m.college_id where m.ended_on is null and c.cluster_id = $1`,
    [cluster['frenchsouth-digital']],
  );
  expect(fsdMembersAfter.n).toBe(fsdMembersBefore[0].n + report.membershipsMoved);

  // To the cent: the same money, now all FrenchSouth.digital's; the frozen subsidy is released.
  const [moneyAfter] = await money([cluster['frenchsouth-digital']]);
  expect(moneyAfter).toEqual(moneyBefore);
  const [released] = await app.sql<{ state: string }>('select state from subsidy where id = $1', [frozen.id]);
  expect(released.state).not.toBe('FROZEN');

  // The past stays readable: the associations, their old memberships, their subsidies' history, their votes.
  const media = await app.gql(`query($id: ID!) { cluster(id: $id) { name status successor { name } } }`, {
    id: cluster['media-cloud-cluster'],
  });
  expect(media.body.data!.cluster).toEqual({ name: 'Media Cloud Cluster', status: 'MERGED', successor: { name: 'FrenchSouth.digital' } });
  const [oldOnes] = await app.sql<{ n: number }>(
    `select count(*)::int as n from membership where status = 'MERGED' and end_reason like 'Fusion into FrenchSouth.digital%'`,
  );
  expect(oldOnes.n).toBe(before.length);
  const proposal = await app.gql(
    `query($id: ID!) { proposal(id: $id) { state executionReport { membershipsMoved } parties { cluster { name } adopted tally { ballots } } } }`,
    { id: fusion.id },
    { token },
  );
  expect(proposal.body.data!.proposal.state).toBe('EXECUTED');
  expect(proposal.body.data!.proposal.executionReport.membershipsMoved).toBe(report.membershipsMoved);
  expect(proposal.body.data!.proposal.parties.every((p: { adopted: boolean }) => p.adopted)).toBe(true);
  // The convention Media Cloud Cluster signed now binds FrenchSouth.digital too.
  const conventions = await app.gql(
    `query($id: ID!) { conventions(clusterId: $id) { title parties { cluster { name } carriedFrom { name } } } }`,
    { id: cluster['frenchsouth-digital'] },
    { token },
  );
  expect(conventions.body.data!.conventions).toContainEqual({
    title: 'Convention Media Cloud Cluster — DigitalPlace',
    parties: expect.arrayContaining([{ cluster: { name: 'FrenchSouth.digital' }, carriedFrom: { name: 'Media Cloud Cluster' } }]),
  });
});
