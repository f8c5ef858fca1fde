import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { BodyKind } from '../../../src/governance/voting-body.entity.js';
import { frenchMoment } from '../../../src/notification/messages/format.js';
import { startTestSmtpServer, type ReceivedMail, type TestSmtpServer } from '../../support/smtp.js';
import { startTestApp, type GraphQLResponse, type TestApp } from '../../support/test-app.js';
import { FAST_HASHER, ok, refusal } from '../support.js';
import { meetingFixture, type MeetingFixture } from './fixtures.js';
import {
  ADD_ITEM,
  addItems,
  CANCEL_MEETING,
  CONVENE,
  createMeeting,
  daysAhead,
  meetingTables,
  READ_MEETING,
  RECIPIENTS,
  UPDATE_MEETING,
} from './meeting-ops.js';

/**
 * Convening a meeting (issue 15, item 3) over HTTP and a real SMTP server: the statutes in force
 * recorded, the notice delay in Paris calendar days (exactly met, one day short, forced by an
 * ADMIN with a reason), the recipient list frozen as the body's electorate at the sending, each
 * recipient mailed in French first with the local time, the numbered agenda and the quorum; the
 * list read by those who may; statements that do not grow with the recipients.
 */
let app: TestApp;
let smtp: TestSmtpServer;
let board: MeetingFixture;

beforeAll(async () => {
  smtp = await startTestSmtpServer();
  app = await startTestApp({ env: { SMTP_URL: smtp.url, PUBLIC_URL: 'https://collegia.example.org' }, app: { hasher: FAST_HASHER } });
  // Statutes: 15 days of notice.
  board = await meetingFixture(app, { kind: 'BOARD', electorate: 3 });
});

afterAll(async () => {
  await app?.close();
  await smtp?.close();
});

const delivered = () => app.collegia.notifications.worker.drain();
const mailOf = (email: string, kind: string): ReceivedMail[] =>
  smtp.to(email).filter((mail) => mail.headers.get('x-collegia-notification') === kind);

const convene = (token: string, meetingId: string, force?: string) => app.gql(CONVENE, { meetingId, force }, { token });

/** A DRAFT board meeting `days` Paris days ahead, with a two-item agenda. */
async function prepared(fx: MeetingFixture, days: number, extra: Record<string, unknown> = {}) {
  const meeting = await createMeeting(app, fx.clusterAdmin.token, fx.bodyId, {
    kind: fx.bodyKind === BodyKind.BOARD ? 'BOARD' : 'EXTRAORDINARY_GENERAL_ASSEMBLY',
    scheduledAt: daysAhead(app, days),
    ...extra,
  });
  await addItems(app, fx.clusterAdmin.token, meeting.id, ['Approbation des comptes', 'Projet de fusion']);
  return meeting;
}

async function refusedCleanly(request: () => Promise<GraphQLResponse>, expected: { code: string; reason: string }) {
  const before = await meetingTables(app);
  const res = await request();
  const got = refusal(res);
  expect({ code: got.code, reason: got.reason }).toEqual(expected);
  expect(await meetingTables(app)).toBe(before);
  return res;
}

