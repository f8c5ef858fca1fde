import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { refusal } from '../support/refusals.js';
import { deliver, linkToken, writtenState } from '../support/links.js';
import { startTestSmtpServer, type TestSmtpServer } from '../support/smtp.js';
import { startTestApp, TEST_PASSWORD, type GraphQLResponse, type TestApp } from '../support/test-app.js';

/**
 * A forgotten password (issue 13, item 4), over HTTP, with the mail read from a real SMTP server:
 * the link's token, single use, 1 hour, only the newest; the same answer for unknown emails;
 * throttled; a disabled account's link stops at once. The app trusts one proxy hop, so each test
 * gives its requests an address of its own.
 */

const REQUEST = `mutation($input: RequestPasswordResetInput!) { requestPasswordReset(input: $input) { accepted } }`;
const RESET = `mutation($input: ResetPasswordInput!) { resetPassword(input: $input) { passwordReset sessionsRevoked } }`;
const LOGIN = `mutation($input: LoginInput!) { login(input: $input) { token } }`;
const VIEWER = `{ viewer { account { id } emailVerified } }`;
const REGISTER = `mutation($input: RegisterAccountInput!) { registerAccount(input: $input) { account { id } } }`;
const NEW_PASSWORD = 'a brand new passphrase';

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
const freshAddress = () => `198.51.100.${++lastOctet}`;

function requestReset(email: string, address = freshAddress()): Promise<GraphQLResponse> {
  return app.gql(REQUEST, { input: { email } }, { headers: { 'x-forwarded-for': address } });
}

function reset(token: string, newPassword = NEW_PASSWORD, address = freshAddress()): Promise<GraphQLResponse> {
  return app.gql(RESET, { input: { token, newPassword } }, { headers: { 'x-forwarded-for': address } });
}

function login(email: string, password: string, address = freshAddress()): Promise<GraphQLResponse> {
  return app.gql(LOGIN, { input: { email, password } }, { headers: { 'x-forwarded-for': address } });
}

/** Asks for a link for `email`, delivers it, and returns its token. */
async function mailedToken(email: string): Promise<string> {
  const answer = await requestReset(email);
  expect(answer.body).toEqual({ data: { requestPasswordReset: { accepted: true } } });
  await deliver(app);
  return linkToken(smtp, email, 'reset-password');
}

