import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { liveQuorum } from '../../../src/governance/quorum.js';
import { startTestApp, type TestApp } from '../../support/test-app.js';
import { FAST_HASHER, ok, refused } from '../support.js';
import {
  ARRIVE,
  attendanceFixture,
  auditCount,
  CLOSE,
  givePouvoirsDirectly,
  OPEN,
  seatCrowd,
  sheetRows,
  addCrowd,
  type StatutesRow,
} from './attendance-fixture.js';

/**
 * The quorum of a meeting (issue 15, item 4) over HTTP: counted at opening from the attendance
 * sheet in one statement, at its boundaries (exactly met, one short) at a first and a second
 * convocation, on PRESENT or PRESENT_OR_REPRESENTED, remote participation counted or not; an
 * adjournment for lack of quorum is data, not an error; opening and closing are refused in the
 * wrong state, without officers, or to those who may not.
 */
let app: TestApp;

beforeAll(async () => {
  app = await startTestApp({ app: { hasher: FAST_HASHER } });
});

afterAll(() => app.close());

/**
 * A convened meeting of 2 signed-in members (chair, secretary) and a crowd, `electorate` in all;
 * `present` of the crowd seated in person (the officers are not), `remote` seated remotely,
 * `represented` absent members of the crowd each represented by a present one.
 */
async function meeting(options: {
  electorate: number;
  present: number;
  remote?: number;
  represented?: number;
  statutes?: Partial<StatutesRow>;
  convocation?: 1 | 2;
}) {
  const fx = await attendanceFixture(app, {
    members: 2,
    crowd: options.electorate - 2,
    statutes: { pouvoirsPerHolder: 5, ...options.statutes },
    convocation: options.convocation,
  });
  const [{ ids }] = await app.sql<{ ids: string[] }>(
    `select array_agg(voter_id order by voter_id) as ids from convocation_recipient where meeting_id = $1 and voter_id <> all($2::uuid[])`,
    [fx.meetingId, fx.members.map((m) => m.accountId)],
  );
  const remote = options.remote ?? 0;
  const represented = options.represented ?? 0;
  const inPerson = ids.slice(0, options.present);
  const remotes = ids.slice(options.present, options.present + remote);
  const absent = ids.slice(options.present + remote);
  await seatCrowd(app, fx.meetingId, inPerson);
  if (remotes.length) await seatCrowd(app, fx.meetingId, remotes, 'REMOTE');
  if (represented) {
    const holders = [...inPerson, ...remotes];
    const principals = absent.slice(0, represented);
    await givePouvoirsDirectly(
      app,
      fx.meetingId,
      principals,
      principals.map((_, i) => holders[i % holders.length]),
    );
  }
  return { ...fx, inPerson, remotes, absent };
}

async function open(fx: { meetingId: string; chair: { token: string } }) {
  return ok(await app.gql(OPEN, { id: fx.meetingId }, { token: fx.chair.token })).openMeeting;
}

