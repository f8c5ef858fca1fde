import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestApp, type GraphQLResponse, type TestApp } from '../../support/test-app.js';
import { FAST_HASHER, ok, refusal, refused } from '../support.js';
import { meetingFixture, type MeetingFixture } from './fixtures.js';
import {
  ADD_ITEM,
  addItems,
  CANCEL_MEETING,
  CONVENE,
  CREATE_MEETING,
  createMeeting,
  daysAhead,
  meetingTables,
  READ_MEETING,
  REMOVE_ITEM,
  SECOND,
  UPDATE_ITEM,
  UPDATE_MEETING,
} from './meeting-ops.js';

/**
 * Meetings (issue 15, item 1) over HTTP: preparing a DRAFT (kind matching the body, a future date,
 * officers among the body's members), its agenda (positions 1..n, reordering, "questions
 * diverses"), cancelling, a second convocation after a first without quorum; every refusal coded
 * and writing nothing; reads for the cluster's people, a list whose statements do not grow.
 */
let app: TestApp;
let board: MeetingFixture;
let assembly: MeetingFixture;

beforeAll(async () => {
  app = await startTestApp({ app: { hasher: FAST_HASHER } });
  board = await meetingFixture(app, { kind: 'BOARD', electorate: 4 });
  assembly = await meetingFixture(app, { kind: 'GENERAL_ASSEMBLY', electorate: 3 });
});

afterAll(() => app.close());

const RIGHT_MISSING = { code: 'FORBIDDEN', reason: 'RIGHT_MISSING' };
const OPEN_MEETING = `mutation($meetingId: ID!) { openMeeting(meetingId: $meetingId) { opened meeting { state } } }`;

/** Expects the refusal, and that no meeting table, outbox or audit entry changed. */
async function refusedCleanly(request: () => Promise<GraphQLResponse>, expected: { code: string; reason: string }, fields?: string[]) {
  const before = await meetingTables(app);
  const res = await request();
  const got = refusal(res);
  expect({ code: got.code, reason: got.reason }).toEqual(expected);
  if (fields) expect(got.fields.sort()).toEqual([...fields].sort());
  expect(await meetingTables(app)).toBe(before);
  return res;
}

const create = (token: string, input: Record<string, unknown>) =>
  app.gql(
    CREATE_MEETING,
    { input: { bodyId: board.bodyId, kind: 'BOARD', title: 'Conseil', scheduledAt: daysAhead(app, 30), ...input } },
    { token },
  );

