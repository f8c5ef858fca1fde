import { Role } from '../../src/auth/role.js';
import { OrganisationKind } from '../../src/membership/organisation-kind.js';
import { errorCodes, startTestApp, type GraphQLResponse, type TestApp } from '../support/test-app.js';
import { refusal } from '../support/refusals.js';

/**
 * Organisations over HTTP: French identifiers, size class and region derived from the facts,
 * and every bad input refused with the field it concerns, leaving nothing behind.
 */
let app: TestApp;
let applicant: { token: string; accountId: string };
let admin: { token: string };

const CREATE_ORG = `mutation($input: CreateOrganisationInput!) {
  createOrganisation(input: $input) {
    organisation { id name kind siren siret headcount sizeClass foundedOn departement region website affiliations people { fullName email } }
  }
}`;
const UPDATE_ORG = `mutation($input: UpdateOrganisationInput!) {
  updateOrganisation(input: $input) { organisation { id name headcount sizeClass departement region affiliations } }
}`;
const ORGANISATION = `query($id: ID!) { organisation(id: $id) { id name sizeClass region } }`;

// Valid identifiers (Luhn-checked), computed once from real-looking prefixes.
const SIREN = '552081317';
const SIRET = '55208131700018';
const OTHER_SIREN = '404833048';
const OTHER_SIRET = '40483304800014';
const LA_POSTE_SIREN = '356000000';

/** Rows that a refused createOrganisation must not have added. */
async function writtenRows(): Promise<Record<string, number>> {
  const [row] = await app.sql<Record<string, string>>(
    `select (select count(*) from organisation) as organisations, (select count(*) from person) as people,
            (select count(*) from audit_entry) as audit`,
  );
  return Object.fromEntries(Object.entries(row).map(([key, value]) => [key, Number(value)]));
}

/** The fields a BAD_USER_INPUT response names, sorted. */
function badFields(res: GraphQLResponse): string[] {
  expect(refusal(res)).toEqual({ code: 'BAD_USER_INPUT', reason: 'INVALID_INPUT' });
  return (res.body.errors![0].extensions!.fields as { field: string }[]).map((problem) => problem.field).sort();
}

/** What the refusal says of each bad field, as a client shows it beside the field. */
function fieldMessages(res: GraphQLResponse): string {
  return (res.body.errors![0].extensions!.fields as { messages: string[] }[]).flatMap((problem) => problem.messages).join('\n');
}

let serial = 0;
// Numbered look-alike names ("Organisation 1", "Organisation 2"…): each is another organisation.
const create = (input: Record<string, unknown>, token = applicant.token) =>
  app.gql(CREATE_ORG, { input: { name: `Organisation ${(serial += 1)}`, kind: 'COMPANY', notADuplicate: true, ...input } }, { token });

beforeAll(async () => {
  app = await startTestApp();
  applicant = await app.signUp();
  admin = await app.signUp({ role: Role.ADMIN });
});
afterAll(async () => {
  await app.close();
});

