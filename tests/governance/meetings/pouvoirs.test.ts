import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestApp, type TestApp } from '../../support/test-app.js';
import { FAST_HASHER, ok, refused } from '../support.js';
import {
  ARRIVE,
  attendanceFixture,
  auditCount,
  GIVE,
  OPEN,
  QUORUM_FIELDS,
  REVOKE,
  sheetRows,
  type AttendanceFixture,
} from './attendance-fixture.js';

/**
 * Pouvoirs (issue 15, item 4) over HTTP: given by a convened member to another before the meeting
 * opens, capped per holder (also when two race for the last place), one standing per principal,
 * not to a member who is represented, not by one who is present; cancelled when the principal
 * arrives; revocable until the meeting opens. Every refusal writes nothing.
 */
let app: TestApp;

beforeAll(async () => {
  app = await startTestApp({ app: { hasher: FAST_HASHER } });
});

afterAll(() => app.close());

const give = (fx: AttendanceFixture, from: number, to: number, extra: Record<string, unknown> = {}, token = fx.members[from].token) =>
  app.gql(GIVE, { input: { meetingId: fx.meetingId, holderAccountId: fx.members[to].accountId, ...extra } }, { token });

/** Expects `res` refused with `expected`, and nothing written (sheet rows and audit trail unchanged). */
async function refusedCleanly(
  fx: AttendanceFixture,
  request: () => Promise<Parameters<typeof refused>[0]>,
  expected: { code: string; reason: string },
) {
  const rows = await sheetRows(app, fx.meetingId);
  const audit = await auditCount(app);
  const res = await request();
  expect(refused(res)).toEqual(expected);
  expect(await sheetRows(app, fx.meetingId)).toEqual(rows);
  expect(await auditCount(app)).toBe(audit);
  return res;
}

