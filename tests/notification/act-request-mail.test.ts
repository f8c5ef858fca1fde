import { DEMO_PASSWORD } from '../../seeds/membership-data.js';
import { Decision } from '../../src/membership/admission.service.js';
import { OrganisationKind } from '../../src/membership/organisation-kind.js';
import { deliver } from '../support/links.js';
import { refusal } from '../support/refusals.js';
import { startTestSmtpServer, type TestSmtpServer } from '../support/smtp.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * "Ask to act for an organisation" tells those who may approve, then the person who asked
 * (issue 13, items 3 and 5), on the demo data, through a real SMTP server.
 */
let app: TestApp;
let smtp: TestSmtpServer;

const REQUEST = `mutation($input: RequestToActForInput!) { requestToActFor(input: $input) { actRequest { id } } }`;
const DECIDE = `mutation($input: DecideActRequestInput!) { decideActRequest(input: $input) { actRequest { status } } }`;

beforeAll(async () => {
  smtp = await startTestSmtpServer();
  app = await startTestApp({ env: { SMTP_URL: smtp.url } });
  await app.seedDemo();
});
afterAll(async () => {
  await app?.close();
  await smtp?.close();
});

async function signIn(email: string): Promise<string> {
  const res = await app.gql('mutation($input: LoginInput!) { login(input: $input) { token } }', {
    input: { email, password: DEMO_PASSWORD },
  });
  return res.body.data!.login.token as string;
}

async function organisationId(name: string): Promise<string> {
  const [row] = await app.sql<{ id: string }>('select id from organisation where name = $1', [name]);
  return row.id;
}

const kinds = (email: string) => smtp.to(email).map((mail) => mail.headers.get('x-collegia-notification'));

it("tells the organisation's contact of a request, then the requester of the approval", async () => {
  const newcomer = await app.signUp();
  const asked = await app.gql(
    REQUEST,
    { input: { organisationId: await organisationId('Nelis'), fullName: 'Alex Durand', roleInOrganisation: 'CTO' } },
    { token: newcomer.token },
  );
  const requestId = asked.body.data!.requestToActFor.actRequest.id as string;
  await deliver(app);
  const [toKatia] = smtp.to('member@nelis.example');
  expect(toKatia.subject).toBe('Alex Durand demande à agir pour Nelis');
  expect(toKatia.text).toContain(`/act-requests/${requestId}`);
  // Nelis's collège's representative is not bothered: Nelis has a contact who can answer.
  expect(smtp.to('maryam.bini@soledge.example')).toEqual([]);
  expect(smtp.to(newcomer.email)).toEqual([]);

  await app.gql(DECIDE, { input: { requestId, decision: 'APPROVE' } }, { token: await signIn('member@nelis.example') });
  await deliver(app);
  expect(kinds(newcomer.email)).toEqual(['ACT_REQUEST_DECIDED']);
  expect(smtp.to(newcomer.email)[0].subject).toBe('Votre demande pour agir au nom de Nelis est acceptée');
});

it('tells the requester of a refusal with its reason; refused steps queue nothing', async () => {
  const newcomer = await app.signUp();
  const asked = await app.gql(
    REQUEST,
    { input: { organisationId: await organisationId('Nelis'), fullName: 'Sam Roux', roleInOrganisation: 'Stagiaire' } },
    { token: newcomer.token },
  );
  const requestId = asked.body.data!.requestToActFor.actRequest.id as string;
  const katia = await signIn('member@nelis.example');
  // A refusal without a reason is refused: nothing queued for the requester.
  expect(refusal(await app.gql(DECIDE, { input: { requestId, decision: 'REFUSE' } }, { token: katia }))).toMatchObject({
    code: 'BAD_USER_INPUT',
  });
  expect(await app.sql(`select 1 from notification where kind = 'ACT_REQUEST_DECIDED' and email = $1`, [newcomer.email])).toEqual([]);
  await app.gql(DECIDE, { input: { requestId, decision: 'REFUSE', reason: 'Nous ne connaissons pas cette personne' } }, { token: katia });
  // A new request after a refusal is allowed and told; a second pending one is refused and queues nothing.
  const again = await app.gql(
    REQUEST,
    { input: { organisationId: await organisationId('Nelis'), fullName: 'Sam Roux', roleInOrganisation: 'Stagiaire' } },
    { token: newcomer.token },
  );
  expect(again.body.errors).toBeUndefined();
  const before = await app.sql<{ n: number }>(`select count(*)::int as n from notification`);
  const twice = await app.gql(
    REQUEST,
    { input: { organisationId: await organisationId('Nelis'), fullName: 'Sam Roux', roleInOrganisation: 'Stagiaire' } },
    { token: newcomer.token },
  );
  expect(refusal(twice)).toEqual({ code: 'CONFLICT', reason: 'ACT_REQUEST_ALREADY_PENDING' });
  expect(await app.sql<{ n: number }>(`select count(*)::int as n from notification`)).toEqual(before);
  await deliver(app);
  const refused = smtp.to(newcomer.email).find((mail) => mail.subject.includes('refusée'));
  expect(refused?.text).toContain('Motif : Nous ne connaissons pas cette personne');
});

it("with no contact holding an account, tells the member's collège representatives and cluster administrators", async () => {
  // A member of Enseignement supérieur & recherche whose only person has no account.
  const services = app.services();
  const organisation = await services.organisations.createOrganisation(
    { name: 'Laboratoire Orphelin', kind: OrganisationKind.RESEARCH_LAB, contact: { fullName: 'Jo Martin' } },
    null,
  );
  const [research] = await app.sql<{ id: string }>(`select id from college where name = 'Enseignement supérieur & recherche'`);
  const application = await services.admission.submitApplication(organisation.id, research.id);
  await services.admission.decideApplication({ applicationId: application.id, decision: Decision.APPROVE });
  await app.sql(`delete from notification`);
  const newcomer = await app.signUp();
  await app.gql(
    REQUEST,
    { input: { organisationId: organisation.id, fullName: 'Jo Martin', roleInOrganisation: 'Gérant' } },
    { token: newcomer.token },
  );
  await deliver(app);
  expect(kinds('thomas.fraisse@epitech.example')).toEqual(['ACT_REQUEST_RECEIVED']);
  expect(kinds('cluster-admin@frenchsouth.example')).toEqual(['ACT_REQUEST_RECEIVED']);
  // Another collège's representative, and the platform administrators, are not told.
  expect(kinds('maryam.bini@soledge.example')).toEqual([]);
  expect(kinds('admin@collegia.example')).toEqual([]);
});
