import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestApp, type GraphQLResponse, type TestApp } from '../../support/test-app.js';
import { FAST_HASHER, ok, refused } from '../support.js';
import {
  addCrowd,
  ARRIVE,
  ATTENDANCE_FIELDS,
  attendanceFixture,
  auditCount,
  CLOSE,
  givePouvoirsDirectly,
  LEAVE,
  OPEN,
  POUVOIR_FIELDS,
  seatCrowd,
  sheetRows,
  type AttendanceFixture,
} from './attendance-fixture.js';

/**
 * The attendance sheet of a meeting (issue 15, item 4) over HTTP: arrivals (in person, or remote
 * where allowed) and departures, by the member or recorded by the chair, the secretary or an
 * administrator; a member counted once; nothing after the meeting is over; read by those
 * convened, the officers and the administrators, in a number of statements that does not grow
 * with the attendance.
 */
let app: TestApp;

beforeAll(async () => {
  app = await startTestApp({ app: { hasher: FAST_HASHER } });
});

afterAll(() => app.close());

const arrive = (fx: AttendanceFixture, token: string, extra: Record<string, unknown> = {}) =>
  app.gql(ARRIVE, { input: { meetingId: fx.meetingId, mode: 'IN_PERSON', ...extra } }, { token });
const leave = (fx: AttendanceFixture, token: string, extra: Record<string, unknown> = {}) =>
  app.gql(LEAVE, { input: { meetingId: fx.meetingId, ...extra } }, { token });

/** Expects the refusal `expected`, and nothing written (sheet rows and audit trail unchanged). */
async function refusedCleanly(fx: AttendanceFixture, request: () => Promise<GraphQLResponse>, expected: { code: string; reason: string }) {
  const rows = await sheetRows(app, fx.meetingId);
  const audit = await auditCount(app);
  const res = await request();
  expect(refused(res)).toEqual(expected);
  expect(await sheetRows(app, fx.meetingId)).toEqual(rows);
  expect(await auditCount(app)).toBe(audit);
  return res;
}