describe('the notice delay', () => {
  it('is met with exactly the statutes’ days (Paris calendar days), refused one day short', async () => {
    const short = await prepared(board, 14);
    const res = await refusedCleanly(() => convene(board.clusterAdmin.token, short.id), { code: 'CONFLICT', reason: 'NOTICE_TOO_SHORT' });
    expect(res.body.errors![0].extensions).toMatchObject({ noticeDays: 15, daysLeft: 14 });
    const exact = await prepared(board, 15);
    const convened = ok(await convene(board.clusterAdmin.token, exact.id)).conveneMeeting.meeting;
    expect(convened).toMatchObject({ state: 'CONVENED', noticeForcedReason: null, convocationChannel: 'EMAIL', recipientsCount: 3 });
    // Moving the short one a day later makes it lawful.
    ok(
      await app.gql(
        UPDATE_MEETING,
        { input: { meetingId: short.id, scheduledAt: daysAhead(app, 15) } },
        { token: board.clusterAdmin.token },
      ),
    );
    ok(await convene(board.clusterAdmin.token, short.id));
  });

  it('is forced only by an ADMIN, with a reason, recorded; a CLUSTER_ADMIN is refused', async () => {
    const meeting = await prepared(board, 3);
    await refusedCleanly(() => convene(board.clusterAdmin.token, meeting.id, 'Urgence'), { code: 'FORBIDDEN', reason: 'RIGHT_MISSING' });
    await refusedCleanly(() => convene(board.admin.token, meeting.id), { code: 'CONFLICT', reason: 'NOTICE_TOO_SHORT' });
    await refusedCleanly(() => convene(board.admin.token, meeting.id, '   '), { code: 'BAD_USER_INPUT', reason: 'INVALID_INPUT' });
    const forced = ok(await convene(board.admin.token, meeting.id, ' Offre de reprise à accepter avant le 15 ')).conveneMeeting.meeting;
    expect(forced).toMatchObject({ state: 'CONVENED', noticeForcedReason: 'Offre de reprise à accepter avant le 15' });
    const [entry] = await app.sql(
      `select action, actor_id, after->>'daysLeft' as days_left from audit_entry where entity_id = $1 order by seq desc limit 1`,
      [meeting.id],
    );
    expect(entry).toEqual({ action: 'meeting.convene', actor_id: board.admin.accountId, days_left: '3' });
    // A reason given while the notice is met is not recorded: nothing was forced.
    const lawful = await prepared(board, 20);
    expect(ok(await convene(board.admin.token, lawful.id, 'Par précaution')).conveneMeeting.meeting.noticeForcedReason).toBeNull();
  });

  it('a meeting whose date has passed is not convened, even forced', async () => {
    const meeting = await prepared(board, 20);
    // The date passed while it was a DRAFT (as if the clock had run on).
    await app.sql(`update meeting set scheduled_at = $2 where id = $1`, [meeting.id, new Date(app.clock.now().getTime() - 3_600_000)]);
    await refusedCleanly(() => convene(board.admin.token, meeting.id, 'Trop tard'), { code: 'CONFLICT', reason: 'NOTICE_TOO_SHORT' });
  });
});