describe('createMeeting', () => {
  it('prepares a DRAFT of a board, with officers among its members, audited', async () => {
    const [chair, secretary] = board.electors;
    const meeting = await createMeeting(app, board.clusterAdmin.token, board.bodyId, {
      title: '  Conseil d’administration du printemps  ',
      chairId: chair.accountId,
      secretaryId: secretary.accountId,
    });
    expect(meeting).toMatchObject({
      kind: 'BOARD',
      title: 'Conseil d’administration du printemps',
      convocation: 1,
      state: 'DRAFT',
      place: '12 rue de la Paix, Montpellier',
      remoteAllowed: true,
      body: { id: board.bodyId },
      chair: { id: chair.accountId },
      secretary: { id: secretary.accountId },
      statutes: null,
      convenedAt: null,
      convocationChannel: null,
      recipientsCount: 0,
      firstConvocation: null,
      secondConvocation: null,
      agenda: [],
    });
    const [entry] = await app.sql(`select action, actor_id from audit_entry where entity_id = $1`, [meeting.id]);
    expect(entry).toEqual({ action: 'meeting.create', actor_id: board.clusterAdmin.accountId });
  });

  it('a general assembly holds ordinary and extraordinary assemblies; the officers are its delegates', async () => {
    for (const kind of ['ORDINARY_GENERAL_ASSEMBLY', 'EXTRAORDINARY_GENERAL_ASSEMBLY']) {
      const meeting = await createMeeting(app, assembly.clusterAdmin.token, assembly.bodyId, {
        kind,
        chairId: assembly.electors[0].accountId,
      });
      expect(meeting).toMatchObject({ kind, state: 'DRAFT', chair: { id: assembly.electors[0].accountId } });
    }
  });

  it('refuses a kind that does not match the body (MEETING_KIND_MISMATCH), writing nothing', async () => {
    const mismatch = { code: 'BAD_USER_INPUT', reason: 'MEETING_KIND_MISMATCH' };
    await refusedCleanly(() => create(board.clusterAdmin.token, { kind: 'ORDINARY_GENERAL_ASSEMBLY' }), mismatch, ['input.kind']);
    await refusedCleanly(
      () =>
        app.gql(
          CREATE_MEETING,
          { input: { bodyId: assembly.bodyId, kind: 'BOARD', title: 'AG', scheduledAt: daysAhead(app, 30) } },
          { token: assembly.clusterAdmin.token },
        ),
      mismatch,
      ['input.kind'],
    );
  });

  it('refuses a chair or a secretary outside the body (OFFICER_OUTSIDE_BODY), and the same person twice', async () => {
    const outside = { code: 'CONFLICT', reason: 'OFFICER_OUTSIDE_BODY' };
    // The cluster's administrator and a member are not board members; another board's member neither.
    await refusedCleanly(() => create(board.clusterAdmin.token, { chairId: board.clusterAdmin.accountId }), outside);
    await refusedCleanly(() => create(board.clusterAdmin.token, { secretaryId: board.member.accountId }), outside);
    await refusedCleanly(() => create(board.clusterAdmin.token, { chairId: assembly.electors[0].accountId }), outside);
    // A delegate of the assembly is not on the board; a board member is not a delegate.
    await refusedCleanly(
      () =>
        app.gql(
          CREATE_MEETING,
          {
            input: {
              bodyId: assembly.bodyId,
              kind: 'ORDINARY_GENERAL_ASSEMBLY',
              title: 'AG',
              scheduledAt: daysAhead(app, 30),
              chairId: board.electors[0].accountId,
            },
          },
          { token: assembly.clusterAdmin.token },
        ),
      outside,
    );
    // A board member whose mandate ended is no longer in the body.
    const leaving = await meetingFixture(app, { kind: 'BOARD', electorate: 2 });
    await app.services().bodies.endMandate(leaving.electors[0].mandateId!);
    await refusedCleanly(
      () =>
        app.gql(
          CREATE_MEETING,
          {
            input: {
              bodyId: leaving.bodyId,
              kind: 'BOARD',
              title: 'CA',
              scheduledAt: daysAhead(app, 30),
              chairId: leaving.electors[0].accountId,
            },
          },
          { token: leaving.clusterAdmin.token },
        ),
      outside,
    );
    const same = board.electors[0].accountId;
    await refusedCleanly(
      () => create(board.clusterAdmin.token, { chairId: same, secretaryId: same }),
      { code: 'BAD_USER_INPUT', reason: 'INVALID_INPUT' },
      ['input.secretaryId'],
    );
  });

  it('refuses a date in the past or now, a blank title, unknown ids — coded, naming the field', async () => {
    const invalid = { code: 'BAD_USER_INPUT', reason: 'INVALID_INPUT' };
    await refusedCleanly(
      () => create(board.clusterAdmin.token, { scheduledAt: new Date(app.clock.now().getTime() - 60_000).toISOString() }),
      invalid,
      ['input.scheduledAt'],
    );
    await refusedCleanly(() => create(board.clusterAdmin.token, { scheduledAt: daysAhead(app, 3 * 366 + 5) }), invalid, [
      'input.scheduledAt',
    ]);
    await refusedCleanly(() => create(board.clusterAdmin.token, { title: '   ' }), invalid, ['input.title']);
    await refusedCleanly(() => create(board.clusterAdmin.token, { title: 'x'.repeat(301) }), invalid, ['input.title']);
    await refusedCleanly(() => create(board.clusterAdmin.token, { chairId: 'not-a-uuid' }), invalid, ['input.chairId']);
    await refusedCleanly(() => create(board.clusterAdmin.token, { place: 'p'.repeat(1001) }), invalid, ['input.place']);
    const unknown = '00000000-0000-4000-8000-000000000000';
    await refusedCleanly(() => create(board.admin.token, { bodyId: unknown }), { code: 'NOT_FOUND', reason: 'NOT_FOUND' });
    await refusedCleanly(() => create(board.clusterAdmin.token, { bodyId: unknown }), RIGHT_MISSING);
  });

  it('only the cluster’s administrators and ADMIN prepare meetings', async () => {
    for (const who of [board.member, board.electors[0], board.outsider, assembly.clusterAdmin]) {
      await refusedCleanly(() => create(who.token, {}), RIGHT_MISSING);
    }
    expect(refusal(await create('', {})).code).toBe('UNAUTHENTICATED');
    ok(await create(board.admin.token, {}));
  });

  it('refuses a meeting of a body whose cluster is no longer ACTIVE', async () => {
    const gone = await meetingFixture(app, { kind: 'BOARD', electorate: 1 });
    await app.sql(`update cluster set status = 'DISSOLVED' where id = $1`, [gone.clusterId]);
    await refusedCleanly(
      () =>
        app.gql(
          CREATE_MEETING,
          { input: { bodyId: gone.bodyId, kind: 'BOARD', title: 'CA', scheduledAt: daysAhead(app, 30) } },
          { token: gone.clusterAdmin.token },
        ),
      { code: 'CONFLICT', reason: 'VOTING_CLUSTER_NOT_ACTIVE' },
    );
  });
});