describe('a reset, end to end', () => {
  it('ask → the mail → the link’s token → a new password: the old one refused, the new one accepted, every old session signed out', async () => {
    const { email, token: session1, accountId } = await app.signUp();
    const session2 = (await login(email, TEST_PASSWORD)).body.data!.login.token as string;

    const answer = await requestReset(email);
    expect(answer.body).toEqual({ data: { requestPasswordReset: { accepted: true } } });
    await deliver(app);
    const [mail] = smtp.to(email);
    expect(mail.subject).toBe('Réinitialisation de votre mot de passe Collegia');
    expect(mail.text).toContain('https://collegia.example.org/reset-password#token=');
    const secret = linkToken(smtp, email, 'reset-password');
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);

    // Only the hash of the secret is stored; the outbox row holds the link's id, not the secret.
    const [link] = await app.sql(
      'select id, token_hash, purpose, expires_at, created_at, used_at from account_token where account_id = $1',
      [accountId],
    );
    expect(link).toMatchObject({ purpose: 'PASSWORD_RESET', used_at: null });
    expect(link.token_hash).toBe(createHash('sha256').update(secret).digest('hex'));
    expect(new Date(link.expires_at).getTime() - new Date(link.created_at).getTime()).toBe(60 * 60_000);
    const [outbox] = await app.sql(`select payload from notification where account_id = $1 and kind = 'PASSWORD_RESET'`, [accountId]);
    expect(outbox.payload.tokenId).toBe(link.id);
    expect(JSON.stringify(outbox.payload)).not.toContain(secret);

    const done = await reset(secret);
    expect(done.body).toEqual({ data: { resetPassword: { passwordReset: true, sessionsRevoked: 2 } } });

    expect(refusal(await login(email, TEST_PASSWORD))).toEqual({ code: 'UNAUTHENTICATED', reason: 'INVALID_CREDENTIALS' });
    const fresh = await login(email, NEW_PASSWORD);
    expect(fresh.body.errors).toBeUndefined();
    for (const old of [session1, session2]) {
      expect(refusal(await app.gql(VIEWER, {}, { token: old }))).toEqual({ code: 'UNAUTHENTICATED', reason: 'SESSION_REVOKED' });
    }
    const viewer = await app.gql(VIEWER, {}, { token: fresh.body.data!.login.token as string });
    expect(viewer.body.data!.viewer.account.id).toBe(accountId);

    const [used] = await app.sql('select used_at from account_token where id = $1', [link.id]);
    expect(used.used_at).not.toBeNull();
    const [entry] = await app.sql(`select actor_id, after from audit_entry where action = 'account.password.reset' and entity_id = $1`, [
      accountId,
    ]);
    expect(entry).toMatchObject({ actor_id: accountId, after: { sessionsRevoked: 2 } });
    const trail = JSON.stringify(await app.sql('select before, after from audit_entry'));
    expect(trail).not.toContain(NEW_PASSWORD);
    expect(trail).not.toContain(secret);
  });

  it('a link works once: used again, LINK_USED, nothing written', async () => {
    const { email } = await app.signUp();
    const secret = await mailedToken(email);
    expect((await reset(secret)).body.errors).toBeUndefined();
    const before = await writtenState(app);
    expect(refusal(await reset(secret, 'yet another passphrase'))).toEqual({ code: 'CONFLICT', reason: 'LINK_USED' });
    expect(await writtenState(app)).toBe(before);
    expect((await login(email, NEW_PASSWORD)).body.errors).toBeUndefined();
  });

  it('a link lasts an hour: after it, LINK_EXPIRED, nothing written', async () => {
    const { email } = await app.signUp();
    const secret = await mailedToken(email);
    app.clock.advance(60 * 60_000 + 1_000);
    const before = await writtenState(app);
    expect(refusal(await reset(secret))).toEqual({ code: 'CONFLICT', reason: 'LINK_EXPIRED' });
    expect(await writtenState(app)).toBe(before);
    expect((await login(email, TEST_PASSWORD)).body.errors).toBeUndefined();
  });

  it('a forged token, or the token of another kind of link: LINK_INVALID, nothing written', async () => {
    const { email } = await app.signUp();
    const secret = await mailedToken(email);
    // A verification link's token is no reset token.
    const unverified = `other-kind-${randomBytes(4).toString('hex')}@example.test`;
    await app.gql(
      REGISTER,
      { input: { email: unverified, password: TEST_PASSWORD, displayName: 'Other kind' } },
      { headers: { 'x-forwarded-for': freshAddress() } },
    );
    await deliver(app);
    const verification = linkToken(smtp, unverified, 'verify-email');
    const before = await writtenState(app);
    for (const forged of [
      randomBytes(32).toString('base64url'),
      `${secret.slice(0, -1)}${secret.endsWith('A') ? 'B' : 'A'}`,
      '',
      verification,
    ]) {
      expect(refusal(await reset(forged))).toEqual({ code: 'BAD_USER_INPUT', reason: 'LINK_INVALID' });
    }
    expect(await writtenState(app)).toBe(before);
    // The link itself still works.
    expect((await reset(secret)).body.errors).toBeUndefined();
  });

  it('a newer link makes the earlier one unusable (LINK_SUPERSEDED); the newer works', async () => {
    const { email, accountId } = await app.signUp();
    const first = await mailedToken(email);
    const second = await mailedToken(email);
    expect(second).not.toBe(first);
    const before = await writtenState(app);
    expect(refusal(await reset(first))).toEqual({ code: 'CONFLICT', reason: 'LINK_SUPERSEDED' });
    expect(await writtenState(app)).toBe(before);
    expect((await reset(second)).body.errors).toBeUndefined();
    // Both links are kept (history), one superseded, one used.
    const links = await app.sql('select used_at, superseded_at from account_token where account_id = $1 order by created_at', [accountId]);
    expect(links.map((l) => [l.used_at !== null, l.superseded_at !== null])).toEqual([
      [false, true],
      [true, false],
    ]);
  });

  it('a password of the wrong length: PASSWORD_LENGTH, nothing written, the link still usable', async () => {
    const { email } = await app.signUp();
    const secret = await mailedToken(email);
    const before = await writtenState(app);
    expect(refusal(await reset(secret, 'short'))).toEqual({ code: 'BAD_USER_INPUT', reason: 'PASSWORD_LENGTH' });
    expect(refusal(await reset(secret, 'x'.repeat(257)))).toEqual({ code: 'BAD_USER_INPUT', reason: 'PASSWORD_LENGTH' });
    expect(await writtenState(app)).toBe(before);
    expect((await reset(secret)).body.errors).toBeUndefined();
  });

  it('forgets the failed sign-ins that locked the email: the owner signs in with the new password at once', async () => {
    const { email } = await app.signUp();
    const address = freshAddress();
    for (let i = 0; i < 5; i += 1) {
      expect(refusal(await login(email, 'not the password at all', address)).reason).toBe('INVALID_CREDENTIALS');
    }
    expect(refusal(await login(email, TEST_PASSWORD, address))).toEqual({ code: 'RATE_LIMITED', reason: 'SIGN_IN_LOCKED' });
    const secret = await mailedToken(email);
    expect((await reset(secret, NEW_PASSWORD, address)).body.errors).toBeUndefined();
    expect((await login(email, NEW_PASSWORD, address)).body.errors).toBeUndefined();
  });
});