describe('createOrganisation', () => {
  it('stores the organisation, derives its size class and region, and makes the caller its contact', async () => {
    const res = await create({
      name: '  Soledge  ',
      siren: SIREN,
      siret: SIRET,
      headcount: 42,
      foundedOn: '2015-06-01',
      departement: '34',
      website: 'https://soledge.example',
      affiliations: [' French Tech '],
      contact: { fullName: 'Maryam Bini', email: 'maryam@soledge.example', roleInOrganisation: 'CEO' },
    });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data!.createOrganisation.organisation).toMatchObject({
      name: 'Soledge',
      kind: 'COMPANY',
      siren: SIREN,
      siret: SIRET,
      headcount: 42,
      sizeClass: 'PME',
      foundedOn: '2015-06-01',
      departement: '34',
      region: 'Occitanie',
      website: 'https://soledge.example',
      affiliations: ['French Tech'],
      people: [{ fullName: 'Maryam Bini', email: 'maryam@soledge.example' }],
    });
    const id = res.body.data!.createOrganisation.organisation.id;
    const [person] = await app.sql('select account_id from person where organisation_id = $1', [id]);
    expect(person.account_id).toBe(applicant.accountId);
  });

  it.each([
    [0, 'TPE'],
    [9, 'TPE'],
    [10, 'PME'],
    [249, 'PME'],
    [250, 'ETI'],
    [4999, 'ETI'],
    [5000, 'GE'],
    [120000, 'GE'],
  ])('a headcount of %i is %s', async (headcount, sizeClass) => {
    const res = await create({ headcount });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data!.createOrganisation.organisation.sizeClass).toBe(sizeClass);
  });

  it('has no size class while the headcount is unknown', async () => {
    const res = await create({});
    expect(res.body.data!.createOrganisation.organisation).toMatchObject({ headcount: null, sizeClass: null, region: null });
  });

  it.each([
    ['01', 'Auvergne-Rhône-Alpes'],
    ['13', "Provence-Alpes-Côte d'Azur"],
    ['2A', 'Corse'],
    ['2B', 'Corse'],
    ['75', 'Île-de-France'],
    ['95', 'Île-de-France'],
    ['971', 'Guadeloupe'],
    ['976', 'Mayotte'],
  ])('département %s lies in %s', async (departement, region) => {
    const res = await create({ departement });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data!.createOrganisation.organisation).toMatchObject({ departement, region });
  });

  it("accepts La Poste's establishments by their own digit-sum rule, not Luhn", async () => {
    // Digit sum 15 (a multiple of 5) although the Luhn check fails.
    const res = await create({ siren: LA_POSTE_SIREN, siret: '35600000010000' });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data!.createOrganisation.organisation).toMatchObject({ siren: LA_POSTE_SIREN, siret: '35600000010000' });
  });

  describe('refuses bad input, naming the field and writing nothing', () => {
    it.each<[string, Record<string, unknown>, string[], RegExp | null]>([
      ['a SIREN of 8 digits', { siren: '55208131' }, ['input.siren'], /9 digits/],
      ['a SIREN of 10 digits', { siren: '5520813170' }, ['input.siren'], /9 digits/],
      ['a SIREN with letters', { siren: '55208131A' }, ['input.siren'], /9 digits/],
      ['a SIREN failing its checksum', { siren: '552081318' }, ['input.siren'], /checksum/],
      ['a SIRET of 13 digits', { siret: '5520813170001' }, ['input.siret'], /14 digits/],
      ['a SIRET failing its checksum', { siren: SIREN, siret: '55208131700019' }, ['input.siret'], /checksum/],
      ['a SIRET not starting with the SIREN', { siren: SIREN, siret: OTHER_SIRET }, ['input.siret'], /does not start with the SIREN/],
      ['a SIRET whose first 9 digits are no SIREN', { siret: '55208131800010' }, ['input.siret'], /not a valid SIREN/],
      // Luhn-valid, but its digit sum (19) is not a multiple of 5: La Poste's rule applies, not Luhn.
      ["a La Poste SIRET failing La Poste's rule", { siren: LA_POSTE_SIREN, siret: '35600000010013' }, ['input.siret'], /La Poste/],
      ['a bad SIREN and a bad SIRET', { siren: '552081318', siret: '123' }, ['input.siren', 'input.siret'], null],
      ['a negative headcount', { headcount: -1 }, ['input.headcount'], /negative/],
      // In the future, within the range the LocalDate scalar accepts (1900–2100).
      ['a founding date in the future', { foundedOn: '2099-01-01' }, ['input.foundedOn'], /future/],
      ['a département that does not exist', { departement: '96' }, ['input.departement'], /departement/],
      ['département 20 (Corsica is 2A and 2B)', { departement: '20' }, ['input.departement'], null],
      ['a lower-case Corsican département', { departement: '2a' }, ['input.departement'], null],
      ['an overseas département out of range', { departement: '977' }, ['input.departement'], null],
    ])('%s', async (_label, input, fields, message) => {
      const before = await writtenRows();
      const res = await create(input);
      expect(badFields(res)).toEqual(fields);
      if (message) expect(fieldMessages(res)).toMatch(message);
      expect(await writtenRows()).toEqual(before);
    });

    it.each(['2023-02-30', '2023-13-01', '2023-2-1', '01/02/2023', 'yesterday'])(
      'a founding date that is not a real date (%s) is refused by the LocalDate scalar, naming the field in its message',
      async (foundedOn) => {
        const before = await writtenRows();
        const res = await create({ foundedOn });
        expect(errorCodes(res)).toEqual(['BAD_USER_INPUT']);
        expect(res.body.errors![0].message).toContain('"input.foundedOn"');
        expect(await writtenRows()).toEqual(before);
      },
    );

    // Known gap: the scalar's refusal is raised while graphql-js coerces variables, before any
    // resolver runs, and the shared error formatter does not turn its path into
    // `extensions.fields`. When it does, this test fails: drop `.failing`.
    it('a founding date that is not a real date names input.foundedOn in extensions.fields', async () => {
      expect(badFields(await create({ foundedOn: '2023-02-30' }))).toEqual(['input.foundedOn']);
    });

    it('a founding date of today is accepted', async () => {
      const today = app.clock.now().toISOString().slice(0, 10);
      const res = await create({ foundedOn: today });
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data!.createOrganisation.organisation.foundedOn).toBe(today);
    });
  });

  it('refuses a second organisation with the same SIREN or SIRET with CONFLICT, writing nothing', async () => {
    const first = await create({ siren: OTHER_SIREN });
    expect(first.body.errors).toBeUndefined();
    const before = await writtenRows();
    const again = await create({ siren: OTHER_SIREN });
    expect(refusal(again)).toEqual({ code: 'CONFLICT', reason: 'SIREN_TAKEN' });
    expect(again.body.errors![0].extensions!.field).toBe('input.siren');
    expect(await writtenRows()).toEqual(before);

    const sameSiret = await create({ siret: SIRET });
    expect(refusal(sameSiret)).toEqual({ code: 'CONFLICT', reason: 'SIRET_TAKEN' });
    expect(sameSiret.body.errors![0].extensions!.field).toBe('input.siret');
    expect(await writtenRows()).toEqual(before);
  });

  it('refuses an anonymous caller', async () => {
    const res = await app.gql(CREATE_ORG, { input: { name: 'Anonymous', kind: 'COMPANY' } });
    expect(refusal(res)).toEqual({ code: 'UNAUTHENTICATED', reason: 'SIGN_IN_REQUIRED' });
  });
});

