import { readFileSync } from 'node:fs';
import path from 'node:path';
import { FINANCE_ACCOUNTS, SUBSIDIES } from '../../seeds/finance-data.js';
import { BOARD_ACCOUNTS, BOARDS, FUSION, GENERAL_ASSEMBLY, PARTNERSHIP_AXES } from '../../seeds/governance-data.js';
import { generateOrganisations, GenerationRegistry } from '../../seeds/french-organisations.js';
import {
  CLUSTER_ADMINS,
  COLLEGES,
  DEMO_ACCOUNTS,
  DEMO_PASSWORD,
  FRENCH_SOUTH,
  GENERATOR_SEED,
  TELECOM_VALLEY,
  type CollegeKey,
} from '../../seeds/membership-data.js';
import { Prng } from '../../seeds/prng.js';
import { DemoSeeder } from '../../seeds/demo.seeder.js';
import { MembershipCalendar } from '../../seeds/membership-history.js';
import type { SeedLogger } from '../../seeds/seed-progress.js';
import { Role } from '../../src/auth/role.js';
import { PROJECT_ROOT } from '../../src/config.js';
import { isoDay } from '../../src/shared/scalars.js';
import { siretProblem, sirenProblem } from '../../src/membership/french-identifiers.js';
import { errorCodes, startTestApp, type TestApp } from '../support/test-app.js';

/**
 * The demo seed on a fresh database: what `npm start` shows on a first start. It must tell the
 * documents' story (shared/seeds) through the real services, and stay quick enough for the
 * first start to be ready within a minute.
 */
let app: TestApp;
let admin: string;
const colleges: Record<string, string> = {};

const STATS = `query($clusterSlug: String, $slug: String) {
  college(clusterSlug: $clusterSlug, slug: $slug) { stats { activeMembers suspendedMembers totalHeadcount bySizeClass { sizeClass members headcount } } }
}`;
const RULES = `query($slug: String) {
  cluster(slug: $slug) { colleges { slug admissionRules { version decisionMode note criteria {
    allowedKinds excludedKinds minHeadcount maxHeadcount maxAgeYears requiredAffiliations allowedRegions allowedDepartements sponsorsRequired charterRequired
  } } } }
}`;
const QUEUE = `query($collegeId: ID!, $states: [ApplicationState!]) {
  applications(collegeId: $collegeId, states: $states, first: 50) { totalCount edges { node { state organisation { name } criteria { criterion outcome detail } } } }
}`;
const LOGIN = `mutation($input: LoginInput!) { login(input: $input) { token } }`;

/** The seed's progress lines, as its logger received them. */
const progress: { fields: Record<string, unknown>; message: string }[] = [];

beforeAll(async () => {
  app = await startTestApp();
  // The seeder the first start runs (seedDemoIfEmpty), reporting to a logger of the test's. Its
  // duration is not asserted here (timed unit tests are flaky on shared cores): the quick-start
  // end-to-end test proves the whole first start, seed included, is ready within a minute.
  const logger = { info: (fields: Record<string, unknown>, message: string) => progress.push({ fields, message }) };
  await app.collegia.orm.seeder.seed(DemoSeeder.reportingTo(logger as unknown as SeedLogger));
  admin = (await app.signUp({ role: Role.ADMIN })).token;
  const rows = await app.sql<{ id: string; key: string }>(
    `select c.id, cl.slug || '/' || c.slug as key from college c join cluster cl on cl.id = c.cluster_id`,
  );
  for (const row of rows) colleges[row.key] = row.id;
}, 120_000);
afterAll(async () => {
  await app.close();
});

async function login(email: string): Promise<string> {
  const res = await app.gql(LOGIN, { input: { email, password: DEMO_PASSWORD } });
  expect(res.body.errors).toBeUndefined();
  return res.body.data!.login.token;
}

describe('admission rules', () => {
  const criteria = (rules: any) => Object.fromEntries(Object.entries(rules.criteria).filter(([, v]) => v !== null));

  it("sets FrenchSouth.digital's collèges' rules as the documents describe them", async () => {
    const res = await app.gql(RULES, { slug: 'frenchsouth-digital' });
    expect(res.body.errors).toBeUndefined();
    const bySlug = Object.fromEntries(res.body.data!.cluster.colleges.map((c: any) => [c.slug, c.admissionRules]));
    expect(criteria(bySlug['startups-entrepreneurs'])).toEqual({
      allowedKinds: ['COMPANY'],
      maxAgeYears: 8,
      maxHeadcount: 50,
      charterRequired: true,
    });
    expect(bySlug['startups-entrepreneurs']).toMatchObject({ version: 1, decisionMode: 'REPRESENTATIVE' });
    expect(criteria(bySlug['enseignement-superieur-recherche'])).toEqual({ allowedKinds: ['HIGHER_EDUCATION', 'RESEARCH_LAB'] });
    for (const slug of ['cloud', 'economie-numerique', 'creation-numerique']) {
      expect(criteria(bySlug[slug])).toEqual({ allowedKinds: ['COMPANY'], sponsorsRequired: 1 });
      expect(bySlug[slug].decisionMode).toBe('REPRESENTATIVE');
    }
  });

  it("gives France Clusters a consortium collège with the consortium's terms (seed 004)", async () => {
    const res = await app.gql(RULES, { slug: 'france-clusters' });
    const [consortium] = res.body.data!.cluster.colleges;
    expect(consortium.slug).toBe('consortium-clusters-tic');
    expect(criteria(consortium.admissionRules)).toEqual({
      requiredAffiliations: ['France Clusters'],
      excludedKinds: ['BUSINESS_CLUB', 'IT_USERS_ASSOCIATION', 'CIO_CLUB'],
    });
  });

  it('gives the merging associations, Telecom Valley and DigitalPlace a collège with rules too', async () => {
    for (const slug of ['media-cloud-cluster', 'novae-lr', 'pixlr']) {
      const [college] = (await app.gql(RULES, { slug })).body.data!.cluster.colleges;
      expect(college.admissionRules.criteria).toMatchObject({ allowedKinds: expect.arrayContaining(['COMPANY']), sponsorsRequired: 1 });
    }
    const [telecomValley] = (await app.gql(RULES, { slug: 'telecom-valley' })).body.data!.cluster.colleges;
    expect(telecomValley.admissionRules.decisionMode).toBe('REPRESENTATIVE');
    const [digitalPlace] = (await app.gql(RULES, { slug: 'digitalplace' })).body.data!.cluster.colleges;
    expect(digitalPlace.admissionRules).toMatchObject({ decisionMode: 'AUTOMATIC', criteria: { allowedRegions: ['Occitanie'] } });
  });

  it('sets them through the service: one audited version per collège, by an account', async () => {
    const sets = await app.sql(`select r.version, r.created_by_id, a.actor_id from admission_rule_set r
      join audit_entry a on a.entity_id = r.id::text and a.action = 'admission-rules.set'`);
    expect(sets).toHaveLength(COLLEGES.length);
    for (const set of sets) {
      expect(set.version).toBe(1);
      expect(set.created_by_id).toEqual(set.actor_id);
      expect(set.actor_id).not.toBeNull();
    }
  });
});

