import { OrganisationKind } from '../../src/membership/organisation-kind.js';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Role } from '../../src/auth/role.js';
import { refusal } from '../support/refusals.js';
import { deliver, linkToken, writtenState } from '../support/links.js';
import { startTestSmtpServer, type TestSmtpServer } from '../support/smtp.js';
import { startTestApp, TEST_PASSWORD, type GraphQLResponse, type TestApp } from '../support/test-app.js';

/**
 * Email verification (issue 13, item 4), over HTTP with a real SMTP server: registration mails a
 * link (48 hours); until it is opened the account may sign in, read `viewer`, change its password,
 * sign out and ask for a new link, and is refused anything else that needs signing in
 * (FORBIDDEN, EMAIL_NOT_VERIFIED). A registration with a known email mails its owner instead,
 * once a day.
 */

const REGISTER = `mutation($input: RegisterAccountInput!) { registerAccount(input: $input) { account { id email emailVerified } } }`;
const LOGIN = `mutation($input: LoginInput!) { login(input: $input) { token account { id emailVerified } } }`;
const VIEWER = `{ viewer { emailVerified account { id email emailVerified } roles { role } } }`;
const VERIFY = `mutation($input: VerifyEmailInput!) { verifyEmail(input: $input) { emailVerified } }`;
const RESEND = `mutation { resendVerificationEmail { sentTo expiresAt } }`;
const CHANGE = `mutation($input: ChangePasswordInput!) { changePassword(input: $input) { otherSessionsRevoked } }`;
const LOGOUT = `mutation { logout { signedOut } }`;
const CREATE_ORG = `mutation($input: CreateOrganisationInput!) { createOrganisation(input: $input) { organisation { id } } }`;
const SEARCH = `{ organisations(search: "Soledge") { totalCount } }`;
const GRANT = `mutation($input: GrantRoleInput!) { grantRole(input: $input) { roleAssignment { account { id emailVerified } } } }`;
const AUDIT_TRAIL = `{ auditTrail(first: 1) { totalCount } }`;
const ORGANISATION = { name: 'Verified Org', kind: 'COMPANY', headcount: 12, foundedOn: '2021-03-01', departement: '34' };

let app: TestApp;
let smtp: TestSmtpServer;

beforeAll(async () => {
  smtp = await startTestSmtpServer();
  app = await startTestApp({ env: { SMTP_URL: smtp.url, PUBLIC_URL: 'https://collegia.example.org', TRUST_PROXY: '1' } });
});
afterAll(async () => {
  await app?.close();
  await smtp?.close();
});

let lastOctet = 0;
/** A client address no other test uses. */
const freshAddress = () => `203.0.113.${++lastOctet}`;

function register(email: string, displayName = 'Newcomer'): Promise<GraphQLResponse> {
  return app.gql(REGISTER, { input: { email, password: TEST_PASSWORD, displayName } }, { headers: { 'x-forwarded-for': freshAddress() } });
}

/** Registers over HTTP, signs in: an account whose email is not verified yet. */
async function newcomer(): Promise<{ email: string; accountId: string; token: string }> {
  const email = `newcomer-${randomBytes(4).toString('hex')}@example.test`;
  const registered = await register(email);
  expect(registered.body.errors).toBeUndefined();
  const signedIn = await app.gql(LOGIN, { input: { email, password: TEST_PASSWORD } }, { headers: { 'x-forwarded-for': freshAddress() } });
  expect(signedIn.body.errors).toBeUndefined();
  return { email, accountId: signedIn.body.data!.login.account.id as string, token: signedIn.body.data!.login.token as string };
}

const verify = (token: string) => app.gql(VERIFY, { input: { token } });