describe('updateOrganisation', () => {
  let orgId: string;
  beforeAll(async () => {
    const res = await create({ name: 'Nelis', headcount: 8, departement: '34' });
    orgId = res.body.data!.createOrganisation.organisation.id;
  });

  it('re-derives the size class from the new headcount and the region from the new département', async () => {
    const grown = await app.gql(UPDATE_ORG, { input: { id: orgId, headcount: 250, departement: '13' } }, { token: applicant.token });
    expect(grown.body.errors).toBeUndefined();
    expect(grown.body.data!.updateOrganisation.organisation).toMatchObject({
      headcount: 250,
      sizeClass: 'ETI',
      departement: '13',
      region: "Provence-Alpes-Côte d'Azur",
    });
    const read = await app.gql(ORGANISATION, { id: orgId }, { token: applicant.token });
    expect(read.body.data!.organisation).toMatchObject({ sizeClass: 'ETI', region: "Provence-Alpes-Côte d'Azur" });

    const shrunk = await app.gql(UPDATE_ORG, { input: { id: orgId, headcount: 9 } }, { token: admin.token });
    expect(shrunk.body.errors).toBeUndefined();
    expect(shrunk.body.data!.updateOrganisation.organisation).toMatchObject({ headcount: 9, sizeClass: 'TPE', departement: '13' });
  });

  it('refuses a negative headcount or an unknown département, naming the field and changing nothing', async () => {
    const negative = await app.gql(UPDATE_ORG, { input: { id: orgId, headcount: -5 } }, { token: applicant.token });
    expect(badFields(negative)).toEqual(['input.headcount']);
    const unknown = await app.gql(UPDATE_ORG, { input: { id: orgId, departement: '20' } }, { token: applicant.token });
    expect(badFields(unknown)).toEqual(['input.departement']);
    const [row] = await app.sql('select headcount, departement from organisation where id = $1', [orgId]);
    expect(row).toEqual({ headcount: 9, departement: '13' });
  });

  it('is refused to someone who does not act for the organisation', async () => {
    const stranger = await app.signUp();
    const res = await app.gql(UPDATE_ORG, { input: { id: orgId, headcount: 1 } }, { token: stranger.token });
    expect(refusal(res)).toEqual({ code: 'FORBIDDEN', reason: 'RIGHT_MISSING' });
    // The refusal says who may, naming the organisation.
    expect(res.body.errors![0].message).toBe('Only the contacts of Nelis (or a platform administrator) may change this organisation.');
  });

  it('answers NOT_FOUND for an organisation that does not exist', async () => {
    const res = await app.gql(UPDATE_ORG, { input: { id: '00000000-0000-4000-8000-000000000000', headcount: 1 } }, { token: admin.token });
    expect(refusal(res)).toEqual({ code: 'NOT_FOUND', reason: 'NOT_FOUND' });
  });
});