it('publishes a charter of good practices for FrenchSouth.digital, signed by Soledge, Nelis and Epitech', async () => {
  const res = await app.gql(`{ cluster(slug: "frenchsouth-digital") { charter { version title text } } }`);
  expect(res.body.data!.cluster.charter).toMatchObject({ version: 1, title: 'Charte des bonnes pratiques de FrenchSouth.digital' });
  expect(res.body.data!.cluster.charter.text).toContain('démarche volontaire de qualité');
  const signatures = await app.sql(`select o.name, p.full_name, acc.email from charter_signature s
    join organisation o on o.id = s.organisation_id join person p on p.id = s.signed_by_id join account acc on acc.id = s.account_id
    order by o.name`);
  expect(signatures).toEqual([
    { name: 'Epitech', full_name: 'Thomas Fraisse', email: 'thomas.fraisse@epitech.example' },
    { name: 'Nelis', full_name: 'Katia Vidic', email: 'member@nelis.example' },
    { name: 'Soledge', full_name: 'Maryam Bini', email: 'maryam.bini@soledge.example' },
  ]);
});

describe('people and representatives', () => {
  it('links the named people to their organisations through their accounts', async () => {
    const people = await app.sql(`select o.name as organisation, o.kind, p.full_name, acc.email from person p
      join organisation o on o.id = p.organisation_id join account acc on acc.id = p.account_id`);
    expect(people).toEqual(
      expect.arrayContaining([
        { organisation: 'Soledge', kind: 'COMPANY', full_name: 'Maryam Bini', email: 'maryam.bini@soledge.example' },
        { organisation: 'Nelis', kind: 'COMPANY', full_name: 'Katia Vidic', email: 'member@nelis.example' },
        { organisation: 'Epitech', kind: 'HIGHER_EDUCATION', full_name: 'Thomas Fraisse', email: 'thomas.fraisse@epitech.example' },
      ]),
    );
  });

  it('gives every representative a mandate, and no representative right without one', async () => {
    const rights = await app.sql(`select acc.email, cl.slug || '/' || c.slug as college, m.id as mandate, m.ends_at > now() as current
      from role_assignment r join account acc on acc.id = r.account_id join college c on c.id = r.college_id join cluster cl on cl.id = c.cluster_id
      left join representative_mandate m on m.role_assignment_id = r.id
      where r.role = 'COLLEGE_REPRESENTATIVE'`);
    for (const right of rights) expect(right).toMatchObject({ mandate: expect.any(String), current: true });
    const expected = DEMO_ACCOUNTS.filter((a) => a.role === Role.COLLEGE_REPRESENTATIVE).flatMap((a) =>
      (a.colleges ?? []).map((college) => ({ email: a.email, college })),
    );
    expect(rights.map(({ email, college }) => ({ email, college }))).toEqual(expect.arrayContaining(expected));
    expect(rights).toHaveLength(expected.length);
    expect(expected).toEqual(
      expect.arrayContaining([
        { email: 'maryam.bini@soledge.example', college: 'frenchsouth-digital/startups-entrepreneurs' },
        { email: 'thomas.fraisse@epitech.example', college: 'frenchsouth-digital/enseignement-superieur-recherche' },
      ]),
    );
  });

  it('every demo account signs in with the documented password', async () => {
    for (const account of DEMO_ACCOUNTS) await login(account.email);
  });

  it("Thomas Fraisse reviews his collège's queue, and only his", async () => {
    const token = await login('thomas.fraisse@epitech.example');
    const queue = await app.gql(QUEUE, { collegeId: colleges['frenchsouth-digital/enseignement-superieur-recherche'] }, { token });
    expect(queue.body.errors).toBeUndefined();
    const [instantScience] = queue.body.data!.applications.edges.map((e: any) => e.node);
    expect(instantScience).toMatchObject({ state: 'UNDER_REVIEW', organisation: { name: 'Instant Science' } });
    expect(instantScience.criteria).toEqual([
      { criterion: 'ALLOWED_KINDS', outcome: 'FAILED', detail: 'kind ASSOCIATION is not among HIGHER_EDUCATION, RESEARCH_LAB' },
    ]);
    const other = await app.gql(QUEUE, { collegeId: colleges['frenchsouth-digital/startups-entrepreneurs'] }, { token });
    expect(errorCodes(other)).toEqual(['FORBIDDEN']);
  });

  it("Maryam Bini's queue shows each criterion's outcome of the start-ups awaiting a decision", async () => {
    const token = await login('maryam.bini@soledge.example');
    const queue = await app.gql(QUEUE, { collegeId: colleges['frenchsouth-digital/startups-entrepreneurs'] }, { token });
    const nodes = queue.body.data!.applications.edges.map((e: any) => e.node);
    expect(nodes.map((n: any) => [n.organisation.name, n.state])).toEqual([
      ['Lez Ingénierie Numérique', 'SUBMITTED'],
      ['Pastel Mobility', 'UNDER_REVIEW'],
    ]);
    expect(nodes[0].criteria).toContainEqual({ criterion: 'MAX_HEADCOUNT', outcome: 'FAILED', detail: 'headcount 320 > maximum 50' });
    expect(nodes[1].criteria).toContainEqual(expect.objectContaining({ criterion: 'MAX_AGE', outcome: 'FAILED' }));
    const decided = await app.gql(
      QUEUE,
      {
        collegeId: colleges['frenchsouth-digital/startups-entrepreneurs'],
        states: ['REJECTED', 'WITHDRAWN'],
      },
      { token },
    );
    expect(decided.body.data!.applications.edges.map((e: any) => e.node.state).sort()).toEqual(['REJECTED', 'WITHDRAWN']);
  });
});

