import { randomUUID } from 'node:crypto';
import { Role } from '../../src/auth/role.js';
import { ClusterKind } from '../../src/membership/cluster.entity.js';
import { refusal } from '../support/refusals.js';
import { startTestApp, TEST_PASSWORD, type TestApp } from '../support/test-app.js';

/**
 * Sessions (issue 13, item 4): an account sees its open sessions — where and when each was
 * opened and last used, which one is this — and signs any of them out; a platform administrator
 * sees and signs out anyone's. Nobody else sees them, on any path.
 */
let app: TestApp;
let admin: { accountId: string; token: string };
let user: { accountId: string; token: string };

beforeAll(async () => {
  app = await startTestApp();
  admin = await app.signUp({ role: Role.ADMIN });
  user = await app.signUp();
});
afterAll(async () => {
  await app.close();
});

const LOGIN = 'mutation($input: LoginInput!) { login(input: $input) { token } }';
const MY_SESSIONS = '{ viewer { sessions { id createdAt lastUsedAt expiresAt clientAddress userAgent current } } }';
const REVOKE = 'mutation($input: RevokeSessionInput!) { revokeSession(input: $input) { session { id current } } }';
const VIEWER = '{ viewer { account { id } } }';

async function signIn(email: string, userAgent: string): Promise<string> {
  const res = await app.gql(LOGIN, { input: { email, password: TEST_PASSWORD } }, { headers: { 'user-agent': userAgent } });
  expect(res.body.errors).toBeUndefined();
  return res.body.data!.login.token as string;
}

async function sessionIds(token: string): Promise<string[]> {
  const res = await app.gql(MY_SESSIONS, {}, { token });
  expect(res.body.errors).toBeUndefined();
  return res.body.data!.viewer.sessions.map((s: { id: string }) => s.id);
}

/** What revoking could write. */
async function written(): Promise<Record<string, number>> {
  const [row] = await app.sql<Record<string, number>>(
    `select (select count(*) from audit_entry)::int as audit, (select count(*) from session where revoked_at is not null)::int as revoked`,
  );
  return row;
}

describe('viewer.sessions and Account.sessions', () => {
  it('lists my open sessions, the most recently used first, marking this one; not the signed-out or expired ones', async () => {
    const me = await app.signUp();
    const phone = await signIn(me.email, 'Phone/1.0');
    const laptop = await signIn(me.email, 'Laptop/2.0');
    await app.gql(VIEWER, {}, { token: phone });

    const res = await app.gql(MY_SESSIONS, {}, { token: laptop });
    expect(res.body.errors).toBeUndefined();
    const sessions = res.body.data!.viewer.sessions;
    expect(sessions).toHaveLength(3);
    const current = sessions.filter((s: { current: boolean }) => s.current);
    expect(current).toEqual([
      expect.objectContaining({ userAgent: 'Laptop/2.0', clientAddress: expect.any(String), createdAt: expect.any(String) }),
    ]);
    for (const s of sessions) expect(new Date(s.expiresAt).getTime()).toBeGreaterThan(Date.now());
    // Each was last used when it was opened (use is recorded to the minute): the newest first.
    expect(sessions.map((s: { userAgent: string | null }) => s.userAgent)).toEqual(['Laptop/2.0', 'Phone/1.0', null]);

    await app.gql('mutation { logout { signedOut } }', {}, { token: phone });
    expect(await sessionIds(laptop)).toHaveLength(2);
    // A week and a day later every session has expired: a new one lists only itself.
    app.clock.advance(8 * 24 * 3_600_000);
    try {
      const later = await signIn(me.email, 'Later/3.0');
      const listed = (await app.gql(MY_SESSIONS, {}, { token: later })).body.data!.viewer.sessions;
      expect(listed).toEqual([expect.objectContaining({ userAgent: 'Later/3.0', current: true })]);
    } finally {
      app.clock.advance(-8 * 24 * 3_600_000);
    }
  });

  it("ADMIN reads anyone's sessions; anyone else reads null on a path that reaches the account", async () => {
    const services = app.services();
    const cluster = await services.clusters.createCluster({ name: 'Sessions', slug: 'sessions', kind: ClusterKind.CLUSTER });
    const college = await services.clusters.createCollege({ clusterId: cluster.id, name: 'Collège S', slug: 'college-s', theme: 't' });
    const representative = await app.signUp({ role: Role.COLLEGE_REPRESENTATIVE, clusterId: cluster.id, collegeId: college.id });
    const PATH = `query($id: ID) { college(id: $id) { representativeMandates { representative { id sessions { id current } disablements { reason } } } } }`;

    const asAdmin = await app.gql(PATH, { id: college.id }, { token: admin.token });
    expect(asAdmin.body.data!.college.representativeMandates[0].representative).toEqual({
      id: representative.accountId,
      sessions: [{ id: expect.any(String), current: false }],
      disablements: [],
    });
    for (const token of [user.token, undefined]) {
      const res = await app.gql(PATH, { id: college.id }, { token });
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data!.college.representativeMandates[0].representative).toEqual({
        id: representative.accountId,
        sessions: null,
        disablements: null,
      });
    }
    const own = await app.gql(PATH, { id: college.id }, { token: representative.token });
    expect(own.body.data!.college.representativeMandates[0].representative.sessions).toEqual([{ id: expect.any(String), current: true }]);
  });
});

