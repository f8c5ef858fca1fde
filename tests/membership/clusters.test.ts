import { randomUUID } from 'node:crypto';
import { Role } from '../../src/auth/role.js';
import { errorCodes, startTestApp, type GraphQLResponse, type TestApp } from '../support/test-app.js';
import { refusal } from '../support/refusals.js';

const CLUSTERS = `query($filter: ClusterFilter) {
  clusters(filter: $filter) { id name slug kind status region parent { name } successor { name } colleges { name slug cluster { slug } } }
}`;
const CLUSTER = `query($id: ID, $slug: String) { cluster(id: $id, slug: $slug) { id name slug kind status region parent { slug } successor { slug } colleges { slug } } }`;
const COLLEGE = `query($id: ID, $clusterSlug: String, $slug: String) {
  college(id: $id, clusterSlug: $clusterSlug, slug: $slug) { id name slug theme cluster { slug } }
}`;
const CREATE_CLUSTER = `mutation($input: CreateClusterInput!) { createCluster(input: $input) { cluster { id name slug kind parent { slug } } } }`;
const UPDATE_CLUSTER = `mutation($input: UpdateClusterInput!) { updateCluster(input: $input) { cluster { id name region description website } } }`;
const CREATE_COLLEGE = `mutation($input: CreateCollegeInput!) { createCollege(input: $input) { college { id name slug theme cluster { slug } } } }`;
const UPDATE_COLLEGE = `mutation($input: UpdateCollegeInput!) { updateCollege(input: $input) { college { id name theme description } } }`;

const NOT_FOUND = { code: 'NOT_FOUND', reason: 'NOT_FOUND' };
const CLUSTER_NOT_ACTIVE = { code: 'CONFLICT', reason: 'CLUSTER_NOT_ACTIVE' };

/** The fields a BAD_USER_INPUT response names, sorted; `reason`, when given, is the refusal's. */
function badFields(res: GraphQLResponse, reason?: string): string[] {
  expect(errorCodes(res)).toEqual(['BAD_USER_INPUT']);
  if (reason) expect(refusal(res).reason).toBe(reason);
  return res.body.errors![0].extensions!.fields.map((problem: { field: string }) => problem.field).sort();
}