describe('members', () => {
  const stats = async (key: string) => {
    const [clusterSlug, slug] = key.split('/');
    const res = await app.gql(STATS, { clusterSlug, slug }, { token: admin });
    expect(res.body.errors).toBeUndefined();
    return res.body.data!.college.stats;
  };

  it('Telecom Valley: 150 members, 14 000 employees (seed 003)', async () => {
    expect(await stats(TELECOM_VALLEY)).toMatchObject({ activeMembers: 150, totalHeadcount: 14_000 });
  });

  it('gives each merging association and each collège of FrenchSouth.digital a believable membership', async () => {
    for (const key of ['media-cloud-cluster/membres', 'novae-lr/membres', 'pixlr/membres']) {
      expect((await stats(key)).activeMembers).toBeGreaterThanOrEqual(25);
    }
    for (const key of Object.keys(colleges).filter((k) => k.startsWith('frenchsouth-digital/'))) {
      expect((await stats(key)).activeMembers).toBeGreaterThanOrEqual(10);
    }
    expect((await stats('france-clusters/consortium-clusters-tic')).activeMembers).toBe(8);
    expect((await stats('novae-lr/membres')).suspendedMembers).toBe(1);
  });

  it('spans TPE, PME, ETI and GE, with valid and unique SIREN and SIRET', async () => {
    const sizes = await app.sql(`select distinct size_class from organisation where size_class is not null order by 1`);
    expect(sizes.map((r) => r.size_class)).toEqual(['ETI', 'GE', 'PME', 'TPE']);
    const ids = await app.sql<{ siren: string; siret: string }>('select siren, siret from organisation where siren is not null');
    expect(ids.length).toBeGreaterThan(350);
    for (const { siren, siret } of ids) {
      expect(sirenProblem(siren)).toBeNull();
      expect(siretProblem(siret, siren)).toBeNull();
    }
    expect(new Set(ids.map((i) => i.siren)).size).toBe(ids.length);
  });

  it('places Occitanie clusters’ members in Occitanie, mostly, and Telecom Valley’s on the Côte d’Azur', async () => {
    const regions = await app.sql(`select cl.slug, count(*) filter (where o.region = 'Occitanie')::float / count(*) as occitanie,
        count(*) filter (where o.departement in ('06', '83'))::float / count(*) as azur
      from membership m join organisation o on o.id = m.organisation_id join college c on c.id = m.college_id join cluster cl on cl.id = c.cluster_id
      group by cl.slug`);
    const share = Object.fromEntries(regions.map((r) => [r.slug, r]));
    for (const slug of ['frenchsouth-digital', 'media-cloud-cluster', 'novae-lr', 'pixlr', 'digitalplace']) {
      expect(share[slug].occitanie).toBeGreaterThan(0.8);
    }
    expect(share['telecom-valley'].azur).toBeGreaterThan(0.8);
  });

  it('start-ups are companies under 8 years with at most 50 staff; the higher-education collège only schools and labs', async () => {
    const startups = await app.sql(
      `select o.kind, o.headcount, o.founded_on > current_date - interval '8 years' as young from membership m join organisation o on o.id = m.organisation_id
       where m.college_id = $1`,
      [colleges['frenchsouth-digital/startups-entrepreneurs']],
    );
    for (const s of startups) expect(s).toMatchObject({ kind: 'COMPANY', young: true });
    expect(Math.max(...startups.map((s) => s.headcount))).toBeLessThanOrEqual(50);
    const kinds = await app.sql(
      `select distinct o.kind from membership m join organisation o on o.id = m.organisation_id where m.college_id = $1`,
      [colleges['frenchsouth-digital/enseignement-superieur-recherche']],
    );
    expect(kinds.map((k) => k.kind).sort()).toEqual(['HIGHER_EDUCATION', 'RESEARCH_LAB']);
  });

  it('every membership comes from an approved application judged on its collège’s rules; overrides say why', async () => {
    const rows = await app.sql(`select m.id, a.state, r.college_id = m.college_id as same_college, a.override_reason, a.decision_reason,
        a.decided_by_id, r.decision_mode,
        exists (select 1 from jsonb_array_elements(a.criteria_results) c where c->>'outcome' <> 'PASSED') as unmet
      from membership m join application a on a.id = m.application_id join admission_rule_set r on r.id = a.rule_set_id`);
    const memberships = await app.sql('select count(*)::int as count from membership');
    expect(rows).toHaveLength(memberships[0].count);
    for (const row of rows) {
      expect(row).toMatchObject({ state: 'APPROVED', same_college: true });
      // An override is recorded exactly when a criterion was not met.
      expect(row.override_reason !== null).toBe(row.unmet);
      if (row.decided_by_id === null && row.decision_mode === 'REPRESENTATIVE') {
        expect(row.decision_reason).toMatch(/^Membre fondateur/);
      }
    }
    expect(rows.filter((r) => r.unmet).length).toBeGreaterThan(0);
  });

  it('keeps the audit trail intact', async () => {
    const report = await app.collegia.deps.audit.verify(app.collegia.orm.em.fork());
    expect(report).toMatchObject({ intact: true });
    expect(report.checkedEntries).toBeGreaterThan(1000);
  });
});

describe('the generator', () => {
  const generateAll = (seed: number, today: Date) => {
    const prng = new Prng(seed);
    const registry = new GenerationRegistry();
    return COLLEGES.flatMap((c) => (c.generated ? generateOrganisations(c.generated, prng, registry, today) : []));
  };

  it('is deterministic: the same seed and day give the same organisations', () => {
    const today = new Date('2026-03-01T10:00:00Z');
    expect(generateAll(GENERATOR_SEED, today)).toEqual(generateAll(GENERATOR_SEED, today));
    expect(generateAll(GENERATOR_SEED + 1, today)).not.toEqual(generateAll(GENERATOR_SEED, today));
  });

  it('gives unique names, and hits the headcount a profile asks for', () => {
    const all = generateAll(GENERATOR_SEED, new Date('2030-01-01T00:00:00Z'));
    expect(new Set(all.map((o) => o.name)).size).toBe(all.length);
    for (const college of COLLEGES) {
      const profile = college.generated;
      if (profile?.totalHeadcount === undefined) continue;
      const orgs = generateOrganisations(profile, new Prng(GENERATOR_SEED), new GenerationRegistry(), new Date());
      expect(orgs.reduce((sum, o) => sum + o.headcount!, 0)).toBe(profile.totalHeadcount);
    }
  });
});

