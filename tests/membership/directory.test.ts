import { Role } from '../../src/auth/role.js';
import { DecisionMode } from '../../src/membership/admission-rule-set.entity.js';
import { ClusterKind } from '../../src/membership/cluster.entity.js';
import type { CreateOrganisationInput } from '../../src/membership/organisation.inputs.js';
import { OrganisationKind } from '../../src/membership/organisation-kind.js';
import { errorCodes, startTestApp, type GraphQLResponse, type TestApp } from '../support/test-app.js';
import { refusal } from '../support/refusals.js';

/**
 * The read side over HTTP: a collège's members as a Relay connection (filters, stable order,
 * paging without overlap or gap), its figures, the representatives' review queue, and a
 * constant number of SQL statements whatever the page size.
 */
let app: TestApp;
let clusterId: string;
let cloudId: string;
let bigId: string;
let reader: { token: string };
let clusterAdmin: { token: string };

const MEMBERS = `query($id: ID!, $first: Int, $after: String, $filter: MemberFilterInput) {
  college(id: $id) {
    members(first: $first, after: $after, filter: $filter) {
      totalCount
      edges { cursor node { id status organisation { name } } }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    }
  }
}`;
const STATS = `query($id: ID!) {
  college(id: $id) { stats { activeMembers suspendedMembers totalHeadcount bySizeClass { sizeClass members headcount } } }
}`;
const QUEUE = `query($collegeId: ID!, $states: [ApplicationState!], $first: Int, $after: String) {
  applications(collegeId: $collegeId, states: $states, first: $first, after: $after) {
    totalCount
    edges { node { id state organisation { name } } }
    pageInfo { hasNextPage endCursor }
  }
}`;

const FORBIDDEN = { code: 'FORBIDDEN', reason: 'RIGHT_MISSING' };
const SIGN_IN_REQUIRED = { code: 'UNAUTHENTICATED', reason: 'SIGN_IN_REQUIRED' };

type Member = { id: string; status: string; organisation: { name: string } };
type MemberConnection = {
  totalCount: number;
  edges: { cursor: string; node: Member }[];
  pageInfo: { hasNextPage: boolean; startCursor: string | null; endCursor: string | null };
};

/** The members' organisation names of one page. */
async function names(filter: Record<string, unknown> | undefined, id = cloudId): Promise<string[]> {
  const res = await app.gql(MEMBERS, { id, first: 50, filter }, { token: reader.token });
  expect(res.body.errors).toBeUndefined();
  return res.body.data!.college.members.edges.map((edge: { node: Member }) => edge.node.organisation.name);
}

/** Every member of a collège, page by page, checking each page's bookkeeping. */
async function allPages(id: string, first: number, filter?: Record<string, unknown>): Promise<Member[]> {
  const members: Member[] = [];
  let after: string | null = null;
  for (let pages = 0; pages < 1000; pages += 1) {
    const res: GraphQLResponse = await app.gql(MEMBERS, { id, first, after, filter }, { token: reader.token });
    expect(res.body.errors).toBeUndefined();
    const connection = res.body.data!.college.members as MemberConnection;
    expect(connection.edges.length).toBeLessThanOrEqual(first);
    members.push(...connection.edges.map((edge: { node: Member }) => edge.node));
    if (connection.edges.length) {
      expect(connection.pageInfo.startCursor).toBe(connection.edges[0].cursor);
      expect(connection.pageInfo.endCursor).toBe(connection.edges.at(-1)!.cursor);
    }
    if (!connection.pageInfo.hasNextPage) {
      expect(members).toHaveLength(connection.totalCount);
      return members;
    }
    expect(connection.edges).toHaveLength(first);
    after = connection.pageInfo.endCursor;
  }
  throw new Error('paging never ended');
}

let serial = 0;

/** A member organisation of a collège in the given status (admitted at once: the rules are AUTOMATIC). */
async function member(collegeId: string, organisation: Partial<CreateOrganisationInput>, status = 'ACTIVE'): Promise<string> {
  const created = await app
    .services()
    .organisations.createOrganisation({ name: `Member ${(serial += 1)}`, kind: OrganisationKind.COMPANY, ...organisation }, null);
  const application = await app.services().admission.submitApplication(created.id, collegeId);
  const [{ id }] = await app.sql('select id from membership where application_id = $1', [application.id]);
  const operation = { SUSPENDED: 'suspend', RESIGNED: 'resign', EXCLUDED: 'exclude' }[status] as
    'suspend' | 'resign' | 'exclude' | undefined;
  if (operation) await app.services().memberships.change(operation, id, 'for the test');
  return id;
}