describe('addPerson', () => {
  const ADD = `mutation($input: AddPersonInput!) { addPerson(input: $input) { person { id fullName email roleInOrganisation } } }`;

  it('adds a person without an account, and links an account that then acts for the organisation', async () => {
    const contact = await app.signUp();
    const org = await app
      .services()
      .organisations.createOrganisation({ name: `People ${Date.now()}`, kind: OrganisationKind.COMPANY }, contact.accountId);
    const plain = await app.gql(
      ADD,
      { input: { organisationId: org.id, fullName: 'Daniel Benchimol', roleInOrganisation: 'Président' } },
      { token: contact.token },
    );
    expect(plain.body.errors).toBeUndefined();
    expect(plain.body.data!.addPerson.person).toMatchObject({ fullName: 'Daniel Benchimol', email: null, roleInOrganisation: 'Président' });

    const colleague = await app.signUp();
    const linked = await app.gql(
      ADD,
      { input: { organisationId: org.id, fullName: 'Colleague', accountId: colleague.accountId } },
      { token: contact.token },
    );
    expect(linked.body.errors).toBeUndefined();
    // The colleague now acts for the organisation: it may update it.
    const update = await app.gql(
      `mutation($input: UpdateOrganisationInput!) { updateOrganisation(input: $input) { organisation { headcount } } }`,
      { input: { id: org.id, headcount: 12 } },
      { token: colleague.token },
    );
    expect(update.body.errors).toBeUndefined();
    const twice = await app.gql(
      ADD,
      { input: { organisationId: org.id, fullName: 'Again', accountId: colleague.accountId } },
      { token: contact.token },
    );
    expect(refusal(twice)).toEqual({ code: 'CONFLICT', reason: 'ACCOUNT_ALREADY_CONTACT' });
  });

  it('refuses a stranger and unknown ids', async () => {
    const contact = await app.signUp();
    const org = await app
      .services()
      .organisations.createOrganisation({ name: `Guarded ${Date.now()}`, kind: OrganisationKind.COMPANY }, contact.accountId);
    const stranger = await app.signUp();
    expect(refusal(await app.gql(ADD, { input: { organisationId: org.id, fullName: 'X' } }, { token: stranger.token }))).toEqual({
      code: 'FORBIDDEN',
      reason: 'RIGHT_MISSING',
    });
    const unknownAccount = await app.gql(
      ADD,
      { input: { organisationId: org.id, fullName: 'X', accountId: '00000000-0000-4000-8000-000000000000' } },
      { token: contact.token },
    );
    expect(refusal(unknownAccount)).toEqual({ code: 'NOT_FOUND', reason: 'NOT_FOUND' });
  });
});
