import { randomUUID } from 'node:crypto';
import { Role } from '../../src/auth/role.js';
import { ClusterKind } from '../../src/membership/cluster.entity.js';
import { refusal } from '../support/refusals.js';
import { startTestApp, TEST_PASSWORD, type TestApp } from '../support/test-app.js';

/**
 * Account administration (issue 13, item 4): a platform administrator finds accounts by part of
 * their email or name, disables one — it can no longer sign in and its open sessions stop
 * working at once — and enables it again. Each refusal is coded and writes nothing; nobody but
 * ADMIN may do any of it.
 */
let app: TestApp;
let admin: { accountId: string; token: string; email: string };
let clusterAdmin: { accountId: string; token: string };
let user: { accountId: string; token: string };

beforeAll(async () => {
  // A page of 200 accounts with their sessions and disablements costs more than the default limit.
  app = await startTestApp({ env: { GRAPHQL_MAX_COST: '100000' } });
  admin = await app.signUp({ role: Role.ADMIN });
  // A second administrator: disabling one account never leaves the platform without one here
  // (tests/auth/last-admin.test.ts is where the last one is).
  await app.signUp({ role: Role.ADMIN });
  const clusterId = (await app.services().clusters.createCluster({ name: 'Comptes', slug: 'comptes', kind: ClusterKind.CLUSTER })).id;
  clusterAdmin = await app.signUp({ role: Role.CLUSTER_ADMIN, clusterId });
  user = await app.signUp();
});
afterAll(async () => {
  await app.close();
});

const ACCOUNTS = `query($search: String, $first: Int, $after: String) {
  accounts(search: $search, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { id email displayName disabled lastLoginAt createdAt } }
  }
}`;
const DISABLE = `mutation($input: DisableAccountInput!) {
  disableAccount(input: $input) {
    account { id disabled }
    disablement { reason disabledAt sessionsRevoked enabledAt disabledBy { id } enabledBy { id } }
  }
}`;
const ENABLE = `mutation($input: EnableAccountInput!) {
  enableAccount(input: $input) { account { id disabled } disablement { reason enabledAt enabledBy { id } } }
}`;
const LOGIN = 'mutation($input: LoginInput!) { login(input: $input) { token } }';
const VIEWER = '{ viewer { account { id } } }';

/** What any of these operations could write: compared before and after a refusal. */
async function written(): Promise<Record<string, number>> {
  const [row] = await app.sql<Record<string, number>>(
    `select (select count(*) from audit_entry)::int as audit,
            (select count(*) from account_disablement)::int as disablements,
            (select count(*) from account_disablement where enabled_at is not null)::int as enabled,
            (select count(*) from account where disabled)::int as disabled,
            (select count(*) from session where revoked_at is not null)::int as revoked`,
  );
  return row;
}

async function login(email: string): Promise<string> {
  const res = await app.gql(LOGIN, { input: { email, password: TEST_PASSWORD } });
  expect(res.body.errors).toBeUndefined();
  return res.body.data!.login.token as string;
}