describe('with the demo seed', () => {
  let app: TestApp;
  let admin: string;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    app = await startTestApp();
    await app.seedDemo();
    admin = (await app.signUp({ role: Role.ADMIN })).token;
    for (const row of await app.sql<{ id: string; slug: string }>('select id, slug from cluster')) ids[row.slug] = row.id;
  });
  afterAll(async () => {
    await app.close();
  });

  const clusterSlugged = async (slug: string) => (await app.gql(CLUSTER, { slug })).body.data!.cluster;

  describe('reading', () => {
    it('clusters lists the federation, the cluster, the three associations to merge and the two neighbours, by name', async () => {
      const res = await app.gql(CLUSTERS);
      expect(res.body.errors).toBeUndefined();
      const list = res.body.data!.clusters.map((c: Record<string, unknown>) => [
        c.name,
        c.kind,
        c.status,
        (c.parent as { name: string } | null)?.name ?? null,
      ]);
      expect(list).toEqual([
        ['DigitalPlace', 'CLUSTER', 'ACTIVE', 'France Clusters'],
        ['France Clusters', 'FEDERATION', 'ACTIVE', null],
        ['FrenchSouth.digital', 'CLUSTER', 'ACTIVE', 'France Clusters'],
        ['Media Cloud Cluster', 'ASSOCIATION', 'ACTIVE', 'France Clusters'],
        ['Novae LR', 'ASSOCIATION', 'ACTIVE', 'France Clusters'],
        ['PixLR', 'ASSOCIATION', 'ACTIVE', 'France Clusters'],
        ['Telecom Valley', 'CLUSTER', 'ACTIVE', 'France Clusters'],
      ]);
    });

    it('FrenchSouth.digital belongs to France Clusters, sits in Occitanie and has its five collèges, by name', async () => {
      const res = await app.gql(CLUSTERS);
      const frenchSouth = res.body.data!.clusters.find((c: { slug: string }) => c.slug === 'frenchsouth-digital');
      expect(frenchSouth).toMatchObject({
        name: 'FrenchSouth.digital',
        region: 'Occitanie',
        parent: { name: 'France Clusters' },
        successor: null,
      });
      const byName = await app.sql('select name from college where cluster_id = $1 order by name', [ids['frenchsouth-digital']]);
      expect(frenchSouth.colleges.map((c: { name: string }) => c.name)).toEqual(byName.map((row) => row.name));
      expect(frenchSouth.colleges.map((c: { slug: string }) => c.slug).sort()).toEqual([
        'cloud',
        'creation-numerique',
        'economie-numerique',
        'enseignement-superieur-recherche',
        'startups-entrepreneurs',
      ]);
      for (const college of frenchSouth.colleges) expect(college.cluster).toEqual({ slug: 'frenchsouth-digital' });
    });

    it('filters by kind, status and federation', async () => {
      const names = async (filter: Record<string, unknown>) =>
        (await app.gql(CLUSTERS, { filter })).body.data!.clusters.map((c: { name: string }) => c.name);
      expect(await names({ kind: 'ASSOCIATION' })).toEqual(['Media Cloud Cluster', 'Novae LR', 'PixLR']);
      expect(await names({ parentId: ids['france-clusters'] })).toEqual([
        'DigitalPlace',
        'FrenchSouth.digital',
        'Media Cloud Cluster',
        'Novae LR',
        'PixLR',
        'Telecom Valley',
      ]);
      expect(await names({ status: 'MERGED' })).toEqual([]);
    });

    it('cluster finds one by slug or by id, and is null for an unknown one', async () => {
      expect(await clusterSlugged('frenchsouth-digital')).toMatchObject({
        id: ids['frenchsouth-digital'],
        name: 'FrenchSouth.digital',
        parent: { slug: 'france-clusters' },
      });
      expect((await app.gql(CLUSTER, { id: ids['telecom-valley'] })).body.data!.cluster).toMatchObject({
        slug: 'telecom-valley',
        region: "Provence-Alpes-Côte d'Azur",
      });
      expect(await app.gql(CLUSTER, { slug: 'south-french-digital' })).toMatchObject({ body: { data: { cluster: null } } });
      expect((await app.gql(CLUSTER, { id: randomUUID() })).body).toEqual({ data: { cluster: null } });
    });

    it('cluster refuses a malformed id or no key at all with BAD_USER_INPUT, not an internal error', async () => {
      expect(badFields(await app.gql(CLUSTER, { id: 'frenchsouth-digital' }))).toEqual(['id']);
      expect(badFields(await app.gql(CLUSTER, {}))).toEqual(['id']);
    });

    it('college finds one by cluster slug and slug, or by id; null when unknown', async () => {
      const startups = (await app.gql(COLLEGE, { clusterSlug: 'frenchsouth-digital', slug: 'startups-entrepreneurs' })).body.data!.college;
      expect(startups).toMatchObject({
        name: 'Start-ups & Entrepreneurs',
        slug: 'startups-entrepreneurs',
        cluster: { slug: 'frenchsouth-digital' },
      });
      expect((await app.gql(COLLEGE, { id: startups.id })).body.data!.college).toEqual(startups);
      // "membres" exists, but in the three associations, not in FrenchSouth.digital.
      expect((await app.gql(COLLEGE, { clusterSlug: 'frenchsouth-digital', slug: 'membres' })).body).toEqual({ data: { college: null } });
      expect((await app.gql(COLLEGE, { clusterSlug: 'pixlr', slug: 'membres' })).body.data!.college).toMatchObject({
        name: 'Création numérique',
        cluster: { slug: 'pixlr' },
      });
      expect((await app.gql(COLLEGE, { clusterSlug: 'nowhere', slug: 'cloud' })).body).toEqual({ data: { college: null } });
      expect((await app.gql(COLLEGE, { id: randomUUID() })).body).toEqual({ data: { college: null } });
      expect(badFields(await app.gql(COLLEGE, { id: 'cloud' }))).toEqual(['id']);
      expect(badFields(await app.gql(COLLEGE, { slug: 'cloud' }))).toEqual(['id']);
    });
  });

  describe('createCluster', () => {
    it('creates a member of a federation, listed with its parent', async () => {
      const res = await app.gql(
        CREATE_CLUSTER,
        {
          input: {
            name: '  Minalogic  ',
            slug: 'minalogic',
            kind: 'CLUSTER',
            parentId: ids['france-clusters'],
            region: 'Auvergne-Rhône-Alpes',
            website: 'https://www.minalogic.com',
          },
        },
        { token: admin },
      );
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data!.createCluster.cluster).toMatchObject({
        name: 'Minalogic',
        slug: 'minalogic',
        kind: 'CLUSTER',
        parent: { slug: 'france-clusters' },
      });
      ids.minalogic = res.body.data!.createCluster.cluster.id;
      expect(await clusterSlugged('minalogic')).toMatchObject({ region: 'Auvergne-Rhône-Alpes', status: 'ACTIVE', colleges: [] });
    });

    it.each(['Bad Slug', 'UPPER', 'a', '-lead', 'trail-', 'double--dash', 'accentué', 'x'.repeat(81)])(
      'refuses the slug %p, naming input.slug',
      async (slug) => {
        const res = await app.gql(CREATE_CLUSTER, { input: { name: 'Whatever', slug, kind: 'CLUSTER' } }, { token: admin });
        expect(badFields(res)).toEqual(['input.slug']);
      },
    );

    it('names every bad field at once: blank name, bad slug, non-http website', async () => {
      const res = await app.gql(
        CREATE_CLUSTER,
        { input: { name: '   ', slug: 'Nope', kind: 'CLUSTER', website: 'ftp://example.org' } },
        { token: admin },
      );
      expect(badFields(res)).toEqual(['input.name', 'input.slug', 'input.website']);
    });

    it('refuses a parent that is not a federation, or that does not exist, naming input.parentId', async () => {
      for (const [parentId, reason] of [
        [ids['frenchsouth-digital'], 'PARENT_NOT_FEDERATION'],
        [ids['pixlr'], 'PARENT_NOT_FEDERATION'],
        [randomUUID(), 'REFERENCE_MISSING'],
      ]) {
        const res = await app.gql(
          CREATE_CLUSTER,
          { input: { name: 'Sub', slug: 'sub-cluster', kind: 'CLUSTER', parentId } },
          { token: admin },
        );
        expect(badFields(res, reason)).toEqual(['input.parentId']);
      }
      expect(await clusterSlugged('sub-cluster')).toBeNull();
    });

    it('refuses a slug already taken with CONFLICT', async () => {
      const res = await app.gql(
        CREATE_CLUSTER,
        { input: { name: 'Another FrenchSouth', slug: 'frenchsouth-digital', kind: 'CLUSTER' } },
        { token: admin },
      );
      expect(refusal(res)).toEqual({ code: 'CONFLICT', reason: 'CLUSTER_SLUG_TAKEN' });
      expect(res.body.errors![0].extensions!.field).toBe('input.slug');
      expect(await app.sql("select name from cluster where slug = 'frenchsouth-digital'")).toEqual([{ name: 'FrenchSouth.digital' }]);
    });

    it('is for ADMIN only', async () => {
      const clusterAdmin = await app.signUp({ role: Role.CLUSTER_ADMIN, clusterId: ids['frenchsouth-digital'] });
      const input = { name: 'Rogue', slug: 'rogue', kind: 'CLUSTER' };
      expect(refusal(await app.gql(CREATE_CLUSTER, { input }))).toEqual({ code: 'UNAUTHENTICATED', reason: 'SIGN_IN_REQUIRED' });
      const forbidden = await app.gql(CREATE_CLUSTER, { input }, { token: clusterAdmin.token });
      expect(refusal(forbidden)).toEqual({ code: 'FORBIDDEN', reason: 'RIGHT_MISSING' });
      expect(forbidden.body.errors![0].message).toBe('Only platform administrators may create a cluster.');
    });
  });

  describe('updateCluster', () => {
    it('changes only the fields given; null clears an optional one', async () => {
      const id = ids.minalogic;
      const first = await app.gql(UPDATE_CLUSTER, { input: { id, description: 'Pôle de compétitivité du numérique.' } }, { token: admin });
      expect(first.body.data!.updateCluster.cluster).toEqual({
        id,
        name: 'Minalogic',
        region: 'Auvergne-Rhône-Alpes',
        description: 'Pôle de compétitivité du numérique.',
        website: 'https://www.minalogic.com',
      });
      const second = await app.gql(UPDATE_CLUSTER, { input: { id, name: ' Minalogic Pôle ', website: null } }, { token: admin });
      expect(second.body.data!.updateCluster.cluster).toMatchObject({
        name: 'Minalogic Pôle',
        website: null,
        description: 'Pôle de compétitivité du numérique.',
      });
    });

    it('refuses to clear or blank the name, and a bad website, naming each field', async () => {
      const id = ids.minalogic;
      expect(badFields(await app.gql(UPDATE_CLUSTER, { input: { id, name: null } }, { token: admin }))).toEqual(['input.name']);
      expect(
        badFields(await app.gql(UPDATE_CLUSTER, { input: { id, name: ' ', website: 'javascript:alert(1)' } }, { token: admin })),
      ).toEqual(['input.name', 'input.website']);
      expect(badFields(await app.gql(UPDATE_CLUSTER, { input: { id: 'minalogic', name: 'X' } }, { token: admin }))).toEqual(['input.id']);
      expect((await clusterSlugged('minalogic')).name).toBe('Minalogic Pôle');
    });

    it('is NOT_FOUND for an unknown cluster', async () => {
      expect(refusal(await app.gql(UPDATE_CLUSTER, { input: { id: randomUUID(), name: 'Ghost' } }, { token: admin }))).toEqual(NOT_FOUND);
    });

    it('lets a CLUSTER_ADMIN change their own cluster, not another one', async () => {
      const { token } = await app.signUp({ role: Role.CLUSTER_ADMIN, clusterId: ids['telecom-valley'] });
      const own = await app.gql(UPDATE_CLUSTER, { input: { id: ids['telecom-valley'], description: 'Sophia Antipolis.' } }, { token });
      expect(own.body.data!.updateCluster.cluster.description).toBe('Sophia Antipolis.');
      const other = await app.gql(UPDATE_CLUSTER, { input: { id: ids['digitalplace'], description: 'Hijacked.' } }, { token });
      expect(refusal(other)).toEqual({ code: 'FORBIDDEN', reason: 'RIGHT_MISSING' });
      // The refusal names the cluster it was about, and who may.
      expect(other.body.errors![0].message).toBe(
        'Only the administrators of DigitalPlace (or a platform administrator) may change this cluster.',
      );
    });
  });

  describe('createCollege and updateCollege', () => {
    it('refuses a collège slug already used in the same cluster with CONFLICT', async () => {
      const res = await app.gql(
        CREATE_COLLEGE,
        { input: { clusterId: ids['frenchsouth-digital'], name: 'Cloud bis', slug: 'cloud', theme: 'cloud' } },
        { token: admin },
      );
      expect(refusal(res)).toEqual({ code: 'CONFLICT', reason: 'COLLEGE_SLUG_TAKEN' });
      expect(await app.sql("select name from college where cluster_id = $1 and slug = 'cloud'", [ids['frenchsouth-digital']])).toEqual([
        { name: 'Cloud' },
      ]);
    });

    it('accepts the same collège slug in another cluster', async () => {
      const res = await app.gql(
        CREATE_COLLEGE,
        { input: { clusterId: ids['digitalplace'], name: 'Cloud & data', slug: 'cloud', theme: 'cloud and data' } },
        { token: admin },
      );
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data!.createCollege.college).toMatchObject({ slug: 'cloud', cluster: { slug: 'digitalplace' } });
      expect((await app.gql(COLLEGE, { clusterSlug: 'digitalplace', slug: 'cloud' })).body.data!.college.name).toBe('Cloud & data');
      expect((await app.gql(COLLEGE, { clusterSlug: 'frenchsouth-digital', slug: 'cloud' })).body.data!.college.name).toBe('Cloud');
    });

    it('names each bad field, and is NOT_FOUND for an unknown cluster', async () => {
      const bad = await app.gql(
        CREATE_COLLEGE,
        { input: { clusterId: ids['digitalplace'], name: '', slug: 'Cloud Data', theme: '  ' } },
        { token: admin },
      );
      expect(badFields(bad)).toEqual(['input.name', 'input.slug', 'input.theme']);
      const unknown = await app.gql(
        CREATE_COLLEGE,
        { input: { clusterId: randomUUID(), name: 'Orphan', slug: 'orphan', theme: 'none' } },
        { token: admin },
      );
      expect(refusal(unknown)).toEqual(NOT_FOUND);
    });

    it('updateCollege changes only the fields given and refuses to clear name or theme', async () => {
      const [college] = await app.sql("select id from college where cluster_id = $1 and slug = 'cloud'", [ids['digitalplace']]);
      const res = await app.gql(
        UPDATE_COLLEGE,
        { input: { id: college.id, description: 'Hosting, data centres, data.' } },
        { token: admin },
      );
      expect(res.body.data!.updateCollege.college).toEqual({
        id: college.id,
        name: 'Cloud & data',
        theme: 'cloud and data',
        description: 'Hosting, data centres, data.',
      });
      expect(badFields(await app.gql(UPDATE_COLLEGE, { input: { id: college.id, theme: null } }, { token: admin }))).toEqual([
        'input.theme',
      ]);
      expect(badFields(await app.gql(UPDATE_COLLEGE, { input: { id: college.id, name: null, theme: ' ' } }, { token: admin }))).toEqual([
        'input.name',
        'input.theme',
      ]);
      expect(refusal(await app.gql(UPDATE_COLLEGE, { input: { id: randomUUID(), name: 'Ghost' } }, { token: admin }))).toEqual(NOT_FOUND);
    });

    it('the database requires a successor for a merged cluster', async () => {
      await expect(app.sql("update cluster set status = 'MERGED' where slug = 'pixlr'")).rejects.toMatchObject({
        code: '23514',
        constraint: 'cluster_merged_has_successor',
      });
    });

    describe('once a cluster is MERGED', () => {
      beforeAll(async () => {
        await app.sql("update cluster set status = 'MERGED', successor_id = $1, merged_at = now() where slug = 'pixlr'", [
          ids['frenchsouth-digital'],
        ]);
      });

      it('it stays readable, pointing to its successor', async () => {
        expect(await clusterSlugged('pixlr')).toMatchObject({
          name: 'PixLR',
          status: 'MERGED',
          successor: { slug: 'frenchsouth-digital' },
          colleges: [{ slug: 'membres' }],
        });
      });

      it('creating a collège in it is a CONFLICT', async () => {
        const res = await app.gql(
          CREATE_COLLEGE,
          { input: { clusterId: ids['pixlr'], name: 'Jeu vidéo', slug: 'jeu-video', theme: 'video games' } },
          { token: admin },
        );
        expect(refusal(res)).toEqual(CLUSTER_NOT_ACTIVE);
        expect(res.body.errors![0].extensions!.status).toBe('MERGED');
        expect(await app.sql("select id from college where slug = 'jeu-video'")).toEqual([]);
      });

      it('it and its collèges are kept as they were: updates are a CONFLICT', async () => {
        expect(refusal(await app.gql(UPDATE_CLUSTER, { input: { id: ids['pixlr'], name: 'PixLR 2' } }, { token: admin }))).toEqual(
          CLUSTER_NOT_ACTIVE,
        );
        const [membres] = await app.sql("select id from college where cluster_id = $1 and slug = 'membres'", [ids['pixlr']]);
        expect(refusal(await app.gql(UPDATE_COLLEGE, { input: { id: membres.id, name: 'Renamed' } }, { token: admin }))).toEqual(
          CLUSTER_NOT_ACTIVE,
        );
        expect(await app.sql('select name from college where id = $1', [membres.id])).toEqual([{ name: 'Création numérique' }]);
      });
    });
  });
});