describe('revokeSession', () => {
  it('signs out one of my other sessions: its next request is refused, this one goes on; audited', async () => {
    const me = await app.signUp();
    const other = await signIn(me.email, 'Other/1.0');
    const [otherId] = (await app.gql(MY_SESSIONS, {}, { token: other })).body.data!.viewer.sessions.filter(
      (s: { current: boolean }) => s.current,
    );
    const res = await app.gql(REVOKE, { input: { sessionId: otherId.id } }, { token: me.token });
    expect(res.body.data!.revokeSession).toEqual({ session: { id: otherId.id, current: false } });
    const next = await app.gql(VIEWER, {}, { token: other });
    expect(next.status).toBe(401);
    expect(refusal(next)).toEqual({ code: 'UNAUTHENTICATED', reason: 'SESSION_REVOKED' });
    expect((await app.gql(VIEWER, {}, { token: me.token })).status).toBe(200);
    const [entry] = await app.sql<{ actor_id: string; after: Record<string, unknown> }>(
      "select actor_id, after from audit_entry where action = 'session.revoke' and entity_id = $1",
      [otherId.id],
    );
    expect(entry.actor_id).toBe(me.accountId);
    expect(entry.after).toMatchObject({ revokedAt: expect.any(String), userAgent: 'Other/1.0' });
    expect(JSON.stringify(entry.after)).not.toContain('tokenHash');
  });

  it('signs out this very session too', async () => {
    const me = await app.signUp();
    const [mine] = await sessionIds(me.token);
    expect((await app.gql(REVOKE, { input: { sessionId: mine } }, { token: me.token })).body.data!.revokeSession.session.current).toBe(
      true,
    );
    expect(refusal(await app.gql(VIEWER, {}, { token: me.token }))).toEqual({ code: 'UNAUTHENTICATED', reason: 'SESSION_REVOKED' });
  });

  it("ADMIN signs out anyone's session", async () => {
    const target = await app.signUp();
    const [id] = await sessionIds(target.token);
    expect((await app.gql(REVOKE, { input: { sessionId: id } }, { token: admin.token })).body.errors).toBeUndefined();
    expect(refusal(await app.gql(VIEWER, {}, { token: target.token }))).toEqual({ code: 'UNAUTHENTICATED', reason: 'SESSION_REVOKED' });
  });

  it("refuses another account's session (FORBIDDEN) and an anonymous caller, writing nothing", async () => {
    const target = await app.signUp();
    const [id] = await sessionIds(target.token);
    const before = await written();
    const res = await app.gql(REVOKE, { input: { sessionId: id } }, { token: user.token });
    expect(refusal(res)).toEqual({ code: 'FORBIDDEN', reason: 'RIGHT_MISSING' });
    expect(res.body.errors![0].extensions!.action).toBe('session.manage');
    expect(refusal(await app.gql(REVOKE, { input: { sessionId: id } }))).toEqual({ code: 'UNAUTHENTICATED', reason: 'SIGN_IN_REQUIRED' });
    expect(await written()).toEqual(before);
    expect((await app.gql(VIEWER, {}, { token: target.token })).status).toBe(200);
  });

  it('refuses an unknown session, one already signed out and one expired, writing nothing', async () => {
    const me = await app.signUp();
    let before = await written();
    const unknown = await app.gql(REVOKE, { input: { sessionId: randomUUID() } }, { token: me.token });
    expect(refusal(unknown)).toEqual({ code: 'NOT_FOUND', reason: 'NOT_FOUND' });
    expect(unknown.body.errors![0].extensions!.entity).toBe('Session');
    expect(await written()).toEqual(before);

    const other = await signIn(me.email, 'Gone/1.0');
    const [gone] = (await app.gql(MY_SESSIONS, {}, { token: other })).body.data!.viewer.sessions.filter(
      (s: { current: boolean }) => s.current,
    );
    await app.gql('mutation { logout { signedOut } }', {}, { token: other });
    before = await written();
    const again = await app.gql(REVOKE, { input: { sessionId: gone.id } }, { token: me.token });
    expect(refusal(again)).toEqual({ code: 'CONFLICT', reason: 'SESSION_ALREADY_REVOKED' });
    expect(again.body.errors![0].extensions!.revokedAt).toEqual(expect.any(String));
    expect(await written()).toEqual(before);

    const expiring = await signIn(me.email, 'Expiring/1.0');
    const [expired] = (await app.gql(MY_SESSIONS, {}, { token: expiring })).body.data!.viewer.sessions.filter(
      (s: { current: boolean }) => s.current,
    );
    await app.sql("update session set expires_at = now() - interval '1 minute', created_at = now() - interval '1 hour' where id = $1", [
      expired.id,
    ]);
    before = await written();
    const late = await app.gql(REVOKE, { input: { sessionId: expired.id } }, { token: me.token });
    expect(refusal(late)).toEqual({ code: 'CONFLICT', reason: 'SESSION_ALREADY_EXPIRED' });
    expect(await written()).toEqual(before);
  });
});