describe('giving a pouvoir', () => {
  it('a convened member gives theirs to another; both named, standing', async () => {
    const fx = await attendanceFixture(app, { members: 4 });
    const pouvoir = ok(await give(fx, 2, 3)).givePouvoir.pouvoir;
    expect(pouvoir).toMatchObject({
      state: 'ACTIVE',
      endedAt: null,
      principal: { id: fx.members[2].accountId },
      holder: { id: fx.members[3].accountId },
      meeting: { id: fx.meetingId },
    });
    const [entry] = await app.sql(`select action, actor_id from audit_entry where entity_id = $1`, [pouvoir.id]);
    expect(entry).toEqual({ action: 'pouvoir.give', actor_id: fx.members[2].accountId });
  });

  it('is capped per holder (POUVOIR_LIMIT_REACHED, extensions.limit), counting only standing pouvoirs', async () => {
    const fx = await attendanceFixture(app, { members: 5, statutes: { pouvoirsPerHolder: 2 } });
    ok(await give(fx, 1, 0));
    const second = ok(await give(fx, 2, 0)).givePouvoir.pouvoir;
    const res = await refusedCleanly(fx, () => give(fx, 3, 0), { code: 'CONFLICT', reason: 'POUVOIR_LIMIT_REACHED' });
    expect(res.body.errors![0].extensions!.limit).toBe(2);
    // A revoked pouvoir frees its place.
    ok(await app.gql(REVOKE, { id: second.id }, { token: fx.members[2].token }));
    expect(ok(await give(fx, 3, 0)).givePouvoir.pouvoir.state).toBe('ACTIVE');
  });

  it('two gives racing for a holder’s last place: exactly one wins', async () => {
    for (let round = 0; round < 3; round += 1) {
      const fx = await attendanceFixture(app, { members: 4, statutes: { pouvoirsPerHolder: 1 } });
      const results = await Promise.all([give(fx, 1, 0), give(fx, 2, 0), give(fx, 3, 0)]);
      const won = results.filter((r) => !r.body.errors);
      expect(won).toHaveLength(1);
      for (const lost of results.filter((r) => r.body.errors)) {
        expect(refused(lost)).toEqual({ code: 'CONFLICT', reason: 'POUVOIR_LIMIT_REACHED' });
      }
      const [{ n }] = await app.sql<{ n: number }>(`select count(*)::int as n from pouvoir where meeting_id = $1`, [fx.meetingId]);
      expect(n).toBe(1);
    }
  });

  it('the same principal twice at once: one standing pouvoir (POUVOIR_STANDING)', async () => {
    const fx = await attendanceFixture(app, { members: 4 });
    const results = await Promise.all([give(fx, 1, 2), give(fx, 1, 3)]);
    expect(results.filter((r) => !r.body.errors)).toHaveLength(1);
    expect(refused(results.find((r) => r.body.errors)!)).toEqual({ code: 'CONFLICT', reason: 'POUVOIR_STANDING' });
    await refusedCleanly(fx, () => give(fx, 1, 0), { code: 'CONFLICT', reason: 'POUVOIR_STANDING' });
  });

  it('not to a member who gave their own (POUVOIR_HOLDER_REPRESENTED), not by one present (PRINCIPAL_PRESENT)', async () => {
    const fx = await attendanceFixture(app, { members: 4 });
    ok(await give(fx, 1, 2));
    await refusedCleanly(fx, () => give(fx, 3, 1), { code: 'CONFLICT', reason: 'POUVOIR_HOLDER_REPRESENTED' });
    ok(await app.gql(ARRIVE, { input: { meetingId: fx.meetingId, mode: 'IN_PERSON' } }, { token: fx.members[3].token }));
    await refusedCleanly(fx, () => give(fx, 3, 0), { code: 'CONFLICT', reason: 'PRINCIPAL_PRESENT' });
  });

  it('not passed on: a member holding pouvoirs gives none of their own (POUVOIR_PRINCIPAL_HOLDS)', async () => {
    const fx = await attendanceFixture(app, { members: 4 });
    const held = ok(await give(fx, 2, 1)).givePouvoir.pouvoir;
    await refusedCleanly(fx, () => give(fx, 1, 3), { code: 'CONFLICT', reason: 'POUVOIR_PRINCIPAL_HOLDS' });
    // Once the pouvoir they held is revoked, they may.
    ok(await app.gql(REVOKE, { id: held.id }, { token: fx.members[2].token }));
    expect(ok(await give(fx, 1, 3)).givePouvoir.pouvoir.state).toBe('ACTIVE');
  });

  it('only between convened members (NOT_CONVENED), never to oneself (BAD_USER_INPUT)', async () => {
    const fx = await attendanceFixture(app, { members: 3 });
    await refusedCleanly(
      fx,
      () => app.gql(GIVE, { input: { meetingId: fx.meetingId, holderAccountId: fx.members[0].accountId } }, { token: fx.outsider.token }),
      { code: 'FORBIDDEN', reason: 'NOT_CONVENED' },
    );
    await refusedCleanly(
      fx,
      () => app.gql(GIVE, { input: { meetingId: fx.meetingId, holderAccountId: fx.outsider.accountId } }, { token: fx.members[2].token }),
      { code: 'FORBIDDEN', reason: 'NOT_CONVENED' },
    );
    await refusedCleanly(fx, () => give(fx, 2, 2), { code: 'BAD_USER_INPUT', reason: 'INVALID_INPUT' });
  });

  it('not where the statutes allow none (POUVOIRS_NOT_ALLOWED)', async () => {
    const fx = await attendanceFixture(app, { members: 3, statutes: { pouvoirsPerHolder: 0 } });
    await refusedCleanly(fx, () => give(fx, 1, 2), { code: 'CONFLICT', reason: 'POUVOIRS_NOT_ALLOWED' });
  });

  it('recorded for a member by the secretary or an administrator; not by another member nor the chair', async () => {
    const fx = await attendanceFixture(app, { members: 5 });
    const forMember = (principal: number, holder: number, token: string) =>
      give(fx, principal, holder, { principalAccountId: fx.members[principal].accountId }, token);
    await refusedCleanly(fx, () => forMember(2, 3, fx.members[4].token), { code: 'FORBIDDEN', reason: 'RIGHT_MISSING' });
    await refusedCleanly(fx, () => forMember(2, 3, fx.chair.token), { code: 'FORBIDDEN', reason: 'RIGHT_MISSING' });
    expect(ok(await forMember(2, 3, fx.secretary.token)).givePouvoir.pouvoir.principal.id).toBe(fx.members[2].accountId);
    expect(ok(await forMember(4, 3, fx.admin.token)).givePouvoir.pouvoir.principal.id).toBe(fx.members[4].accountId);
    // A pouvoir recorded for a member who is not convened.
    await refusedCleanly(
      fx,
      () =>
        app.gql(
          GIVE,
          { input: { meetingId: fx.meetingId, holderAccountId: fx.members[0].accountId, principalAccountId: fx.outsider.accountId } },
          { token: fx.admin.token },
        ),
      { code: 'FORBIDDEN', reason: 'NOT_CONVENED' },
    );
  });

  it('only before the meeting opens (MEETING_NOT_CONVENED)', async () => {
    const fx = await attendanceFixture(app, { members: 4, statutes: { quorumFirstBasisPoints: 0 } });
    ok(await app.gql(OPEN, { id: fx.meetingId }, { token: fx.chair.token }));
    const res = await refusedCleanly(fx, () => give(fx, 2, 3), { code: 'CONFLICT', reason: 'MEETING_NOT_CONVENED' });
    expect(res.body.errors![0].extensions!.currentState).toBe('OPEN');
  });

  it('codes bad input: malformed ids (BAD_USER_INPUT naming the field), an unknown meeting (NOT_FOUND)', async () => {
    const fx = await attendanceFixture(app, { members: 2 });
    const bad = await app.gql(
      GIVE,
      { input: { meetingId: 'nope', holderAccountId: fx.members[1].accountId } },
      { token: fx.members[0].token },
    );
    expect(refused(bad)).toEqual({ code: 'BAD_USER_INPUT', reason: 'INVALID_INPUT' });
    expect(JSON.stringify(bad.body.errors![0].extensions!.fields)).toContain('meetingId');
    const badHolder = await app.gql(GIVE, { input: { meetingId: fx.meetingId, holderAccountId: 'x' } }, { token: fx.members[0].token });
    expect(refused(badHolder)).toEqual({ code: 'BAD_USER_INPUT', reason: 'INVALID_INPUT' });
    const unknown = await app.gql(
      GIVE,
      { input: { meetingId: '00000000-0000-4000-8000-000000000000', holderAccountId: fx.members[1].accountId } },
      { token: fx.members[0].token },
    );
    expect(refused(unknown)).toEqual({ code: 'NOT_FOUND', reason: 'NOT_FOUND' });
    expect(refused(await give(fx, 0, 1, {}, ''))).toMatchObject({ code: 'UNAUTHENTICATED' });
  });
});

