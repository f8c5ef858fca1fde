import { randomBytes } from 'node:crypto';
import { errorCodes, startTestApp, TEST_PASSWORD, type GraphQLResponse, type TestApp } from '../support/test-app.js';

/**
 * Login throttling over HTTP. The throttle lives in the app's memory and every request here comes
 * from 127.0.0.1, whose own budget is 20 failures in 15 minutes: each describe block starts an app
 * of its own so that failures from one scenario cannot lock the address for the next.
 */

const LOGIN = `mutation($input: LoginInput!) { login(input: $input) { token account { email } } }`;
const WRONG_PASSWORD = 'not the password at all';
const SECOND = 1_000;
const MINUTE = 60 * SECOND;

function freshApp(): () => TestApp {
  let app: TestApp | undefined;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => {
    await app?.close();
  });
  return () => app!;
}

const unknownEmail = () => `nobody-${randomBytes(5).toString('hex')}@example.test`;

function login(app: TestApp, email: string, password: string): Promise<GraphQLResponse> {
  return app.gql(LOGIN, { input: { email, password } });
}

/** Fails `times` logins on `email`, each expected to be an ordinary UNAUTHENTICATED. */
async function failLogins(app: TestApp, email: string, times: number): Promise<void> {
  for (let i = 0; i < times; i += 1) {
    expect(errorCodes(await login(app, email, WRONG_PASSWORD))).toEqual(['UNAUTHENTICATED']);
  }
}

/** The refusal is RATE_LIMITED, and says to wait more than `minSeconds` and at most `maxSeconds`. */
function expectRateLimited(res: GraphQLResponse, minSeconds: number, maxSeconds: number): void {
  expect(errorCodes(res)).toEqual(['RATE_LIMITED']);
  expect(res.body.data?.login ?? null).toBeNull();
  const retryAfter = res.body.errors![0].extensions!.retryAfterSeconds;
  expect(Number.isInteger(retryAfter)).toBe(true);
  expect(retryAfter).toBeGreaterThan(minSeconds);
  expect(retryAfter).toBeLessThanOrEqual(maxSeconds);
}

function expectSignedIn(res: GraphQLResponse, email: string): void {
  expect(res.body.errors).toBeUndefined();
  expect(res.body.data!.login.account.email).toBe(email);
  expect(res.body.data!.login.token).toEqual(expect.any(String));
}

