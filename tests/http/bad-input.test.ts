import { gzipSync } from 'node:zlib';
import { Role } from '../../src/auth/role.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * Input that is not the user's fault to get wrong must not be the server's fault either
 * (issue 12, item 6): each is a coded 4xx naming the field, nothing written, never a 500.
 */
let app: TestApp;
let admin: string;
beforeAll(async () => {
  app = await startTestApp();
  admin = (await app.signUp({ role: Role.ADMIN })).token;
});
afterAll(async () => {
  await app.close();
});

const CREATE_CLUSTER = 'mutation($input: CreateClusterInput!) { createCluster(input: $input) { cluster { id } } }';
const CREATE_ORGANISATION = 'mutation($input: CreateOrganisationInput!) { createOrganisation(input: $input) { organisation { id } } }';
const slug = () => `bad-${Math.random().toString(36).slice(2, 8)}`;

async function clusters(): Promise<number> {
  const [{ count }] = await app.sql<{ count: number }>('select count(*)::int as count from cluster');
  return count;
}

describe('strings PostgreSQL cannot store', () => {
  it.each([
    ['a NUL byte', 'Cluster\u0000name'],
    ['a lone high surrogate', 'Cluster \ud800 name'],
    ['a lone low surrogate', 'Cluster \udc00 name'],
  ])('%s in a variable: BAD_USER_INPUT naming the field, nothing written', async (_what, name) => {
    const before = await clusters();
    const res = await app.gql(CREATE_CLUSTER, { input: { name, slug: slug(), kind: 'CLUSTER' } }, { token: admin });
    expect(res.status).toBe(400);
    expect(res.body.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'INVALID_INPUT' });
    expect((res.body.errors?.[0].extensions as any).fields).toEqual([
      { field: 'input.name', messages: [expect.stringMatching(/character/)] },
    ]);
    expect(await clusters()).toBe(before);
  });

  it('a NUL byte inside the document itself: BAD_USER_INPUT', async () => {
    const res = await app.gql(
      `mutation { createCluster(input: { name: "A\\u0000B", slug: "${slug()}", kind: CLUSTER }) { cluster { id } } }`,
      {},
      { token: admin },
    );
    expect(res.body.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'INVALID_INPUT' });
  });

  it('a well-formed pair (an emoji) and accents are kept', async () => {
    const name = 'Clúster 🚀 Occitanie';
    const res = await app.gql(CREATE_CLUSTER, { input: { name, slug: slug(), kind: 'CLUSTER' } }, { token: admin });
    expect(res.body.errors).toBeUndefined();
  });
});

