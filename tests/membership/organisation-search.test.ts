import { refusal } from '../support/refusals.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * Finding an organisation before creating it again (issue 13, item 3, begun): by part of its
 * name or by SIREN/SIRET as people type them; creating one whose SIREN exists names it.
 */
let app: TestApp;
let token: string;
beforeAll(async () => {
  app = await startTestApp();
  ({ token } = await app.signUp());
  const services = app.services();
  await services.organisations.createOrganisation(
    { name: 'Soledge', kind: 'COMPANY' as never, siren: '552100554', siret: '55210055400013' },
    null,
  );
  await services.organisations.createOrganisation({ name: 'Nelis', kind: 'COMPANY' as never }, null);
  for (let i = 0; i < 200; i += 1) {
    await services.organisations.createOrganisation({ name: `Entreprise ${String(i).padStart(3, '0')}`, kind: 'COMPANY' as never }, null);
  }
});
afterAll(async () => {
  await app.close();
});

const SEARCH = 'query($q: String!, $first: Int) { organisations(search: $q, first: $first) { totalCount edges { node { name siren } } } }';
const names = (res: any) => res.body.data.organisations.edges.map((e: any) => e.node.name);

it('finds by part of the name, any case, and by SIREN or SIRET typed with spaces', async () => {
  expect(names(await app.gql(SEARCH, { q: 'sOLEd' }, { token }))).toEqual(['Soledge']);
  expect(names(await app.gql(SEARCH, { q: '552 100 554' }, { token }))).toEqual(['Soledge']);
  expect(names(await app.gql(SEARCH, { q: '552 100 554 00013' }, { token }))).toEqual(['Soledge']);
  expect(names(await app.gql(SEARCH, { q: '100%' }, { token }))).toEqual([]);
});

it('pages by name with the same statements for 10 and for 200 results', async () => {
  app.resetSqlCount();
  const ten = await app.gql(SEARCH, { q: 'entreprise', first: 10 }, { token });
  const forTen = app.sqlCount();
  app.resetSqlCount();
  const all = await app.gql(SEARCH, { q: 'entreprise', first: 200 }, { token });
  expect(app.sqlCount()).toBe(forTen);
  expect(names(ten)).toEqual(Array.from({ length: 10 }, (_, i) => `Entreprise ${String(i).padStart(3, '0')}`));
  expect(all.body.data!.organisations.totalCount).toBe(200);
});

it('refuses an anonymous caller and a blank search; creating an existing SIREN again names the organisation', async () => {
  expect(refusal(await app.gql(SEARCH, { q: 'soledge' }))).toEqual({ code: 'UNAUTHENTICATED', reason: 'SIGN_IN_REQUIRED' });
  expect(refusal(await app.gql(SEARCH, { q: '   ' }, { token }))).toEqual({ code: 'BAD_USER_INPUT', reason: 'INVALID_INPUT' });
  const again = await app.gql(
    'mutation($input: CreateOrganisationInput!) { createOrganisation(input: $input) { organisation { id } } }',
    { input: { name: 'Soledge SAS', kind: 'COMPANY', siren: '552 100 554' } },
    { token },
  );
  expect(again.body.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', reason: 'SIREN_TAKEN', organisationName: 'Soledge' });
  expect(again.body.errors?.[0].message).toMatch(/^Soledge already has SIREN 552100554: ask its contacts/);
});