describe('verification, end to end', () => {
  it('register → the mail → the link → verified; before it, only looking after oneself', async () => {
    const { email, accountId, token } = await newcomer();
    await deliver(app);
    const [mail] = smtp.to(email);
    expect(mail.subject).toBe('Confirmez votre adresse email pour Collegia');
    expect(mail.text).toContain('https://collegia.example.org/verify-email#token=');
    const [link] = await app.sql('select purpose, expires_at, created_at from account_token where account_id = $1', [accountId]);
    expect(link.purpose).toBe('EMAIL_VERIFICATION');
    expect(new Date(link.expires_at).getTime() - new Date(link.created_at).getTime()).toBe(48 * 3_600_000);

    // Unverified: viewer, its own details, a search refused, an organisation refused.
    const viewer = await app.gql(VIEWER, {}, { token });
    expect(viewer.body.errors).toBeUndefined();
    expect(viewer.body.data!.viewer).toEqual({ emailVerified: false, account: { id: accountId, email, emailVerified: false }, roles: [] });
    const before = await writtenState(app);
    expect(refusal(await app.gql(CREATE_ORG, { input: ORGANISATION }, { token }))).toEqual({
      code: 'FORBIDDEN',
      reason: 'EMAIL_NOT_VERIFIED',
    });
    expect(refusal(await app.gql(SEARCH, {}, { token }))).toEqual({ code: 'FORBIDDEN', reason: 'EMAIL_NOT_VERIFIED' });
    expect(await writtenState(app)).toBe(before);

    const verified = await verify(linkToken(smtp, email, 'verify-email'));
    expect(verified.body).toEqual({ data: { verifyEmail: { emailVerified: true } } });
    // The same session now reaches everything its rights allow.
    expect((await app.gql(VIEWER, {}, { token })).body.data!.viewer.emailVerified).toBe(true);
    const created = await app.gql(CREATE_ORG, { input: ORGANISATION }, { token });
    expect(created.body.errors).toBeUndefined();
    const [entry] = await app.sql(`select actor_id from audit_entry where action = 'account.email.verify' and entity_id = $1`, [accountId]);
    expect(entry.actor_id).toBe(accountId);
  });

  it('an unverified account reads its own things from viewer', async () => {
    const { accountId, token } = await newcomer();
    const own = await app.gql(
      `{ viewer { emailVerified account { id } roles { role } organisations { id } applications { id } memberships { id }
                  representativeMandates { id } boardMandates { id } pendingBallots { id } sessions { current } } }`,
      {},
      { token },
    );
    expect(own.body.errors).toBeUndefined();
    expect(own.body.data!.viewer).toMatchObject({
      emailVerified: false,
      account: { id: accountId },
      organisations: [],
      sessions: [{ current: true }],
    });
  });

  it("an unverified account reads no organisation's private facts on a public path, like an anonymous caller", async () => {
    const { token } = await newcomer();
    const services = app.services();
    const name = `Lauréat ${Date.now()}`;
    const organisation = await services.organisations.createOrganisation(
      { name, kind: OrganisationKind.COMPANY, siren: '732829320', headcount: 40 },
      null,
    );
    const funder = await services.funders.createFunder({ name: `Région ${Date.now()}`, kind: 'REGION' as never });
    await services.funders.createProgramme({
      funderId: funder.id,
      name: `Appel ${Date.now()}`,
      kind: 'CALL_FOR_PROJECTS' as never,
      laureates: [{ organisationId: organisation.id, project: 'Robotique', kind: 'CREATION' as never }],
    });
    // A public programme's laureates: anyone reaches the organisation; its SIREN and headcount are for verified accounts.
    const laureate = async (t?: string) => {
      const res = await app.gql('{ programmes { laureates { organisation { name siren headcount } } } }', {}, { token: t });
      expect(res.body.errors).toBeUndefined();
      return res.body.data!.programmes.flatMap((p: any) => p.laureates).find((l: any) => l.organisation.name === name).organisation;
    };
    expect(await laureate(token)).toEqual({ name, siren: null, headcount: null });
    expect(await laureate()).toEqual({ name, siren: null, headcount: null });
    expect(await laureate((await app.signUp()).token)).toEqual({ name, siren: '732829320', headcount: 40 });
  });

  it('an unverified account may change its password and sign out', async () => {
    const { email, token } = await newcomer();
    const other = (await app.gql(LOGIN, { input: { email, password: TEST_PASSWORD } })).body.data!.login.token as string;
    const changed = await app.gql(CHANGE, { input: { oldPassword: TEST_PASSWORD, newPassword: 'a brand new passphrase' } }, { token });
    expect(changed.body).toEqual({ data: { changePassword: { otherSessionsRevoked: 1 } } });
    expect((await app.gql(LOGOUT, {}, { token })).body).toEqual({ data: { logout: { signedOut: true } } });
    expect(refusal(await app.gql(VIEWER, {}, { token: other }))).toEqual({ code: 'UNAUTHENTICATED', reason: 'SESSION_REVOKED' });
  });

  it('accounts made by trusted callers (the seed, admin:create, test set-up) are verified', async () => {
    const { token, accountId } = await app.signUp();
    expect((await app.gql(VIEWER, {}, { token })).body.data!.viewer.emailVerified).toBe(true);
    const [row] = await app.sql('select email_verified_at from account where id = $1', [accountId]);
    expect(row.email_verified_at).not.toBeNull();
    expect(await app.sql('select 1 from account_token where account_id = $1', [accountId])).toHaveLength(0);
  });

  it('ADMIN reads whether an account is verified; an unverified account is refused even what a role it holds would allow', async () => {
    const { email, accountId, token } = await newcomer();
    const admin = await app.signUp({ role: Role.ADMIN });
    const granted = await app.gql(GRANT, { input: { accountId, role: 'ADMIN' } }, { token: admin.token });
    expect(granted.body.data!.grantRole.roleAssignment.account).toEqual({ id: accountId, emailVerified: false });
    expect(refusal(await app.gql(AUDIT_TRAIL, {}, { token }))).toEqual({ code: 'FORBIDDEN', reason: 'EMAIL_NOT_VERIFIED' });
    await deliver(app);
    expect((await verify(linkToken(smtp, email, 'verify-email'))).body.errors).toBeUndefined();
    expect((await app.gql(AUDIT_TRAIL, {}, { token })).body.errors).toBeUndefined();
  });
});

