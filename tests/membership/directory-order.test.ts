import { Role } from '../../src/auth/role.js';
import { ProposalKind } from '../../src/governance/proposal.entity.js';
import { BodyKind } from '../../src/governance/voting-body.entity.js';
import { Majority, Secrecy, Weighting, type VotingRules } from '../../src/governance/voting-rules.js';
import { DecisionMode } from '../../src/membership/admission-rule-set.entity.js';
import { ClusterKind } from '../../src/membership/cluster.entity.js';
import { OrganisationKind } from '../../src/membership/organisation-kind.js';
import { ok } from '../governance/support.js';
import { parseCsv } from '../support/csv.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * The directory's sort key lives on the membership row (`membership.sort_name`, issue 14 item 2)
 * so that a collège's page is read from an index in order. The database keeps it equal to the
 * organisation's name whoever writes: an admission (the ORM), a hand-written INSERT or UPDATE, a
 * rename, a fusion's set-based move. The directory and the export follow.
 */
let app: TestApp;
const ids: Record<string, string> = {};
let reader: { token: string };
let representative: { token: string };
let platformAdmin: { token: string; accountId: string };

const MEMBERS = `query($id: ID!, $first: Int, $after: String, $filter: MemberFilterInput) {
  college(id: $id) {
    members(first: $first, after: $after, filter: $filter) {
      totalCount
      edges { node { id organisation { id name } } }
      pageInfo { hasNextPage endCursor }
    }
  }
}`;

const RULES: VotingRules = {
  quorumBasisPoints: 0,
  majority: Majority.SIMPLE,
  abstentionsCount: false,
  weighting: Weighting.PER_VOTER,
  collegeWeights: [],
  doubleMajorityColleges: null,
  proxyLimit: 0,
  proxySameCollege: false,
  secrecy: Secrecy.SECRET,
};

/** Every member's organisation name of a collège, page by page (pages of `first`). */
async function directory(collegeId: string, first = 2, filter?: Record<string, unknown>): Promise<string[]> {
  const names: string[] = [];
  let after: string | null = null;
  for (let pages = 0; pages < 100; pages += 1) {
    const connection = ok(await app.gql(MEMBERS, { id: collegeId, first, after, filter }, { token: reader.token })).college.members as {
      edges: { node: { organisation: { name: string } } }[];
      pageInfo: { hasNextPage: boolean; endCursor: string };
    };
    names.push(...connection.edges.map((edge) => edge.node.organisation.name));
    if (!connection.pageInfo.hasNextPage) return names;
    after = connection.pageInfo.endCursor;
  }
  throw new Error('paging never ended');
}

/** Memberships whose sort key is not their organisation's name (none, ever). */
async function stale(): Promise<unknown[]> {
  return app.sql(
    `select m.id, m.sort_name, o.name from membership m join organisation o on o.id = m.organisation_id where m.sort_name <> o.name`,
  );
}

/** A member admitted through the application (AUTOMATIC rules): the ORM writes the membership. */
async function admit(collegeId: string, name: string): Promise<{ organisationId: string; membershipId: string }> {
  const organisation = await app.services().organisations.createOrganisation({ name, kind: OrganisationKind.COMPANY }, null);
  const application = await app.services().admission.submitApplication(organisation.id, collegeId);
  const [{ id }] = await app.sql<{ id: string }>('select id from membership where application_id = $1', [application.id]);
  return { organisationId: organisation.id, membershipId: id };
}

beforeAll(async () => {
  app = await startTestApp();
  const s = app.services();
  ids.fsd = (await s.clusters.createCluster({ name: 'FrenchSouth.digital', slug: 'fsd', kind: ClusterKind.CLUSTER })).id;
  ids.cloud = (await s.clusters.createCollege({ clusterId: ids.fsd, name: 'Cloud', slug: 'cloud', theme: 'cloud' })).id;
  await s.admission.setAdmissionRules({ collegeId: ids.cloud, criteria: {}, decisionMode: DecisionMode.AUTOMATIC });
  reader = await app.signUp({ role: Role.MEMBER, clusterId: ids.fsd });
  representative = await app.signUp({ role: Role.COLLEGE_REPRESENTATIVE, clusterId: ids.fsd, collegeId: ids.cloud });
  platformAdmin = await app.signUp({ role: Role.ADMIN });
});
afterAll(async () => {
  await app.close();
});

