import { NAMED_LIKE_SQL } from '../../src/membership/organisation-duplicates.js';
import { OrganisationKind } from '../../src/membership/organisation-kind.js';
import { refusal } from '../support/refusals.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * Possible duplicates by name (issue 13, item 3): creating an organisation whose name is close to
 * one already registered writes nothing and returns the look-alikes, unless the caller says it is
 * another one (`notADuplicate`); `similarOrganisations` gives a form the same answer beforehand.
 */
let app: TestApp;
let token: string;

const SOLEDGE_SIREN = '552100554';
const OTHER_SIREN = '404833048';
const OTHER_SIRET = '40483304800014';

const CREATE = `mutation($input: CreateOrganisationInput!) {
  createOrganisation(input: $input) { organisation { id name } possibleDuplicates { id name siren } }
}`;
const SIMILAR = 'query($name: String!, $siren: String) { similarOrganisations(name: $name, siren: $siren) { name } }';

beforeAll(async () => {
  app = await startTestApp();
  ({ token } = await app.signUp());
  const services = app.services();
  const create = (name: string, extra: Record<string, unknown> = {}) =>
    services.organisations.createOrganisation({ name, kind: OrganisationKind.COMPANY, ...extra }, null);
  await create('Soledge', { siren: SOLEDGE_SIREN, siret: '55210055400013' });
  await create('EPITECH', { kind: OrganisationKind.HIGHER_EDUCATION });
  await create('Université de Lyon', { kind: OrganisationKind.HIGHER_EDUCATION });
  await create('Nélis');
  await create('Telecom Valley', { kind: OrganisationKind.ASSOCIATION });
  await create('FrenchSouth.digital', { kind: OrganisationKind.ASSOCIATION });
  await create('Mimosa Networks');
  await create('Orange Business Services');
  // A family of look-alikes, to see the order and the bound.
  await create('Atelier Numérique SAS');
  for (let i = 1; i <= 14; i += 1) await create(`Atelier Numérique ${String(i).padStart(2, '0')}`);
});
afterAll(async () => {
  await app.close();
});

/** Rows a createOrganisation that found look-alikes must not have added. */
async function counts(): Promise<Record<string, number>> {
  const [row] = await app.sql<Record<string, string>>(
    `select (select count(*) from organisation) as organisations, (select count(*) from person) as people,
            (select count(*) from audit_entry) as audit`,
  );
  return Object.fromEntries(Object.entries(row).map(([key, value]) => [key, Number(value)]));
}

const names = (list: { name: string }[]) => list.map((o) => o.name);
const similar = async (name: string, siren?: string) => {
  const res = await app.gql(SIMILAR, { name, siren }, { token });
  expect(res.body.errors).toBeUndefined();
  return names(res.body.data!.similarOrganisations);
};

describe('createOrganisation with a name close to one registered', () => {
  it.each([
    ['SOLEDGE SAS', 'Soledge'],
    ['Epitech', 'EPITECH'],
    ['Universite de Lyon', 'Université de Lyon'],
    ['Nelis', 'Nélis'],
    ["L'Association Telecom Valley", 'Telecom Valley'],
  ])('%s: nothing is created, %s is returned', async (name, existing) => {
    const before = await counts();
    const res = await app.gql(CREATE, { input: { name, kind: 'COMPANY' } }, { token });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data!.createOrganisation.organisation).toBeNull();
    expect(names(res.body.data!.createOrganisation.possibleDuplicates)).toEqual([existing]);
    expect(await counts()).toEqual(before);
  });

  it('with notADuplicate: true, creates it, and its audit entry names the look-alikes the caller saw', async () => {
    const res = await app.gql(CREATE, { input: { name: 'Nelis', kind: 'COMPANY', notADuplicate: true } }, { token });
    expect(res.body.errors).toBeUndefined();
    const { organisation, possibleDuplicates } = res.body.data!.createOrganisation;
    expect(organisation.name).toBe('Nelis');
    expect(possibleDuplicates).toEqual([]);
    const [nelis] = await app.sql<{ id: string }>(`select id from organisation where name = 'Nélis'`);
    const [entry] = await app.sql<{ after: Record<string, unknown> }>(
      `select after from audit_entry where action = 'organisation.create' and entity_id = $1`,
      [organisation.id],
    );
    expect(entry.after.notADuplicateOf).toEqual([nelis.id]);
  });

  it('a name that is not close is created at once', async () => {
    const res = await app.gql(CREATE, { input: { name: 'Kalisto Robotique', kind: 'COMPANY' } }, { token });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data!.createOrganisation.organisation.name).toBe('Kalisto Robotique');
    expect(res.body.data!.createOrganisation.possibleDuplicates).toEqual([]);
  });

  it('another SIREN is another legal entity: not a duplicate; the same SIREN through a SIRET is', async () => {
    // Soledge has SIREN 552100554: "Soledge" with another SIREN is someone else.
    expect(await similar('Soledge', OTHER_SIREN)).toEqual([]);
    const other = await app.gql(CREATE, { input: { name: 'Soledge', kind: 'COMPANY', siren: OTHER_SIREN, siret: OTHER_SIRET } }, { token });
    expect(other.body.errors).toBeUndefined();
    expect(other.body.data!.createOrganisation.organisation.name).toBe('Soledge');
    // Without a SIREN, both Soledges may be the one meant.
    expect((await similar('Soledge')).sort()).toEqual(['Soledge', 'Soledge']);
    // Another establishment of Soledge's SIREN (a SIRET starting with it): Soledge, not the other one.
    const establishment = await app.gql(CREATE, { input: { name: 'Soledge Lyon', kind: 'COMPANY', siret: '55210055400021' } }, { token });
    expect(establishment.body.data!.createOrganisation.organisation).toBeNull();
    expect(establishment.body.data!.createOrganisation.possibleDuplicates).toEqual([
      expect.objectContaining({ name: 'Soledge', siren: SOLEDGE_SIREN }),
    ]);
  });

  it('a SIREN already registered is a CONFLICT naming the organisation and the way to ask to act for it', async () => {
    const res = await app.gql(CREATE, { input: { name: 'Sol Edge', kind: 'COMPANY', siren: SOLEDGE_SIREN } }, { token });
    expect(refusal(res)).toEqual({ code: 'CONFLICT', reason: 'SIREN_TAKEN' });
    expect(res.body.errors![0].extensions).toMatchObject({ organisationName: 'Soledge' });
    expect(res.body.errors![0].message).toContain('requestToActFor');
  });

  it('people registering the same name at the same instant: one creates it, the others are shown it', async () => {
    const people = [{ token }, ...(await Promise.all(Array.from({ length: 5 }, () => app.signUp())))];
    const input = { name: 'Nuage Occitan', kind: 'COMPANY' };
    const answers = await Promise.all(people.map((person) => app.gql(CREATE, { input }, { token: person.token })));
    const created = answers.filter((res) => res.body.data!.createOrganisation.organisation);
    const shown = answers.filter((res) => !res.body.data!.createOrganisation.organisation);
    expect(created).toHaveLength(1);
    for (const res of shown) expect(names(res.body.data!.createOrganisation.possibleDuplicates)).toEqual(['Nuage Occitan']);
    expect(await app.sql(`select 1 from organisation where name = 'Nuage Occitan'`)).toHaveLength(1);
  });
});