describe('what verifyEmail refuses, with nothing written', () => {
  it('a forged token: LINK_INVALID', async () => {
    await newcomer();
    const before = await writtenState(app);
    expect(refusal(await verify(randomBytes(32).toString('base64url')))).toEqual({ code: 'BAD_USER_INPUT', reason: 'LINK_INVALID' });
    expect(await writtenState(app)).toBe(before);
  });

  it('the link opened again, or any link of a verified account: EMAIL_ALREADY_VERIFIED', async () => {
    const { email } = await newcomer();
    await deliver(app);
    const secret = linkToken(smtp, email, 'verify-email');
    expect((await verify(secret)).body.errors).toBeUndefined();
    const before = await writtenState(app);
    const again = await verify(secret);
    expect(refusal(again)).toEqual({ code: 'CONFLICT', reason: 'EMAIL_ALREADY_VERIFIED' });
    expect(again.body.errors![0].extensions!.verifiedAt).toEqual(expect.any(String));
    expect(await writtenState(app)).toBe(before);
  });

  it('after 48 hours: LINK_EXPIRED', async () => {
    const { email } = await newcomer();
    await deliver(app);
    const secret = linkToken(smtp, email, 'verify-email');
    app.clock.advance(48 * 3_600_000 + 1_000);
    const before = await writtenState(app);
    expect(refusal(await verify(secret))).toEqual({ code: 'CONFLICT', reason: 'LINK_EXPIRED' });
    expect(await writtenState(app)).toBe(before);
  });

  it('a link superseded by a newer one (resendVerificationEmail): LINK_SUPERSEDED; the newer works', async () => {
    const { email, token } = await newcomer();
    await deliver(app);
    const first = linkToken(smtp, email, 'verify-email');
    const resent = await app.gql(RESEND, {}, { token });
    expect(resent.body.data!.resendVerificationEmail).toEqual({ sentTo: email, expiresAt: expect.any(String) });
    await deliver(app);
    const second = linkToken(smtp, email, 'verify-email');
    expect(second).not.toBe(first);
    const before = await writtenState(app);
    expect(refusal(await verify(first))).toEqual({ code: 'CONFLICT', reason: 'LINK_SUPERSEDED' });
    expect(await writtenState(app)).toBe(before);
    expect((await verify(second)).body.errors).toBeUndefined();
  });

  it('a disabled account’s link: LINK_ACCOUNT_DISABLED', async () => {
    const { email, accountId } = await newcomer();
    await deliver(app);
    const secret = linkToken(smtp, email, 'verify-email');
    await app.sql('update account set disabled = true where id = $1', [accountId]);
    const before = await writtenState(app);
    expect(refusal(await verify(secret))).toEqual({ code: 'FORBIDDEN', reason: 'LINK_ACCOUNT_DISABLED' });
    expect(await writtenState(app)).toBe(before);
  });

  it('a reset link’s token is no verification token: LINK_INVALID', async () => {
    const { email } = await app.signUp();
    await app.gql(`mutation($input: RequestPasswordResetInput!) { requestPasswordReset(input: $input) { accepted } }`, {
      input: { email },
    });
    await deliver(app);
    const before = await writtenState(app);
    expect(refusal(await verify(linkToken(smtp, email, 'reset-password')))).toEqual({ code: 'BAD_USER_INPUT', reason: 'LINK_INVALID' });
    expect(await writtenState(app)).toBe(before);
  });
});