describe('a principal who arrives', () => {
  it('cancels their standing pouvoir in the same transaction (CANCELLED_BY_ARRIVAL): counted once, as present', async () => {
    const fx = await attendanceFixture(app, { members: 4, statutes: { quorumFirstBasisPoints: 10_000 } });
    const pouvoir = ok(await give(fx, 2, 3)).givePouvoir.pouvoir;
    ok(await app.gql(ARRIVE, { input: { meetingId: fx.meetingId, mode: 'IN_PERSON' } }, { token: fx.members[3].token }));
    const arrival = ok(
      await app.gql(ARRIVE, { input: { meetingId: fx.meetingId, mode: 'IN_PERSON' } }, { token: fx.members[2].token }),
    ).recordArrival;
    expect(arrival.cancelledPouvoir).toMatchObject({ id: pouvoir.id, state: 'CANCELLED_BY_ARRIVAL' });
    expect(arrival.cancelledPouvoir.endedAt).toBe(arrival.attendance.arrivedAt);
    const [row] = await app.sql('select state, ended_at from pouvoir where id = $1', [pouvoir.id]);
    expect(row.state).toBe('CANCELLED_BY_ARRIVAL');
    const actions = await app.sql<{ action: string }>(`select action from audit_entry where entity_id = $1 order by seq`, [pouvoir.id]);
    expect(actions.map((a) => a.action)).toEqual(['pouvoir.give', 'pouvoir.cancel-by-arrival']);
    // A cancelled pouvoir is no longer revocable; the principal may not give another while present.
    await refusedCleanly(fx, () => app.gql(REVOKE, { id: pouvoir.id }, { token: fx.members[2].token }), {
      code: 'CONFLICT',
      reason: 'POUVOIR_NOT_STANDING',
    });
    const OPENED = `mutation($id: ID!) { openMeeting(meetingId: $id) { quorum { ${QUORUM_FIELDS} } } }`;
    const quorum = ok(await app.gql(OPENED, { id: fx.meetingId }, { token: fx.admin.token })).openMeeting.quorum;
    expect(quorum).toEqual({ electorate: 4, present: 2, represented: 0, counted: 2, required: 4, met: false });
  });

  it('an arrival without a standing pouvoir cancels nothing', async () => {
    const fx = await attendanceFixture(app, { members: 3 });
    const arrival = ok(
      await app.gql(ARRIVE, { input: { meetingId: fx.meetingId, mode: 'IN_PERSON' } }, { token: fx.members[2].token }),
    ).recordArrival;
    expect(arrival.cancelledPouvoir).toBeNull();
  });
});

