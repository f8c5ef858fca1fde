import { PasswordHasher } from '../../src/auth/password.js';
import { errorCodes, startTestApp, TEST_PASSWORD, type TestApp } from '../support/test-app.js';
import { refusal } from '../support/refusals.js';

const REGISTER = `mutation($input: RegisterAccountInput!) { registerAccount(input: $input) { account { id email displayName } } }`;
const LOGIN = `mutation($input: LoginInput!) { login(input: $input) { token expiresAt account { email } } }`;
const VIEWER = `{ viewer { account { email } roles { role cluster { slug } college { slug } } } }`;

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app.close();
});

describe('registerAccount', () => {
  it('creates an account with a lower-cased email and an argon2id hash at OWASP minimum cost', async () => {
    const res = await app.gql(REGISTER, { input: { email: 'Ada@Example.TEST', password: TEST_PASSWORD, displayName: 'Ada' } });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data!.registerAccount.account.email).toBe('ada@example.test');
    const [row] = await app.sql('select password_hash from account where email = $1', ['ada@example.test']);
    expect(row.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);
  });

  it('answers an email already taken, whatever its case, as it answers a new one, and creates nothing (tests/auth/registration.test.ts)', async () => {
    const res = await app.gql(REGISTER, { input: { email: 'ADA@example.test', password: TEST_PASSWORD, displayName: 'Ada 2' } });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data!.registerAccount.account).toEqual({ id: expect.any(String), email: 'ada@example.test', displayName: 'Ada 2' });
    const [{ count }] = await app.sql("select count(*)::int as count from account where email = 'ada@example.test'");
    expect(count).toBe(1);
  });

  it('names each bad field', async () => {
    const res = await app.gql(REGISTER, { input: { email: 'not-an-email', password: 'short', displayName: '' } });
    expect(errorCodes(res)).toEqual(['BAD_USER_INPUT']);
    const fields = res.body.errors![0].extensions!.fields.map((f: { field: string }) => f.field).sort();
    expect(fields).toEqual(['input.displayName', 'input.email', 'input.password']);
  });

  it('refuses passwords over 256 characters', async () => {
    const res = await app.gql(REGISTER, { input: { email: 'long@example.test', password: 'x'.repeat(257), displayName: 'Long' } });
    expect(refusal(res)).toEqual({ code: 'BAD_USER_INPUT', reason: 'INVALID_INPUT' });
    expect(res.body.errors![0].extensions!.fields[0].field).toBe('input.password');
  });

  it('the service that commands use says a taken email is taken (CONFLICT, EMAIL_TAKEN)', async () => {
    await expect(
      app.services().auth.register({ email: ' Ada@Example.test ', password: TEST_PASSWORD, displayName: 'Ada 3' }),
    ).rejects.toMatchObject({ code: 'CONFLICT', reason: 'EMAIL_TAKEN', details: { field: 'input.email' } });
  });

  it('the service holds to the password policy too (for callers that bypass the API’s input checks)', async () => {
    await expect(
      app.services().auth.register({ email: 'short@example.test', password: 'short', displayName: 'Short' }),
    ).rejects.toMatchObject({ code: 'BAD_USER_INPUT', reason: 'PASSWORD_LENGTH', details: { fields: [{ field: 'input.password' }] } });
  });
});