describe('updateMeeting', () => {
  it('changes only the fields given; null clears an officer', async () => {
    const [a, b, c] = board.electors;
    const meeting = await createMeeting(app, board.clusterAdmin.token, board.bodyId, { chairId: a.accountId, secretaryId: b.accountId });
    const when = daysAhead(app, 40);
    const updated = ok(
      await app.gql(
        UPDATE_MEETING,
        { input: { meetingId: meeting.id, scheduledAt: when, place: 'Salle B', secretaryId: c.accountId } },
        { token: board.clusterAdmin.token },
      ),
    ).updateMeeting.meeting;
    expect(updated).toMatchObject({
      title: meeting.title,
      scheduledAt: when,
      place: 'Salle B',
      remoteAllowed: true,
      chair: { id: a.accountId },
      secretary: { id: c.accountId },
    });
    const cleared = ok(
      await app.gql(UPDATE_MEETING, { input: { meetingId: meeting.id, chairId: null } }, { token: board.clusterAdmin.token }),
    ).updateMeeting.meeting;
    expect(cleared).toMatchObject({ chair: null, secretary: { id: c.accountId } });
    // The secretary named chair while still secretary: two roles, one person.
    await refusedCleanly(
      () => app.gql(UPDATE_MEETING, { input: { meetingId: meeting.id, chairId: c.accountId } }, { token: board.clusterAdmin.token }),
      { code: 'BAD_USER_INPUT', reason: 'INVALID_INPUT' },
      ['input.secretaryId'],
    );
    await refusedCleanly(
      () =>
        app.gql(
          UPDATE_MEETING,
          { input: { meetingId: meeting.id, kind: 'EXTRAORDINARY_GENERAL_ASSEMBLY' } },
          { token: board.clusterAdmin.token },
        ),
      { code: 'BAD_USER_INPUT', reason: 'MEETING_KIND_MISMATCH' },
    );
    await refusedCleanly(
      () =>
        app.gql(UPDATE_MEETING, { input: { meetingId: meeting.id, chairId: board.member.accountId } }, { token: board.clusterAdmin.token }),
      { code: 'CONFLICT', reason: 'OFFICER_OUTSIDE_BODY' },
    );
    await refusedCleanly(
      () =>
        app.gql(
          UPDATE_MEETING,
          { input: { meetingId: meeting.id, scheduledAt: new Date(app.clock.now().getTime() - 1000).toISOString() } },
          { token: board.clusterAdmin.token },
        ),
      { code: 'BAD_USER_INPUT', reason: 'INVALID_INPUT' },
      ['input.scheduledAt'],
    );
    await refusedCleanly(
      () => app.gql(UPDATE_MEETING, { input: { meetingId: meeting.id, title: 'X' } }, { token: board.member.token }),
      RIGHT_MISSING,
    );
  });

  it('refuses once the meeting is convened (MEETING_NOT_DRAFT)', async () => {
    const meeting = await createMeeting(app, board.clusterAdmin.token, board.bodyId);
    await addItems(app, board.clusterAdmin.token, meeting.id, ['Comptes']);
    ok(await app.gql(CONVENE, { meetingId: meeting.id }, { token: board.clusterAdmin.token }));
    const res = await refusedCleanly(
      () => app.gql(UPDATE_MEETING, { input: { meetingId: meeting.id, place: 'Ailleurs' } }, { token: board.clusterAdmin.token }),
      { code: 'CONFLICT', reason: 'MEETING_NOT_DRAFT' },
    );
    expect(res.body.errors![0].extensions!.currentState).toBe('CONVENED');
  });
});