describe('revoking a pouvoir', () => {
  it('by its principal or an administrator, until the meeting opens; not by the holder nor another member', async () => {
    const fx = await attendanceFixture(app, { members: 5 });
    const first = ok(await give(fx, 2, 3)).givePouvoir.pouvoir;
    await refusedCleanly(fx, () => app.gql(REVOKE, { id: first.id }, { token: fx.members[3].token }), {
      code: 'FORBIDDEN',
      reason: 'RIGHT_MISSING',
    });
    await refusedCleanly(fx, () => app.gql(REVOKE, { id: first.id }, { token: fx.members[4].token }), {
      code: 'FORBIDDEN',
      reason: 'RIGHT_MISSING',
    });
    const revoked = ok(await app.gql(REVOKE, { id: first.id }, { token: fx.members[2].token })).revokePouvoir.pouvoir;
    expect(revoked.state).toBe('REVOKED');
    expect(revoked.endedAt).toBeTruthy();
    await refusedCleanly(fx, () => app.gql(REVOKE, { id: first.id }, { token: fx.members[2].token }), {
      code: 'CONFLICT',
      reason: 'POUVOIR_NOT_STANDING',
    });
    // Given again, then revoked by an administrator.
    const second = ok(await give(fx, 2, 4)).givePouvoir.pouvoir;
    expect(ok(await app.gql(REVOKE, { id: second.id }, { token: fx.admin.token })).revokePouvoir.pouvoir.state).toBe('REVOKED');
  });

  it('is refused once the meeting has opened, the pouvoir left standing', async () => {
    const fx = await attendanceFixture(app, { members: 4, statutes: { quorumFirstBasisPoints: 0 } });
    const pouvoir = ok(await give(fx, 2, 3)).givePouvoir.pouvoir;
    ok(await app.gql(OPEN, { id: fx.meetingId }, { token: fx.chair.token }));
    const res = await refusedCleanly(fx, () => app.gql(REVOKE, { id: pouvoir.id }, { token: fx.members[2].token }), {
      code: 'CONFLICT',
      reason: 'POUVOIR_NOT_STANDING',
    });
    expect(res.body.errors![0].extensions!.currentState).toBe('OPEN');
    const [row] = await app.sql('select state, ended_at from pouvoir where id = $1', [pouvoir.id]);
    expect(row).toEqual({ state: 'ACTIVE', ended_at: null });
  });

  it('codes bad ids: malformed (BAD_USER_INPUT), unknown (NOT_FOUND)', async () => {
    const fx = await attendanceFixture(app, { members: 2 });
    expect(refused(await app.gql(REVOKE, { id: 'pouvoir-1' }, { token: fx.members[0].token }))).toEqual({
      code: 'BAD_USER_INPUT',
      reason: 'INVALID_INPUT',
    });
    expect(refused(await app.gql(REVOKE, { id: '00000000-0000-4000-8000-000000000000' }, { token: fx.members[0].token }))).toEqual({
      code: 'NOT_FOUND',
      reason: 'NOT_FOUND',
    });
  });
});