describe('login, viewer, logout', () => {
  it('returns a bearer token that identifies the viewer', async () => {
    const login = await app.gql(LOGIN, { input: { email: 'ADA@example.test', password: TEST_PASSWORD } });
    expect(login.body.errors).toBeUndefined();
    const { token, expiresAt } = login.body.data!.login;
    expect(new Date(expiresAt).getTime()).toBeGreaterThan(Date.now());
    const viewer = await app.gql(VIEWER, {}, { token });
    expect(viewer.body.data!.viewer).toEqual({ account: { email: 'ada@example.test' }, roles: [] });
    const [session] = await app.sql('select token_hash from session order by created_at desc limit 1');
    expect(session.token_hash).not.toContain(token);
    expect(session.token_hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('gives the same error for a wrong email and a wrong password', async () => {
    const wrongEmail = await app.gql(LOGIN, { input: { email: 'nobody@example.test', password: TEST_PASSWORD } });
    const wrongPassword = await app.gql(LOGIN, { input: { email: 'ada@example.test', password: 'wrong password!!' } });
    expect(refusal(wrongEmail)).toEqual({ code: 'UNAUTHENTICATED', reason: 'INVALID_CREDENTIALS' });
    expect(wrongPassword.body.errors).toEqual(wrongEmail.body.errors);
  });

  it('viewer is null without a token', async () => {
    const res = await app.gql(VIEWER);
    expect(res.body).toEqual({ data: { viewer: null } });
  });

  it('logout revokes the session: the token then gets a 401 UNAUTHENTICATED', async () => {
    const { token } = await app.signUp();
    const out = await app.gql('mutation { logout { signedOut } }', {}, { token });
    expect(out.body.data!.logout.signedOut).toBe(true);
    const after = await app.gql(VIEWER, {}, { token });
    expect(after.status).toBe(401);
    expect(refusal(after)).toEqual({ code: 'UNAUTHENTICATED', reason: 'SESSION_REVOKED' });
    expect(after.body.data).toBeUndefined();
  });

  it('logout without a token is UNAUTHENTICATED', async () => {
    const res = await app.gql('mutation { logout { signedOut } }');
    expect(refusal(res)).toEqual({ code: 'UNAUTHENTICATED', reason: 'SIGN_IN_REQUIRED' });
  });

  it('refuses an expired session', async () => {
    const { token } = await app.signUp();
    app.clock.advance(8 * 24 * 3_600_000);
    try {
      const res = await app.gql(VIEWER, {}, { token });
      expect(res.status).toBe(401);
      expect(refusal(res)).toEqual({ code: 'UNAUTHENTICATED', reason: 'SESSION_EXPIRED' });
    } finally {
      app.clock.advance(-8 * 24 * 3_600_000);
    }
  });

  it.each([
    ['a malformed header', 'Token abc', 'AUTHORIZATION_HEADER_MALFORMED'],
    ['an unknown token', 'Bearer AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', 'TOKEN_INVALID'],
  ])('refuses %s with 401 UNAUTHENTICATED', async (_label, header, reason) => {
    const res = await app.gql(VIEWER, {}, { headers: { authorization: header } });
    expect(res.status).toBe(401);
    expect(refusal(res)).toEqual({ code: 'UNAUTHENTICATED', reason });
  });

  it('refuses a disabled account at login, after the password check, and its sessions already open', async () => {
    const { email, accountId, token } = await app.signUp();
    await app.sql('update account set disabled = true where id = $1', [accountId]);
    const res = await app.gql(LOGIN, { input: { email, password: TEST_PASSWORD } });
    expect(refusal(res)).toEqual({ code: 'FORBIDDEN', reason: 'ACCOUNT_DISABLED' });
    const wrongPassword = await app.gql(LOGIN, { input: { email, password: 'wrong password!!' } });
    expect(refusal(wrongPassword)).toEqual({ code: 'UNAUTHENTICATED', reason: 'INVALID_CREDENTIALS' });
    const open = await app.gql(VIEWER, {}, { token });
    expect(open.status).toBe(401);
    expect(refusal(open)).toEqual({ code: 'UNAUTHENTICATED', reason: 'SESSION_ACCOUNT_DISABLED' });
  });
});

describe('password hash upgrade', () => {
  it('rehashes on login when the stored hash uses other parameters', async () => {
    const weak = new PasswordHasher({ memoryCost: 8192, timeCost: 1, parallelism: 1 });
    const hash = await weak.hash(TEST_PASSWORD);
    const { email, accountId } = await app.signUp();
    await app.sql('update account set password_hash = $1 where id = $2', [hash, accountId]);
    const res = await app.gql(LOGIN, { input: { email, password: TEST_PASSWORD } });
    expect(res.body.errors).toBeUndefined();
    const [row] = await app.sql('select password_hash from account where id = $1', [accountId]);
    expect(row.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);
  });
});