describe('dates', () => {
  it.each(['0000-01-01', '1899-12-31', '2101-01-01'])('a founding date of %s: BAD_USER_INPUT naming the field', async (foundedOn) => {
    const res = await app.gql(CREATE_ORGANISATION, { input: { name: `Org ${slug()}`, kind: 'COMPANY', foundedOn } }, { token: admin });
    expect(res.body.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(JSON.stringify(res.body.errors?.[0].extensions)).toContain('foundedOn');
  });

  it.each(['0000-01-01T00:00:00Z', '1850-06-01T00:00:00Z', '2200-01-01T00:00:00Z'])(
    'an instant of %s: BAD_USER_INPUT',
    async (validFrom) => {
      const res = await app.gql(
        'mutation($input: GrantRoleInput!) { grantRole(input: $input) { roleAssignment { id } } }',
        { input: { accountId: '00000000-0000-4000-8000-000000000000', role: 'ADMIN', validFrom } },
        { token: admin },
      );
      expect(res.body.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
      expect(JSON.stringify(res.body.errors?.[0].extensions)).toContain('validFrom');
    },
  );

  it('1900-01-01 and 2100-12-31 are accepted as founding dates (the bounds)', async () => {
    const res = await app.gql(
      CREATE_ORGANISATION,
      { input: { name: `Org ${slug()}`, kind: 'COMPANY', foundedOn: '1900-01-01' } },
      { token: admin },
    );
    expect(res.body.errors).toBeUndefined();
  });
});

describe('names of white space only', () => {
  it.each([['createCluster', CREATE_CLUSTER, () => ({ name: '   ', slug: slug(), kind: 'CLUSTER' }), 'input.name']])(
    '%s: BAD_USER_INPUT naming the field',
    async (_name, document, input, field) => {
      const res = await app.gql(document, { input: input() }, { token: admin });
      expect(res.body.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
      expect((res.body.errors?.[0].extensions as any).fields.map((f: { field: string }) => f.field)).toContain(field);
    },
  );
});

describe('compressed bodies', () => {
  const body = () => JSON.stringify({ query: '{ __typename }' });
  const post = (payload: Buffer | string, encoding: string) =>
    fetch(`${app.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-encoding': encoding },
      body: payload,
    });

  it('a gzip body is read', async () => {
    const res = await post(gzipSync(body()), 'gzip');
    expect(res.status).toBe(200);
  });

  it.each(['gzip', 'deflate', 'br'])('a corrupted %s body: 400 BAD_REQUEST, not 500', async (encoding) => {
    const res = await post(Buffer.from('this is not compressed at all'), encoding);
    expect(res.status).toBe(400);
    const json = (await res.json()) as { errors: { extensions: { code: string; reason: string } }[] };
    expect(json.errors[0].extensions).toMatchObject({ code: 'BAD_REQUEST', reason: 'REQUEST_MALFORMED' });
  });
});

describe('organisations: every field’s error at once, identifiers as people type them', () => {
  it('an empty name, a short SIREN, département 99 and a negative headcount are reported together', async () => {
    const res = await app.gql(
      CREATE_ORGANISATION,
      { input: { name: '', kind: 'COMPANY', siren: '12345', departement: '99', headcount: -3 } },
      { token: admin },
    );
    expect(res.body.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'INVALID_INPUT' });
    const fields = (res.body.errors?.[0].extensions as any).fields.map((f: { field: string }) => f.field);
    expect(fields).toEqual(expect.arrayContaining(['input.name', 'input.siren', 'input.departement', 'input.headcount']));
    // One form for every BAD_USER_INPUT message.
    expect(res.body.errors?.[0].message).toMatch(/^Invalid input\. input\.[a-z]+: /);
  });

  it('a name of white space only is refused like an empty one', async () => {
    const res = await app.gql(CREATE_ORGANISATION, { input: { name: ' \t ', kind: 'COMPANY' } }, { token: admin });
    expect(res.body.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'INVALID_INPUT' });
    expect((res.body.errors?.[0].extensions as any).fields).toEqual([
      { field: 'input.name', messages: [expect.stringContaining('blank')] },
    ]);
  });

  it('a SIREN and a SIRET typed with spaces are accepted and stored as digits; the same SIREN again is a CONFLICT', async () => {
    const res = await app.gql(
      'mutation($input: CreateOrganisationInput!) { createOrganisation(input: $input) { organisation { id siren siret } } }',
      { input: { name: `Spaced ${slug()}`, kind: 'COMPANY', siren: '552 100 554', siret: '552 100 554 00013' } },
      { token: admin },
    );
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data).toMatchObject({ createOrganisation: { organisation: { siren: '552100554', siret: '55210055400013' } } });
    const again = await app.gql(
      CREATE_ORGANISATION,
      { input: { name: `Again ${slug()}`, kind: 'COMPANY', siren: '552100554' } },
      { token: admin },
    );
    expect(again.body.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', reason: 'SIREN_TAKEN' });
  });

  it('a SIRET that does not start with the SIREN given beside it is reported with the others', async () => {
    const res = await app.gql(
      CREATE_ORGANISATION,
      { input: { name: '', kind: 'COMPANY', siren: '443 061 841', siret: '55210055400013' } },
      { token: admin },
    );
    const fields = (res.body.errors?.[0].extensions as any).fields;
    expect(fields.map((f: { field: string }) => f.field).sort()).toEqual(['input.name', 'input.siret']);
    expect(JSON.stringify(fields)).toContain('does not start with the SIREN 443061841');
  });
});