describe('at a first convocation (quorum 50 %, present or represented)', () => {
  it('opens with the quorum exactly met: 4 present and 1 represented of 10 (required 5)', async () => {
    const fx = await meeting({ electorate: 10, present: 4, represented: 1 });
    const result = await open(fx);
    expect(result.opened).toBe(true);
    expect(result.quorum).toEqual({ electorate: 10, present: 4, represented: 1, counted: 5, required: 5, met: true });
    expect(result.meeting.state).toBe('OPEN');
    expect(result.meeting.openedAt).toBeTruthy();
    expect(result.meeting.quorum).toEqual(result.quorum);
    const [stored] = await app.sql('select state, quorum from meeting where id = $1', [fx.meetingId]);
    expect(stored).toEqual({ state: 'OPEN', quorum: result.quorum });
  });

  it('one short is adjourned for lack of quorum — data, not an error — and the count is kept', async () => {
    const fx = await meeting({ electorate: 10, present: 4 });
    const res = await app.gql(OPEN, { id: fx.meetingId }, { token: fx.chair.token });
    expect(res.body.errors).toBeUndefined();
    const result = res.body.data!.openMeeting;
    expect(result.opened).toBe(false);
    expect(result.quorum).toEqual({ electorate: 10, present: 4, represented: 0, counted: 4, required: 5, met: false });
    expect(result.meeting).toMatchObject({ state: 'ADJOURNED_NO_QUORUM', quorum: result.quorum });
    expect(result.meeting.openedAt).toBeTruthy();
    // Adjourned: the sheet no longer changes, and it does not open again.
    expect(refused(await app.gql(OPEN, { id: fx.meetingId }, { token: fx.chair.token }))).toEqual({
      code: 'CONFLICT',
      reason: 'MEETING_OVER',
    });
    expect(
      refused(await app.gql(ARRIVE, { input: { meetingId: fx.meetingId, mode: 'IN_PERSON' } }, { token: fx.members[1].token })),
    ).toEqual({ code: 'CONFLICT', reason: 'MEETING_OVER' });
  });

  it('rounds the requirement up to a whole member: 7 convened at 50 % need 4', async () => {
    const short = await meeting({ electorate: 7, present: 3 });
    expect((await open(short)).quorum).toMatchObject({ counted: 3, required: 4, met: false });
    const met = await meeting({ electorate: 7, present: 4 });
    expect((await open(met)).quorum).toMatchObject({ counted: 4, required: 4, met: true });
  });

  it('does not count a member who left, nor a pouvoir whose holder left', async () => {
    const fx = await meeting({ electorate: 10, present: 5, represented: 1 });
    // The holder of the one pouvoir (the first present) leaves: 4 present, nothing represented.
    await app.sql('update attendance set left_at = now() where meeting_id = $1 and voter_id = $2', [fx.meetingId, fx.inPerson[0]]);
    expect((await open(fx)).quorum).toEqual({ electorate: 10, present: 4, represented: 0, counted: 4, required: 5, met: false });
  });
});

describe('at a second convocation (first 50 %, second 25 %)', () => {
  const statutes = { quorumFirstBasisPoints: 5000, quorumSecondBasisPoints: 2500 };

  it('uses the lower quorum: 2 of 8 is exactly met, 1 is one short', async () => {
    const met = await meeting({ electorate: 8, present: 2, statutes, convocation: 2 });
    expect((await open(met)).quorum).toEqual({ electorate: 8, present: 2, represented: 0, counted: 2, required: 2, met: true });
    const short = await meeting({ electorate: 8, present: 1, statutes, convocation: 2 });
    const result = await open(short);
    expect(result).toMatchObject({ opened: false, quorum: { counted: 1, required: 2, met: false } });
  });

  it('requires nothing when the statutes set no second-convocation quorum', async () => {
    const fx = await meeting({ electorate: 6, present: 0, statutes: { quorumSecondBasisPoints: null }, convocation: 2 });
    expect(await open(fx)).toMatchObject({ opened: true, quorum: { electorate: 6, counted: 0, required: 0, met: true } });
  });
});

describe('the quorum basis and remote participation', () => {
  it('PRESENT counts no pouvoir: 4 present + 1 represented of 10 is one short', async () => {
    const fx = await meeting({ electorate: 10, present: 4, represented: 1, statutes: { quorumBasis: 'PRESENT' } });
    expect((await open(fx)).quorum).toEqual({ electorate: 10, present: 4, represented: 1, counted: 4, required: 5, met: false });
  });

  it('PRESENT is exactly met by 5 present', async () => {
    const fx = await meeting({ electorate: 10, present: 5, represented: 2, statutes: { quorumBasis: 'PRESENT' } });
    expect((await open(fx)).quorum).toMatchObject({ present: 5, represented: 2, counted: 5, required: 5, met: true });
  });

  it('counts remote members as present where the statutes say so', async () => {
    const fx = await meeting({ electorate: 10, present: 3, remote: 2, statutes: { remoteCountsAsPresent: true } });
    expect((await open(fx)).quorum).toMatchObject({ present: 5, counted: 5, met: true });
  });

  it('does not count remote members, nor the pouvoirs they hold, where the statutes do not', async () => {
    // 3 in person, 2 remote; 2 pouvoirs: one held in person (counted), one held remotely (not).
    const fx = await meeting({ electorate: 10, present: 3, remote: 2, statutes: { remoteCountsAsPresent: false } });
    await givePouvoirsDirectly(app, fx.meetingId, fx.absent.slice(0, 2), [fx.inPerson[0], fx.remotes[0]]);
    expect((await open(fx)).quorum).toEqual({ electorate: 10, present: 3, represented: 1, counted: 4, required: 5, met: false });
  });
});