describe('similarOrganisations', () => {
  it('finds typos, spacing and shortened names; not names sharing only a trade word or a part', async () => {
    expect(await similar('Telecom Valey')).toEqual(['Telecom Valley']);
    expect(await similar('French South Digital')).toEqual(['FrenchSouth.digital']);
    expect(await similar('Mimosa Wireless')).toEqual([]);
    expect(await similar('Orange')).toEqual([]);
    expect(await similar('IoT Valley')).toEqual([]);
  });

  it('lists the same name first, then by similarity, at most 10', async () => {
    const found = await similar('atelier numerique');
    expect(found).toHaveLength(10);
    expect(found[0]).toBe('Atelier Numérique SAS');
    expect(found.slice(1)).toEqual(Array.from({ length: 9 }, (_, i) => `Atelier Numérique ${String(i + 1).padStart(2, '0')}`));
  });

  it('costs the same statements for one look-alike and for ten', async () => {
    app.resetSqlCount();
    expect(await similar('Telecom Valey')).toHaveLength(1);
    const forOne = app.sqlCount();
    app.resetSqlCount();
    expect(await similar('Atelier Numerique')).toHaveLength(10);
    expect(app.sqlCount()).toBe(forOne);

    app.resetSqlCount();
    await app.gql(CREATE, { input: { name: 'Telecom Valey', kind: 'COMPANY' } }, { token });
    const createOne = app.sqlCount();
    app.resetSqlCount();
    const ten = await app.gql(CREATE, { input: { name: 'Atelier Numerique', kind: 'COMPANY' } }, { token });
    expect(ten.body.data!.createOrganisation.possibleDuplicates).toHaveLength(10);
    expect(app.sqlCount()).toBe(createOne);
  });

  it('refuses an anonymous caller, a blank name and a bad SIREN', async () => {
    expect(refusal(await app.gql(SIMILAR, { name: 'Soledge' }))).toEqual({ code: 'UNAUTHENTICATED', reason: 'SIGN_IN_REQUIRED' });
    expect(refusal(await app.gql(SIMILAR, { name: '  ' }, { token }))).toEqual({ code: 'BAD_USER_INPUT', reason: 'INVALID_INPUT' });
    expect(refusal(await app.gql(SIMILAR, { name: 'Soledge', siren: '123456789' }, { token }))).toEqual({
      code: 'BAD_USER_INPUT',
      reason: 'INVALID_INPUT',
    });
  });

  it('uses the trigram index on a few thousand organisations', async () => {
    await app.sql(
      `insert into organisation (id, created_at, updated_at, name, kind, affiliations)
       select gen_random_uuid(), now(), now(), 'Entreprise ' || md5(i::text), 'COMPANY', '{}' from generate_series(1, 5000) i`,
    );
    // Rows inserted after a GIN index was built wait in its pending list until a vacuum (autovacuum,
    // in production) merges them; until then the planner rightly prefers reading the table.
    await app.sql('vacuum analyze organisation');
    let n = 0;
    const sql = NAMED_LIKE_SQL.replace(/\?/g, () => `$${(n += 1)}`);
    const plan = await app.sql<{ 'QUERY PLAN': string }>(`explain ${sql}`, ['Telecom Valey', 0.6, null, null, 10]);
    const text = plan.map((row) => row['QUERY PLAN']).join('\n');
    // The same key through the btree, a close one through the trigrams.
    expect(text).toContain('organisation_name_key_index');
    expect(text).toContain('organisation_name_key_trgm');
    expect(text).not.toMatch(/Seq Scan on organisation/);
    expect(await similar('Telecom Valey')).toEqual(['Telecom Valley']);
  });
});