describe('the agenda', () => {
  const titles = (agenda: Record<string, any>[]) => agenda.map((item) => `${item.position}:${item.title}`);

  it('keeps positions 1..n through additions, moves and removals', async () => {
    const meeting = await createMeeting(app, board.clusterAdmin.token, board.bodyId);
    const token = board.clusterAdmin.token;
    let agenda = await addItems(app, token, meeting.id, ['Comptes', 'Budget', 'Élections']);
    expect(titles(agenda)).toEqual(['1:Comptes', '2:Budget', '3:Élections']);
    // Inserted first: the others move down one.
    const added = ok(
      await app.gql(
        ADD_ITEM,
        { input: { meetingId: meeting.id, title: 'Approbation du PV', description: 'De la séance du 3 mars.', position: 1 } },
        { token },
      ),
    ).addAgendaItem;
    expect(added.item).toMatchObject({ position: 1, title: 'Approbation du PV', description: 'De la séance du 3 mars.', binding: true });
    expect(titles(added.meeting.agenda)).toEqual(['1:Approbation du PV', '2:Comptes', '3:Budget', '4:Élections']);
    // "Questions diverses", past the end: last, not binding.
    const misc = ok(
      await app.gql(ADD_ITEM, { input: { meetingId: meeting.id, title: 'Questions diverses', binding: false, position: 99 } }, { token }),
    ).addAgendaItem;
    expect(misc.item).toMatchObject({ position: 5, binding: false });
    agenda = misc.meeting.agenda;
    // Moves: last → 2, then 2 → last; and a change of words that keeps the place.
    const elections = agenda.find((i: Record<string, any>) => i.title === 'Élections')!;
    let moved = ok(await app.gql(UPDATE_ITEM, { input: { itemId: elections.id, position: 2 } }, { token })).updateAgendaItem;
    expect(titles(moved.meeting.agenda)).toEqual(['1:Approbation du PV', '2:Élections', '3:Comptes', '4:Budget', '5:Questions diverses']);
    moved = ok(
      await app.gql(UPDATE_ITEM, { input: { itemId: elections.id, position: 4, title: 'Élection du bureau' } }, { token }),
    ).updateAgendaItem;
    expect(moved.item).toMatchObject({ position: 4, title: 'Élection du bureau' });
    expect(titles(moved.meeting.agenda)).toEqual([
      '1:Approbation du PV',
      '2:Comptes',
      '3:Budget',
      '4:Élection du bureau',
      '5:Questions diverses',
    ]);
    // Removed from the middle: the items after it move up one.
    const budget = moved.meeting.agenda.find((i: Record<string, any>) => i.title === 'Budget');
    const removed = ok(await app.gql(REMOVE_ITEM, { itemId: budget.id }, { token })).removeAgendaItem.meeting;
    expect(titles(removed.agenda)).toEqual(['1:Approbation du PV', '2:Comptes', '3:Élection du bureau', '4:Questions diverses']);
    const read = ok(await app.gql(READ_MEETING, { id: meeting.id }, { token: board.electors[0].token })).meeting;
    expect(titles(read.agenda)).toEqual(titles(removed.agenda));
    const actions = await app.sql(
      `select action from audit_entry where action like 'meeting.agenda.%' and after->>'meetingId' = $1 order by seq`,
      [meeting.id],
    );
    expect(actions.map((a) => a.action)).toEqual([
      'meeting.agenda.add',
      'meeting.agenda.add',
      'meeting.agenda.add',
      'meeting.agenda.add',
      'meeting.agenda.add',
      'meeting.agenda.update',
      'meeting.agenda.update',
      'meeting.agenda.remove',
    ]);
  });

  it('is frozen once the meeting is convened (AGENDA_FROZEN): nothing added, changed or removed', async () => {
    const token = board.clusterAdmin.token;
    const meeting = await createMeeting(app, token, board.bodyId);
    const [item] = await addItems(app, token, meeting.id, ['Comptes', 'Budget']);
    ok(await app.gql(CONVENE, { meetingId: meeting.id }, { token }));
    const frozen = { code: 'CONFLICT', reason: 'AGENDA_FROZEN' };
    await refusedCleanly(() => app.gql(ADD_ITEM, { input: { meetingId: meeting.id, title: 'Ajout tardif' } }, { token }), frozen);
    await refusedCleanly(() => app.gql(UPDATE_ITEM, { input: { itemId: item.id, title: 'Autre' } }, { token }), frozen);
    await refusedCleanly(() => app.gql(UPDATE_ITEM, { input: { itemId: item.id, position: 2 } }, { token }), frozen);
    await refusedCleanly(() => app.gql(REMOVE_ITEM, { itemId: item.id }, { token }), frozen);
    await refusedCleanly(
      () => app.gql(ADD_ITEM, { input: { meetingId: meeting.id, title: 'Ajout tardif' } }, { token: board.admin.token }),
      frozen,
    );
  });

  it('refuses bad input and strangers, writing nothing', async () => {
    const token = board.clusterAdmin.token;
    const meeting = await createMeeting(app, token, board.bodyId);
    const [item] = await addItems(app, token, meeting.id, ['Comptes']);
    const invalid = { code: 'BAD_USER_INPUT', reason: 'INVALID_INPUT' };
    await refusedCleanly(() => app.gql(ADD_ITEM, { input: { meetingId: meeting.id, title: ' ' } }, { token }), invalid, ['input.title']);
    await refusedCleanly(() => app.gql(ADD_ITEM, { input: { meetingId: meeting.id, title: 'A', position: 0 } }, { token }), invalid, [
      'input.position',
    ]);
    await refusedCleanly(() => app.gql(UPDATE_ITEM, { input: { itemId: item.id, title: '' } }, { token }), invalid, ['input.title']);
    await refusedCleanly(
      () => app.gql(ADD_ITEM, { input: { meetingId: meeting.id, title: 'A' } }, { token: board.electors[0].token }),
      RIGHT_MISSING,
    );
    await refusedCleanly(
      () => app.gql(UPDATE_ITEM, { input: { itemId: item.id, title: 'B' } }, { token: assembly.clusterAdmin.token }),
      RIGHT_MISSING,
    );
    await refusedCleanly(() => app.gql(REMOVE_ITEM, { itemId: item.id }, { token: board.member.token }), RIGHT_MISSING);
    const unknown = '00000000-0000-4000-8000-000000000000';
    await refusedCleanly(() => app.gql(REMOVE_ITEM, { itemId: unknown }, { token: board.admin.token }), {
      code: 'NOT_FOUND',
      reason: 'NOT_FOUND',
    });
    await refusedCleanly(() => app.gql(REMOVE_ITEM, { itemId: unknown }, { token }), RIGHT_MISSING);
  });
});