describe('finance', () => {
  const ASSOCIATIONS = ['media-cloud-cluster', 'novae-lr', 'pixlr'];
  const TREASURERS: Record<string, string> = {
    [FRENCH_SOUTH]: 'treasurer@frenchsouth.example',
    ...Object.fromEntries(FINANCE_ACCOUNTS.map((a) => [a.cluster, a.email])),
  };
  const TREASURY = `query($clusterId: ID!) { treasuryReport(clusterId: $clusterId) {
    subsidies awarded received outstanding frozen forgone overpaid overdue dueNext90Days
    instalmentsDueNext90Days { kind dueOn unpaid } justificationsUpcoming { deadline } byFunder { funderName frozen }
  } }`;
  const clusterIds: Record<string, string> = {};
  beforeAll(async () => {
    for (const row of await app.sql<{ id: string; slug: string }>('select id, slug from cluster')) clusterIds[row.slug] = row.id;
  });

  it('registers the Région, the State and the EU (FEDER) as funders, with the Fab Région call and a FEDER programme', async () => {
    const res = await app.gql(`{ funders { name kind } programmes { name kind funder { name } } }`);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data!.funders).toEqual(
      expect.arrayContaining([
        { name: 'Région Occitanie', kind: 'REGION' },
        { name: 'État — Préfecture de région Occitanie', kind: 'STATE' },
        { name: 'Union européenne — FEDER', kind: 'EU_ERDF' },
      ]),
    );
    expect(res.body.data!.programmes).toEqual(
      expect.arrayContaining([
        { name: 'Fab Région', kind: 'CALL_FOR_PROJECTS', funder: { name: 'Région Occitanie' } },
        expect.objectContaining({ kind: 'OPERATIONAL_PROGRAMME', funder: { name: 'Union européenne — FEDER' } }),
      ]),
    );
  });

  it("gives Fab Région its eight laureates (seed 002): seven creations and the extension of Artilect's Fab Lab, 1 M€ in all", async () => {
    const res = await app.gql(`{ programmes { name budget laureates { kind amount project organisation { name } } } }`);
    expect(res.body.errors).toBeUndefined();
    const fabRegion = res.body.data!.programmes.find((p: any) => p.name === 'Fab Région');
    expect(fabRegion.budget).toBe('100000000');
    expect(fabRegion.laureates).toHaveLength(8);
    expect(fabRegion.laureates.filter((l: any) => l.kind === 'CREATION')).toHaveLength(7);
    expect(fabRegion.laureates.filter((l: any) => l.kind === 'EXTENSION').map((l: any) => l.organisation.name)).toEqual(['Artilect']);
    expect(fabRegion.laureates.reduce((sum: bigint, l: any) => sum + BigInt(l.amount), 0n)).toBe(100_000_000n);
    expect(fabRegion.laureates.map((l: any) => l.organisation.name)).toEqual(
      expect.arrayContaining([
        'IoT Valley',
        'Communauté de communes Quercy Bouriane',
        'Communauté de communes de Saint-Laurent-de-Neste',
        "PETR Hautes Terres d'Oc",
        'Commune de Caylus',
        'Moissac Animation Jeunes',
        'Corfi des Deux Rives',
      ]),
    );
  });

  it('freezes the regional subsidy to FrenchSouth.digital until the seeded fusion proposal is executed (seed 001)', async () => {
    const [fusion] = await app.sql<{ id: string }>(`select id from proposal where kind = 'FUSION'`);
    const frozen =
      await app.sql(`select s.state, f.name as funder, fr.until_proposal_id, fr.reason, fr.released_at, fr.state_before, acc.email as frozen_by
      from subsidy s join cluster c on c.id = s.cluster_id join funder f on f.id = s.funder_id
      join subsidy_freeze fr on fr.subsidy_id = s.id left join account acc on acc.id = fr.frozen_by_id
      where c.slug = 'frenchsouth-digital'`);
    expect(frozen).toEqual([
      {
        state: 'FROZEN',
        funder: 'Région Occitanie',
        until_proposal_id: fusion.id,
        reason: expect.stringContaining("geler certaines subventions dans l'attente de ce regroupement"),
        released_at: null,
        state_before: 'AWARDED',
        frozen_by: 'treasurer@frenchsouth.example',
      },
    ]);
  });

  it('records every subsidy through its cluster’s treasurer, with plans that balance and schedules that add up', async () => {
    const today = isoDay(new Date());
    const subsidies = await app.sql(`select s.id, c.slug, s.state, s.amount_awarded::text as amount, s.eligible_cost::text as eligible,
        s.decision_date::text as decided, s.justification_deadline::text as deadline, acc.email as recorded_by,
        (select sum(i.amount)::text from instalment i where i.subsidy_id = s.id) as instalments,
        (select sum(sh.amount)::text from financing_share sh where sh.subsidy_id = s.id) as shares,
        (select min(i.due_on)::text from instalment i where i.subsidy_id = s.id) as first_due,
        (select bool_and(i.due_on >= coalesce(p.due_on, i.due_on)) from instalment i left join instalment p on p.subsidy_id = i.subsidy_id and p.position = i.position - 1
          where i.subsidy_id = s.id) as in_order
      from subsidy s join cluster c on c.id = s.cluster_id
      join audit_entry a on a.entity_id = s.id::text and a.action = 'subsidy.record' join account acc on acc.id = a.actor_id`);
    expect(subsidies).toHaveLength(SUBSIDIES.length);
    for (const s of subsidies) {
      expect(s.recorded_by).toBe(TREASURERS[s.slug]);
      if (s.instalments !== null) expect(s.instalments).toBe(s.amount);
      if (s.shares !== null) expect(s.shares).toBe(s.eligible);
      if (s.state !== 'REQUESTED') {
        expect(s.decided <= today).toBe(true);
        if (s.first_due !== null) expect(s.first_due >= s.decided).toBe(true);
      }
      expect(s.in_order).not.toBe(false);
    }
    const receipts = await app.sql(`select e.value_date::text as value_date, e.bank_reference, acc.email, c.slug
      from ledger_entry e join account acc on acc.id = e.actor_id join cluster c on c.id = e.cluster_id where e.kind = 'RECEIPT'`);
    expect(receipts.length).toBeGreaterThan(5);
    for (const r of receipts) {
      expect(r.bank_reference).toMatch(/^VIR-\d{4}-\d{4}-\d+$/);
      expect(r.value_date <= today).toBe(true);
      expect(r.email).toBe(TREASURERS[r.slug]);
    }
    // A transfer first put on the wrong subsidy is corrected by a reversing entry, never edited.
    const reversals = await app.sql(`select c.slug, e.amount::text, t.kind as reverses from ledger_entry e
      join ledger_entry t on t.id = e.reverses_id join cluster c on c.id = e.cluster_id where e.kind = 'REVERSAL'`);
    expect(reversals).toEqual([{ slug: 'novae-lr', amount: '-2000000', reverses: 'RECEIPT' }]);
  });

  it("reports the associations' treasury: money received, one instalment overdue, every cent accounted for", async () => {
    const treasury = app.services().treasury;
    const overdue = [];
    let upcoming = 0;
    for (const slug of ASSOCIATIONS) {
      const report = await treasury.report(clusterIds[slug]);
      expect(report.received).toBeGreaterThan(0n);
      expect(report.awarded - report.received).toBe(report.outstanding + report.forgone - report.overpaid);
      expect(report.frozen).toBe(0n);
      expect(report.justificationsMissed).toEqual([]);
      upcoming += report.justificationsUpcoming.length;
      overdue.push(...report.overdueInstalments.map((i) => ({ slug, kind: i.kind, unpaid: i.unpaid, total: report.overdue })));
    }
    expect(overdue).toEqual([{ slug: 'media-cloud-cluster', kind: 'INTERIM', unpaid: 4_200_000n, total: 4_200_000n }]);
    expect(upcoming).toBe(1);
  });

  it('FrenchSouth.digital’s treasurer signs in and reads the treasury report: the frozen subsidy is not overdue', async () => {
    const token = await login('treasurer@frenchsouth.example');
    const res = await app.gql(TREASURY, { clusterId: clusterIds[FRENCH_SOUTH] }, { token });
    expect(res.body.errors).toBeUndefined();
    const report = res.body.data!.treasuryReport;
    const seeded = SUBSIDIES.filter((s) => s.cluster === FRENCH_SOUTH);
    const frozen = seeded.filter((s) => s.steps?.some((step) => 'freezeUntilFusion' in step));
    expect(report).toMatchObject({
      subsidies: seeded.length,
      awarded: seeded.reduce((sum, s) => sum + s.amount, 0n).toString(),
      frozen: frozen.reduce((sum, s) => sum + s.amount, 0n).toString(),
      overdue: '0',
      forgone: '0',
      overpaid: '0',
    });
    expect(BigInt(report.received)).toBeGreaterThan(0n);
    expect(BigInt(report.awarded) - BigInt(report.received)).toBe(BigInt(report.outstanding));
    expect(report.byFunder).toContainEqual({ funderName: 'Région Occitanie', frozen: report.frozen });
    expect(report.instalmentsDueNext90Days.length).toBeGreaterThan(0);
  });

  it('each association’s treasurer signs in and reads their own report, and no other cluster’s', async () => {
    for (const treasurer of FINANCE_ACCOUNTS) {
      const token = await login(treasurer.email);
      const own = await app.gql(TREASURY, { clusterId: clusterIds[treasurer.cluster] }, { token });
      expect(own.body.errors).toBeUndefined();
      expect(BigInt(own.body.data!.treasuryReport.received)).toBeGreaterThan(0n);
      const other = await app.gql(TREASURY, { clusterId: clusterIds[FRENCH_SOUTH] }, { token });
      expect(errorCodes(other)).toEqual(['FORBIDDEN']);
    }
  });
});

