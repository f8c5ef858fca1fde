import { GENESIS_HASH } from '../../src/audit/audit.service.js';
import { Role } from '../../src/auth/role.js';
import { errorCodes, startTestApp, TEST_PASSWORD, type GraphQLResponse, type TestApp } from '../support/test-app.js';
import { refusal } from '../support/refusals.js';

const CREATE_CLUSTER = `mutation($input: CreateClusterInput!) { createCluster(input: $input) { cluster { id slug } } }`;
const UPDATE_CLUSTER = `mutation($input: UpdateClusterInput!) { updateCluster(input: $input) { cluster { id name } } }`;
const CREATE_COLLEGE = `mutation($input: CreateCollegeInput!) { createCollege(input: $input) { college { id } } }`;
const REGISTER = `mutation($input: RegisterAccountInput!) { registerAccount(input: $input) { account { id } } }`;
const LOGIN = `mutation($input: LoginInput!) { login(input: $input) { token account { id } } }`;
const LOGOUT = `mutation { logout { signedOut } }`;
const GRANT = `mutation($input: GrantRoleInput!) { grantRole(input: $input) { roleAssignment { id } } }`;
const REVOKE = `mutation($input: RevokeRoleInput!) { revokeRole(input: $input) { roleAssignment { id validTo } } }`;
const VERIFY = `{ verifyAuditTrail { intact checkedEntries firstBrokenSeq reason } }`;
const TRAIL = `query($first: Int, $after: String) {
  auditTrail(first: $first, after: $after) {
    totalCount
    edges { cursor node { seq action entityType entityId actorId requestId prevHash hash } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}`;

/** An audit_entry row as stored. */
interface EntryRow {
  seq: number;
  occurred_at: Date;
  actor_id: string | null;
  action: string;
  entity_type: string;
  entity_id: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  request_id: string | null;
  prev_hash: string;
  hash: string;
  seal: string | null;
}

let app: TestApp;
let admin: { accountId: string; token: string };

beforeAll(async () => {
  app = await startTestApp();
  admin = await app.signUp({ role: Role.ADMIN });
});
afterAll(async () => {
  await app.close();
});

async function entries(afterSeq = 0): Promise<EntryRow[]> {
  return app.sql<EntryRow>('select *, seq::int as seq from audit_entry where audit_entry.seq > $1 order by audit_entry.seq', [afterSeq]);
}

async function lastSeq(): Promise<number> {
  const [{ seq }] = await app.sql<{ seq: number }>('select coalesce(max(seq), 0)::int as seq from audit_entry');
  return seq;
}

/** Runs one operation; returns its response, its request id and the entries it appended. */
async function run(query: string, variables: Record<string, unknown>, options: { token?: string; headers?: Record<string, string> } = {}) {
  const since = await lastSeq();
  const res = await app.gql(query, variables, options);
  return { res, requestId: res.headers.get('x-request-id'), appended: await entries(since) };
}

function expectOk(res: GraphQLResponse): void {
  expect(res.body.errors).toBeUndefined();
}

const verifyAsAdmin = async () => (await app.gql(VERIFY, {}, { token: admin.token })).body.data!.verifyAuditTrail;