describe('liveQuorum (for the opening of each vote)', () => {
  it('counts in one statement, whatever the size of the assembly', async () => {
    const measure = async (size: number) => {
      const fx = await meeting({ electorate: size, present: Math.floor(size / 2), represented: Math.floor(size / 4) });
      const em = app.collegia.orm.em.fork();
      app.resetSqlCount();
      const quorum = await liveQuorum(em, fx.meetingId);
      return { quorum, statements: app.sqlCount() };
    };
    const small = await measure(12);
    const large = await measure(400);
    expect(small.quorum).toMatchObject({ electorate: 12, present: 6, represented: 3, counted: 9, required: 6, met: true });
    expect(large.quorum).toMatchObject({ electorate: 400, present: 200, represented: 100, counted: 300, required: 200, met: true });
    expect(small.statements).toBe(1);
    expect(large.statements).toBe(1);
  });

  it('is read on the meeting by the cluster’s people, live, and null once the meeting is over', async () => {
    const fx = await meeting({ electorate: 4, present: 1 });
    const READ = `query($id: ID!) { meeting(id: $id) { state liveQuorum { electorate present counted required met } quorum { counted } } }`;
    const before = ok(await app.gql(READ, { id: fx.meetingId }, { token: fx.outsider.token })).meeting;
    expect(before).toMatchObject({ state: 'CONVENED', liveQuorum: { electorate: 4, present: 1, required: 2, met: false }, quorum: null });
    ok(await app.gql(ARRIVE, { input: { meetingId: fx.meetingId, mode: 'IN_PERSON' } }, { token: fx.secretary.token }));
    const opened = await open(fx);
    expect(opened.opened).toBe(true);
    ok(await app.gql(CLOSE, { id: fx.meetingId }, { token: fx.chair.token }));
    const after = ok(await app.gql(READ, { id: fx.meetingId }, { token: fx.outsider.token })).meeting;
    expect(after).toMatchObject({ state: 'CLOSED', liveQuorum: null, quorum: { counted: 2 } });
  });
});