describe('governance', () => {
  const BOARD_SLUGS = ['digitalplace', 'frenchsouth-digital', 'media-cloud-cluster', 'novae-lr', 'pixlr'];
  const PROPOSAL = `query($id: ID!) { proposal(id: $id) {
    kind state title text partnershipAxes author { displayName }
    plan { absorbingClusterId effectiveDate absorbed { clusterId targetCollegeId collegeMoves { fromCollegeId } pendingApplications } }
    parties { state cluster { slug } body { kind name } }
  } }`;
  const clusterIds: Record<string, string> = {};
  const proposalIds: Record<string, string> = {};
  beforeAll(async () => {
    for (const row of await app.sql<{ id: string; slug: string }>('select id, slug from cluster')) clusterIds[row.slug] = row.id;
    for (const row of await app.sql<{ id: string; kind: string }>('select id, kind from proposal')) proposalIds[row.kind] = row.id;
  });

  it('gives FrenchSouth.digital, the three merging associations and DigitalPlace a board with seats per collège, all held', async () => {
    const bodies = await app.sql(
      `select cl.slug, b.kind, b.name, b.seats from voting_body b join cluster cl on cl.id = b.cluster_id where b.kind = 'BOARD' order by cl.slug`,
    );
    expect(bodies.map((b) => [b.slug, b.kind])).toEqual(BOARD_SLUGS.map((slug) => [slug, 'BOARD']));
    const holders = await app.sql(`select cl.slug as cluster, ccl.slug || '/' || c.slug as college, acc.email
      from board_mandate m join voting_body b on b.id = m.body_id join cluster cl on cl.id = b.cluster_id
      join college c on c.id = m.college_id join cluster ccl on ccl.id = c.cluster_id join account acc on acc.id = m.holder_id
      where m.starts_at <= now() and (m.ends_at is null or m.ends_at > now())`);
    for (const body of bodies) {
      const board = BOARDS.find((b) => b.cluster === body.slug)!;
      expect(body.name).toMatch(/^Conseil d’administration de /);
      expect(body.seats).toEqual(board.seats.map((s) => ({ collegeId: colleges[s.college], seats: s.holders.length })));
      for (const seat of board.seats) {
        const seated = holders.filter((h) => h.cluster === body.slug && h.college === seat.college).map((h) => h.email);
        expect(seated.sort()).toEqual([...seat.holders].sort());
      }
    }
    expect(holders).toHaveLength(BOARDS.flatMap((b) => b.seats.flatMap((s) => s.holders)).length);
    // Every collège of FrenchSouth.digital has seats, the associations' presidents among the holders.
    const frenchSouth = bodies.find((b) => b.slug === FRENCH_SOUTH)!;
    expect(frenchSouth.seats).toHaveLength(Object.keys(colleges).filter((k) => k.startsWith(`${FRENCH_SOUTH}/`)).length);
    expect(holders).toEqual(
      expect.arrayContaining([
        { cluster: FRENCH_SOUTH, college: 'frenchsouth-digital/cloud', email: 'alain.molinie@mediacloudcluster.example' },
        { cluster: FRENCH_SOUTH, college: 'frenchsouth-digital/economie-numerique', email: 'gregory.cladera@novae-lr.example' },
        { cluster: FRENCH_SOUTH, college: 'frenchsouth-digital/creation-numerique', email: 'david.mekersa@pixlr.example' },
        { cluster: 'pixlr', college: 'pixlr/membres', email: 'david.mekersa@pixlr.example' },
        { cluster: 'digitalplace', college: 'digitalplace/adherents', email: 'daniel.benchimol@digitalplace.example' },
      ]),
    );
  });

  it('gives every BOARD_MEMBER a mandate in force, through which the right comes, and no right without one', async () => {
    const rights =
      await app.sql(`select acc.email, cl.slug as cluster, r.college_id, m.id as mandate, b.cluster_id = r.cluster_id as same_cluster,
        r.valid_from <= now() and (r.valid_to is null or r.valid_to > now()) as in_force,
        m.starts_at <= now() and (m.ends_at is null or m.ends_at > now()) as mandate_in_force, r.valid_to = m.ends_at as ends_together
      from role_assignment r join account acc on acc.id = r.account_id join cluster cl on cl.id = r.cluster_id
      left join board_mandate m on m.role_assignment_id = r.id left join voting_body b on b.id = m.body_id
      where r.role = 'BOARD_MEMBER'`);
    for (const right of rights) {
      expect(right).toMatchObject({
        mandate: expect.any(String),
        same_cluster: true,
        college_id: null,
        in_force: true,
        mandate_in_force: true,
        ends_together: true,
      });
    }
    const expected = BOARDS.flatMap((b) => b.seats.flatMap((s) => s.holders.map((email) => ({ email, cluster: b.cluster }))));
    expect(rights.map(({ email, cluster }) => ({ email, cluster }))).toEqual(expect.arrayContaining(expected));
    expect(rights).toHaveLength(expected.length);
    // The demo board member and the seeded board members all sit on a board.
    const boardMembers = [...DEMO_ACCOUNTS, ...BOARD_ACCOUNTS].filter((a) => a.role === Role.BOARD_MEMBER);
    for (const member of boardMembers)
      expect(rights).toContainEqual(expect.objectContaining({ email: member.email, cluster: member.cluster }));
  });

  it("sets FrenchSouth.digital's statutes: collège-weighted, two-thirds, quorum 50 %, one proxy per holder, secret ballot", async () => {
    const res = await app.gql(
      `query($clusterId: ID!) { votingBody(clusterId: $clusterId, kind: BOARD) { name rules {
        quorumBasisPoints majority abstentionsCount weighting collegeWeights { collegeId weightBasisPoints }
        doubleMajorityColleges proxyLimit proxySameCollege secrecy
      } } }`,
      { clusterId: clusterIds[FRENCH_SOUTH] },
    );
    expect(res.body.errors).toBeUndefined();
    const { name, rules } = res.body.data!.votingBody;
    expect(name).toBe('Conseil d’administration de FrenchSouth.digital');
    expect(rules).toMatchObject({
      quorumBasisPoints: 5000,
      majority: 'TWO_THIRDS',
      weighting: 'COLLEGE_WEIGHTED',
      proxyLimit: 1,
      secrecy: 'SECRET',
    });
    const weighted = rules.collegeWeights.map((w: any) => w.collegeId).sort();
    const frenchSouthColleges = Object.entries(colleges).filter(([key]) => key.startsWith(`${FRENCH_SOUTH}/`));
    expect(weighted).toEqual(frenchSouthColleges.map(([, id]) => id).sort());
    expect(rules.collegeWeights.reduce((sum: number, w: any) => sum + w.weightBasisPoints, 0)).toBe(10_000);
    for (const w of rules.collegeWeights) expect(w.weightBasisPoints).toBeGreaterThan(0);
    // The associations vote one voter, one vote.
    for (const slug of ['media-cloud-cluster', 'novae-lr', 'pixlr', 'digitalplace']) {
      const [body] = await app.sql(`select b.rules from voting_body b join cluster cl on cl.id = b.cluster_id where cl.slug = $1`, [slug]);
      expect(body.rules).toMatchObject({ weighting: 'PER_VOTER', collegeWeights: [] });
      expect([3333, 5000]).toContain(body.rules.quorumBasisPoints);
    }
  });

  it('drafts the FUSION of Media Cloud Cluster, Novae LR and PixLR into FrenchSouth.digital with its plan; the frozen subsidy waits for it', async () => {
    const proposals = await app.sql(
      `select p.id, p.kind, p.state, p.title, p.plan, acc.email as author from proposal p join account acc on acc.id = p.author_id`,
    );
    const fusion = proposals.find((p) => p.kind === 'FUSION')!;
    expect(proposals.filter((p) => p.kind === 'FUSION')).toHaveLength(1);
    expect(fusion).toMatchObject({ state: 'DRAFT', author: 'cluster-admin@frenchsouth.example', title: FUSION.title });
    expect(fusion.plan).toEqual({
      absorbingClusterId: clusterIds[FRENCH_SOUTH],
      effectiveDate: expect.stringMatching(/^\d{4}-\d{2}-01$/),
      absorbed: [
        { clusterId: clusterIds['media-cloud-cluster'], targetCollegeId: colleges['frenchsouth-digital/cloud'] },
        { clusterId: clusterIds['novae-lr'], targetCollegeId: colleges['frenchsouth-digital/economie-numerique'] },
        { clusterId: clusterIds['pixlr'], targetCollegeId: colleges['frenchsouth-digital/creation-numerique'] },
      ].map((a) => ({ ...a, collegeMoves: [], pendingApplications: 'MOVE' })),
    });
    expect(fusion.plan.effectiveDate > isoDay(new Date())).toBe(true);
    const parties = await app.sql(
      `select cl.slug, pp.state, b.kind from proposal_party pp join cluster cl on cl.id = pp.cluster_id
      join voting_body b on b.id = pp.body_id where pp.proposal_id = $1 order by cl.slug`,
      [fusion.id],
    );
    expect(parties).toEqual(
      ['frenchsouth-digital', 'media-cloud-cluster', 'novae-lr', 'pixlr'].map((slug) => ({ slug, state: 'PENDING', kind: 'BOARD' })),
    );
    const freezes = await app.sql(`select until_proposal_id from subsidy_freeze where until_proposal_id is not null`);
    expect(freezes).toEqual([{ until_proposal_id: fusion.id }]);
  });

  it('drafts the PARTNERSHIP between DigitalPlace and FrenchSouth.digital with the four axes of seed 000', async () => {
    const [partnership] = await app.sql(
      `select p.id, p.state, p.partnership_axes, p.plan, p.text from proposal p where p.kind = 'PARTNERSHIP'`,
    );
    expect(partnership).toMatchObject({ state: 'DRAFT', plan: null });
    expect(partnership.partnership_axes).toEqual([
      "l'innovation sous toutes ses formes",
      "l'international",
      "l'investissement et le financement de la croissance",
      'la mutualisation de services',
    ]);
    expect(partnership.partnership_axes).toEqual([...PARTNERSHIP_AXES]);
    expect(partnership.text).toContain('2ème région numérique de France');
    const parties = await app.sql(
      `select cl.slug from proposal_party pp join cluster cl on cl.id = pp.cluster_id where pp.proposal_id = $1 order by cl.slug`,
      [partnership.id],
    );
    expect(parties.map((p) => p.slug)).toEqual(['digitalplace', 'frenchsouth-digital']);
  });

  it('every seeded board member signs in with the documented password', async () => {
    for (const account of BOARD_ACCOUNTS) await login(account.email);
  });

  it("FrenchSouth.digital's board member signs in and reads the fusion over GraphQL", async () => {
    const token = await login('board@frenchsouth.example');
    const res = await app.gql(PROPOSAL, { id: proposalIds.FUSION }, { token });
    expect(res.body.errors).toBeUndefined();
    const proposal = res.body.data!.proposal;
    expect(proposal).toMatchObject({
      kind: 'FUSION',
      state: 'DRAFT',
      title: FUSION.title,
      // Its author's name (an email is the account's own and ADMIN's to read).
      author: { displayName: 'FrenchSouth.digital administrator' },
    });
    expect(proposal.text).toContain('dans l’attente de ce regroupement');
    expect(proposal.plan.absorbingClusterId).toBe(clusterIds[FRENCH_SOUTH]);
    expect(proposal.plan.absorbed.map((a: any) => [a.clusterId, a.targetCollegeId])).toEqual([
      [clusterIds['media-cloud-cluster'], colleges['frenchsouth-digital/cloud']],
      [clusterIds['novae-lr'], colleges['frenchsouth-digital/economie-numerique']],
      [clusterIds['pixlr'], colleges['frenchsouth-digital/creation-numerique']],
    ]);
    expect(proposal.parties.map((p: any) => p.cluster.slug).sort()).toEqual([
      'frenchsouth-digital',
      'media-cloud-cluster',
      'novae-lr',
      'pixlr',
    ]);
    for (const party of proposal.parties) expect(party).toMatchObject({ state: 'PENDING', body: { kind: 'BOARD' } });
    const partnership = await app.gql(PROPOSAL, { id: proposalIds.PARTNERSHIP }, { token });
    expect(partnership.body.errors).toBeUndefined();
    expect(partnership.body.data!.proposal.partnershipAxes).toEqual([...PARTNERSHIP_AXES]);
  });

  it("an absorbed association's board member reads the fusion; DigitalPlace's president the partnership, not the fusion", async () => {
    const novae = await login('julien.marty@novae-lr.example');
    const fusion = await app.gql(PROPOSAL, { id: proposalIds.FUSION }, { token: novae });
    expect(fusion.body.errors).toBeUndefined();
    expect(fusion.body.data!.proposal.kind).toBe('FUSION');
    const benchimol = await login('daniel.benchimol@digitalplace.example');
    const partnership = await app.gql(PROPOSAL, { id: proposalIds.PARTNERSHIP }, { token: benchimol });
    expect(partnership.body.errors).toBeUndefined();
    expect(partnership.body.data!.proposal.parties.map((p: any) => p.cluster.slug).sort()).toEqual(['digitalplace', 'frenchsouth-digital']);
    expect(errorCodes(await app.gql(PROPOSAL, { id: proposalIds.FUSION }, { token: benchimol }))).toEqual(['FORBIDDEN']);
  });
});