describe('every state-changing mutation appends one entry, with who, what, before, after and the request id', () => {
  let clusterId: string;
  let member: { accountId: string; email: string; token?: string };
  let assignmentId: string;

  it('createCluster', async () => {
    const { res, requestId, appended } = await run(
      CREATE_CLUSTER,
      { input: { name: 'Audit Cluster', slug: 'audit-cluster', kind: 'CLUSTER' } },
      { token: admin.token },
    );
    expectOk(res);
    clusterId = res.body.data!.createCluster.cluster.id;
    expect(requestId).toBeTruthy();
    expect(appended).toHaveLength(1);
    expect(appended[0]).toMatchObject({
      actor_id: admin.accountId,
      action: 'cluster.create',
      entity_type: 'Cluster',
      entity_id: clusterId,
      before: null,
      after: expect.objectContaining({ id: clusterId, name: 'Audit Cluster', slug: 'audit-cluster', kind: 'CLUSTER', status: 'ACTIVE' }),
      request_id: requestId,
    });
  });

  it('updateCluster, recording the record before and after', async () => {
    const { res, requestId, appended } = await run(
      UPDATE_CLUSTER,
      { input: { id: clusterId, name: 'Audit Cluster (renamed)' } },
      { token: admin.token },
    );
    expectOk(res);
    expect(appended).toHaveLength(1);
    expect(appended[0]).toMatchObject({
      actor_id: admin.accountId,
      action: 'cluster.update',
      entity_type: 'Cluster',
      entity_id: clusterId,
      before: expect.objectContaining({ name: 'Audit Cluster', slug: 'audit-cluster' }),
      after: expect.objectContaining({ name: 'Audit Cluster (renamed)', slug: 'audit-cluster' }),
      request_id: requestId,
    });
  });

  it('createCollege, naming its cluster by id', async () => {
    const { res, requestId, appended } = await run(
      CREATE_COLLEGE,
      { input: { clusterId, name: 'Cloud', slug: 'cloud', theme: 'cloud computing' } },
      { token: admin.token },
    );
    expectOk(res);
    const collegeId = res.body.data!.createCollege.college.id;
    expect(appended).toHaveLength(1);
    expect(appended[0]).toMatchObject({
      actor_id: admin.accountId,
      action: 'college.create',
      entity_type: 'College',
      entity_id: collegeId,
      before: null,
      after: expect.objectContaining({ id: collegeId, slug: 'cloud', cluster: clusterId }),
      request_id: requestId,
    });
  });

  it('registerAccount, by an anonymous caller: the actor is the new account', async () => {
    const email = 'audited@example.test';
    const { res, requestId, appended } = await run(REGISTER, { input: { email, password: TEST_PASSWORD, displayName: 'Audited' } });
    expectOk(res);
    member = { accountId: res.body.data!.registerAccount.account.id, email };
    expect(appended).toHaveLength(1);
    expect(appended[0]).toMatchObject({
      actor_id: member.accountId,
      action: 'account.register',
      entity_type: 'Account',
      entity_id: member.accountId,
      before: null,
      after: expect.objectContaining({ email }),
      request_id: requestId,
    });
  });

  it('login: the session opened, by the account that signed in', async () => {
    const { res, requestId, appended } = await run(LOGIN, { input: { email: member.email, password: TEST_PASSWORD } });
    expectOk(res);
    member.token = res.body.data!.login.token;
    const [session] = await app.sql("select id from session where token_hash = encode(sha256(convert_to($1, 'UTF8')), 'hex')", [
      member.token,
    ]);
    expect(appended).toHaveLength(1);
    expect(appended[0]).toMatchObject({
      actor_id: member.accountId,
      action: 'session.open',
      entity_type: 'Session',
      entity_id: session.id,
      request_id: requestId,
    });
  });

  it('grantRole', async () => {
    const { res, requestId, appended } = await run(
      GRANT,
      { input: { accountId: member.accountId, role: 'CLUSTER_ADMIN', clusterId } },
      { token: admin.token },
    );
    expectOk(res);
    assignmentId = res.body.data!.grantRole.roleAssignment.id;
    expect(appended).toHaveLength(1);
    expect(appended[0]).toMatchObject({
      actor_id: admin.accountId,
      action: 'role.grant',
      entity_type: 'RoleAssignment',
      entity_id: assignmentId,
      before: null,
      after: expect.objectContaining({
        role: 'CLUSTER_ADMIN',
        account: member.accountId,
        cluster: clusterId,
        grantedBy: admin.accountId,
        validTo: null,
      }),
      request_id: requestId,
    });
  });

  it('revokeRole, recording the end of validity', async () => {
    const { res, requestId, appended } = await run(REVOKE, { input: { roleAssignmentId: assignmentId } }, { token: admin.token });
    expectOk(res);
    expect(appended).toHaveLength(1);
    expect(appended[0]).toMatchObject({
      actor_id: admin.accountId,
      action: 'role.revoke',
      entity_type: 'RoleAssignment',
      entity_id: assignmentId,
      before: expect.objectContaining({ validTo: null }),
      after: expect.objectContaining({ validTo: res.body.data!.revokeRole.roleAssignment.validTo }),
      request_id: requestId,
    });
  });

  it('logout: the session revoked, by its account', async () => {
    const [session] = await app.sql("select id from session where token_hash = encode(sha256(convert_to($1, 'UTF8')), 'hex')", [
      member.token,
    ]);
    const { res, requestId, appended } = await run(LOGOUT, {}, { token: member.token });
    expectOk(res);
    expect(appended).toHaveLength(1);
    expect(appended[0]).toMatchObject({
      actor_id: member.accountId,
      action: 'session.revoke',
      entity_type: 'Session',
      entity_id: session.id,
      request_id: requestId,
    });
  });

  it('keeps the request id the client sent, as echoed in the X-Request-Id header', async () => {
    const { res, requestId, appended } = await run(
      CREATE_CLUSTER,
      { input: { name: 'Traced', slug: 'traced', kind: 'CLUSTER' } },
      { token: admin.token, headers: { 'x-request-id': 'trace-4f2a.9' } },
    );
    expectOk(res);
    expect(requestId).toBe('trace-4f2a.9');
    expect(appended.map((entry) => entry.request_id)).toEqual(['trace-4f2a.9']);
  });

  it('never copies a secret into the trail: no password, password hash or session token', async () => {
    const trail = JSON.stringify(await entries());
    const secrets = await app.sql<{ secret: string }>(
      'select password_hash as secret from account union all select token_hash from session',
    );
    expect(secrets.length).toBeGreaterThan(2);
    expect(trail).not.toContain(TEST_PASSWORD);
    expect(trail).not.toContain('$argon2');
    expect(trail).not.toContain(member.token);
    for (const { secret } of secrets) expect(trail).not.toContain(secret);
  });
});

