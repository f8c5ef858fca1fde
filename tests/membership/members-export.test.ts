import { Role } from '../../src/auth/role.js';
import { DecisionMode } from '../../src/membership/admission-rule-set.entity.js';
import { ClusterKind } from '../../src/membership/cluster.entity.js';
import { csvCell } from '../../src/shared/csv.js';
import { OrganisationKind } from '../../src/membership/organisation-kind.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { parseCsv } from '../support/csv.js';

let app: TestApp;
let collegeId: string;
let clusterId: string;
let rep: { token: string };

const download = (id: string, token?: string, authorization = token && `Bearer ${token}`) =>
  fetch(`${app.url}/exports/colleges/${id}/members.csv`, { headers: authorization ? { authorization } : {} });

/** The status, code and reason of a download's JSON refusal (and its message). */
async function refusalOf(res: Response): Promise<{ status: number; code: unknown; reason: unknown; message: string }> {
  const body = (await res.json()) as { errors: { message: string; extensions: Record<string, unknown> }[] };
  const [error] = body.errors;
  return { status: res.status, code: error.extensions.code, reason: error.extensions.reason, message: error.message };
}

beforeAll(async () => {
  app = await startTestApp();
  const services = app.services();
  clusterId = (
    await services.clusters.createCluster({ name: 'FrenchSouth.digital', slug: 'frenchsouth-digital', kind: ClusterKind.CLUSTER })
  ).id;
  collegeId = (
    await app
      .services()
      .clusters.createCollege({ clusterId, name: 'Économie numérique', slug: 'economie-numerique', theme: 'digital economy' })
  ).id;
  await app.services().admission.setAdmissionRules({ collegeId, criteria: {}, decisionMode: DecisionMode.AUTOMATIC });
  const names = ['Dupont, "Fils" & Cie', '=HYPERLINK("http://evil")', 'Société Générale du Numérique'];
  for (const [i, name] of names.entries()) {
    const org = await app.services().organisations.createOrganisation(
      {
        name,
        kind: OrganisationKind.COMPANY,
        headcount: 5 + i * 100,
        departement: '34',
        siren: ['732829320', '552100554', '443061841'][i],
      },
      null,
    );
    await app.services().admission.submitApplication(org.id, collegeId);
  }
  rep = await app.signUp({ role: Role.COLLEGE_REPRESENTATIVE, clusterId, collegeId });
});
afterAll(async () => {
  await app.close();
});

it('downloads the current members as UTF-8 CSV with a header row and correct quoting', async () => {
  const res = await download(collegeId, rep.token);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
  expect(res.headers.get('content-disposition')).toBe('attachment; filename="frenchsouth-digital-economie-numerique-members.csv"');
  const rows = parseCsv(await res.text());
  expect(rows[0]).toEqual([
    'organisation_id',
    'organisation_name',
    'kind',
    'siren',
    'siret',
    'headcount',
    'size_class',
    'departement',
    'region',
    'status',
    'member_since',
    'started_on',
  ]);
  expect(rows).toHaveLength(4);
  const byName = new Map(rows.slice(1).map((r) => [r[1], r]));
  expect(byName.get('Dupont, "Fils" & Cie')).toEqual([
    expect.any(String),
    'Dupont, "Fils" & Cie',
    'COMPANY',
    '732829320',
    '',
    '5',
    'TPE',
    '34',
    'Occitanie',
    'ACTIVE',
    expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
    expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
  ]);
  // A formula-looking name is neutralised, not executed by a spreadsheet.
  expect(byName.get(`'=HYPERLINK("http://evil")`)).toBeDefined();
  expect(byName.get('Société Générale du Numérique')![6]).toBe('PME');
});

it.each([
  ['no token', undefined, 'SIGN_IN_REQUIRED'],
  ['a bad token', 'Bearer AAAAAAAAAAAAAAAAAAAAAAAA', 'TOKEN_INVALID'],
  ['a header that is not a bearer token', 'Basic dXNlcjpwYXNz', 'AUTHORIZATION_HEADER_MALFORMED'],
])('refuses %s with a coded JSON error', async (_label, authorization, reason) => {
  const res = await download(collegeId, undefined, authorization);
  expect(await refusalOf(res)).toMatchObject({ status: 401, code: 'UNAUTHENTICATED', reason });
});

it('refuses a member without an export right with 403 FORBIDDEN, saying who may', async () => {
  const member = await app.signUp({ role: Role.MEMBER, clusterId, collegeId });
  expect(await refusalOf(await download(collegeId, member.token))).toEqual({
    status: 403,
    code: 'FORBIDDEN',
    reason: 'RIGHT_MISSING',
    message:
      'Only the administrators or representatives of Économie numérique (or a platform administrator) may export the members of this collège.',
  });
});

it('answers 404 for an unknown collège and 400 for a malformed id', async () => {
  const unknown = await download('00000000-0000-4000-8000-000000000000', rep.token);
  expect(await refusalOf(unknown)).toMatchObject({ status: 404, code: 'NOT_FOUND', reason: 'NOT_FOUND' });
  const malformed = await download('nope', rep.token);
  expect(await refusalOf(malformed)).toMatchObject({ status: 400, code: 'BAD_USER_INPUT', reason: 'INVALID_INPUT' });
});

describe('csvCell', () => {
  it.each([
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['-1+1', "'-1+1"],
    ['-4500.00', '-4500.00'],
    ['=1', "'=1"],
    [42, '42'],
    [null, ''],
  ])('%p → %p', (value, expected) => {
    expect(csvCell(value)).toBe(expected);
  });
});