describe('arrivals', () => {
  it('a convened member signs for themself, at the service’s time, audited', async () => {
    const fx = await attendanceFixture(app, { members: 3 });
    const before = app.clock.now().getTime();
    const { attendance } = ok(await arrive(fx, fx.members[2].token)).recordArrival;
    expect(attendance).toMatchObject({ mode: 'IN_PERSON', leftAt: null, voter: { id: fx.members[2].accountId } });
    expect(new Date(attendance.arrivedAt).getTime()).toBeGreaterThanOrEqual(before);
    const [entry] = await app.sql(`select action, actor_id from audit_entry where entity_id = $1`, [attendance.id]);
    expect(entry).toEqual({ action: 'attendance.arrive', actor_id: fx.members[2].accountId });
  });

  it('follows the service clock', async () => {
    const fx = await attendanceFixture(app, { members: 2 });
    app.clock.advance(3_600_000);
    const { attendance } = ok(await arrive(fx, fx.members[1].token)).recordArrival;
    expect(new Date(attendance.arrivedAt).getTime()).toBeGreaterThan(Date.now() + 3_000_000);
  });

  it('counts a member once: a second signature while present is ALREADY_PRESENT, also when two race', async () => {
    const fx = await attendanceFixture(app, { members: 3 });
    ok(await arrive(fx, fx.members[2].token));
    await refusedCleanly(fx, () => arrive(fx, fx.members[2].token, { mode: 'REMOTE' }), { code: 'CONFLICT', reason: 'ALREADY_PRESENT' });
    await refusedCleanly(fx, () => arrive(fx, fx.chair.token, { accountId: fx.members[2].accountId }), {
      code: 'CONFLICT',
      reason: 'ALREADY_PRESENT',
    });
    const racing = await Promise.all([
      arrive(fx, fx.members[1].token),
      arrive(fx, fx.members[1].token),
      arrive(fx, fx.chair.token, { accountId: fx.members[1].accountId }),
    ]);
    expect(racing.filter((r) => !r.body.errors)).toHaveLength(1);
    for (const lost of racing.filter((r) => r.body.errors)) expect(refused(lost)).toEqual({ code: 'CONFLICT', reason: 'ALREADY_PRESENT' });
    const [{ n }] = await app.sql<{ n: number }>(`select count(*)::int as n from attendance where meeting_id = $1 and voter_id = $2`, [
      fx.meetingId,
      fx.members[1].accountId,
    ]);
    expect(n).toBe(1);
  });

  it('remote only where the meeting allows it (REMOTE_NOT_ALLOWED)', async () => {
    const fx = await attendanceFixture(app, { members: 2, remoteAllowed: false });
    await refusedCleanly(fx, () => arrive(fx, fx.members[1].token, { mode: 'REMOTE' }), { code: 'CONFLICT', reason: 'REMOTE_NOT_ALLOWED' });
    const allowed = await attendanceFixture(app, { members: 2, remoteAllowed: true });
    expect(ok(await arrive(allowed, allowed.members[1].token, { mode: 'REMOTE' })).recordArrival.attendance.mode).toBe('REMOTE');
  });

  it('recorded for a convened member by the chair, the secretary or an administrator; not by another member', async () => {
    const fx = await attendanceFixture(app, { members: 6 });
    for (const [i, token] of [fx.chair.token, fx.secretary.token, fx.admin.token].entries()) {
      const { attendance } = ok(await arrive(fx, token, { accountId: fx.members[i + 2].accountId })).recordArrival;
      expect(attendance.voter.id).toBe(fx.members[i + 2].accountId);
    }
    await refusedCleanly(fx, () => arrive(fx, fx.members[5].token, { accountId: fx.chair.accountId }), {
      code: 'FORBIDDEN',
      reason: 'RIGHT_MISSING',
    });
  });

  it('not for an account that was not convened (NOT_CONVENED), whoever records it', async () => {
    const fx = await attendanceFixture(app, { members: 2 });
    await refusedCleanly(fx, () => arrive(fx, fx.outsider.token), { code: 'FORBIDDEN', reason: 'NOT_CONVENED' });
    await refusedCleanly(fx, () => arrive(fx, fx.admin.token), { code: 'FORBIDDEN', reason: 'NOT_CONVENED' });
    await refusedCleanly(fx, () => arrive(fx, fx.chair.token, { accountId: fx.outsider.accountId }), {
      code: 'FORBIDDEN',
      reason: 'NOT_CONVENED',
    });
  });

  it('while the meeting is open too; never after it is closed (MEETING_OVER)', async () => {
    const fx = await attendanceFixture(app, { members: 4, statutes: { quorumFirstBasisPoints: 0 } });
    ok(await app.gql(OPEN, { id: fx.meetingId }, { token: fx.chair.token }));
    ok(await arrive(fx, fx.members[2].token));
    ok(await app.gql(CLOSE, { id: fx.meetingId }, { token: fx.chair.token }));
    const res = await refusedCleanly(fx, () => arrive(fx, fx.members[3].token), { code: 'CONFLICT', reason: 'MEETING_OVER' });
    expect(res.body.errors![0].extensions!.currentState).toBe('CLOSED');
    await refusedCleanly(fx, () => arrive(fx, fx.chair.token, { accountId: fx.members[3].accountId }), {
      code: 'CONFLICT',
      reason: 'MEETING_OVER',
    });
    await refusedCleanly(fx, () => leave(fx, fx.members[2].token), { code: 'CONFLICT', reason: 'MEETING_OVER' });
  });

  it('codes bad input: malformed ids and mode (BAD_USER_INPUT / validation), unknown meeting (NOT_FOUND)', async () => {
    const fx = await attendanceFixture(app, { members: 2 });
    const bad = await app.gql(ARRIVE, { input: { meetingId: 'meeting-1', mode: 'IN_PERSON' } }, { token: fx.members[0].token });
    expect(refused(bad)).toEqual({ code: 'BAD_USER_INPUT', reason: 'INVALID_INPUT' });
    expect(JSON.stringify(bad.body.errors![0].extensions!.fields)).toContain('meetingId');
    expect(refused(await arrive(fx, fx.chair.token, { accountId: 'someone' }))).toEqual({
      code: 'BAD_USER_INPUT',
      reason: 'INVALID_INPUT',
    });
    expect(refused(await leave(fx, fx.chair.token, { accountId: '12' }))).toEqual({ code: 'BAD_USER_INPUT', reason: 'INVALID_INPUT' });
    const mode = await arrive(fx, fx.members[0].token, { mode: 'BY_PIGEON' });
    expect(mode.body.errors?.[0]?.extensions?.code).toMatch(/BAD_USER_INPUT|GRAPHQL_VALIDATION_FAILED/);
    const unknown = '00000000-0000-4000-8000-000000000000';
    expect(refused(await app.gql(ARRIVE, { input: { meetingId: unknown, mode: 'IN_PERSON' } }, { token: fx.members[0].token }))).toEqual({
      code: 'NOT_FOUND',
      reason: 'NOT_FOUND',
    });
    expect(refused(await app.gql(LEAVE, { input: { meetingId: unknown } }, { token: fx.members[0].token }))).toEqual({
      code: 'NOT_FOUND',
      reason: 'NOT_FOUND',
    });
    expect(refused(await app.gql(ARRIVE, { input: { meetingId: fx.meetingId, mode: 'IN_PERSON' } }))).toMatchObject({
      code: 'UNAUTHENTICATED',
    });
  });
});