describe('history', () => {
  const today = () => isoDay(new Date());
  const MEMBERS_AS_OF = `query($clusterSlug: String, $slug: String, $asOf: LocalDate, $search: String) {
    college(clusterSlug: $clusterSlug, slug: $slug) {
      members(first: 200, filter: { asOf: $asOf, search: $search }) { totalCount edges { node { startedOn memberSince status organisation { name } } } }
    }
  }`;
  const membersAsOf = async (key: string, asOf?: string, search?: string) => {
    const [clusterSlug, slug] = key.split('/');
    const res = await app.gql(MEMBERS_AS_OF, { clusterSlug, slug, asOf, search }, { token: admin });
    expect(res.body.errors).toBeUndefined();
    return res.body.data!.college.members as { totalCount: number; edges: { node: any }[] };
  };

  it('starts each membership on its own day over the years, after its organisation was founded, never after today', async () => {
    const rows = await app.sql<{
      key: string;
      name: string;
      started_on: string;
      member_since: string;
      founded_on: string | null;
      decided_on: string;
      started_event_on: string;
    }>(`select cl.slug || '/' || c.slug as key, o.name, m.started_on::text, m.member_since::text, o.founded_on::text,
          (a.decided_at at time zone 'UTC')::date::text as decided_on, e.effective_on::text as started_event_on
        from membership m join college c on c.id = m.college_id join cluster cl on cl.id = c.cluster_id
        join organisation o on o.id = m.organisation_id join application a on a.id = m.application_id
        join membership_event e on e.membership_id = m.id and e.kind = 'STARTED'`);
    expect(rows.length).toBeGreaterThan(350);
    // No member before its collège was constituted.
    const calendar = new MembershipCalendar(new Date());
    const constituted = (key: string) => calendar.constitutedOn(key as CollegeKey);
    const wrong = rows.filter(
      (r) =>
        r.started_on >= today() ||
        r.member_since !== r.started_on ||
        // The application was decided, and the membership's first event dated, on its first day.
        r.decided_on !== r.started_on ||
        r.started_event_on !== r.started_on ||
        (r.founded_on !== null && r.founded_on > r.started_on) ||
        r.started_on < constituted(r.key),
    );
    expect(wrong).toEqual([]);

    const byCollege = (key: string) => rows.filter((r) => r.key === key).map((r) => r.started_on);
    // Telecom Valley, "né voici 24 ans" in 2015: members since the 1990s, joining every few months since.
    const telecomValley = byCollege(TELECOM_VALLEY).sort();
    expect(telecomValley[0] >= '1991-01-01' && telecomValley[0] < '2000-01-01').toBe(true);
    expect(new Set(telecomValley.map((d) => d.slice(0, 4))).size).toBeGreaterThanOrEqual(20);
    expect(new Set(telecomValley).size).toBeGreaterThan(telecomValley.length * 0.8);
    // The associations had members for years before they federated (announced on 19 November 2014).
    for (const key of ['media-cloud-cluster/membres', 'novae-lr/membres', 'pixlr/membres']) {
      expect(byCollege(key).filter((d) => d < '2014-11-19').length).toBeGreaterThanOrEqual(5);
    }
    // FrenchSouth.digital's collèges from its creation, in 2015.
    for (const key of Object.keys(colleges).filter((k) => k.startsWith(`${FRENCH_SOUTH}/`))) {
      expect(byCollege(key).every((d) => d >= '2015-01-01')).toBe(true);
    }
  });

  it('dates what happened since: each suspension or resignation after the membership began, at the latest yesterday', async () => {
    const events = await app.sql<{ kind: string; effective_on: string; started_on: string; ended_on: string | null; status: string }>(
      `select e.kind, e.effective_on::text, m.started_on::text, m.ended_on::text, m.status
         from membership_event e join membership m on m.id = e.membership_id where e.kind <> 'STARTED'`,
    );
    expect(events.map((e) => e.kind).sort()).toEqual(['RESIGNED', 'RESIGNED', 'SUSPENDED']);
    for (const event of events) {
      expect(event.effective_on > event.started_on && event.effective_on < today()).toBe(true);
      if (event.kind === 'RESIGNED') expect(event).toMatchObject({ status: 'RESIGNED', ended_on: event.effective_on });
    }
  });

  it("shows, as of 1 June 2014, the associations' members before the fusion, and no FrenchSouth.digital collège yet", async () => {
    for (const key of ['media-cloud-cluster/membres', 'novae-lr/membres', 'pixlr/membres']) {
      const then = await membersAsOf(key, '2014-06-01');
      const now = await membersAsOf(key);
      expect(then.totalCount).toBeGreaterThan(0);
      expect(then.totalCount).toBeLessThan(now.totalCount);
      for (const { node } of then.edges) expect(node.startedOn <= '2014-06-01' && node.memberSince <= '2014-06-01').toBe(true);
    }
    expect((await membersAsOf('frenchsouth-digital/cloud', '2014-06-01')).totalCount).toBe(0);
    expect((await membersAsOf(TELECOM_VALLEY, '1999-12-31')).totalCount).toBeGreaterThan(0);

    // A member who resigned since is there as of a day it was a member, not today.
    const [resigned] = await app.sql<{ name: string; started_on: string }>(
      `select o.name, m.started_on::text from membership m join organisation o on o.id = m.organisation_id
        join college c on c.id = m.college_id join cluster cl on cl.id = c.cluster_id
       where cl.slug = 'media-cloud-cluster' and m.status = 'RESIGNED'`,
    );
    const then = await membersAsOf('media-cloud-cluster/membres', resigned.started_on, resigned.name);
    expect(then.edges.map((e) => [e.node.organisation.name, e.node.status])).toEqual([[resigned.name, 'RESIGNED']]);
    expect((await membersAsOf('media-cloud-cluster/membres', undefined, resigned.name)).totalCount).toBe(0);
  });
});