describe('a refused mutation leaves no entry and no half-done change', () => {
  it('a duplicate slug is a CONFLICT, with no new entry and still one cluster', async () => {
    const { res, appended } = await run(
      CREATE_CLUSTER,
      { input: { name: 'Again', slug: 'audit-cluster', kind: 'CLUSTER' } },
      { token: admin.token },
    );
    expect(refusal(res)).toEqual({ code: 'CONFLICT', reason: 'CLUSTER_SLUG_TAKEN' });
    expect(appended).toEqual([]);
    expect(await app.sql("select name from cluster where slug = 'audit-cluster'")).toEqual([{ name: 'Audit Cluster (renamed)' }]);
  });

  it('a parent that is not a federation is refused, with no entry and no cluster', async () => {
    const [parent] = await app.sql("select id from cluster where slug = 'audit-cluster'");
    const { res, appended } = await run(
      CREATE_CLUSTER,
      { input: { name: 'Child', slug: 'child', kind: 'CLUSTER', parentId: parent.id } },
      { token: admin.token },
    );
    expect(refusal(res)).toEqual({ code: 'BAD_USER_INPUT', reason: 'PARENT_NOT_FEDERATION' });
    expect(appended).toEqual([]);
    expect(await app.sql("select id from cluster where slug = 'child'")).toEqual([]);
  });

  it('a forbidden caller changes nothing and appends nothing', async () => {
    const { token } = await app.signUp();
    const { res, appended } = await run(CREATE_CLUSTER, { input: { name: 'Sneaky', slug: 'sneaky', kind: 'CLUSTER' } }, { token });
    expect(refusal(res)).toEqual({ code: 'FORBIDDEN', reason: 'RIGHT_MISSING' });
    expect(appended).toEqual([]);
    expect(await app.sql("select id from cluster where slug = 'sneaky'")).toEqual([]);
  });

  it('concurrent creations with one slug: one succeeds with one entry, the others are CONFLICT', async () => {
    const since = await lastSeq();
    const responses = await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        app.gql(CREATE_CLUSTER, { input: { name: `Race ${i}`, slug: 'race', kind: 'CLUSTER' } }, { token: admin.token }),
      ),
    );
    const codes = responses.map((res) => errorCodes(res)[0] ?? 'OK').sort();
    expect(codes).toEqual(['CONFLICT', 'CONFLICT', 'CONFLICT', 'CONFLICT', 'OK']);
    // A loser sees the winner's cluster (slug taken) or, racing it, the database's uniqueness rule.
    for (const loser of responses.filter((res) => res.body.errors)) {
      expect(['CLUSTER_SLUG_TAKEN', 'DUPLICATE']).toContain(refusal(loser).reason);
    }
    const winner = responses.find((res) => !res.body.errors)!.body.data!.createCluster.cluster.id;
    expect(await app.sql("select id from cluster where slug = 'race'")).toEqual([{ id: winner }]);
    expect((await entries(since)).map((entry) => [entry.action, entry.entity_id])).toEqual([['cluster.create', winner]]);
  });

  it('the change and its entry commit together: when the entry cannot be written, the change is rolled back', async () => {
    // Stands in for any failure of the append (disk full, lost connection…) after the change was flushed.
    await app.sql(`create function refuse_audit_insert() returns trigger language plpgsql as $$
      begin raise exception 'audit storage unavailable'; end $$`);
    await app.sql('create trigger refuse_audit_insert before insert on audit_entry for each row execute function refuse_audit_insert()');
    try {
      const { res, appended } = await run(
        CREATE_CLUSTER,
        { input: { name: 'Unaudited', slug: 'unaudited', kind: 'CLUSTER' } },
        { token: admin.token },
      );
      expect(errorCodes(res)).toEqual(['INTERNAL_SERVER_ERROR']);
      expect(appended).toEqual([]);
      expect(await app.sql("select id from cluster where slug = 'unaudited'")).toEqual([]);
    } finally {
      await app.sql('drop trigger refuse_audit_insert on audit_entry');
      await app.sql('drop function refuse_audit_insert()');
    }
  });
});