describe('accounts(search)', () => {
  it('finds accounts by part of the email or the display name, any case, ordered by email, paged', async () => {
    const names = ['Zoé Marchand', 'Yann Marchandise', 'Xavier Durand'];
    const emails = ['c.zoe@acme-search.test', 'a.yann@acme-search.test', 'b.xavier@other-search.test'];
    const services = app.services();
    for (const [i, displayName] of names.entries()) {
      await services.auth.register({ email: emails[i], password: TEST_PASSWORD, displayName });
    }
    await login(emails[0]);

    const byEmail = await app.gql(ACCOUNTS, { search: 'ACME-Search' }, { token: admin.token });
    expect(byEmail.body.errors).toBeUndefined();
    const page = byEmail.body.data!.accounts;
    expect(page.totalCount).toBe(2);
    expect(page.edges.map((e: { node: { email: string } }) => e.node.email)).toEqual(['a.yann@acme-search.test', 'c.zoe@acme-search.test']);
    const zoe = page.edges[1].node;
    expect(zoe).toMatchObject({
      displayName: 'Zoé Marchand',
      disabled: false,
      lastLoginAt: expect.any(String),
      createdAt: expect.any(String),
    });
    expect(page.edges[0].node.lastLoginAt).toBeNull();

    const byName = await app.gql(ACCOUNTS, { search: 'marchand' }, { token: admin.token });
    expect(byName.body.data!.accounts.edges.map((e: { node: { displayName: string } }) => e.node.displayName)).toEqual([
      'Yann Marchandise',
      'Zoé Marchand',
    ]);

    const first = (await app.gql(ACCOUNTS, { search: '-search.test', first: 2 }, { token: admin.token })).body.data!.accounts;
    expect(first.pageInfo.hasNextPage).toBe(true);
    const next = (await app.gql(ACCOUNTS, { search: '-search.test', first: 2, after: first.pageInfo.endCursor }, { token: admin.token }))
      .body.data!.accounts;
    expect([...first.edges, ...next.edges].map((e: { node: { email: string } }) => e.node.email)).toEqual([
      'a.yann@acme-search.test',
      'b.xavier@other-search.test',
      'c.zoe@acme-search.test',
    ]);
    expect(next.pageInfo.hasNextPage).toBe(false);
  });

  it('takes LIKE wildcards literally, and lists every account without a search', async () => {
    const wild = await app.gql(ACCOUNTS, { search: '%' }, { token: admin.token });
    expect(wild.body.data!.accounts.totalCount).toBe(0);
    const all = await app.gql(ACCOUNTS, { first: 1 }, { token: admin.token });
    const [{ count }] = await app.sql<{ count: number }>('select count(*)::int as count from account');
    expect(all.body.data!.accounts.totalCount).toBe(count);
  });

  it('is for ADMIN only: FORBIDDEN to a cluster administrator and to a user, UNAUTHENTICATED without a token', async () => {
    for (const token of [clusterAdmin.token, user.token]) {
      const res = await app.gql(ACCOUNTS, { search: 'acme' }, { token });
      expect(refusal(res)).toEqual({ code: 'FORBIDDEN', reason: 'RIGHT_MISSING' });
      expect(res.body.errors![0].extensions!.action).toBe('account.manage');
    }
    expect(refusal(await app.gql(ACCOUNTS, { search: 'acme' }))).toEqual({ code: 'UNAUTHENTICATED', reason: 'SIGN_IN_REQUIRED' });
  });

  it('the same number of statements for a page of 10 and of 200 accounts, with their sessions and disablements', async () => {
    await app.sql(
      `insert into account (id, created_at, updated_at, email, display_name, password_hash, disabled)
       select gen_random_uuid(), now(), now(), 'bulk-' || lpad(i::text, 3, '0') || '@bulk.test', 'Bulk ' || i, 'x', i % 10 = 0
         from generate_series(1, 210) i`,
    );
    await app.sql(
      `insert into session (id, created_at, updated_at, account_id, token_hash, expires_at, last_used_at, client_address, user_agent)
       select gen_random_uuid(), now(), now(), a.id, encode(sha256(convert_to(gen_random_uuid()::text, 'UTF8')), 'hex'),
              now() + interval '30 days', now(), '192.0.2.1', 'bulk agent'
         from account a cross join generate_series(1, 2) where a.email like 'bulk-%'`,
    );
    await app.sql(
      `insert into account_disablement (id, created_at, updated_at, account_id, disabled_at, reason, disabled_by_id, sessions_revoked)
       select gen_random_uuid(), now(), now(), a.id, now(), 'bulk', $1, 0 from account a where a.email like 'bulk-%' and a.disabled`,
      [admin.accountId],
    );
    const LIST = `query($first: Int) {
      accounts(search: "@BULK.test", first: $first) {
        totalCount
        edges { cursor node { id email displayName disabled lastLoginAt createdAt
          sessions { id createdAt lastUsedAt expiresAt clientAddress userAgent current }
          disablements { reason disabledAt enabledAt disabledBy { displayName } enabledBy { displayName } } } }
      }
    }`;
    const count = async (first: number) => {
      app.resetSqlCount();
      const res = await app.gql(LIST, { first }, { token: admin.token });
      const statements = app.sqlCount();
      expect(res.body.errors).toBeUndefined();
      const nodes = res.body.data!.accounts.edges.map((e: { node: any }) => e.node);
      expect(nodes).toHaveLength(first);
      for (const node of nodes) {
        expect(node.sessions).toHaveLength(2);
        expect(node.sessions[0]).toMatchObject({ clientAddress: '192.0.2.1', userAgent: 'bulk agent', current: false });
        expect(node.disablements).toHaveLength(node.disabled ? 1 : 0);
        if (node.disabled) expect(node.disablements[0].disabledBy.displayName).toBe(admin.email);
      }
      return statements;
    };
    await count(10); // warm-up: metadata, session bookkeeping
    const ten = await count(10);
    const twoHundred = await count(200);
    expect(twoHundred).toBe(ten);
  });
});