beforeAll(async () => {
  // Pages of 200 members with nested lists are what the statement counts below compare; the cost
  // limit (which refuses such a document in production) is not what this file tests.
  app = await startTestApp({ env: { GRAPHQL_MAX_COST: '1000000' } });
  clusterId = (await app.services().clusters.createCluster({ name: 'FrenchSouth.digital', slug: 'fsd', kind: ClusterKind.CLUSTER })).id;
  cloudId = (await app.services().clusters.createCollege({ clusterId, name: 'Cloud', slug: 'cloud', theme: 'cloud' })).id;
  bigId = (await app.services().clusters.createCollege({ clusterId, name: 'Économie numérique', slug: 'eco', theme: 'digital economy' }))
    .id;
  for (const collegeId of [cloudId, bigId]) {
    await app.services().admission.setAdmissionRules({ collegeId, criteria: {}, decisionMode: DecisionMode.AUTOMATIC });
  }
  // Names start with distinct capitals so that their order is the same under any collation.
  await member(cloudId, { name: 'Foxtrot AxB Studio', headcount: 40, departement: '34' }, 'SUSPENDED');
  await member(cloudId, { name: 'Twin', headcount: 20, departement: '34' });
  await member(cloudId, { name: 'Atelier Numérique', headcount: 5, departement: '34' });
  await member(cloudId, { name: 'Gamma nuage', headcount: 2, departement: '2A' }, 'RESIGNED');
  await member(cloudId, { name: 'Beta NUAGE', headcount: 12, departement: '31' });
  await member(cloudId, { name: 'Delta 100 Cloud', headcount: 6000, departement: '13' });
  await member(cloudId, { name: 'Cumulus 100% Cloud', headcount: 300, departement: '34' });
  await member(cloudId, { name: 'Echo A_B Studio' });
  await member(cloudId, { name: 'Hotel', headcount: 100, departement: '34' }, 'EXCLUDED');
  await member(cloudId, { name: 'Twin', headcount: 20, departement: '34' });

  // 210 members for the big collège, straight in SQL: some share a name, so the id breaks ties.
  await app.sql(
    `with orgs as (
       insert into organisation (id, created_at, updated_at, name, kind, headcount, departement, region, affiliations)
       select gen_random_uuid(), now(), now(), 'Org ' || lpad((i % 150)::text, 3, '0'), 'COMPANY', i * 13, '34', 'Occitanie', '{}'
         from generate_series(1, 210) as i
       returning id)
     insert into membership (id, created_at, updated_at, organisation_id, college_id, status, started_on, member_since)
     select gen_random_uuid(), now(), now(), id, $1, 'ACTIVE', current_date, current_date from orgs`,
    [bigId],
  );
  reader = await app.signUp({ role: Role.MEMBER, clusterId });
  clusterAdmin = await app.signUp({ role: Role.CLUSTER_ADMIN, clusterId });
});
afterAll(async () => {
  await app.close();
});