describe('no N+1: the SQL a clusters query runs does not grow with the number of clusters', () => {
  let app: TestApp;
  let federationId: string;

  beforeAll(async () => {
    app = await startTestApp();
    const [federation] = await app.sql(
      "insert into cluster (id, created_at, updated_at, name, slug, kind) values (gen_random_uuid(), now(), now(), 'Federation', 'federation', 'FEDERATION') returning id",
    );
    federationId = federation.id;
    // The ORM checks that the database exists on its first query: a one-off, not a per-request cost.
    await app.gql('{ clusters { id } }');
  });
  afterAll(async () => {
    await app.close();
  });

  /**
   * Adds clusters of the federation until there are `total` clusters. Each has two collèges, and
   * every fifth is MERGED into the first one, so every relation of the query has rows to load.
   */
  async function growTo(total: number): Promise<void> {
    const [{ count }] = await app.sql<{ count: number }>('select count(*)::int as count from cluster');
    await app.sql(
      `insert into cluster (id, created_at, updated_at, name, slug, kind, parent_id)
       select gen_random_uuid(), now(), now(), 'Cluster ' || lpad(i::text, 4, '0'), 'cluster-' || i, 'CLUSTER', $1
       from generate_series($2::int, $3::int) as i`,
      [federationId, count, total - 1],
    );
    const [first] = await app.sql("select id from cluster where slug = 'cluster-1'");
    await app.sql(
      `update cluster set status = 'MERGED', successor_id = $1, merged_at = now()
       where kind = 'CLUSTER' and status = 'ACTIVE' and id <> $1 and split_part(slug, '-', 2)::int % 5 = 0`,
      [first.id],
    );
    await app.sql(
      `insert into college (id, created_at, updated_at, cluster_id, name, slug, theme)
       select gen_random_uuid(), now(), now(), c.id, 'Collège ' || k, 'college-' || k, 'theme ' || k
       from cluster c cross join generate_series(1, 2) as k
       where c.kind = 'CLUSTER' and not exists (select 1 from college x where x.cluster_id = c.id)`,
    );
    // Two versions of each cluster's charter and of each collège's admission rules: only the one in force is read.
    await app.sql(
      `insert into charter (id, created_at, updated_at, cluster_id, version, title, text)
       select gen_random_uuid(), now(), now(), c.id, v, 'Charte v' || v, 'We play fair.'
       from cluster c cross join generate_series(1, 2) as v
       where c.kind = 'CLUSTER' and not exists (select 1 from charter x where x.cluster_id = c.id)`,
    );
    await app.sql(
      `insert into admission_rule_set (id, created_at, updated_at, college_id, version, criteria, decision_mode)
       select gen_random_uuid(), now(), now(), c.id, v, '{}'::jsonb, 'REPRESENTATIVE'
       from college c cross join generate_series(1, 2) as v
       where not exists (select 1 from admission_rule_set x where x.college_id = c.id)`,
    );
  }

  /** Runs the query; returns how many SQL statements it took, after checking the answer. */
  async function statementsFor(query: string, expectedClusters: number): Promise<number> {
    app.resetSqlCount();
    const res = await app.gql(query);
    const statements = app.sqlCount();
    expect(res.body.errors).toBeUndefined();
    const clusters = res.body.data!.clusters as {
      name: string;
      parent: unknown;
      successor: unknown;
      colleges: { cluster: { name: string } }[];
    }[];
    expect(clusters).toHaveLength(expectedClusters);
    const members = clusters.filter((c) => c.name !== 'Federation');
    expect(members.every((c) => (c.parent as { name: string }).name === 'Federation' && c.colleges.length === 2)).toBe(true);
    expect(members.every((c) => c.colleges.every((college) => college.cluster.name === c.name))).toBe(true);
    expect(members.some((c) => (c.successor as { name: string } | null)?.name === 'Cluster 0001')).toBe(true);
    const first = clusters.find((c) => c.name === 'Cluster 0001') as unknown as { predecessors: unknown[] };
    expect(first.predecessors.length).toBeGreaterThan(0);
    // The charter and the admission rules in force: the highest version of each.
    const inForce = members as unknown as { charter: { version: number }; colleges: { admissionRules: { version: number } }[] }[];
    expect(inForce.every((c) => c.charter.version === 2 && c.colleges.every((college) => college.admissionRules.version === 2))).toBe(true);
    return statements;
  }

  const ALL = `{ clusters { name parent { name } successor { name } predecessors { name } charter { version } colleges { name cluster { name } admissionRules { version } admissionRuleHistory { version } representativeMandates { id } } } }`;
  // Without the federation in the page, parents are not already in memory and must be loaded.
  const MEMBERS = `{ clusters(filter: { kind: CLUSTER }) { name parent { name } successor { name } predecessors { name } charter { version } colleges { name cluster { name } admissionRules { version } admissionRuleHistory { version } representativeMandates { id } } } }`;

  it('the same count for 10 and for 200 clusters', async () => {
    await growTo(10);
    const forTen = { all: await statementsFor(ALL, 10), members: await statementsFor(MEMBERS, 9) };
    await growTo(200);
    const forTwoHundred = { all: await statementsFor(ALL, 200), members: await statementsFor(MEMBERS, 199) };
    expect(forTwoHundred).toEqual(forTen);
  });
});