describe('departures', () => {
  it('end the open stint; a member who comes back has a second one', async () => {
    const fx = await attendanceFixture(app, { members: 3 });
    const first = ok(await arrive(fx, fx.members[2].token)).recordArrival.attendance;
    app.clock.advance(60_000);
    const left = ok(await leave(fx, fx.members[2].token)).recordDeparture.attendance;
    expect(left.id).toBe(first.id);
    expect(new Date(left.leftAt).getTime()).toBeGreaterThan(new Date(first.arrivedAt).getTime());
    await refusedCleanly(fx, () => leave(fx, fx.members[2].token), { code: 'CONFLICT', reason: 'NOT_PRESENT' });
    const second = ok(await arrive(fx, fx.members[2].token, { mode: 'REMOTE' })).recordArrival.attendance;
    expect(second.id).not.toBe(first.id);
    // Recorded by the secretary for the member.
    expect(ok(await leave(fx, fx.secretary.token, { accountId: fx.members[2].accountId })).recordDeparture.attendance.id).toBe(second.id);
    const actions = await app.sql<{ action: string }>(`select action from audit_entry where entity_id = any($1::text[]) order by seq`, [
      [first.id, second.id],
    ]);
    expect(actions.map((a) => a.action)).toEqual(['attendance.arrive', 'attendance.leave', 'attendance.arrive', 'attendance.leave']);
  });

  it('of a member never arrived is NOT_PRESENT; of an account not convened, NOT_CONVENED; of another by a member, FORBIDDEN', async () => {
    const fx = await attendanceFixture(app, { members: 3 });
    await refusedCleanly(fx, () => leave(fx, fx.members[2].token), { code: 'CONFLICT', reason: 'NOT_PRESENT' });
    await refusedCleanly(fx, () => leave(fx, fx.outsider.token), { code: 'FORBIDDEN', reason: 'NOT_CONVENED' });
    ok(await arrive(fx, fx.members[1].token));
    await refusedCleanly(fx, () => leave(fx, fx.members[2].token, { accountId: fx.members[1].accountId }), {
      code: 'FORBIDDEN',
      reason: 'RIGHT_MISSING',
    });
  });
});