describe('cancelMeeting', () => {
  it('cancels a DRAFT (nobody to tell) and refuses what is over', async () => {
    const token = board.clusterAdmin.token;
    const meeting = await createMeeting(app, token, board.bodyId);
    const outbox = (await app.sql('select count(*)::int as n from notification'))[0].n;
    const cancelled = ok(await app.gql(CANCEL_MEETING, { meetingId: meeting.id, reason: ' Date à revoir ' }, { token })).cancelMeeting
      .meeting;
    expect(cancelled).toMatchObject({ state: 'CANCELLED', cancelReason: 'Date à revoir' });
    expect(cancelled.cancelledAt).not.toBeNull();
    expect((await app.sql('select count(*)::int as n from notification'))[0].n).toBe(outbox);
    await refusedCleanly(() => app.gql(CANCEL_MEETING, { meetingId: meeting.id, reason: 'Encore' }, { token }), {
      code: 'CONFLICT',
      reason: 'MEETING_OVER',
    });
    const other = await createMeeting(app, token, board.bodyId);
    await refusedCleanly(
      () => app.gql(CANCEL_MEETING, { meetingId: other.id, reason: '  ' }, { token }),
      { code: 'BAD_USER_INPUT', reason: 'INVALID_INPUT' },
      ['reason'],
    );
    await refusedCleanly(
      () => app.gql(CANCEL_MEETING, { meetingId: other.id, reason: 'Non' }, { token: board.electors[0].token }),
      RIGHT_MISSING,
    );
    await app.sql(`update meeting set state = 'OPEN' where id = $1`, [other.id]);
    await refusedCleanly(() => app.gql(CANCEL_MEETING, { meetingId: other.id, reason: 'Trop tard' }, { token }), {
      code: 'CONFLICT',
      reason: 'MEETING_NOT_CONVENED',
    });
  });
});