describe('disableAccount and enableAccount', () => {
  it("disables an account: its sessions stop working at once, it cannot sign in; enabled, it signs in again (its old tokens don't)", async () => {
    const target = await app.signUp();
    const second = await login(target.email);
    expect((await app.gql(VIEWER, {}, { token: target.token })).status).toBe(200);

    const res = await app.gql(DISABLE, { input: { accountId: target.accountId, reason: '  Compte compromis  ' } }, { token: admin.token });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data!.disableAccount).toEqual({
      account: { id: target.accountId, disabled: true },
      disablement: {
        reason: 'Compte compromis',
        disabledAt: expect.any(String),
        sessionsRevoked: 2,
        enabledAt: null,
        disabledBy: { id: admin.accountId },
        enabledBy: null,
      },
    });

    for (const token of [target.token, second]) {
      const next = await app.gql(VIEWER, {}, { token });
      expect(next.status).toBe(401);
      // Signed out in the disabling transaction; the refusal says why: the account is disabled.
      expect(refusal(next)).toEqual({ code: 'UNAUTHENTICATED', reason: 'SESSION_ACCOUNT_DISABLED' });
    }
    const [open] = await app.sql<{ n: number }>('select count(*)::int as n from session where account_id = $1 and revoked_at is null', [
      target.accountId,
    ]);
    expect(open.n).toBe(0);
    expect(refusal(await app.gql(LOGIN, { input: { email: target.email, password: TEST_PASSWORD } }))).toEqual({
      code: 'FORBIDDEN',
      reason: 'ACCOUNT_DISABLED',
    });
    const [entry] = await app.sql<{ actor_id: string; entity_id: string; after: Record<string, unknown> }>(
      "select actor_id, entity_id, after from audit_entry where action = 'account.disable' order by seq desc limit 1",
    );
    expect(entry).toMatchObject({
      actor_id: admin.accountId,
      entity_id: target.accountId,
      after: expect.objectContaining({ disabled: true, reason: 'Compte compromis', sessionsRevoked: 2 }),
    });

    const enabled = await app.gql(ENABLE, { input: { accountId: target.accountId } }, { token: admin.token });
    expect(enabled.body.errors).toBeUndefined();
    expect(enabled.body.data!.enableAccount).toEqual({
      account: { id: target.accountId, disabled: false },
      disablement: { reason: 'Compte compromis', enabledAt: expect.any(String), enabledBy: { id: admin.accountId } },
    });
    const fresh = await login(target.email);
    expect((await app.gql(VIEWER, {}, { token: fresh })).body.data!.viewer.account.id).toBe(target.accountId);
    expect((await app.gql(VIEWER, {}, { token: target.token })).status).toBe(401);
    expect(await app.sql("select 1 from audit_entry where action = 'account.enable' and entity_id = $1", [target.accountId])).toHaveLength(
      1,
    );

    // The history stays: disabled again, both periods are listed, newest first.
    await app.gql(DISABLE, { input: { accountId: target.accountId, reason: 'Again' } }, { token: admin.token });
    const history = await app.gql(
      'query($s: String) { accounts(search: $s) { edges { node { disablements { reason enabledAt } } } } }',
      { s: target.email },
      { token: admin.token },
    );
    expect(history.body.data!.accounts.edges[0].node.disablements).toEqual([
      { reason: 'Again', enabledAt: null },
      { reason: 'Compte compromis', enabledAt: expect.any(String) },
    ]);
  });

  it('an administrator may disable themself while another remains: their own token stops working', async () => {
    const other = await app.signUp({ role: Role.ADMIN });
    const res = await app.gql(DISABLE, { input: { accountId: other.accountId, reason: 'Leaving' } }, { token: other.token });
    expect(res.body.errors).toBeUndefined();
    expect(refusal(await app.gql(VIEWER, {}, { token: other.token }))).toEqual({
      code: 'UNAUTHENTICATED',
      reason: 'SESSION_ACCOUNT_DISABLED',
    });
  });

  it('refuses an unknown account, one already disabled, one not disabled and a blank reason, writing nothing', async () => {
    const target = await app.signUp();
    const unknown = randomUUID();
    let before = await written();
    const missing = await app.gql(DISABLE, { input: { accountId: unknown, reason: 'x' } }, { token: admin.token });
    expect(refusal(missing)).toEqual({ code: 'NOT_FOUND', reason: 'NOT_FOUND' });
    expect(missing.body.errors![0].extensions).toMatchObject({ entity: 'Account', id: unknown });
    expect(refusal(await app.gql(ENABLE, { input: { accountId: unknown } }, { token: admin.token }))).toEqual({
      code: 'NOT_FOUND',
      reason: 'NOT_FOUND',
    });
    expect(refusal(await app.gql(ENABLE, { input: { accountId: target.accountId } }, { token: admin.token }))).toEqual({
      code: 'CONFLICT',
      reason: 'ACCOUNT_NOT_DISABLED',
    });
    const blank = await app.gql(DISABLE, { input: { accountId: target.accountId, reason: '   ' } }, { token: admin.token });
    expect(refusal(blank)).toEqual({ code: 'BAD_USER_INPUT', reason: 'INVALID_INPUT' });
    expect(blank.body.errors![0].extensions!.fields[0].field).toBe('input.reason');
    expect(await written()).toEqual(before);
    expect((await app.gql(VIEWER, {}, { token: target.token })).status).toBe(200);

    expect(
      (await app.gql(DISABLE, { input: { accountId: target.accountId, reason: 'Spam' } }, { token: admin.token })).body.errors,
    ).toBeUndefined();
    before = await written();
    const again = await app.gql(DISABLE, { input: { accountId: target.accountId, reason: 'Spam again' } }, { token: admin.token });
    expect(refusal(again)).toEqual({ code: 'CONFLICT', reason: 'ACCOUNT_ALREADY_DISABLED' });
    expect(again.body.errors![0].extensions!.disabledAt).toEqual(expect.any(String));
    expect(await written()).toEqual(before);
  });

  it('is for ADMIN only: FORBIDDEN to a cluster administrator and to a user (even on themself), UNAUTHENTICATED without a token; nothing written', async () => {
    const target = await app.signUp();
    await app.services().accountAdmin.disable(target.accountId, 'set up');
    const victim = await app.signUp();
    const before = await written();
    for (const token of [clusterAdmin.token, user.token]) {
      expect(refusal(await app.gql(DISABLE, { input: { accountId: victim.accountId, reason: 'x' } }, { token }))).toEqual({
        code: 'FORBIDDEN',
        reason: 'RIGHT_MISSING',
      });
      expect(refusal(await app.gql(ENABLE, { input: { accountId: target.accountId } }, { token }))).toEqual({
        code: 'FORBIDDEN',
        reason: 'RIGHT_MISSING',
      });
    }
    expect(refusal(await app.gql(DISABLE, { input: { accountId: user.accountId, reason: 'x' } }, { token: user.token }))).toEqual({
      code: 'FORBIDDEN',
      reason: 'RIGHT_MISSING',
    });
    // An unknown id is FORBIDDEN too: the refusal tells an unauthorized caller nothing.
    expect(refusal(await app.gql(DISABLE, { input: { accountId: randomUUID(), reason: 'x' } }, { token: user.token }))).toEqual({
      code: 'FORBIDDEN',
      reason: 'RIGHT_MISSING',
    });
    expect(refusal(await app.gql(DISABLE, { input: { accountId: victim.accountId, reason: 'x' } }))).toEqual({
      code: 'UNAUTHENTICATED',
      reason: 'SIGN_IN_REQUIRED',
    });
    expect(await written()).toEqual(before);
    expect((await app.gql(VIEWER, {}, { token: victim.token })).status).toBe(200);
  });

  it('the account itself reads its own disablements and open sessions', async () => {
    const target = await app.signUp();
    expect(
      (await app.gql('{ viewer { account { disablements { reason } sessions { id } } } }', {}, { token: target.token })).body.data!.viewer
        .account,
    ).toEqual({ disablements: [], sessions: [expect.objectContaining({ id: expect.any(String) })] });
  });
});