describe('resendVerificationEmail', () => {
  it('3 links an hour, then RATE_LIMITED (VERIFICATION_EMAILS_LIMITED), nothing sent', async () => {
    const { email, token } = await newcomer();
    for (let i = 0; i < 3; i += 1) expect((await app.gql(RESEND, {}, { token })).body.errors).toBeUndefined();
    const before = await writtenState(app);
    const refused = await app.gql(RESEND, {}, { token });
    expect(refusal(refused)).toEqual({ code: 'RATE_LIMITED', reason: 'VERIFICATION_EMAILS_LIMITED' });
    expect(refused.body.errors![0].extensions!.retryAfterSeconds).toBeGreaterThan(0);
    expect(await writtenState(app)).toBe(before);
    await deliver(app);
    // The registration's link and three more.
    expect(smtp.to(email)).toHaveLength(4);
  });

  it('a verified account: EMAIL_ALREADY_VERIFIED, nothing sent; anonymous: UNAUTHENTICATED', async () => {
    const { token } = await app.signUp();
    const before = await writtenState(app);
    expect(refusal(await app.gql(RESEND, {}, { token }))).toEqual({ code: 'CONFLICT', reason: 'EMAIL_ALREADY_VERIFIED' });
    expect(refusal(await app.gql(RESEND, {}))).toEqual({ code: 'UNAUTHENTICATED', reason: 'SIGN_IN_REQUIRED' });
    expect(await writtenState(app)).toBe(before);
  });
});

describe('a registration with an email that has an account', () => {
  it('mails the owner (not a verification link), once a day whatever the attempts; the next day again', async () => {
    const owner = await app.signUp();
    const since = smtp.received.length;
    expect((await register(owner.email.toUpperCase(), 'Intruder')).body.errors).toBeUndefined();
    expect((await register(owner.email, 'Intruder')).body.errors).toBeUndefined();
    await deliver(app);
    const warnings = smtp.to(owner.email).filter((mail) => mail.subject === 'Tentative de création de compte avec votre adresse');
    expect(warnings).toHaveLength(1);
    expect(warnings[0].text).not.toContain('#token=');
    expect(smtp.received.slice(since).filter((mail) => mail.subject.startsWith('Confirmez'))).toHaveLength(0);

    app.clock.advance(24 * 3_600_000);
    expect((await register(owner.email, 'Intruder')).body.errors).toBeUndefined();
    await deliver(app);
    expect(smtp.to(owner.email).filter((mail) => mail.subject === 'Tentative de création de compte avec votre adresse')).toHaveLength(2);
  });

  it('a look-alike of the email ("rn" for "m") mails the owner too', async () => {
    const hex = randomBytes(4).toString('hex');
    const owner = await app.signUp({ email: `m${hex}@example.test` });
    expect((await register(`rn${hex}@example.test`, 'Intruder')).body.errors).toBeUndefined();
    await deliver(app);
    expect(smtp.to(owner.email).map((mail) => mail.subject)).toEqual(['Tentative de création de compte avec votre adresse']);
    expect(smtp.to(`rn${hex}@example.test`)).toHaveLength(0);
  });

  it('a disabled owner is not mailed', async () => {
    const owner = await app.signUp();
    await app.sql('update account set disabled = true where id = $1', [owner.accountId]);
    expect((await register(owner.email, 'Intruder')).body.errors).toBeUndefined();
    await deliver(app);
    expect(smtp.to(owner.email)).toHaveLength(0);
  });
});
