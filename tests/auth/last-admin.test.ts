import pg from 'pg';
import { Role } from '../../src/auth/role.js';
import { refusal } from '../support/refusals.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * The platform never loses its last enabled administrator (issue 13, item 4): the last ADMIN
 * cannot disable themself, nor have their ADMIN role revoked, and two administrators disabling
 * each other at the same moment cannot both succeed. This file's database holds only the
 * administrators each test creates.
 */
let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app.close();
});

const DISABLE = 'mutation($input: DisableAccountInput!) { disableAccount(input: $input) { account { id disabled } } }';
const REVOKE = 'mutation($input: RevokeRoleInput!) { revokeRole(input: $input) { roleAssignment { id validTo } } }';

/** What a refusal could have written. */
async function written(): Promise<Record<string, number>> {
  const [row] = await app.sql<Record<string, number>>(
    `select (select count(*) from audit_entry)::int as audit,
            (select count(*) from account_disablement)::int as disablements,
            (select count(*) from account where disabled)::int as disabled,
            (select count(*) from session where revoked_at is not null)::int as revoked,
            (select count(*) from role_assignment where valid_to is not null)::int as ended`,
  );
  return row;
}

/** Disables every enabled administrator but those kept, so that each test starts from them. */
async function onlyAdmins(...keep: string[]): Promise<void> {
  const others = await app.sql<{ id: string }>(
    "select distinct a.id from account a join role_assignment r on r.account_id = a.id where r.role = 'ADMIN' and not a.disabled and a.id <> all($1::uuid[])",
    [keep],
  );
  for (const { id } of others) await app.services().accountAdmin.disable(id, 'not this test’s');
}

async function adminAssignment(accountId: string): Promise<string> {
  const [{ id }] = await app.sql<{ id: string }>("select id from role_assignment where account_id = $1 and role = 'ADMIN'", [accountId]);
  return id;
}

it('the last enabled ADMIN cannot disable themself (LAST_ADMIN), nothing written; with another ADMIN, they can', async () => {
  const last = await app.signUp({ role: Role.ADMIN });
  await onlyAdmins(last.accountId);
  // A disabled administrator does not count.
  const disabledAdmin = await app.signUp({ role: Role.ADMIN });
  await app.services().accountAdmin.disable(disabledAdmin.accountId, 'gone');

  const before = await written();
  const res = await app.gql(DISABLE, { input: { accountId: last.accountId, reason: 'Leaving' } }, { token: last.token });
  expect(refusal(res)).toEqual({ code: 'CONFLICT', reason: 'LAST_ADMIN' });
  expect(await written()).toEqual(before);
  expect((await app.gql('{ viewer { account { id } } }', {}, { token: last.token })).status).toBe(200);

  const successor = await app.signUp({ role: Role.ADMIN });
  const now = await app.gql(DISABLE, { input: { accountId: last.accountId, reason: 'Leaving' } }, { token: last.token });
  expect(now.body.errors).toBeUndefined();
  expect(refusal(await app.gql(DISABLE, { input: { accountId: successor.accountId, reason: 'x' } }, { token: successor.token }))).toEqual({
    code: 'CONFLICT',
    reason: 'LAST_ADMIN',
  });
});

it('the last enabled ADMIN role cannot be revoked (LAST_ADMIN), nothing written; a second one can', async () => {
  const last = await app.signUp({ role: Role.ADMIN });
  await onlyAdmins(last.accountId);
  const assignment = await adminAssignment(last.accountId);
  const before = await written();
  expect(refusal(await app.gql(REVOKE, { input: { roleAssignmentId: assignment } }, { token: last.token }))).toEqual({
    code: 'CONFLICT',
    reason: 'LAST_ADMIN',
  });
  expect(await written()).toEqual(before);

  const other = await app.signUp({ role: Role.ADMIN });
  expect((await app.gql(REVOKE, { input: { roleAssignmentId: assignment } }, { token: other.token })).body.errors).toBeUndefined();
});