describe('createSecondConvocation', () => {
  it('follows a first convocation adjourned for lack of quorum, once, with its agenda verbatim', async () => {
    const token = board.clusterAdmin.token;
    const [chair, secretary] = board.electors;
    const first = await createMeeting(app, token, board.bodyId, {
      title: 'Conseil du 12 mars',
      chairId: chair.accountId,
      secretaryId: secretary.accountId,
      remoteAllowed: true,
      place: 'Salle A',
    });
    await addItems(app, token, first.id, ['Comptes', 'Budget']);
    ok(
      await app.gql(
        ADD_ITEM,
        { input: { meetingId: first.id, title: 'Questions diverses', description: 'Sans vote.', binding: false } },
        { token },
      ),
    );
    const firstAgenda = ok(await app.gql(READ_MEETING, { id: first.id }, { token })).meeting.agenda;
    const notYet = { code: 'CONFLICT', reason: 'SECOND_CONVOCATION_NOT_ALLOWED' };
    const second = (meetingId: string, days = 45, extra: Record<string, unknown> = {}) =>
      app.gql(SECOND, { input: { firstMeetingId: meetingId, scheduledAt: daysAhead(app, days), ...extra } }, { token });
    // DRAFT, then CONVENED: not yet.
    await refusedCleanly(() => second(first.id), notYet);
    ok(await app.gql(CONVENE, { meetingId: first.id }, { token }));
    await refusedCleanly(() => second(first.id), notYet);
    // Opened with nobody present: found without quorum.
    expect(ok(await app.gql(OPEN_MEETING, { meetingId: first.id }, { token })).openMeeting).toEqual({
      opened: false,
      meeting: { state: 'ADJOURNED_NO_QUORUM' },
    });
    // Dates out of order: before the first one, or past.
    await refusedCleanly(() => second(first.id, 20), { code: 'BAD_USER_INPUT', reason: 'INVALID_INPUT' }, ['input.scheduledAt']);
    await refusedCleanly(() => second(first.id, -1), { code: 'BAD_USER_INPUT', reason: 'INVALID_INPUT' }, ['input.scheduledAt']);
    await refusedCleanly(
      () => app.gql(SECOND, { input: { firstMeetingId: first.id, scheduledAt: daysAhead(app, 45) } }, { token: board.member.token }),
      RIGHT_MISSING,
    );
    const made = ok(await second(first.id, 45, { place: 'Salle B' })).createSecondConvocation.meeting;
    expect(made).toMatchObject({
      kind: 'BOARD',
      convocation: 2,
      state: 'DRAFT',
      title: 'Conseil du 12 mars (seconde convocation)',
      place: 'Salle B',
      remoteAllowed: true,
      body: { id: board.bodyId },
      chair: { id: chair.accountId },
      secretary: { id: secretary.accountId },
      firstConvocation: { id: first.id },
      secondConvocation: null,
    });
    const strip = (agenda: Record<string, unknown>[]) => agenda.map(({ id: _id, ...rest }) => rest);
    expect(strip(made.agenda)).toEqual(strip(firstAgenda));
    expect(made.agenda.map((i: Record<string, any>) => i.id)).not.toContain(firstAgenda[0].id);
    const readFirst = ok(await app.gql(READ_MEETING, { id: first.id }, { token })).meeting;
    expect(readFirst.secondConvocation).toEqual({ id: made.id });
    // Once; a second convocation's agenda is the first one's: not edited.
    await refusedCleanly(() => second(first.id, 50), notYet);
    await refusedCleanly(() => app.gql(ADD_ITEM, { input: { meetingId: made.id, title: 'Nouveau point' } }, { token }), {
      code: 'CONFLICT',
      reason: 'AGENDA_FROZEN',
    });
    // Its own date may move, not before the first one.
    await refusedCleanly(
      () => app.gql(UPDATE_MEETING, { input: { meetingId: made.id, scheduledAt: daysAhead(app, 25) } }, { token }),
      { code: 'BAD_USER_INPUT', reason: 'INVALID_INPUT' },
      ['input.scheduledAt'],
    );
    // A second convocation found without quorum (25 %, nobody present) has no third.
    ok(await app.gql(CONVENE, { meetingId: made.id }, { token }));
    expect(ok(await app.gql(OPEN_MEETING, { meetingId: made.id }, { token })).openMeeting.meeting.state).toBe('ADJOURNED_NO_QUORUM');
    await refusedCleanly(() => second(made.id, 60), notYet);
    // A held, or cancelled, meeting has none.
    const held = await createMeeting(app, token, board.bodyId);
    await app.sql(`update meeting set state = 'CLOSED' where id = $1`, [held.id]);
    await refusedCleanly(() => second(held.id), notYet);
    const called = await createMeeting(app, token, board.bodyId);
    ok(await app.gql(CANCEL_MEETING, { meetingId: called.id, reason: 'Reportée' }, { token }));
    await refusedCleanly(() => second(called.id), notYet);
  });
});