describe('reading the sheet', () => {
  const READ = `query($id: ID!, $first: Int) { meeting(id: $id) { id
    attendance(first: $first) { totalCount edges { cursor node { ${ATTENDANCE_FIELDS} } } pageInfo { hasNextPage endCursor } }
    pouvoirs(first: $first) { totalCount edges { node { ${POUVOIR_FIELDS} } } }
    liveQuorum { electorate present represented counted required met } } }`;
  const SHEET = `query($id: ID!, $first: Int) { meeting(id: $id) { id
    attendance(first: $first) { edges { node { ${ATTENDANCE_FIELDS} } } }
    pouvoirs(first: $first) { edges { node { ${POUVOIR_FIELDS} } } } } }`;

  it('by the convened members, the officers and the administrators; not by a member of the cluster who was not convened', async () => {
    const fx = await attendanceFixture(app, { members: 4 });
    ok(await arrive(fx, fx.members[2].token));
    for (const token of [fx.members[3].token, fx.chair.token, fx.secretary.token, fx.admin.token]) {
      const meeting = ok(await app.gql(READ, { id: fx.meetingId }, { token })).meeting;
      expect(meeting.attendance.totalCount).toBe(1);
      expect(meeting.attendance.edges[0].node.voter.id).toBe(fx.members[2].accountId);
    }
    const outsider = await app.gql(SHEET, { id: fx.meetingId }, { token: fx.outsider.token });
    const reasons = (outsider.body.errors ?? []).map((e) => `${e.extensions?.code}/${e.extensions?.reason}`);
    expect(reasons).toEqual(['FORBIDDEN/NOT_CONVENED', 'FORBIDDEN/NOT_CONVENED']);
    expect(outsider.body.data?.meeting).toEqual({ id: fx.meetingId, attendance: null, pouvoirs: null });
  });

  it('pages the sheet in order of arrival', async () => {
    const fx = await attendanceFixture(app, { members: 2, crowd: 5 });
    const crowd = (await app.sql<{ voter_id: string }>(`select voter_id from convocation_recipient where meeting_id = $1`, [fx.meetingId]))
      .map((r) => r.voter_id)
      .filter((id) => !fx.members.some((m) => m.accountId === id));
    for (const id of crowd) {
      ok(await arrive(fx, fx.chair.token, { accountId: id }));
      app.clock.advance(1_000);
    }
    const page1 = ok(await app.gql(READ, { id: fx.meetingId, first: 3 }, { token: fx.chair.token })).meeting.attendance;
    expect(page1.totalCount).toBe(5);
    expect(page1.pageInfo.hasNextPage).toBe(true);
    const PAGE = `query($id: ID!, $after: String) { meeting(id: $id) { attendance(first: 3, after: $after) { edges { node { voter { id } } } pageInfo { hasNextPage } } } }`;
    const page2 = ok(await app.gql(PAGE, { id: fx.meetingId, after: page1.pageInfo.endCursor }, { token: fx.chair.token })).meeting
      .attendance;
    expect(page2.pageInfo.hasNextPage).toBe(false);
    const order = [...page1.edges.map((e: any) => e.node.voter.id), ...page2.edges.map((e: any) => e.node.voter.id)];
    expect(order).toEqual(crowd);
  });

  it('costs the same number of statements for 10 attendees and pouvoirs as for 200', async () => {
    const measure = async (size: number) => {
      const fx = await attendanceFixture(app, { members: 2 });
      const crowd = await addCrowd(app, fx.meetingId, size * 2);
      await seatCrowd(app, fx.meetingId, crowd.slice(0, size));
      await givePouvoirsDirectly(app, fx.meetingId, crowd.slice(size), crowd.slice(0, size));
      app.resetSqlCount();
      const meeting = ok(await app.gql(READ, { id: fx.meetingId, first: 200 }, { token: fx.chair.token })).meeting;
      const statements = app.sqlCount();
      expect(meeting.attendance.edges).toHaveLength(size);
      expect(meeting.pouvoirs.edges).toHaveLength(size);
      expect(meeting.attendance.edges.every((e: any) => e.node.voter.displayName.startsWith('Délégué'))).toBe(true);
      expect(meeting.liveQuorum).toMatchObject({ electorate: size * 2 + 2, present: size, represented: size });
      return statements;
    };
    const small = await measure(10);
    const large = await measure(200);
    console.log(`attendance sheet read: ${small} statements for 10 attendees and 10 pouvoirs, ${large} for 200`);
    expect(large).toBe(small);
  });
});