describe('cluster administrators', () => {
  const CLUSTERS = ['media-cloud-cluster', 'novae-lr', 'pixlr', 'digitalplace', 'telecom-valley', 'france-clusters'];
  const MEMBERS = `query($clusterSlug: String, $slug: String) { college(clusterSlug: $clusterSlug, slug: $slug) { id members(first: 3) { totalCount } } }`;

  it('gives each association, DigitalPlace, Telecom Valley and France Clusters an administrator who signs in and reads their cluster', async () => {
    for (const slug of CLUSTERS) {
      const email = CLUSTER_ADMINS[slug];
      expect(email).toEqual(expect.stringMatching(/^cluster-admin@/));
      const [grant] = await app.sql(
        `select r.role, r.college_id, r.valid_to from role_assignment r join account acc on acc.id = r.account_id
          join cluster cl on cl.id = r.cluster_id where acc.email = $1 and cl.slug = $2`,
        [email, slug],
      );
      expect(grant).toEqual({ role: 'CLUSTER_ADMIN', college_id: null, valid_to: null });
      const token = await login(email);
      const college = COLLEGES.find((c) => c.key.startsWith(`${slug}/`))!.key;
      const [clusterSlug, collegeSlug] = college.split('/');
      const members = await app.gql(MEMBERS, { clusterSlug, slug: collegeSlug }, { token });
      expect(members.body.errors).toBeUndefined();
      expect(members.body.data!.college.members.totalCount).toBeGreaterThan(0);
      const queue = await app.gql(QUEUE, { collegeId: members.body.data!.college.id }, { token });
      expect(queue.body.errors).toBeUndefined();
    }
    // Their cluster's, not another's.
    const mediaCloud = await login(CLUSTER_ADMINS['media-cloud-cluster']);
    const other = await app.gql(MEMBERS, { clusterSlug: 'telecom-valley', slug: 'adherents' }, { token: mediaCloud });
    expect(errorCodes(other)).toEqual(['FORBIDDEN']);
  });

  it("sets their collège's rules and configures their board themselves", async () => {
    const acts = await app.sql<{ action: string; cluster: string; email: string }>(
      `select a.action, cl.slug as cluster, acc.email from audit_entry a join account acc on acc.id = a.actor_id
         left join admission_rule_set r on a.action = 'admission-rules.set' and r.id::text = a.entity_id
         left join college c on c.id = r.college_id
         left join voting_body b on a.action = 'voting-body.configure' and b.id::text = a.entity_id
         join cluster cl on cl.id = coalesce(c.cluster_id, b.cluster_id)
        where a.action in ('admission-rules.set', 'voting-body.configure')`,
    );
    for (const act of acts) expect(act.email).toBe(CLUSTER_ADMINS[act.cluster]);
    expect(acts.length).toBeGreaterThanOrEqual(COLLEGES.length + BOARDS.length);
  });
});