describe('reading meetings', () => {
  const LIST = `query($clusterId: ID!, $kind: BodyKind!, $first: Int, $after: String, $states: [MeetingState!]) {
    votingBody(clusterId: $clusterId, kind: $kind) { meetings(first: $first, after: $after, states: $states) {
      totalCount pageInfo { hasNextPage endCursor }
      edges { node { id title state scheduledAt recipientsCount convocationChannel body { name } chair { displayName }
        secretary { displayName } statutes { version } firstConvocation { id } secondConvocation { id }
        agenda { position title } } } } } }`;

  it('one meeting and a body’s list are the cluster’s people’s to read, not a stranger’s', async () => {
    const fx = await meetingFixture(app, { kind: 'BOARD', electorate: 1 });
    const meeting = await createMeeting(app, fx.clusterAdmin.token, fx.bodyId, { chairId: fx.electors[0].accountId });
    // The chair is shown by name; their email only to those who read account details.
    const OFFICER = `query($id: ID!) { meeting(id: $id) { chair { id displayName email } } }`;
    const asMember = ok(await app.gql(OFFICER, { id: meeting.id }, { token: fx.member.token })).meeting.chair;
    expect(asMember).toEqual({ id: fx.electors[0].accountId, displayName: expect.any(String), email: null });
    const asAdmin = ok(await app.gql(OFFICER, { id: meeting.id }, { token: fx.admin.token })).meeting.chair;
    expect(asAdmin.email).toBe(fx.electors[0].email);
    for (const reader of [fx.member, fx.electors[0], fx.clusterAdmin, fx.admin]) {
      expect(ok(await app.gql(READ_MEETING, { id: meeting.id }, { token: reader.token })).meeting.id).toBe(meeting.id);
    }
    for (const stranger of [fx.outsider, board.clusterAdmin, board.electors[0]]) {
      expect(refused(await app.gql(READ_MEETING, { id: meeting.id }, { token: stranger.token }))).toEqual(RIGHT_MISSING);
    }
    expect(refusal(await app.gql(READ_MEETING, { id: meeting.id })).code).toBe('UNAUTHENTICATED');
    expect(refused(await app.gql(READ_MEETING, { id: '00000000-0000-4000-8000-000000000000' }, { token: fx.admin.token }))).toEqual({
      code: 'NOT_FOUND',
      reason: 'NOT_FOUND',
    });
    const list = await app.gql(LIST, { clusterId: fx.clusterId, kind: 'BOARD' }, { token: fx.outsider.token });
    expect(refusal(list).code).toBe('FORBIDDEN');
  });

  it('lists a body’s meetings, latest scheduled first, paged and filtered, in as many statements for 200 as for 10', async () => {
    const fx = await meetingFixture(app, { kind: 'BOARD', electorate: 2 });
    const token = fx.clusterAdmin.token;
    const ids: string[] = [];
    const add = async (count: number) => {
      // Set up directly: 200 meetings through HTTP would only slow the file down.
      const rows = await app.sql<{ id: string }>(
        `insert into meeting (id, created_at, updated_at, body_id, kind, title, scheduled_at, chair_id, secretary_id)
         select gen_random_uuid(), now(), now(), $1, 'BOARD', 'Conseil ' || g, now() + (g || ' days')::interval, $2, $3
           from generate_series($4::int, $5::int) g returning id`,
        [fx.bodyId, fx.electors[0].accountId, fx.electors[1].accountId, ids.length + 1, ids.length + count],
      );
      ids.push(...rows.map((r) => r.id));
      await app.sql(
        `insert into agenda_item (id, created_at, updated_at, meeting_id, position, title)
         select gen_random_uuid(), now(), now(), m.id, p, 'Point ' || p from meeting m cross join generate_series(1, 2) p where m.id = any($1::uuid[])`,
        [rows.map((r) => r.id)],
      );
    };
    await add(10);
    const measure = async (first: number) => {
      app.resetSqlCount();
      const data = ok(await app.gql(LIST, { clusterId: fx.clusterId, kind: 'BOARD', first }, { token }));
      return { statements: app.sqlCount(), page: data.votingBody.meetings };
    };
    const ten = await measure(10);
    expect(ten.page.edges).toHaveLength(10);
    expect(ten.page.totalCount).toBe(10);
    expect(ten.page.edges[0].node).toMatchObject({ title: 'Conseil 10', agenda: [{ position: 1 }, { position: 2 }], recipientsCount: 0 });
    expect(ten.page.edges.map((e: { node: { scheduledAt: string } }) => e.node.scheduledAt)).toEqual(
      ten.page.edges
        .map((e: { node: { scheduledAt: string } }) => e.node.scheduledAt)
        .sort()
        .reverse(),
    );
    await add(190);
    const all = await measure(200);
    expect(all.page.edges).toHaveLength(200);
    expect(all.statements).toBe(ten.statements);
    console.log(`meetings list: ${ten.statements} statements for 10 meetings, ${all.statements} for 200`);
    // Paging, and the filter by state.
    const firstPage = ok(await app.gql(LIST, { clusterId: fx.clusterId, kind: 'BOARD', first: 150 }, { token })).votingBody.meetings;
    expect(firstPage.pageInfo.hasNextPage).toBe(true);
    const next = ok(
      await app.gql(LIST, { clusterId: fx.clusterId, kind: 'BOARD', first: 150, after: firstPage.pageInfo.endCursor }, { token }),
    ).votingBody.meetings;
    expect(next.edges).toHaveLength(50);
    await app.sql(`update meeting set state = 'CANCELLED' where id = any($1::uuid[])`, [ids.slice(0, 3)]);
    const cancelled = ok(await app.gql(LIST, { clusterId: fx.clusterId, kind: 'BOARD', states: ['CANCELLED'] }, { token })).votingBody
      .meetings;
    expect(cancelled.edges.map((e: { node: { id: string } }) => e.node.id).sort()).toEqual(ids.slice(0, 3).sort());
  });
});