describe('membership.sort_name', () => {
  it('is the organisation name of every new membership, whatever its writer says', async () => {
    const bravo = await admit(ids.cloud, 'Bravo Cloud');
    await admit(ids.cloud, 'Delta Data');
    const [row] = await app.sql<{ sort_name: string }>('select sort_name from membership where id = $1', [bravo.membershipId]);
    expect(row.sort_name).toBe('Bravo Cloud');
    // The ORM reads the database's value back: what the trail records of the new membership is true.
    const trail = await app.sql<{ sort_name: string | null }>(
      `select after->>'sortName' as sort_name from audit_entry where entity_id = $1 and after is not null`,
      [bravo.membershipId],
    );
    for (const entry of trail) expect(entry.sort_name ?? 'Bravo Cloud').toBe('Bravo Cloud');
    // A hand-written INSERT that names another key (or none) gets the organisation's name.
    const [lima] = await app.sql<{ id: string }>(
      `insert into organisation (id, created_at, updated_at, name, kind, affiliations)
       values (gen_random_uuid(), now(), now(), 'Lima Logiciel', 'COMPANY', '{}') returning id`,
    );
    await app.sql(
      `insert into membership (id, created_at, updated_at, organisation_id, college_id, status, started_on, member_since, sort_name)
       values (gen_random_uuid(), now(), now(), $1, $2, 'ACTIVE', current_date, current_date, 'AAA first of all')`,
      [lima.id, ids.cloud],
    );
    // An UPDATE that writes the key is corrected too.
    await app.sql(`update membership set sort_name = 'zzz' where id = $1`, [bravo.membershipId]);
    expect(await stale()).toEqual([]);
    expect(await directory(ids.cloud)).toEqual(['Bravo Cloud', 'Delta Data', 'Lima Logiciel']);
  });

  it('follows a rename: the directory, its cursors and the export take the new name', async () => {
    const alpha = await admit(ids.cloud, 'Alpha Analytics');
    // An ended membership of the same organisation (as of an older day) is renamed too.
    await app.services().memberships.change('resign', alpha.membershipId, 'for the test');
    const again = await app.services().admission.submitApplication(alpha.organisationId, ids.cloud);
    expect(again.state).toBe('APPROVED');
    expect(await directory(ids.cloud)).toEqual(['Alpha Analytics', 'Bravo Cloud', 'Delta Data', 'Lima Logiciel']);
    // A cursor taken before the rename still pages from where it stood.
    const firstPage = ok(await app.gql(MEMBERS, { id: ids.cloud, first: 2 }, { token: reader.token })).college.members;

    await app.services().organisations.updateOrganisation({ id: alpha.organisationId, name: 'Zulu Analytics' });
    expect(await stale()).toEqual([]);
    const keys = await app.sql<{ sort_name: string }>('select sort_name from membership where organisation_id = $1', [
      alpha.organisationId,
    ]);
    expect(keys.map((key) => key.sort_name)).toEqual(['Zulu Analytics', 'Zulu Analytics']);
    expect(await directory(ids.cloud)).toEqual(['Bravo Cloud', 'Delta Data', 'Lima Logiciel', 'Zulu Analytics']);
    for (const first of [1, 3])
      expect(await directory(ids.cloud, first)).toEqual(['Bravo Cloud', 'Delta Data', 'Lima Logiciel', 'Zulu Analytics']);
    const rest = ok(await app.gql(MEMBERS, { id: ids.cloud, first: 10, after: firstPage.pageInfo.endCursor }, { token: reader.token }))
      .college.members;
    expect(rest.edges.map((edge: { node: { organisation: { name: string } } }) => edge.node.organisation.name)).toEqual([
      'Delta Data',
      'Lima Logiciel',
      'Zulu Analytics',
    ]);
    // The search reads the same key.
    expect(await directory(ids.cloud, 10, { search: 'zulu' })).toEqual(['Zulu Analytics']);
    expect(await directory(ids.cloud, 10, { search: 'alpha' })).toEqual([]);

    const res = await fetch(`${app.url}/exports/colleges/${ids.cloud}/members.csv`, {
      headers: { authorization: `Bearer ${representative.token}` },
    });
    expect(res.status).toBe(200);
    const [header, ...rows] = parseCsv(await res.text());
    const name = header.indexOf('organisation_name');
    expect(rows.map((row) => row[name])).toEqual(['Bravo Cloud', 'Delta Data', 'Lima Logiciel', 'Zulu Analytics']);
  });

  it('is carried by a fusion: the moved memberships sort by their organisation in the absorbing collège', async () => {
    const s = app.services();
    ids.media = (await s.clusters.createCluster({ name: 'Association media', slug: 'media', kind: ClusterKind.ASSOCIATION })).id;
    ids.mediaCollege = (await s.clusters.createCollege({ clusterId: ids.media, name: 'Membres', slug: 'membres', theme: 'media' })).id;
    await app.sql(
      `with orgs as (insert into organisation (id, created_at, updated_at, name, kind, affiliations)
                      select gen_random_uuid(), now(), now(), name, 'COMPANY', '{}' from unnest($2::text[]) name returning id)
       insert into membership (id, created_at, updated_at, organisation_id, college_id, status, started_on, member_since)
       select gen_random_uuid(), now(), now(), id, $1, 'ACTIVE', date '2019-01-01', date '2019-01-01' from orgs`,
      [ids.mediaCollege, ['Charlie Média', 'Yankee Presse', 'Echo Radio']],
    );
    for (const [clusterId, collegeId, name] of [
      [ids.fsd, ids.cloud, 'Conseil FSD'],
      [ids.media, ids.mediaCollege, 'Conseil media'],
    ]) {
      await s.bodies.configure({ clusterId, kind: BodyKind.BOARD, name, rules: RULES, seats: [{ collegeId, seats: 3 }] });
    }
    const fsdVoter = await app.signUp();
    await s.bodies.appoint({ clusterId: ids.fsd, collegeId: ids.cloud, accountId: fsdVoter.accountId });
    const mediaVoter = await app.signUp();
    await s.bodies.appoint({ clusterId: ids.media, collegeId: ids.mediaCollege, accountId: mediaVoter.accountId });

    const admin = app.services(platformAdmin.accountId);
    const effectiveDate = new Date(app.clock.now().getTime() + 120 * 86_400_000).toISOString().slice(0, 10);
    const proposal = await admin.proposals.create({
      kind: ProposalKind.FUSION,
      title: 'Fusion-absorption de media',
      text: 'L’association media fusionne dans FrenchSouth.digital.',
      plan: { absorbingClusterId: ids.fsd, effectiveDate, absorbed: [{ clusterId: ids.media, targetCollegeId: ids.cloud }] },
    });
    await admin.proposals.open({ proposalId: proposal.id, closesAt: new Date(app.clock.now().getTime() + 86_400_000) });
    await app.services(fsdVoter.accountId).voting.cast({ proposalId: proposal.id, choice: 'FOR' as never, clusterId: ids.fsd });
    await app.services(mediaVoter.accountId).voting.cast({ proposalId: proposal.id, choice: 'FOR' as never, clusterId: ids.media });
    for (const party of await app.sql<{ id: string }>('select id from proposal_party where proposal_id = $1', [proposal.id])) {
      await admin.voting.close(party.id);
    }
    const executed = ok(
      await app.gql(
        `mutation($id: ID!) { executeProposal(proposalId: $id, forceReason: "Pour le test") { membershipsMoved } }`,
        { id: proposal.id },
        { token: platformAdmin.token },
      ),
    ).executeProposal;
    expect(executed.membershipsMoved).toBe(3);
    expect(await stale()).toEqual([]);
    expect(await directory(ids.cloud)).toEqual([
      'Bravo Cloud',
      'Charlie Média',
      'Delta Data',
      'Echo Radio',
      'Lima Logiciel',
      'Yankee Presse',
      'Zulu Analytics',
    ]);
  });
});
