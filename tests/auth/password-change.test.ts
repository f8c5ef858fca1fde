import { refusal } from '../support/refusals.js';
import { startTestApp, TEST_PASSWORD, type TestApp } from '../support/test-app.js';

/**
 * Changing one's password (issue 13, item 4): the current one required, every other session
 * signed out at once, this one kept; a wrong current password changes nothing and is counted
 * like a failed sign-in.
 */
let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app.close();
});

const CHANGE = 'mutation($input: ChangePasswordInput!) { changePassword(input: $input) { otherSessionsRevoked } }';
const LOGIN = 'mutation($input: LoginInput!) { login(input: $input) { token } }';
const VIEWER = '{ viewer { account { email } } }';

it('changes the password, signs out the other sessions and keeps this one', async () => {
  const { email, token } = await app.signUp();
  const other = (await app.gql(LOGIN, { input: { email, password: TEST_PASSWORD } })).body.data!.login.token as string;
  const changed = await app.gql(CHANGE, { input: { oldPassword: TEST_PASSWORD, newPassword: 'a brand new passphrase' } }, { token });
  expect(changed.body).toEqual({ data: { changePassword: { otherSessionsRevoked: 1 } } });

  expect((await app.gql(VIEWER, {}, { token })).body.data!.viewer.account.email).toBe(email);
  const revoked = await app.gql(VIEWER, {}, { token: other });
  expect(revoked.status).toBe(401);
  expect(refusal(revoked)).toEqual({ code: 'UNAUTHENTICATED', reason: 'SESSION_REVOKED' });

  expect(refusal(await app.gql(LOGIN, { input: { email, password: TEST_PASSWORD } }))).toEqual({
    code: 'UNAUTHENTICATED',
    reason: 'INVALID_CREDENTIALS',
  });
  expect((await app.gql(LOGIN, { input: { email, password: 'a brand new passphrase' } })).body.data!.login.token).toEqual(
    expect.any(String),
  );
  const [entry] = await app.sql<{ after: unknown }>(
    "select after from audit_entry where action = 'account.password.change' order by seq desc limit 1",
  );
  expect(JSON.stringify(entry.after)).not.toContain('passphrase');
});

it('a wrong current password, or a new one too short, changes nothing and keeps the other sessions', async () => {
  const { email, token } = await app.signUp();
  const other = (await app.gql(LOGIN, { input: { email, password: TEST_PASSWORD } })).body.data!.login.token as string;
  const wrong = await app.gql(CHANGE, { input: { oldPassword: 'not the password at all', newPassword: 'another passphrase' } }, { token });
  expect(refusal(wrong)).toEqual({ code: 'BAD_USER_INPUT', reason: 'WRONG_PASSWORD' });
  const short = await app.gql(CHANGE, { input: { oldPassword: TEST_PASSWORD, newPassword: 'short' } }, { token });
  expect(refusal(short)).toEqual({ code: 'BAD_USER_INPUT', reason: 'INVALID_INPUT' });
  expect((await app.gql(VIEWER, {}, { token: other })).status).toBe(200);
  expect((await app.gql(LOGIN, { input: { email, password: TEST_PASSWORD } })).body.data!.login.token).toEqual(expect.any(String));
});

it('anonymous: UNAUTHENTICATED', async () => {
  expect(refusal(await app.gql(CHANGE, { input: { oldPassword: TEST_PASSWORD, newPassword: 'a brand new passphrase' } }))).toEqual({
    code: 'UNAUTHENTICATED',
    reason: 'SIGN_IN_REQUIRED',
  });
});