// Tampering with the trail, and how each kind is detected: tests/audit/tamper-evidence.test.ts.
describe('the hash chain', () => {
  it('links each entry to the one before it, the first to 64 zeros', async () => {
    const rows = await entries();
    expect(rows.length).toBeGreaterThan(10);
    expect(rows[0].prev_hash).toBe(GENESIS_HASH);
    rows.slice(1).forEach((row, i) => expect([row.seq, row.prev_hash]).toEqual([row.seq, rows[i].hash]));
    expect(new Set(rows.map((row) => row.hash)).size).toBe(rows.length);
    rows.forEach((row) => expect(row.hash).toMatch(/^[0-9a-f]{64}$/));
    // Each is sealed with the audit key (a nonce and an HMAC), the seals all different.
    rows.forEach((row) => expect(row.seal).toMatch(/^[0-9a-f]{32}\.[0-9a-f]{64}$/));
    expect(new Set(rows.map((row) => row.seal)).size).toBe(rows.length);
  });

  it('does not fork under concurrent appends', async () => {
    const responses = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        app.gql(CREATE_CLUSTER, { input: { name: `Parallel ${i}`, slug: `parallel-${i}`, kind: 'CLUSTER' } }, { token: admin.token }),
      ),
    );
    responses.forEach(expectOk);
    const rows = await entries();
    rows.slice(1).forEach((row, i) => expect([row.seq, row.prev_hash]).toEqual([row.seq, rows[i].hash]));
    expect(await verifyAsAdmin()).toEqual({ intact: true, checkedEntries: rows.length, firstBrokenSeq: null, reason: null });
  });
});

describe('the database refuses to change the trail', () => {
  // 42501 is insufficient_privilege, the code the append-only triggers raise.
  it.each([
    ['UPDATE', "update audit_entry set action = 'cluster.delete' where seq = 2"],
    ['DELETE', 'delete from audit_entry where seq = 2'],
    ['TRUNCATE', 'truncate audit_entry'],
  ])('%s', async (operation, sql) => {
    const before = await entries();
    await expect(app.sql(sql)).rejects.toMatchObject({
      code: '42501',
      message: `the audit trail is append-only: ${operation} on audit_entry is refused`,
    });
    expect(await entries()).toEqual(before);
  });
});