describe('per email: 5 failures in 15 minutes lock it', () => {
  const app = freshApp();

  it('refuses the right password with RATE_LIMITED and a positive retryAfterSeconds after 5 failures', async () => {
    const { email } = await app().signUp();
    await failLogins(app(), email, 5);
    expectRateLimited(await login(app(), email, TEST_PASSWORD), 0, 30);
  });

  it('counts aliased logins in one request one by one: the 6th alias is RATE_LIMITED', async () => {
    const { email } = await app().signUp();
    const aliases = ['a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'a7'];
    const document = `mutation($input: LoginInput!) { ${aliases.map((a) => `${a}: login(input: $input) { token }`).join(' ')} }`;
    // Mutation fields run one after the other, and login's payload is nullable, so every alias
    // is an attempt with its own answer.
    const res = await app().gql(document, { input: { email, password: WRONG_PASSWORD } });
    expect(res.body.data).toEqual(Object.fromEntries(aliases.map((a) => [a, null])));
    const byAlias = new Map((res.body.errors ?? []).map((e) => [String(e.path?.[0]), String(e.extensions?.code)]));
    expect(aliases.map((a) => byAlias.get(a))).toEqual([
      'UNAUTHENTICATED',
      'UNAUTHENTICATED',
      'UNAUTHENTICATED',
      'UNAUTHENTICATED',
      'UNAUTHENTICATED',
      'RATE_LIMITED',
      'RATE_LIMITED',
    ]);
    // The refused attempts did not count as failures: the lock is still the first one, 30 s.
    expectRateLimited(await login(app(), email, TEST_PASSWORD), 0, 30);
  });

  it('locks only that email: another account signs in from the same address', async () => {
    const locked = await app().signUp();
    const other = await app().signUp();
    await failLogins(app(), locked.email, 5);
    expectRateLimited(await login(app(), locked.email, TEST_PASSWORD), 0, 30);
    expectSignedIn(await login(app(), other.email, TEST_PASSWORD), other.email);
  });
});

describe('per email: concurrent requests', () => {
  const app = freshApp();

  it('counts concurrent requests one by one: of 7 at once, exactly 5 are checked and 2 refused', async () => {
    const { email } = await app().signUp();
    const responses = await Promise.all(Array.from({ length: 7 }, () => login(app(), email, WRONG_PASSWORD)));
    const codes = responses.flatMap(errorCodes).sort();
    expect(codes).toEqual([
      'RATE_LIMITED',
      'RATE_LIMITED',
      'UNAUTHENTICATED',
      'UNAUTHENTICATED',
      'UNAUTHENTICATED',
      'UNAUTHENTICATED',
      'UNAUTHENTICATED',
    ]);
  });
});

describe('per email: failures older than 15 minutes', () => {
  const app = freshApp();

  it('are forgotten: 4 failures, 15 minutes, 1 failure do not lock', async () => {
    const { email } = await app().signUp();
    await failLogins(app(), email, 4);
    app().clock.advance(15 * MINUTE);
    await failLogins(app(), email, 1);
    expectSignedIn(await login(app(), email, TEST_PASSWORD), email);
  });

  it('compares the email case-insensitively, so changing its case does not get round the lock', async () => {
    const { email } = await app().signUp();
    await failLogins(app(), email, 3);
    await failLogins(app(), email.toUpperCase(), 2);
    expectRateLimited(await login(app(), ` ${email.toUpperCase()} `, TEST_PASSWORD), 0, 30);
  });
});

describe('per email: the delay grows, then a success resets it', () => {
  const app = freshApp();

  it('doubles the delay with each new failure after the delay, and a success after it clears the count', async () => {
    const { email } = await app().signUp();
    await failLogins(app(), email, 5);
    expectRateLimited(await login(app(), email, TEST_PASSWORD), 25, 30);

    // Waiting out the 30 s lock allows one more try; failing it locks for 60 s.
    app().clock.advance(30 * SECOND);
    await failLogins(app(), email, 1);
    expectRateLimited(await login(app(), email, TEST_PASSWORD), 55, 60);
    app().clock.advance(30 * SECOND);
    expectRateLimited(await login(app(), email, TEST_PASSWORD), 25, 30);

    // Attempts refused while locked did not count: the next failure locks for 120 s, not more.
    app().clock.advance(30 * SECOND);
    await failLogins(app(), email, 1);
    expectRateLimited(await login(app(), email, WRONG_PASSWORD), 115, 120);

    app().clock.advance(120 * SECOND);
    expectSignedIn(await login(app(), email, TEST_PASSWORD), email);

    // Counter reset: a wrong password is an ordinary failure again, and does not lock.
    await failLogins(app(), email, 1);
    expectSignedIn(await login(app(), email, TEST_PASSWORD), email);
  });
});

describe('per client address: 20 failures in 15 minutes lock it', () => {
  const app = freshApp();

  it('refuses a 21st attempt on an email never tried before, even with the right password', async () => {
    const { email } = await app().signUp();
    // 20 different emails, so that no single email reaches its own limit of 5.
    for (let i = 0; i < 20; i += 1) {
      expect(errorCodes(await login(app(), unknownEmail(), WRONG_PASSWORD))).toEqual(['UNAUTHENTICATED']);
    }
    expectRateLimited(await login(app(), email, TEST_PASSWORD), 0, 30);
    expectRateLimited(await login(app(), unknownEmail(), WRONG_PASSWORD), 0, 30);

    app().clock.advance(30 * SECOND);
    expectSignedIn(await login(app(), email, TEST_PASSWORD), email);
  });
});