it('two administrators disabling each other at once: exactly one succeeds, the other is refused with LAST_ADMIN', async () => {
  const a = await app.signUp({ role: Role.ADMIN });
  const b = await app.signUp({ role: Role.ADMIN });
  await onlyAdmins(a.accountId, b.accountId);

  // Hold one of their rows locked from outside, so that both requests reach their lock and wait
  // there together; released, they run against each other.
  const holder = new pg.Client({ connectionString: app.databaseUrl });
  await holder.connect();
  try {
    await holder.query('begin');
    await holder.query('select id from account where id = any($1::uuid[]) order by id for update', [[a.accountId, b.accountId]]);
    const aDisablesB = app.gql(DISABLE, { input: { accountId: b.accountId, reason: 'B must go' } }, { token: a.token });
    const bDisablesA = app.gql(DISABLE, { input: { accountId: a.accountId, reason: 'A must go' } }, { token: b.token });
    for (let waited = 0; ; waited += 20) {
      const [{ n }] = await app.sql<{ n: number }>(
        "select count(*)::int as n from pg_stat_activity where wait_event_type = 'Lock' and query like '%for update of a%'",
      );
      if (n === 2) break;
      if (waited > 10_000) throw new Error(`only ${n} request(s) reached the lock`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await holder.query('commit');
    const outcomes = await Promise.all([aDisablesB, bDisablesA]);
    const succeeded = outcomes.filter((res) => !res.body.errors);
    const refused = outcomes.filter((res) => res.body.errors);
    expect(succeeded).toHaveLength(1);
    expect(refused.map(refusal)).toEqual([{ code: 'CONFLICT', reason: 'LAST_ADMIN' }]);
  } finally {
    await holder.end();
  }
  const enabledAdmins = await app.sql(
    "select distinct a.id from account a join role_assignment r on r.account_id = a.id where r.role = 'ADMIN' and not a.disabled",
  );
  expect(enabledAdmins).toHaveLength(1);
});

it('disabling one administrator while the other’s ADMIN role is revoked: one of the two is refused', async () => {
  const a = await app.signUp({ role: Role.ADMIN });
  const b = await app.signUp({ role: Role.ADMIN });
  await onlyAdmins(a.accountId, b.accountId);
  const bAssignment = await adminAssignment(b.accountId);

  const holder = new pg.Client({ connectionString: app.databaseUrl });
  await holder.connect();
  try {
    await holder.query('begin');
    await holder.query('select id from account where id = any($1::uuid[]) order by id for update', [[a.accountId, b.accountId]]);
    const disableA = app.gql(DISABLE, { input: { accountId: a.accountId, reason: 'A must go' } }, { token: b.token });
    const revokeB = app.gql(REVOKE, { input: { roleAssignmentId: bAssignment } }, { token: a.token });
    for (let waited = 0; ; waited += 20) {
      const [{ n }] = await app.sql<{ n: number }>(
        "select count(*)::int as n from pg_stat_activity where wait_event_type = 'Lock' and query like '%for update of a%'",
      );
      if (n === 2) break;
      if (waited > 10_000) throw new Error(`only ${n} request(s) reached the lock`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await holder.query('commit');
    const outcomes = await Promise.all([disableA, revokeB]);
    expect(outcomes.filter((res) => !res.body.errors)).toHaveLength(1);
    expect(outcomes.filter((res) => res.body.errors).map(refusal)).toEqual([{ code: 'CONFLICT', reason: 'LAST_ADMIN' }]);
  } finally {
    await holder.end();
  }
  const enabledAdmins = await app.sql(
    `select distinct a.id from account a join role_assignment r on r.account_id = a.id
      where r.role = 'ADMIN' and not a.disabled and (r.valid_to is null or r.valid_to > now())`,
  );
  expect(enabledAdmins).toHaveLength(1);
});