describe('auditTrail', () => {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

  it('pages through every entry, newest first, with first/after cursors', async () => {
    const expected = (await entries()).map((row) => String(row.seq)).reverse();
    const seen: string[] = [];
    let after: string | undefined;
    for (let page = 0; page < 100; page += 1) {
      const res = await app.gql(TRAIL, { first: 7, after }, { token: admin.token });
      expectOk(res);
      const { edges, pageInfo, totalCount } = res.body.data!.auditTrail;
      expect(totalCount).toBe(expected.length);
      expect(pageInfo.hasPreviousPage).toBe(after !== undefined);
      seen.push(...edges.map((edge: { node: { seq: string } }) => edge.node.seq));
      if (!pageInfo.hasNextPage) break;
      expect(edges).toHaveLength(7);
      after = pageInfo.endCursor;
    }
    expect(seen).toEqual(expected);
  });

  it('shows each entry as stored', async () => {
    const [newest] = (await entries()).reverse();
    const res = await app.gql(TRAIL, { first: 1 }, { token: admin.token });
    expect(res.body.data!.auditTrail.edges[0].node).toEqual({
      seq: String(newest.seq),
      action: newest.action,
      entityType: newest.entity_type,
      entityId: newest.entity_id,
      actorId: newest.actor_id,
      requestId: newest.request_id,
      prevHash: newest.prev_hash,
      hash: newest.hash,
    });
  });

  it('accepts first up to 200 and refuses more with BAD_USER_INPUT', async () => {
    expectOk(await app.gql(TRAIL, { first: 200 }, { token: admin.token }));
    for (const first of [201, 0, -1]) {
      const res = await app.gql(TRAIL, { first }, { token: admin.token });
      expect(res.status).toBe(200);
      expect(errorCodes(res)).toEqual(['BAD_USER_INPUT']);
      // A top-level argument is named as such, not as a field of an `input` object.
      expect(res.body.errors![0].extensions!.fields[0].field).toBe('first');
    }
  });

  it.each([
    ['not base64 JSON', 'not a cursor!'],
    ['a number', encode(5)],
    ['too many values', encode([3, 2])],
    ['an object', encode({ seq: 3 })],
    ['a value of the wrong type', encode(['three'])],
    ['a null position', encode([null])],
    ['a cursor of another list', encode(['FrenchSouth.digital', '3b04a176-7076-4062-9e89-7409e7d579ca'])],
  ])('refuses an invalid cursor (%s) with BAD_USER_INPUT naming `after`', async (_label, after) => {
    const res = await app.gql(TRAIL, { first: 5, after }, { token: admin.token });
    expect(res.status).toBe(200);
    expect(errorCodes(res)).toEqual(['BAD_USER_INPUT']);
    expect(res.body.errors![0].extensions!.fields).toEqual([{ field: 'after', messages: ['is not a valid cursor'] }]);
  });

  it('is for ADMIN only, as is verifyAuditTrail', async () => {
    const [cluster] = await app.sql("select id from cluster where slug = 'audit-cluster'");
    const clusterAdmin = await app.signUp({ role: Role.CLUSTER_ADMIN, clusterId: cluster.id });
    for (const query of [TRAIL, VERIFY]) {
      expect(refusal(await app.gql(query, {}))).toEqual({ code: 'UNAUTHENTICATED', reason: 'SIGN_IN_REQUIRED' });
      const forbidden = await app.gql(query, {}, { token: clusterAdmin.token });
      expect(refusal(forbidden)).toEqual({ code: 'FORBIDDEN', reason: 'RIGHT_MISSING' });
      expect(forbidden.body.errors![0].message).toBe('Only platform administrators may read the audit trail.');
    }
  });
});

describe('the checkpointer and the ORM’s lazy connection', () => {
  it('an app whose only request ran no query still closes at once (the checkpointer never connects the ORM itself)', async () => {
    const idle = await startTestApp();
    expect((await idle.gql('{ __typename }')).body).toEqual({ data: { __typename: 'Query' } });
    const started = Date.now();
    await idle.close();
    expect(Date.now() - started).toBeLessThan(5_000);
  }, 20_000);
});