describe('the same answer whether an account has the email or not', () => {
  it('an unknown email: the answer a known one gets, no mail, nothing stored', async () => {
    const { email } = await app.signUp();
    const unknown = `nobody-${randomBytes(4).toString('hex')}@example.test`;
    const tokensBefore = await app.sql('select count(*)::int as n from account_token');
    const outboxBefore = await app.sql('select count(*)::int as n from notification');
    const known = await requestReset(email);
    const stranger = await requestReset(unknown);
    expect(stranger.status).toBe(known.status);
    expect(stranger.body).toEqual(known.body);
    await deliver(app);
    expect(smtp.to(unknown)).toHaveLength(0);
    expect(smtp.to(email)).toHaveLength(1);
    expect((await app.sql('select count(*)::int as n from account_token'))[0].n).toBe(tokensBefore[0].n + 1);
    expect((await app.sql('select count(*)::int as n from notification'))[0].n).toBe(outboxBefore[0].n + 1);
  });

  it('answers in the same time: both wait for the same floor (the medians of 12 of each within a few milliseconds)', async () => {
    const known: string[] = [];
    for (let i = 0; i < 12; i += 1) known.push((await app.signUp()).email);
    const timeOf = async (email: string) => {
      const started = performance.now();
      expect((await requestReset(email)).body.errors).toBeUndefined();
      return performance.now() - started;
    };
    const knownMs: number[] = [];
    const unknownMs: number[] = [];
    for (const email of known) {
      knownMs.push(await timeOf(email));
      unknownMs.push(await timeOf(`nobody-${randomBytes(4).toString('hex')}@example.test`));
    }
    const median = (ms: number[]) => [...ms].sort((a, b) => a - b)[ms.length >> 1];
    expect(median(knownMs)).toBeGreaterThanOrEqual(50);
    expect(median(unknownMs)).toBeGreaterThanOrEqual(50);
    expect(Math.abs(median(knownMs) - median(unknownMs))).toBeLessThan(8);
  });

  it('the email in any case or with spaces finds the account', async () => {
    const { email } = await app.signUp();
    await requestReset(`  ${email.toUpperCase()} `);
    await deliver(app);
    expect(smtp.to(email)).toHaveLength(1);
  });

  it('throttled per email after 3 within an hour — an unknown email exactly as a known one — and per address after 10', async () => {
    const { email } = await app.signUp();
    const unknown = `nobody-${randomBytes(4).toString('hex')}@example.test`;
    for (const who of [email, unknown]) {
      for (let i = 0; i < 3; i += 1) expect((await requestReset(who)).body.errors).toBeUndefined();
      const refused = await requestReset(who);
      expect(refusal(refused)).toEqual({ code: 'RATE_LIMITED', reason: 'PASSWORD_RESETS_LIMITED' });
      expect(refused.body.errors![0].extensions!.retryAfterSeconds).toBeGreaterThan(14 * 60);
      expect(refused.body.errors![0].extensions!.retryAfterSeconds).toBeLessThanOrEqual(15 * 60);
    }
    await deliver(app);
    expect(smtp.to(email)).toHaveLength(3);

    const address = freshAddress();
    for (let i = 0; i < 10; i += 1) {
      expect((await requestReset(`someone-${i}-${randomBytes(3).toString('hex')}@example.test`, address)).body.errors).toBeUndefined();
    }
    expect(refusal(await requestReset(`someone-else@example.test`, address))).toEqual({
      code: 'RATE_LIMITED',
      reason: 'PASSWORD_RESETS_LIMITED',
    });
    expect((await requestReset(`someone-else@example.test`, freshAddress())).body.errors).toBeUndefined();

    // The counters hold digests only, never the email or the address.
    const keys = await app.sql<{ key: string }>(`select key from login_throttle where key like 'reset-%'`);
    expect(keys.length).toBeGreaterThan(0);
    for (const { key } of keys) expect(key).toMatch(/^reset-(email|address):[0-9a-f]{64}$/);
  });
});