describe('contacts', () => {
  it('gives every member and applicant organisation a contact person: a French name, a role, an email on its own domain', async () => {
    const people = await app.sql<{
      name: string;
      website: string | null;
      full_name: string | null;
      email: string | null;
      role: string | null;
      account_id: string | null;
    }>(`select o.name, o.website, p.full_name, p.email, p.role_in_organisation as role, p.account_id
          from organisation o left join person p on p.organisation_id = o.id
         where exists (select 1 from membership m where m.organisation_id = o.id)
            or exists (select 1 from application a where a.organisation_id = o.id)`);
    expect(people.filter((p) => p.full_name === null)).toEqual([]);
    const invented = people.filter((p) => p.account_id === null);
    expect(invented.length).toBeGreaterThan(350);
    for (const person of invented) {
      expect(person.full_name).toMatch(/^\p{Lu}[\p{L}-]+ \p{Lu}[\p{L}-]+$/u);
      expect(person.email).toMatch(/^[a-z-]+\.[a-z-]+@[a-z0-9-]+\.example$/);
      expect(person.role).toEqual(expect.any(String));
      if (person.website) expect(person.email!.split('@')[1]).toBe(person.website.replace('https://www.', ''));
    }
    // Varied, as people are.
    expect(new Set(invented.map((p) => p.full_name)).size).toBeGreaterThan(invented.length * 0.8);
  });
});

describe("FrenchSouth.digital's general assembly", () => {
  let frenchSouthId: string;
  beforeAll(async () => {
    [{ id: frenchSouthId }] = await app.sql<{ id: string }>(`select id from cluster where slug = $1`, [FRENCH_SOUTH]);
  });

  it('is configured with its statutes: a quarter present, two thirds of the votes, the collèges weighed as on the board, secret', async () => {
    const res = await app.gql(
      `query($clusterId: ID!) { votingBody(clusterId: $clusterId, kind: GENERAL_ASSEMBLY) { name kind rules {
        quorumBasisPoints majority abstentionsCount weighting collegeWeights { collegeId weightBasisPoints }
        doubleMajorityColleges proxyLimit proxySameCollege secrecy
      } } }`,
      { clusterId: frenchSouthId },
    );
    expect(res.body.errors).toBeUndefined();
    const { collegeWeights, ...rules } = GENERAL_ASSEMBLY.rules;
    const body = res.body.data!.votingBody;
    expect(body).toMatchObject({ name: GENERAL_ASSEMBLY.name, kind: 'GENERAL_ASSEMBLY', rules });
    expect(Object.fromEntries(body.rules.collegeWeights.map((w: any) => [w.collegeId, w.weightBasisPoints]))).toEqual(
      Object.fromEntries(Object.entries(collegeWeights!).map(([key, weight]) => [colleges[key], weight])),
    );
  });

  it("has a delegate for member organisations of every collège, each the organisation's contact, who signs in", async () => {
    const delegates = await app.sql<{ organisation: string; email: string; college: string; contact: boolean }>(
      `select o.name as organisation, acc.email, c.slug as college,
              exists (select 1 from person p where p.organisation_id = o.id and p.account_id = acc.id) as contact
         from assembly_delegate d join voting_body b on b.id = d.body_id join account acc on acc.id = d.delegate_id
         join organisation o on o.id = d.organisation_id
         join membership m on m.organisation_id = o.id and m.ended_on is null
         join college c on c.id = m.college_id and c.cluster_id = b.cluster_id
        where b.cluster_id = $1 and d.replaced_at is null`,
      [frenchSouthId],
    );
    expect(delegates).toHaveLength(GENERAL_ASSEMBLY.delegates.named.length + GENERAL_ASSEMBLY.delegates.firstGeneratedOf.length);
    expect(delegates.map((d) => d.organisation)).toEqual(expect.arrayContaining(['Soledge', 'Nelis', 'Epitech']));
    expect(new Set(delegates.map((d) => d.college)).size).toBe(5);
    for (const delegate of delegates) {
      expect(delegate.contact).toBe(true);
      await login(delegate.email);
    }
  });

  it('can vote: a resolution put to it has the delegates for electorate', async () => {
    const [author] = await app.sql<{ id: string }>(`select id from account where email = $1`, [CLUSTER_ADMINS[FRENCH_SOUTH]]);
    const services = app.services(author.id);
    const resolution = await services.proposals.create({
      kind: 'RESOLUTION' as never,
      title: 'Approbation des comptes',
      text: 'L’assemblée générale approuve les comptes de l’exercice.',
      partyClusterIds: [frenchSouthId],
      bodyKind: 'GENERAL_ASSEMBLY' as never,
    });
    await services.proposals.open({ proposalId: resolution.id, closesAt: new Date(Date.now() + 86_400_000) });
    const electors = await app.sql<{ email: string }>(
      `select acc.email from elector e join proposal_party p on p.id = e.party_id join account acc on acc.id = e.voter_id where p.proposal_id = $1`,
      [resolution.id],
    );
    const delegates = await app.sql<{ email: string }>(
      `select acc.email from assembly_delegate d join account acc on acc.id = d.delegate_id where d.replaced_at is null`,
    );
    expect(electors.map((e) => e.email).sort()).toEqual(delegates.map((d) => d.email).sort());
    await services.proposals.cancel({ proposalId: resolution.id, reason: 'Vérification de la démonstration.' });
  });
});

describe('the README', () => {
  it('lists demo accounts that all sign in with the demo password', async () => {
    const readme = readFileSync(path.join(PROJECT_ROOT, 'README.md'), 'utf8');
    const section = readme.slice(
      readme.indexOf('### Demo data and accounts'),
      readme.indexOf('\n## ', readme.indexOf('### Demo data and accounts')),
    );
    const emails = [...new Set(section.match(/[\w.+-]+@[\w.-]+\.example/g))];
    expect(emails.length).toBeGreaterThan(20);
    for (const email of emails) await login(email);
    // Every cluster administrator and every general assembly delegate is listed.
    for (const email of Object.values(CLUSTER_ADMINS)) expect(emails).toContain(email);
    const delegates = await app.sql<{ email: string }>(
      `select acc.email from assembly_delegate d join account acc on acc.id = d.delegate_id where d.replaced_at is null`,
    );
    for (const { email } of delegates) expect(emails).toContain(email);
  });
});

it('logs one line per step of the seed, with its duration, then the whole duration', () => {
  const steps = progress.slice(0, -1);
  expect(steps.length).toBeGreaterThanOrEqual(10);
  for (const line of progress) expect(line.fields.ms).toEqual(expect.any(Number));
  expect(steps.map((s) => s.message)).toEqual(
    expect.arrayContaining(['seed: clusters and collèges', 'seed: accounts', 'seed: governance', 'seed: finance']),
  );
  expect(steps.find((s) => s.message === `seed: members of ${TELECOM_VALLEY}`)?.fields).toMatchObject({ members: 150 });
  const total = progress.at(-1)!;
  expect(total.message).toBe('seed: done');
  expect(total.fields.ms as number).toBeGreaterThanOrEqual(Math.max(...steps.map((s) => s.fields.ms as number)));
});