describe('opening and closing', () => {
  it('are the chair’s or an administrator’s: not the secretary’s nor a member’s', async () => {
    const fx = await attendanceFixture(app, { members: 3 });
    const audit = await auditCount(app);
    const rows = await sheetRows(app, fx.meetingId);
    for (const token of [fx.secretary.token, fx.members[2].token, fx.outsider.token]) {
      expect(refused(await app.gql(OPEN, { id: fx.meetingId }, { token }))).toEqual({ code: 'FORBIDDEN', reason: 'RIGHT_MISSING' });
    }
    expect(refused(await app.gql(OPEN, { id: fx.meetingId }))).toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(await sheetRows(app, fx.meetingId)).toEqual(rows);
    expect(await auditCount(app)).toBe(audit);
    // The administrator opens it (quorum 0 of 3 present, 50 %: adjourned); another is closed by its chair.
    expect(ok(await app.gql(OPEN, { id: fx.meetingId }, { token: fx.admin.token })).openMeeting.opened).toBe(false);
    const other = await attendanceFixture(app, { members: 2, statutes: { quorumFirstBasisPoints: 0 } });
    expect((await open(other)).opened).toBe(true);
    expect(refused(await app.gql(CLOSE, { id: other.meetingId }, { token: other.secretary.token }))).toEqual({
      code: 'FORBIDDEN',
      reason: 'RIGHT_MISSING',
    });
    const closed = ok(await app.gql(CLOSE, { id: other.meetingId }, { token: other.chair.token })).closeMeeting.meeting;
    expect(closed.state).toBe('CLOSED');
    expect(closed.closedAt).toBeTruthy();
    expect(await auditCount(app)).toBe(audit + 3); // adjourned, opened, closed
  });

  it('needs the chair and the secretary designated (OFFICERS_MISSING), writing nothing', async () => {
    const fx = await attendanceFixture(app, { members: 2, officers: false, statutes: { quorumFirstBasisPoints: 0 } });
    const rows = await sheetRows(app, fx.meetingId);
    expect(refused(await app.gql(OPEN, { id: fx.meetingId }, { token: fx.admin.token }))).toEqual({
      code: 'CONFLICT',
      reason: 'OFFICERS_MISSING',
    });
    expect(await sheetRows(app, fx.meetingId)).toEqual(rows);
  });

  it('opens a convened meeting once, and closes an open one once', async () => {
    const fx = await attendanceFixture(app, { members: 2, statutes: { quorumFirstBasisPoints: 0 } });
    expect(refused(await app.gql(CLOSE, { id: fx.meetingId }, { token: fx.chair.token }))).toEqual({
      code: 'CONFLICT',
      reason: 'MEETING_NOT_OPEN',
    });
    expect((await open(fx)).opened).toBe(true);
    const openRows = await sheetRows(app, fx.meetingId);
    const again = await app.gql(OPEN, { id: fx.meetingId }, { token: fx.chair.token });
    expect(refused(again)).toEqual({ code: 'CONFLICT', reason: 'MEETING_NOT_CONVENED' });
    expect(again.body.errors![0].extensions!.currentState).toBe('OPEN');
    expect(await sheetRows(app, fx.meetingId)).toEqual(openRows);
    ok(await app.gql(CLOSE, { id: fx.meetingId }, { token: fx.chair.token }));
    const closedRows = await sheetRows(app, fx.meetingId);
    expect(refused(await app.gql(CLOSE, { id: fx.meetingId }, { token: fx.chair.token }))).toEqual({
      code: 'CONFLICT',
      reason: 'MEETING_OVER',
    });
    expect(refused(await app.gql(OPEN, { id: fx.meetingId }, { token: fx.admin.token }))).toEqual({
      code: 'CONFLICT',
      reason: 'MEETING_OVER',
    });
    expect(await sheetRows(app, fx.meetingId)).toEqual(closedRows);
  });

  it('codes bad ids: malformed (BAD_USER_INPUT), unknown (NOT_FOUND)', async () => {
    const fx = await attendanceFixture(app, { members: 2 });
    expect(refused(await app.gql(OPEN, { id: 'not-a-uuid' }, { token: fx.admin.token }))).toEqual({
      code: 'BAD_USER_INPUT',
      reason: 'INVALID_INPUT',
    });
    expect(refused(await app.gql(CLOSE, { id: '42' }, { token: fx.admin.token }))).toEqual({
      code: 'BAD_USER_INPUT',
      reason: 'INVALID_INPUT',
    });
    const unknown = '00000000-0000-4000-8000-000000000000';
    expect(refused(await app.gql(OPEN, { id: unknown }, { token: fx.admin.token }))).toEqual({ code: 'NOT_FOUND', reason: 'NOT_FOUND' });
    expect(refused(await app.gql(CLOSE, { id: unknown }, { token: fx.chair.token }))).toEqual({ code: 'NOT_FOUND', reason: 'NOT_FOUND' });
  });

  it('counts arrivals that the opening saw, and a crowd added later does not change the stored count', async () => {
    const fx = await attendanceFixture(app, { members: 2, crowd: 2, statutes: { quorumFirstBasisPoints: 5000 } });
    ok(await app.gql(ARRIVE, { input: { meetingId: fx.meetingId, mode: 'IN_PERSON' } }, { token: fx.chair.token }));
    ok(await app.gql(ARRIVE, { input: { meetingId: fx.meetingId, mode: 'REMOTE' } }, { token: fx.secretary.token }));
    const result = await open(fx);
    expect(result.quorum).toEqual({ electorate: 4, present: 2, represented: 0, counted: 2, required: 2, met: true });
    await seatCrowd(app, fx.meetingId, await addCrowd(app, fx.meetingId, 3));
    const [stored] = await app.sql('select quorum from meeting where id = $1', [fx.meetingId]);
    expect(stored.quorum).toEqual(result.quorum);
  });
});