describe('college.members', () => {
  it('lists the current members (ACTIVE and SUSPENDED) by organisation name, then id', async () => {
    const res = await app.gql(MEMBERS, { id: cloudId, first: 50 }, { token: reader.token });
    expect(res.body.errors).toBeUndefined();
    const connection = res.body.data!.college.members;
    expect(connection.totalCount).toBe(8);
    expect(connection.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: false });
    const nodes: Member[] = connection.edges.map((edge: { node: Member }) => edge.node);
    expect(nodes.map((node) => [node.organisation.name, node.status])).toEqual([
      ['Atelier Numérique', 'ACTIVE'],
      ['Beta NUAGE', 'ACTIVE'],
      ['Cumulus 100% Cloud', 'ACTIVE'],
      ['Delta 100 Cloud', 'ACTIVE'],
      ['Echo A_B Studio', 'ACTIVE'],
      ['Foxtrot AxB Studio', 'SUSPENDED'],
      ['Twin', 'ACTIVE'],
      ['Twin', 'ACTIVE'],
    ]);
    const twins = nodes.filter((node) => node.organisation.name === 'Twin').map((node) => node.id);
    expect(twins).toEqual([...twins].sort());
  });

  it.each<[string, Record<string, unknown>, string[]]>([
    ['statuses', { statuses: ['RESIGNED', 'EXCLUDED'] }, ['Gamma nuage', 'Hotel']],
    ['statuses, suspended only', { statuses: ['SUSPENDED'] }, ['Foxtrot AxB Studio']],
    ['size class', { sizeClass: 'PME' }, ['Beta NUAGE', 'Foxtrot AxB Studio', 'Twin', 'Twin']],
    ['size class GE', { sizeClass: 'GE' }, ['Delta 100 Cloud']],
    ['département', { departement: '34' }, ['Atelier Numérique', 'Cumulus 100% Cloud', 'Foxtrot AxB Studio', 'Twin', 'Twin']],
    ['a Corsican département', { departement: '2A', statuses: ['RESIGNED'] }, ['Gamma nuage']],
    ['search, case-insensitive', { search: 'nuage' }, ['Beta NUAGE']],
    ['search over ended memberships too', { search: 'NUAGE', statuses: ['ACTIVE', 'RESIGNED'] }, ['Beta NUAGE', 'Gamma nuage']],
    ['search with accents', { search: 'numérique' }, ['Atelier Numérique']],
    ['search for a literal %', { search: '100%' }, ['Cumulus 100% Cloud']],
    ['search for a literal _', { search: 'A_B' }, ['Echo A_B Studio']],
    ['search for a backslash', { search: '\\' }, []],
    ['search trimmed', { search: '  twin ' }, ['Twin', 'Twin']],
    ['every filter at once', { sizeClass: 'PME', departement: '34', search: 'TWIN', statuses: ['ACTIVE'] }, ['Twin', 'Twin']],
    ['a filter nothing matches', { sizeClass: 'ETI', departement: '13' }, []],
  ])('filters by %s', async (_label, filter, expected) => {
    expect(await names(filter)).toEqual(expected);
  });

  it('refuses an unknown département in the filter', async () => {
    const res = await app.gql(MEMBERS, { id: cloudId, filter: { departement: '20' } }, { token: reader.token });
    expect(errorCodes(res)).toEqual(['BAD_USER_INPUT']);
    // The path names the argument the bad value came in: `filter`, not `input`.
    expect(res.body.errors![0].extensions!.fields.map((f: { field: string }) => f.field)).toEqual(['filter.departement']);
  });

  it('pages with first/after without overlap or gap, whatever the page size', async () => {
    const everyone = (await allPages(cloudId, 50)).map((m) => m.id);
    expect(everyone).toHaveLength(8);
    for (const size of [1, 3, 7]) expect((await allPages(cloudId, size)).map((m) => m.id)).toEqual(everyone);
    const filtered = await allPages(cloudId, 2, { departement: '34' });
    expect(filtered.map((m) => m.organisation.name)).toEqual([
      'Atelier Numérique',
      'Cumulus 100% Cloud',
      'Foxtrot AxB Studio',
      'Twin',
      'Twin',
    ]);
  });

  it('pages through 210 members, duplicate names included, in the order the database gives by name then id', async () => {
    const expected = await app.sql<{ id: string }>(
      `select m.id from membership m join organisation o on o.id = m.organisation_id where m.college_id = $1 order by o.name, m.id`,
      [bigId],
    );
    const paged = await allPages(bigId, 23);
    expect(paged.map((m) => m.id)).toEqual(expected.map((row) => row.id));
    expect(new Set(paged.map((m) => m.id)).size).toBe(210);
    const [whole] = [await allPages(bigId, 200)];
    expect(whole.map((m) => m.id)).toEqual(expected.map((row) => row.id));
  });

  it('refuses a page size over 200, and a cursor that is not one', async () => {
    expect(errorCodes(await app.gql(MEMBERS, { id: bigId, first: 201 }, { token: reader.token }))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await app.gql(MEMBERS, { id: bigId, first: 10, after: 'nonsense' }, { token: reader.token }))).toEqual([
      'BAD_USER_INPUT',
    ]);
  });

  it('keeps the total past the last page, and refuses a well-formed cursor of another shape', async () => {
    const [last] = (await app.gql(MEMBERS, { id: cloudId, first: 50 }, { token: reader.token })).body.data!.college.members.edges.slice(-1);
    const beyond = await app.gql(MEMBERS, { id: cloudId, first: 5, after: last.cursor }, { token: reader.token });
    expect(beyond.body.errors).toBeUndefined();
    expect(beyond.body.data!.college.members).toMatchObject({
      totalCount: 8,
      edges: [],
      pageInfo: { hasNextPage: false, hasPreviousPage: true, startCursor: null, endCursor: null },
    });
    for (const foreign of [['Twin'], ['Twin', 'not-a-uuid'], [1, 2], { name: 'Twin' }]) {
      const cursor = Buffer.from(JSON.stringify(foreign)).toString('base64url');
      const res = await app.gql(MEMBERS, { id: cloudId, first: 5, after: cursor }, { token: reader.token });
      expect(errorCodes(res)).toEqual(['BAD_USER_INPUT']);
      expect(res.body.errors![0].extensions).toMatchObject({ fields: [{ field: 'after' }] });
    }
  });

  it('answers every field of a member as the organisation’s own history does (directory rows are read in SQL)', async () => {
    const FIELDS = `id createdAt updatedAt status startedOn memberSince endedOn endReason origin { id } college { id name }
      organisation { id createdAt updatedAt name kind siren siret headcount sizeClass foundedOn departement region website affiliations }`;
    const res = await app.gql(
      `query($id: ID!) { college(id: $id) { members(first: 20, filter: { statuses: [ACTIVE, SUSPENDED, RESIGNED, EXCLUDED] }) { edges { node { ${FIELDS} } } } } }`,
      { id: cloudId },
      {
        token: reader.token,
      },
    );
    expect(res.body.errors).toBeUndefined();
    const rows = res.body.data!.college.members.edges.map((edge: { node: { organisation: { id: string } } }) => edge.node);
    expect(rows).toHaveLength(10);
    expect(rows.filter((row: { endedOn: string | null; endReason: string | null }) => row.endedOn && row.endReason)).toHaveLength(2);
    for (const row of rows) {
      const history = await app.gql(
        `query($id: ID!) { organisation(id: $id) { memberships { ${FIELDS} } } }`,
        { id: row.organisation.id },
        {
          token: clusterAdmin.token,
        },
      );
      expect(history.body.errors).toBeUndefined();
      expect(history.body.data!.organisation.memberships).toContainEqual(row);
    }
  });

  it('is read by roles of the cluster, not by strangers or anonymous callers', async () => {
    const stranger = await app.signUp();
    const refused = await app.gql(MEMBERS, { id: cloudId }, { token: stranger.token });
    expect(refusal(refused)).toEqual(FORBIDDEN);
    expect(refused.body.errors![0].message).toBe(
      'Only the administrators, representatives, treasurers, board members or members of Cloud (or a platform administrator) may read the members of this collège.',
    );
    expect(refusal(await app.gql(MEMBERS, { id: cloudId }))).toEqual(SIGN_IN_REQUIRED);
    const otherCluster = (await app.services().clusters.createCluster({ name: 'Telecom Valley', slug: 'tv', kind: ClusterKind.CLUSTER }))
      .id;
    const outsider = await app.signUp({ role: Role.CLUSTER_ADMIN, clusterId: otherCluster });
    expect(refusal(await app.gql(MEMBERS, { id: cloudId }, { token: outsider.token }))).toEqual(FORBIDDEN);
    expect(refusal(await app.gql(STATS, { id: cloudId }, { token: outsider.token }))).toEqual(FORBIDDEN);
  });

  it('issues the same number of SQL statements for a page of 10 members and a page of 200', async () => {
    const query = `query($id: ID!, $first: Int!) {
      college(id: $id) {
        name
        members(first: $first) {
          totalCount
          edges {
            cursor
            node {
              id status startedOn memberSince endedOn endReason createdAt
              organisation { id name sizeClass departement region headcount }
              college { name }
              origin { id }
              events { kind effectiveOn reason }
            }
          }
          pageInfo { hasNextPage endCursor }
        }
      }
    }`;
    const count = async (first: number) => {
      app.resetSqlCount();
      const res = await app.gql(query, { id: bigId, first }, { token: reader.token });
      const statements = app.sqlCount();
      expect(res.body.errors).toBeUndefined();
      const edges = res.body.data!.college.members.edges;
      expect(edges).toHaveLength(first);
      expect(
        edges.every(
          (edge: { node: { college: { name: string }; organisation: { name: string } } }) =>
            edge.node.college.name === 'Économie numérique',
        ),
      ).toBe(true);
      expect(edges.every((edge: { node: { organisation: { sizeClass: string } } }) => edge.node.organisation.sizeClass)).toBe(true);
      return statements;
    };
    await count(10); // warm-up: metadata, session bookkeeping
    const ten = await count(10);
    const twoHundred = await count(200);
    expect(twoHundred).toBe(ten);
  });
});