describe('a disabled account', () => {
  it('its link stops working the moment it is disabled (LINK_ACCOUNT_DISABLED, nothing written)', async () => {
    const { email, accountId } = await app.signUp();
    const secret = await mailedToken(email);
    await app.sql('update account set disabled = true where id = $1', [accountId]);
    const before = await writtenState(app);
    expect(refusal(await reset(secret))).toEqual({ code: 'FORBIDDEN', reason: 'LINK_ACCOUNT_DISABLED' });
    expect(await writtenState(app)).toBe(before);
  });

  it('asking for a link: the same answer, nothing sent', async () => {
    const { email, accountId } = await app.signUp();
    await app.sql('update account set disabled = true where id = $1', [accountId]);
    expect((await requestReset(email)).body).toEqual({ data: { requestPasswordReset: { accepted: true } } });
    await deliver(app);
    expect(smtp.to(email)).toHaveLength(0);
    expect(await app.sql('select 1 from account_token where account_id = $1', [accountId])).toHaveLength(0);
  });
});

describe('an account that has not verified its email', () => {
  it('gets the link too; resetting through it verifies the email (the link proved the mailbox)', async () => {
    const address = freshAddress();
    const email = `unverified-${randomBytes(4).toString('hex')}@example.test`;
    const registered = await app.gql(
      REGISTER,
      { input: { email, password: TEST_PASSWORD, displayName: 'Unverified' } },
      { headers: { 'x-forwarded-for': address } },
    );
    expect(registered.body.errors).toBeUndefined();
    const secret = await mailedToken(email);
    expect((await reset(secret)).body.errors).toBeUndefined();
    const signedIn = (await login(email, NEW_PASSWORD)).body.data!.login.token as string;
    expect((await app.gql(VIEWER, {}, { token: signedIn })).body.data!.viewer.emailVerified).toBe(true);
  });
});