describe('conveneMeeting', () => {
  it('needs statutes, an agenda, a DRAFT, an electorate, and the right — refusals write nothing', async () => {
    const bare = await meetingFixture(app, { kind: 'BOARD', electorate: 1, statutes: null });
    const noStatutes = await prepared(bare, 30);
    await refusedCleanly(() => convene(bare.clusterAdmin.token, noStatutes.id), { code: 'CONFLICT', reason: 'STATUTES_MISSING' });
    const noAgenda = await createMeeting(app, board.clusterAdmin.token, board.bodyId, { scheduledAt: daysAhead(app, 30) });
    await refusedCleanly(() => convene(board.clusterAdmin.token, noAgenda.id), { code: 'CONFLICT', reason: 'AGENDA_EMPTY' });
    const empty = await meetingFixture(app, { kind: 'BOARD', electorate: 0 });
    const nobody = await prepared(empty, 30);
    await refusedCleanly(() => convene(empty.clusterAdmin.token, nobody.id), { code: 'CONFLICT', reason: 'ELECTORATE_EMPTY' });
    const meeting = await prepared(board, 30);
    for (const who of [board.member, board.electors[0], board.outsider]) {
      await refusedCleanly(() => convene(who.token, meeting.id), { code: 'FORBIDDEN', reason: 'RIGHT_MISSING' });
    }
    ok(await convene(board.clusterAdmin.token, meeting.id));
    await refusedCleanly(() => convene(board.clusterAdmin.token, meeting.id), { code: 'CONFLICT', reason: 'MEETING_NOT_DRAFT' });
  });

  it('records the statutes in force; a later version does not change a convened meeting', async () => {
    const fx = await meetingFixture(app, { kind: 'BOARD', electorate: 2 });
    const meeting = await prepared(fx, 30);
    const convened = ok(await convene(fx.clusterAdmin.token, meeting.id)).conveneMeeting.meeting;
    expect(convened.statutes).toEqual({ id: fx.statutesId, version: 1, noticeDays: 15 });
    await app.services().statutes.set({
      bodyId: fx.bodyId,
      noticeDays: 30,
      quorumFirstBasisPoints: 6000,
      quorumSecondBasisPoints: null,
      quorumBasis: 'PRESENT' as never,
      remoteCountsAsPresent: false,
      pouvoirsPerHolder: 1,
      dissolution: { body: 'BOARD' as never, quorumBasisPoints: 5000, majority: 'ABSOLUTE' as never },
    });
    const read = ok(await app.gql(READ_MEETING, { id: meeting.id }, { token: fx.member.token })).meeting;
    expect(read.statutes).toEqual({ id: fx.statutesId, version: 1, noticeDays: 15 });
    expect(new Date(read.convenedAt).getTime()).toBeLessThanOrEqual(app.clock.now().getTime());
  });

  it('freezes the recipients as the electorate at the sending: later mandates and delegates do not change it', async () => {
    const fx = await meetingFixture(app, { kind: 'BOARD', electorate: 3 });
    const [a, b, c] = fx.electors;
    // c's mandate ended before the sending: not convened.
    await app.services().bodies.endMandate(c.mandateId!);
    const meeting = await prepared(fx, 30);
    ok(await convene(fx.clusterAdmin.token, meeting.id));
    // After the sending: a's mandate ends, a newcomer is appointed. The list stays.
    await app.services().bodies.endMandate(a.mandateId!);
    const newcomer = await app.signUp();
    await app.services().bodies.appoint({ clusterId: fx.clusterId, collegeId: fx.colleges[0], accountId: newcomer.accountId });
    const list = ok(await app.gql(RECIPIENTS, { id: meeting.id }, { token: fx.clusterAdmin.token })).meeting;
    expect(list.recipientsCount).toBe(2);
    expect(list.recipients.edges.map((e: { node: { voter: { id: string } } }) => e.node.voter.id).sort()).toEqual(
      [a.accountId, b.accountId].sort(),
    );
    const rows = await app.sql(
      `select voter_id, college_id, organisation_id from convocation_recipient where meeting_id = $1 order by voter_id`,
      [meeting.id],
    );
    expect(rows).toEqual(
      [a, b]
        .map((e) => ({ voter_id: e.accountId, college_id: e.collegeId, organisation_id: null }))
        .sort((x, y) => (x.voter_id < y.voter_id ? -1 : 1)),
    );
  });

  it('a general assembly convenes each member organisation’s delegate, with its organisation and collège', async () => {
    const fx = await meetingFixture(app, { kind: 'GENERAL_ASSEMBLY', electorate: 3 });
    const meeting = await prepared(fx, 30);
    ok(await convene(fx.clusterAdmin.token, meeting.id));
    // A delegate named after the sending is not on the list.
    const late = await app.signUp();
    await app
      .services()
      .bodies.designateDelegate({ clusterId: fx.clusterId, organisationId: fx.electors[0].organisationId!, accountId: late.accountId });
    const list = ok(await app.gql(RECIPIENTS, { id: meeting.id }, { token: fx.clusterAdmin.token })).meeting;
    expect(list.recipientsCount).toBe(3);
    const got = list.recipients.edges.map((e: any) => ({
      voter: e.node.voter.id,
      organisation: e.node.organisation.id,
      college: e.node.college.id,
    }));
    expect(got.sort((x: any, y: any) => (x.voter < y.voter ? -1 : 1))).toEqual(
      fx.electors
        .map((e) => ({ voter: e.accountId, organisation: e.organisationId, college: e.collegeId }))
        .sort((x, y) => (x.voter < y.voter ? -1 : 1)),
    );
  });

  it('the list is read by those who manage meetings and by the recipients; others get an empty page', async () => {
    const fx = await meetingFixture(app, { kind: 'BOARD', electorate: 2 });
    const meeting = await prepared(fx, 30);
    ok(await convene(fx.clusterAdmin.token, meeting.id));
    for (const reader of [fx.clusterAdmin, fx.admin, fx.electors[1]]) {
      const list = ok(await app.gql(RECIPIENTS, { id: meeting.id }, { token: reader.token })).meeting;
      expect(list.recipients.totalCount).toBe(2);
      expect(list.recipients.edges).toHaveLength(2);
      expect(list.recipients.edges[0].node.voter.displayName).toEqual(expect.any(String));
    }
    const other = ok(await app.gql(RECIPIENTS, { id: meeting.id }, { token: fx.member.token })).meeting;
    expect(other).toMatchObject({ recipientsCount: 2, recipients: { totalCount: 0, edges: [] } });
  });
});