describe('college.stats', () => {
  it('counts active members, their employees and the members by size class (suspended apart, ended left out)', async () => {
    const res = await app.gql(STATS, { id: cloudId }, { token: reader.token });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data!.college.stats).toEqual({
      activeMembers: 7,
      suspendedMembers: 1,
      totalHeadcount: 5 + 12 + 300 + 6000 + 20 + 20,
      bySizeClass: [
        { sizeClass: 'TPE', members: 1, headcount: 5 },
        { sizeClass: 'PME', members: 3, headcount: 52 },
        { sizeClass: 'ETI', members: 1, headcount: 300 },
        { sizeClass: 'GE', members: 1, headcount: 6000 },
        { sizeClass: null, members: 1, headcount: 0 },
      ],
    });
  });

  it('adds up a large collège', async () => {
    const res = await app.gql(STATS, { id: bigId }, { token: reader.token });
    const stats = res.body.data!.college.stats;
    expect(stats.activeMembers).toBe(210);
    expect(stats.totalHeadcount).toBe((13 * 210 * 211) / 2);
    expect(stats.bySizeClass.reduce((sum: number, c: { members: number }) => sum + c.members, 0)).toBe(210);
  });
});

describe('applications (the review queue)', () => {
  let queueId: string;
  let rep: { token: string };
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    queueId = (await app.services().clusters.createCollege({ clusterId, name: 'Start-ups', slug: 'startups', theme: 'start-ups' })).id;
    await app.services().admission.setAdmissionRules({ collegeId: queueId, criteria: {}, decisionMode: DecisionMode.REPRESENTATIVE });
    const account = await app.signUp();
    await app.services().representatives.appoint({ collegeId: queueId, accountId: account.accountId });
    rep = account;
    // Submitted one after the other, so their submission times differ.
    for (const name of ['Zulu', 'Yankee', 'X-ray', 'Whiskey', 'Victor']) {
      const organisation = await app.services().organisations.createOrganisation({ name, kind: OrganisationKind.COMPANY }, null);
      ids[name] = (await app.services().admission.submitApplication(organisation.id, queueId)).id;
    }
    await app.services().admission.startReview(ids['X-ray']);
    await app.services().admission.withdrawApplication(ids.Yankee);
    await app.services().admission.decideApplication({ applicationId: ids.Whiskey, decision: 'REJECT' as never, reason: 'off-topic' });
  });

  const queue = async (variables: Record<string, unknown>, token = rep.token) => {
    const res = await app.gql(QUEUE, { collegeId: queueId, ...variables }, { token });
    expect(res.body.errors).toBeUndefined();
    return res.body.data!.applications;
  };

  it('lists the applications awaiting a decision, oldest first', async () => {
    const pending = await queue({});
    expect(pending.totalCount).toBe(3);
    expect(
      pending.edges.map((e: { node: { organisation: { name: string }; state: string } }) => [e.node.organisation.name, e.node.state]),
    ).toEqual([
      ['Zulu', 'SUBMITTED'],
      ['X-ray', 'UNDER_REVIEW'],
      ['Victor', 'SUBMITTED'],
    ]);
  });

  it('filters by state and pages without overlap', async () => {
    const decided = await queue({ states: ['REJECTED', 'WITHDRAWN'] });
    expect(decided.edges.map((e: { node: { organisation: { name: string } } }) => e.node.organisation.name)).toEqual(['Yankee', 'Whiskey']);
    const all = ['SUBMITTED', 'UNDER_REVIEW', 'APPROVED', 'REJECTED', 'WITHDRAWN'];
    const first = await queue({ states: all, first: 2 });
    expect(first.pageInfo.hasNextPage).toBe(true);
    const second = await queue({ states: all, first: 2, after: first.pageInfo.endCursor });
    const third = await queue({ states: all, first: 2, after: second.pageInfo.endCursor });
    expect(third.pageInfo.hasNextPage).toBe(false);
    expect(
      [...first.edges, ...second.edges, ...third.edges].map((e: { node: { organisation: { name: string } } }) => e.node.organisation.name),
    ).toEqual(['Zulu', 'Yankee', 'X-ray', 'Whiskey', 'Victor']);
  });

  it("is the collège's: representatives of another collège, members and strangers may not read it", async () => {
    expect((await queue({}, clusterAdmin.token)).totalCount).toBe(3);
    const otherRep = await app.signUp({ role: Role.COLLEGE_REPRESENTATIVE, clusterId, collegeId: cloudId });
    const stranger = await app.signUp();
    for (const token of [otherRep.token, reader.token, stranger.token]) {
      expect(refusal(await app.gql(QUEUE, { collegeId: queueId }, { token }))).toEqual(FORBIDDEN);
    }
    expect(refusal(await app.gql(QUEUE, { collegeId: queueId }))).toEqual(SIGN_IN_REQUIRED);
  });

  it('answers NOT_FOUND for an unknown collège', async () => {
    const res = await app.gql(QUEUE, { collegeId: '00000000-0000-4000-8000-000000000000' }, { token: rep.token });
    expect(refusal(res)).toEqual({ code: 'NOT_FOUND', reason: 'NOT_FOUND' });
  });

  it('refuses a collège id that is not a UUID, naming the argument', async () => {
    const res = await app.gql(QUEUE, { collegeId: 'startups' }, { token: rep.token });
    expect(refusal(res)).toEqual({ code: 'BAD_USER_INPUT', reason: 'INVALID_INPUT' });
    expect(res.body.errors![0].extensions!.fields).toEqual([{ field: 'collegeId', messages: ['must be a UUID'] }]);
  });
});

