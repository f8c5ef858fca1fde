import { DEMO_PASSWORD } from '../../seeds/membership-data.js';
import { deliver, linkToken } from '../support/links.js';
import { startTestSmtpServer, type TestSmtpServer } from '../support/smtp.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * The applicant's journey on the demo data, end to end over HTTP with a real SMTP server (issue 13,
 * Proof): register → verify the email from the mail → create the organisation → apply to
 * Start-ups & Entrepreneurs → the collège's representative is mailed, the applicant is asked to
 * sign the charter → sign it → the representative approves → the applicant is mailed → the new
 * member finds their membership from `viewer`, reads the collège's directory and the cluster's
 * proposals.
 */
let app: TestApp;
let smtp: TestSmtpServer;

beforeAll(async () => {
  smtp = await startTestSmtpServer();
  app = await startTestApp({ env: { SMTP_URL: smtp.url, PUBLIC_URL: 'https://collegia.frenchsouth.example' } });
  await app.seedDemo();
});
afterAll(async () => {
  await app?.close();
  await smtp?.close();
});

async function call(query: string, variables: Record<string, unknown>, token?: string) {
  const res = await app.gql(query, variables, { token });
  expect(res.body.errors).toBeUndefined();
  return res.body.data!;
}

async function signIn(email: string, password = DEMO_PASSWORD): Promise<string> {
  return (await call('mutation($input: LoginInput!) { login(input: $input) { token } }', { input: { email, password } })).login
    .token as string;
}

it('register, verify, create, apply, sign, be admitted — mailed at each step — then read as a member', async () => {
  const email = 'lea.garnier@occitanie-robotique.example';
  const password = 'une phrase de passe assez longue';

  // 1. Register: the account exists but must confirm its email before acting.
  await call('mutation($input: RegisterAccountInput!) { registerAccount(input: $input) { account { id } } }', {
    input: { email, password, displayName: 'Léa Garnier' },
  });
  let token = await signIn(email, password);
  const early = await app.gql(
    'mutation($input: CreateOrganisationInput!) { createOrganisation(input: $input) { organisation { id } } }',
    { input: { name: 'Occitanie Robotique', kind: 'COMPANY' } },
    { token },
  );
  expect(early.body.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'EMAIL_NOT_VERIFIED' });

  // 2. The verification mail arrives; its link verifies the account.
  await deliver(app);
  const verification = smtp.to(email).find((mail) => mail.subject === 'Confirmez votre adresse email pour Collegia');
  expect(verification?.text).toContain('https://collegia.frenchsouth.example/verify-email#token=');
  await call('mutation($input: VerifyEmailInput!) { verifyEmail(input: $input) { emailVerified } }', {
    input: { token: linkToken(smtp, email, 'verify-email') },
  });
  token = await signIn(email, password);

  // 3. Create the organisation (she becomes its contact) and find the collège by browsing.
  const created = await call(
    'mutation($input: CreateOrganisationInput!) { createOrganisation(input: $input) { organisation { id name } } }',
    { input: { name: 'Occitanie Robotique', kind: 'COMPANY', headcount: 12, foundedOn: '2024-03-01', departement: '31' } },
    token,
  );
  const organisationId = created.createOrganisation.organisation.id as string;
  const { clusters } = await call('{ clusters { id name colleges { id name } } }', {});
  const fsd = clusters.find((c: any) => c.name === 'FrenchSouth.digital');
  const startups = fsd.colleges.find((c: any) => c.name === 'Start-ups & Entrepreneurs');

  // 4. Apply. The collège's representative is told; she is asked to sign the charter.
  const submitted = await call(
    'mutation($input: ApplicationTargetInput!) { submitApplication(input: $input) { application { id state } } }',
    { input: { organisationId, collegeId: startups.id } },
    token,
  );
  const applicationId = submitted.submitApplication.application.id as string;
  await deliver(app);
  const [toMaryam] = smtp.to('maryam.bini@soledge.example');
  expect(toMaryam.subject).toBe('Nouvelle candidature : Occitanie Robotique au collège Start-ups & Entrepreneurs');
  expect(toMaryam.text).toContain(`https://collegia.frenchsouth.example/applications/${applicationId}`);
  // The other collèges' representatives are not mailed.
  expect(smtp.to('thomas.fraisse@epitech.example')).toEqual([]);
  const charterMail = smtp.to(email).find((mail) => mail.subject.startsWith('Charte à signer'));
  expect(charterMail?.text).toContain('Occitanie Robotique');

  // 5. She signs the charter; the representative (signed in with the demo password) approves.
  const { cluster } = await call('query($id: ID!) { cluster(id: $id) { charter { id version } } }', { id: fsd.id });
  await call(
    'mutation($input: SignCharterInput!) { signCharter(input: $input) { signature { id } } }',
    { input: { organisationId, clusterId: fsd.id } },
    token,
  );
  expect(cluster.charter).not.toBeNull();
  const maryam = await signIn('maryam.bini@soledge.example');
  const decided = await call(
    'mutation($input: DecideApplicationInput!) { decideApplication(input: $input) { application { state } } }',
    { input: { applicationId, decision: 'APPROVE', reason: 'Bienvenue au collège' } },
    maryam,
  );
  expect(decided.decideApplication.application.state).toBe('APPROVED');

  // 6. The applicant is mailed the decision.
  await deliver(app);
  const decision = smtp.to(email).find((mail) => mail.subject.startsWith('Votre candidature'));
  expect(decision?.subject).toBe('Votre candidature au collège Start-ups & Entrepreneurs est acceptée');
  expect(decision?.text).toContain("Vos contacts ont désormais accès à l'annuaire des membres");

  // 7. As a member: her space, the directory of her collège, the cluster's proposals.
  const me = (
    await call(
      '{ viewer { emailVerified organisations { name } memberships { status college { name } } roles { role college { name } } } }',
      {},
      token,
    )
  ).viewer;
  expect(me.emailVerified).toBe(true);
  expect(me.organisations).toEqual([{ name: 'Occitanie Robotique' }]);
  expect(me.memberships).toEqual([{ status: 'ACTIVE', college: { name: 'Start-ups & Entrepreneurs' } }]);
  expect(me.roles).toContainEqual({ role: 'MEMBER', college: { name: 'Start-ups & Entrepreneurs' } });
  const directory = await call(
    'query($id: ID!) { college(id: $id) { members(first: 200) { totalCount edges { node { organisation { name } } } } } }',
    { id: startups.id },
    token,
  );
  const names = directory.college.members.edges.map((e: any) => e.node.organisation.name);
  expect(names).toContain('Occitanie Robotique');
  expect(names).toContain('Nelis');
  const proposals = await call(
    'query($id: ID!) { proposals(clusterId: $id) { totalCount edges { node { title state } } } }',
    { id: fsd.id },
    token,
  );
  expect(proposals.proposals.totalCount).toBeGreaterThan(0);

  // What she received, in order: verification, charter, decision — nothing else, nothing twice.
  expect(smtp.to(email).map((mail) => mail.headers.get('x-collegia-notification'))).toEqual([
    'EMAIL_VERIFICATION',
    'CHARTER_TO_SIGN',
    'APPLICATION_DECIDED',
  ]);
});
