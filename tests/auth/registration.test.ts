import { randomBytes } from 'node:crypto';
import { Role } from '../../src/auth/role.js';
import { refusal } from '../support/refusals.js';
import { startTestApp, TEST_PASSWORD, type GraphQLResponse, type TestApp } from '../support/test-app.js';

/**
 * registerAccount never tells whether an email has an account (issue 12, item 18): a known email,
 * or a look-alike of one, gets the answer a new email gets, creates nothing, and is audited.
 * Emails are normalised (NFKC, trimmed, lower-cased) at registration and at sign-in; one that
 * hides characters or mixes scripts in one part is refused from the address alone. Registrations
 * are counted per client address. The app trusts one proxy hop, so each test gives its requests
 * an address of their own (X-Forwarded-For).
 */

const REGISTER = `mutation($input: RegisterAccountInput!) { registerAccount(input: $input) { account { id email displayName disabled lastLoginAt } } }`;
const LOGIN = `mutation($input: LoginInput!) { login(input: $input) { token account { id email } } }`;
const OTHER_PASSWORD = 'an entirely different passphrase';

let app: TestApp;
let admin: { accountId: string; token: string; email: string };

beforeAll(async () => {
  app = await startTestApp({ env: { TRUST_PROXY: '1' } });
  admin = await app.signUp({ role: Role.ADMIN, email: 'admin@collegia.example' });
});
afterAll(async () => {
  await app.close();
});

let lastOctet = 0;
/** A client address no other test uses. */
const freshAddress = () => `198.51.100.${++lastOctet}`;

function register(email: string, address: string, displayName = 'Someone', password = TEST_PASSWORD): Promise<GraphQLResponse> {
  return app.gql(REGISTER, { input: { email, password, displayName } }, { headers: { 'x-forwarded-for': address } });
}

function login(email: string, password: string, address = freshAddress()): Promise<GraphQLResponse> {
  return app.gql(LOGIN, { input: { email, password } }, { headers: { 'x-forwarded-for': address } });
}

const accountsLike = async (pattern: string) =>
  (await app.sql<{ email: string }>('select email from account where email like $1 order by email', [pattern])).map((row) => row.email);

const entriesSince = (seq: number) =>
  app.sql<{ action: string; entity_id: string; actor_id: string | null; after: Record<string, unknown>; request_id: string }>(
    'select action, entity_id, actor_id, after, request_id from audit_entry where seq > $1 order by seq',
    [seq],
  );
const lastSeq = async () => (await app.sql<{ seq: number }>('select coalesce(max(seq), 0)::int as seq from audit_entry'))[0].seq;

describe('a known email gets the answer a new email gets', () => {
  it('same shape, no error; nothing created; the existing account untouched; the attempt audited', async () => {
    const address = freshAddress();
    const fresh = await register(`new-${randomBytes(4).toString('hex')}@example.test`, address, 'Camille');
    const since = await lastSeq();
    const known = await register('ADMIN@collegia.example', address, 'Camille', OTHER_PASSWORD);

    expect(known.status).toBe(fresh.status);
    expect(known.body.errors).toBeUndefined();
    const answer = known.body.data!.registerAccount.account;
    expect(Object.keys(answer)).toEqual(Object.keys(fresh.body.data!.registerAccount.account));
    expect(answer).toEqual({
      id: expect.any(String),
      email: 'admin@collegia.example',
      displayName: 'Camille',
      disabled: false,
      lastLoginAt: null,
    });
    // A fresh id that belongs to nothing, not the existing account's.
    expect(answer.id).not.toBe(admin.accountId);
    expect(await app.sql('select id from account where id = $1', [answer.id])).toEqual([]);
    expect(await accountsLike('admin@collegia.example')).toEqual(['admin@collegia.example']);

    // The owner's password still works; the one the caller chose does not.
    expect((await login('admin@collegia.example', TEST_PASSWORD)).body.data!.login.account.id).toBe(admin.accountId);
    expect(refusal(await login('admin@collegia.example', OTHER_PASSWORD))).toEqual({
      code: 'UNAUTHENTICATED',
      reason: 'INVALID_CREDENTIALS',
    });

    const [entry] = await entriesSince(since);
    expect(entry).toMatchObject({
      action: 'account.register.known',
      entity_id: admin.accountId,
      actor_id: null,
      after: { attemptedEmail: 'admin@collegia.example' },
      request_id: known.headers.get('x-request-id'),
    });
  });

  it('whatever its case, surrounding spaces or full-width letters (NFKC)', async () => {
    const address = freshAddress();
    for (const email of [' Admin@Collegia.Example ', 'ＡＤＭＩＮ@collegia.example', 'admin@ｃｏｌｌｅｇｉａ.example']) {
      const res = await register(email, address);
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data!.registerAccount.account.email).toBe('admin@collegia.example');
    }
    expect(await app.sql("select count(*)::int as n from account where email_skeleton = 'admin@collegia.example'")).toEqual([{ n: 1 }]);
  });

  it('two registrations of one new email at once: one account, the same answer to both', async () => {
    const email = `race-${randomBytes(4).toString('hex')}@example.test`;
    const responses = await Promise.all([register(email, freshAddress()), register(email, freshAddress())]);
    for (const res of responses) expect(res.body.errors).toBeUndefined();
    expect(await accountsLike(email)).toEqual([email]);
  });
});