describe('Membership.lineage', () => {
  let lineageId: string;

  beforeAll(async () => {
    const college = async (name: string, slug: string) =>
      (await app.services().clusters.createCollege({ clusterId, name, slug, theme: name })).id;
    lineageId = await college('Lineage', 'lineage');
    const originsId = await college('Origins', 'origins');
    const crossroadsId = await college('Crossroads', 'crossroads');
    // 210 members, each the third of a chain: a membership of Origins transferred to Crossroads, then here.
    await app.sql(
      `with orgs as (
         insert into organisation (id, created_at, updated_at, name, kind, affiliations)
         select gen_random_uuid(), now(), now(), 'Heir ' || lpad(i::text, 3, '0'), 'COMPANY', '{}' from generate_series(1, 210) as i
         returning id),
       first as (
         insert into membership (id, created_at, updated_at, organisation_id, college_id, status, started_on, member_since, ended_on, end_reason)
         select gen_random_uuid(), now(), now(), id, $2, 'TRANSFERRED', '2019-01-01', '2019-01-01', '2021-01-01', 'moved' from orgs
         returning id, organisation_id),
       second as (
         insert into membership (id, created_at, updated_at, organisation_id, college_id, status, started_on, member_since, ended_on, end_reason, origin_id)
         select gen_random_uuid(), now(), now(), organisation_id, $3, 'TRANSFERRED', '2021-01-01', '2019-01-01', '2022-01-01', 'moved again', id
           from first
         returning id, organisation_id)
       insert into membership (id, created_at, updated_at, organisation_id, college_id, status, started_on, member_since, origin_id)
       select gen_random_uuid(), now(), now(), organisation_id, $1, 'ACTIVE', '2022-01-01', '2019-01-01', id from second`,
      [lineageId, originsId, crossroadsId],
    );
  });

  it('lists the chain a membership continues, first one first', async () => {
    const res = await app.gql(
      `query($id: ID!) { college(id: $id) { members(first: 1) { edges { node { id lineage { id status startedOn college { name } } } } } } }`,
      { id: lineageId },
      { token: reader.token },
    );
    expect(res.body.errors).toBeUndefined();
    const [{ node }] = res.body.data!.college.members.edges;
    expect(
      node.lineage.map((m: { status: string; startedOn: string; college: { name: string } }) => [m.college.name, m.status, m.startedOn]),
    ).toEqual([
      ['Origins', 'TRANSFERRED', '2019-01-01'],
      ['Crossroads', 'TRANSFERRED', '2021-01-01'],
      ['Lineage', 'ACTIVE', '2022-01-01'],
    ]);
    expect(node.lineage.at(-1).id).toBe(node.id);
  });

  it('issues the same number of SQL statements for the lineages of 10 members and of 200', async () => {
    const query = `query($id: ID!, $first: Int!) {
      college(id: $id) { members(first: $first) { edges { node { id lineage { id status college { name } } } } } }
    }`;
    const count = async (first: number) => {
      app.resetSqlCount();
      const res = await app.gql(query, { id: lineageId, first }, { token: reader.token });
      const statements = app.sqlCount();
      expect(res.body.errors).toBeUndefined();
      const edges = res.body.data!.college.members.edges as {
        node: { id: string; lineage: { id: string; college: { name: string } }[] };
      }[];
      expect(edges).toHaveLength(first);
      for (const { node } of edges) {
        expect(node.lineage.map((m) => m.college.name)).toEqual(['Origins', 'Crossroads', 'Lineage']);
        expect(node.lineage.at(-1)!.id).toBe(node.id);
      }
      return statements;
    };
    await count(10); // warm-up
    const ten = await count(10);
    const twoHundred = await count(200);
    expect(twoHundred).toBe(ten);
  });
});