describe('the convocation mail', () => {
  it('reaches every recipient, in French first with the Paris local time, the place, remote participation, the numbered agenda and the quorum', async () => {
    const fx = await meetingFixture(app, { kind: 'GENERAL_ASSEMBLY', electorate: 2 });
    const scheduledAt = daysAhead(app, 30);
    const meeting = await createMeeting(app, fx.clusterAdmin.token, fx.bodyId, {
      kind: 'EXTRAORDINARY_GENERAL_ASSEMBLY',
      title: 'AGE de fusion',
      scheduledAt,
      place: 'Maison des associations, Montpellier',
      remoteAllowed: false,
    });
    await addItems(app, fx.clusterAdmin.token, meeting.id, ['Approbation du projet de fusion', 'Pouvoirs pour les formalités']);
    ok(
      await app.gql(
        ADD_ITEM,
        { input: { meetingId: meeting.id, title: 'Questions diverses', binding: false } },
        { token: fx.clusterAdmin.token },
      ),
    );
    ok(await convene(fx.clusterAdmin.token, meeting.id));
    await delivered();
    for (const elector of fx.electors) {
      const [mail] = mailOf(elector.email, 'MEETING_CONVENED');
      expect(mail).toBeDefined();
      expect(mail.subject).toBe(`Convocation : AGE de fusion — ${frenchMoment(scheduledAt)}`);
      // 17:00 UTC is 18 h 00 in winter, 19 h 00 in summer: Paris time, French format.
      expect(mail.text).toMatch(/Date : le \d{1,2} \S+ \d{4} à 1[89] h 00 \(heure de Paris\)\./);
      expect(mail.text).toContain(`Date : le ${frenchMoment(scheduledAt)}.`);
      expect(mail.text).toContain('Assemblée générale extraordinaire');
      expect(mail.text).toContain('Lieu : Maison des associations, Montpellier.');
      expect(mail.text).toContain('Participation à distance : non autorisée');
      expect(mail.text).toContain(
        '1. Approbation du projet de fusion\n\n2. Pouvoirs pour les formalités\n\n3. Questions diverses (questions diverses : aucune décision)',
      );
      expect(mail.text).toContain('Quorum : 50\u00a0% des membres convoqués, en comptant les membres présents ou représentés.');
      expect(mail.text.indexOf('Bonjour')).toBeLessThan(mail.text.indexOf('— English —'));
      expect(mail.text).toContain(`https://collegia.example.org/meetings/${meeting.id}`);
    }
    // Nobody else.
    expect(mailOf(fx.clusterAdmin.email, 'MEETING_CONVENED')).toHaveLength(0);
    expect(mailOf(fx.member.email, 'MEETING_CONVENED')).toHaveLength(0);
  });

  it('a cancelled convened meeting tells its recipients, with the reason; the list stays', async () => {
    const fx = await meetingFixture(app, { kind: 'BOARD', electorate: 2 });
    const meeting = await prepared(fx, 30, { title: 'Conseil d’automne' });
    ok(await convene(fx.clusterAdmin.token, meeting.id));
    const cancelled = ok(
      await app.gql(CANCEL_MEETING, { meetingId: meeting.id, reason: 'Salle indisponible' }, { token: fx.clusterAdmin.token }),
    ).cancelMeeting.meeting;
    expect(cancelled).toMatchObject({ state: 'CANCELLED', recipientsCount: 2, cancelReason: 'Salle indisponible' });
    await delivered();
    for (const elector of fx.electors) {
      const [mail] = mailOf(elector.email, 'MEETING_CANCELLED');
      expect(mail.subject).toBe(`Réunion annulée : Conseil d’automne — ${frenchMoment(meeting.scheduledAt)}`);
      expect(mail.text).toContain('Motif : Salle indisponible');
    }
    const list = ok(await app.gql(RECIPIENTS, { id: meeting.id }, { token: fx.clusterAdmin.token })).meeting;
    expect(list.recipients.totalCount).toBe(2);
  });

  it('a second convocation says so, with the second-convocation quorum', async () => {
    const fx = await meetingFixture(app, { kind: 'BOARD', electorate: 1 });
    const first = await prepared(fx, 20);
    ok(await convene(fx.clusterAdmin.token, first.id));
    await app.sql(`update meeting set state = 'ADJOURNED_NO_QUORUM' where id = $1`, [first.id]);
    const second = ok(
      await app.gql(
        `mutation($input: CreateSecondConvocationInput!) { createSecondConvocation(input: $input) { meeting { id } } }`,
        { input: { firstMeetingId: first.id, scheduledAt: daysAhead(app, 40) } },
        { token: fx.clusterAdmin.token },
      ),
    ).createSecondConvocation.meeting;
    ok(await convene(fx.clusterAdmin.token, second.id));
    await delivered();
    const mails = mailOf(fx.electors[0].email, 'MEETING_CONVENED');
    expect(mails).toHaveLength(2);
    const secondMail = mails.find((mail) => mail.text.includes(`/meetings/${second.id}`))!;
    expect(secondMail.subject).toMatch(/^Convocation \(seconde convocation\) : /);
    expect(secondMail.text).toContain('sur seconde convocation, la première n’ayant pas réuni le quorum');
    expect(secondMail.text).toContain('Quorum : 25\u00a0% des membres convoqués');
  });
});

describe('statements', () => {
  it('convening and reading the recipients cost as much for 200 as for 10', async () => {
    const measure = async (electorate: number) => {
      const fx = await meetingFixture(app, { kind: 'BOARD', electorate });
      const meeting = await prepared(fx, 30);
      app.resetSqlCount();
      ok(await convene(fx.clusterAdmin.token, meeting.id));
      const convening = app.sqlCount();
      app.resetSqlCount();
      const list = ok(await app.gql(RECIPIENTS, { id: meeting.id, first: 200 }, { token: fx.clusterAdmin.token })).meeting;
      const reading = app.sqlCount();
      expect(list.recipients.edges).toHaveLength(electorate);
      const [{ n }] = await app.sql(
        `select count(*)::int as n from notification where kind = 'MEETING_CONVENED' and payload->>'meetingId' = $1`,
        [meeting.id],
      );
      expect(n).toBe(electorate);
      return { convening, reading };
    };
    const ten = await measure(10);
    const many = await measure(200);
    console.log(
      `convene: ${ten.convening} statements for 10 recipients, ${many.convening} for 200; recipients page: ${ten.reading} / ${many.reading}`,
    );
    expect(many).toEqual(ten);
  });
});