describe('look-alikes of an existing account', () => {
  it.each([
    ['an accent added (a combining mark, composed by NFKC)', 'admi\u0301n@collegia.example', 'admín@collegia.example'],
    ['an accented letter typed as such', 'ädmin@collegia.example', 'ädmin@collegia.example'],
    ['"rn" for "m"', 'adrnin@collegia.example', 'adrnin@collegia.example'],
    ['"1" for "l" in the domain', 'admin@co11egia.example', 'admin@co11egia.example'],
  ])('%s: answered as a known email, nothing created, audited as a look-alike', async (_label, email, normalised) => {
    const since = await lastSeq();
    const res = await register(email, freshAddress());
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data!.registerAccount.account.email).toBe(normalised);
    expect(await app.sql('select id from account where email = $1', [normalised])).toEqual([]);
    expect(await entriesSince(since)).toEqual([
      expect.objectContaining({
        action: 'account.register.lookalike',
        entity_id: admin.accountId,
        after: { attemptedEmail: normalised, lookalikeOf: 'admin@collegia.example' },
      }),
    ]);
  });

  it('a whole-script look-alike (every letter Cyrillic) of a Latin email', async () => {
    const { accountId } = await app.signUp({ email: 'coco@collegia.example' });
    const since = await lastSeq();
    const res = await register('\u0441\u043e\u0441\u043e@collegia.example', freshAddress());
    expect(res.body.errors).toBeUndefined();
    expect(await accountsLike('%@collegia.example')).not.toContain('\u0441\u043e\u0441\u043e@collegia.example');
    expect((await entriesSince(since))[0]).toMatchObject({ action: 'account.register.lookalike', entity_id: accountId });
  });

  it('an accented email with no plain twin is a new account, stored composed (NFC)', async () => {
    const res = await register('rene\u0301.dupont@example.test', freshAddress());
    expect(res.body.errors).toBeUndefined();
    expect(await accountsLike('ren%dupont@example.test')).toEqual(['rené.dupont@example.test']);
    expect((await login('RENÉ.dupont@example.test', TEST_PASSWORD)).body.data!.login.account.email).toBe('rené.dupont@example.test');
  });
});

describe('deceptive emails, refused from the address alone (whether or not a look-alike exists)', () => {
  it.each([
    ['a Cyrillic "а" among Latin letters, for an existing account', '\u0430dmin@collegia.example', 'EMAIL_MIXED_SCRIPTS'],
    ['a Cyrillic "а" among Latin letters, for no account at all', '\u0430lice-nobody@collegia.example', 'EMAIL_MIXED_SCRIPTS'],
    ['a Greek "ο" in a label of the domain', 'admin@c\u03bfllegia.example', 'EMAIL_MIXED_SCRIPTS'],
    ['a zero-width space', 'ad\u200bmin@collegia.example', 'EMAIL_HIDDEN_CHARACTERS'],
    ['a mark that composes with no letter', 'admin\u0308\u0301@collegia.example', 'EMAIL_HIDDEN_CHARACTERS'],
  ])('%s: BAD_USER_INPUT naming input.email, nothing written', async (_label, email, reason) => {
    const since = await lastSeq();
    const res = await register(email, freshAddress());
    expect(refusal(res)).toEqual({ code: 'BAD_USER_INPUT', reason });
    expect(res.body.errors![0].extensions!.fields).toEqual([{ field: 'input.email', messages: [expect.any(String)] }]);
    expect(await entriesSince(since)).toEqual([]);
  });

  it('one script per part is fine: a Cyrillic local part at a Latin domain', async () => {
    const res = await register('\u0438\u0432\u0430\u043d@example.test', freshAddress());
    expect(res.body.errors).toBeUndefined();
    expect(await accountsLike('%@example.test')).toContain('иван@example.test');
  });
});