describe('College.stats over a list of collèges', () => {
  let statsClusterId: string;
  let statsReader: { token: string };

  beforeAll(async () => {
    statsClusterId = (await app.services().clusters.createCluster({ name: 'Figures', slug: 'figures', kind: ClusterKind.CLUSTER })).id;
    statsReader = await app.signUp({ role: Role.MEMBER, clusterId: statsClusterId });
  });

  /** Adds collèges to the cluster until it has `total`, each with two active members (10 and 20 employees). */
  async function growTo(total: number): Promise<void> {
    const [{ count }] = await app.sql<{ count: number }>('select count(*)::int as count from college where cluster_id = $1', [
      statsClusterId,
    ]);
    await app.sql(
      `with colleges as (
         insert into college (id, created_at, updated_at, cluster_id, name, slug, theme)
         select gen_random_uuid(), now(), now(), $1, 'Figures ' || lpad(i::text, 3, '0'), 'figures-' || i, 'figures'
           from generate_series($2::int + 1, $3::int) as i
         returning id),
       orgs as (
         insert into organisation (id, created_at, updated_at, name, kind, headcount, affiliations)
         select gen_random_uuid(), now(), now(), 'Counted ' || colleges.id || ' ' || k, 'COMPANY', k * 10, '{}'
           from colleges cross join generate_series(1, 2) as k
         returning id, split_part(name, ' ', 2)::uuid as college_id)
       insert into membership (id, created_at, updated_at, organisation_id, college_id, status, started_on, member_since)
       select gen_random_uuid(), now(), now(), id, college_id, 'ACTIVE', current_date, current_date from orgs`,
      [statsClusterId, count, total],
    );
  }

  it('issues the same number of SQL statements for the figures of 10 collèges and of 200', async () => {
    const query = `query($id: ID!) { cluster(id: $id) { colleges { name stats { activeMembers totalHeadcount bySizeClass { sizeClass members } } } } }`;
    const count = async (colleges: number) => {
      app.resetSqlCount();
      const res = await app.gql(query, { id: statsClusterId }, { token: statsReader.token });
      const statements = app.sqlCount();
      expect(res.body.errors).toBeUndefined();
      const list = res.body.data!.cluster.colleges as { stats: unknown }[];
      expect(list).toHaveLength(colleges);
      for (const { stats } of list) {
        expect(stats).toEqual({ activeMembers: 2, totalHeadcount: 30, bySizeClass: [{ sizeClass: 'PME', members: 2 }] });
      }
      return statements;
    };
    await growTo(10);
    await count(10); // warm-up
    const ten = await count(10);
    await growTo(200);
    const twoHundred = await count(200);
    expect(twoHundred).toBe(ten);
  });
});