describe('sign-in normalises as registration does', () => {
  it('full-width, mixed case and spaces find the account', async () => {
    const email = `norm-${randomBytes(3).toString('hex')}@example.test`;
    await register(email.toUpperCase(), freshAddress());
    const fullWidth = [...email].map((c) => (/[a-z0-9]/.test(c) ? String.fromCodePoint(c.codePointAt(0)! + 0xfee0) : c)).join('');
    for (const typed of [` ${email.toUpperCase()} `, fullWidth]) {
      expect((await login(typed, TEST_PASSWORD)).body.data!.login.account.email).toBe(email);
    }
  });
});

describe('registrations are counted per client address', () => {
  it('10 within 10 minutes, then RATE_LIMITED (REGISTRATIONS_LIMITED) with retryAfterSeconds; other addresses unaffected', async () => {
    const address = freshAddress();
    // Whatever their outcome: new, known, refused as deceptive.
    const emails = [
      ...Array.from({ length: 7 }, (_, i) => `burst-${i}-${randomBytes(3).toString('hex')}@example.test`),
      'admin@collegia.example',
      'adrnin@collegia.example',
      '\u0430dmin@collegia.example',
    ];
    for (const email of emails) expect(refusal(await register(email, address)).code).not.toBe('RATE_LIMITED');
    const limited = await register(`late-${randomBytes(3).toString('hex')}@example.test`, address);
    expect(refusal(limited)).toEqual({ code: 'RATE_LIMITED', reason: 'REGISTRATIONS_LIMITED' });
    const retryAfter = limited.body.errors![0].extensions!.retryAfterSeconds;
    expect(retryAfter).toBeGreaterThan(590);
    expect(retryAfter).toBeLessThanOrEqual(600);
    expect(await accountsLike('late-%')).toEqual([]);

    expect((await register(`elsewhere-${randomBytes(3).toString('hex')}@example.test`, freshAddress())).body.errors).toBeUndefined();

    app.clock.advance(10 * 60_000);
    try {
      expect((await register(`later-${randomBytes(3).toString('hex')}@example.test`, address)).body.errors).toBeUndefined();
    } finally {
      app.clock.advance(-10 * 60_000);
    }
  });

  it('aliases in one request count one by one: the 11th is RATE_LIMITED (and, the payload being required, ends the request)', async () => {
    const tag = randomBytes(3).toString('hex');
    const aliases = Array.from({ length: 12 }, (_, i) => `r${i}`);
    const document = `mutation { ${aliases
      .map(
        (a) =>
          `${a}: registerAccount(input: { email: "${a}-${tag}@example.test", password: "${TEST_PASSWORD}", displayName: "${a}" }) { account { id } }`,
      )
      .join(' ')} }`;
    const res = await app.gql(document, {}, { headers: { 'x-forwarded-for': freshAddress() } });
    expect(res.body.errors!.map((e) => [e.path?.[0], e.extensions?.code, e.extensions?.reason])).toEqual([
      ['r10', 'RATE_LIMITED', 'REGISTRATIONS_LIMITED'],
    ]);
    expect(await accountsLike(`%-${tag}@example.test`)).toHaveLength(10);
  });
});

describe('the service that commands use', () => {
  it('refuses a look-alike of an existing account, saying so (CONFLICT, EMAIL_LOOKALIKE)', async () => {
    await expect(
      app.services().auth.register({ email: 'adrnin@collegia.example', password: TEST_PASSWORD, displayName: 'X' }),
    ).rejects.toMatchObject({
      code: 'CONFLICT',
      reason: 'EMAIL_LOOKALIKE',
    });
  });

  it('refuses a deceptive email as the API does', async () => {
    await expect(
      app.services().auth.register({ email: '\u0430dmin@collegia.example', password: TEST_PASSWORD, displayName: 'X' }),
    ).rejects.toMatchObject({
      code: 'BAD_USER_INPUT',
      reason: 'EMAIL_MIXED_SCRIPTS',
    });
  });
});
