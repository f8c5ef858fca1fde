import { startTestSmtpServer, type TestSmtpServer } from '../support/smtp.js';
import { startTestApp, TEST_PASSWORD, type TestApp } from '../support/test-app.js';
import { FAST_HASHER, ok } from '../governance/support.js';
import { meetingFixture, type MeetingFixture } from '../governance/meetings/fixtures.js';
import { addItems, CONVENE, createMeeting, daysAhead, READ_MEETING } from '../governance/meetings/meeting-ops.js';
import { DRAFT, SIGN } from '../governance/meetings/minutes-fixture.js';

/**
 * A board meeting as the people of a cluster live it, over HTTP (issue 15, items 1–5): the
 * cluster's administrator prepares it and convenes the board (each member receives the
 * convocation by mail); a member who cannot come gives a pouvoir; on the day the members sign in
 * again and sign the attendance sheet; the chair opens the meeting (quorum met), opens the vote of
 * the agenda's resolution, the members vote (the holder for the absent member), the vote closes,
 * the chair closes the meeting; the secretary draws up the procès-verbal, chair and secretary sign
 * it, and a member downloads it.
 */
let smtp: TestSmtpServer;
let app: TestApp;
let fx: MeetingFixture;

beforeAll(async () => {
  smtp = await startTestSmtpServer();
  app = await startTestApp({ env: { SMTP_URL: smtp.url, PUBLIC_URL: 'https://collegia.example.org' }, app: { hasher: FAST_HASHER } });
  fx = await meetingFixture(app, { kind: 'BOARD', electorate: 5, statutes: { noticeDays: 8 } });
});

afterAll(async () => {
  await app?.close();
  await smtp?.close();
});

const LOGIN = 'mutation($input: LoginInput!) { login(input: $input) { token } }';
const GIVE = 'mutation($input: GivePouvoirInput!) { givePouvoir(input: $input) { pouvoir { id state } } }';
const ARRIVE = 'mutation($input: RecordArrivalInput!) { recordArrival(input: $input) { attendance { id mode } } }';
const OPEN_MEETING = 'mutation($id: ID!) { openMeeting(meetingId: $id) { opened quorum { present represented counted required met } } }';
const CLOSE_MEETING = 'mutation($id: ID!) { closeMeeting(meetingId: $id) { meeting { state } } }';
const CREATE_PROPOSAL = 'mutation($input: CreateProposalInput!) { createProposal(input: $input) { proposal { id } } }';
const OPEN_VOTING = `mutation($input: OpenVotingInput!) { openVoting(input: $input) { proposal { state parties { electorate } } } }`;
const CAST = 'mutation($input: CastVoteInput!) { castVote(input: $input) { receipt } }';
const CLOSE_VOTING = 'mutation($input: CloseVotingInput!) { closeVoting(input: $input) { proposal { state } } }';

it('prepare, convene, give a pouvoir, sign in on the day, open, vote, close, draw up and sign the procès-verbal, read it', async () => {
  const [chair, secretary, member, holder, absent] = fx.electors;
  let admin = fx.clusterAdmin.token;

  // The administrator prepares the meeting and convenes the board.
  const meeting = await createMeeting(app, admin, fx.bodyId, {
    scheduledAt: daysAhead(app, 10),
    chairId: chair.accountId,
    secretaryId: secretary.accountId,
  });
  const agenda = await addItems(app, admin, meeting.id, ['Convention de partenariat avec DigitalPlace']);
  await addItems(app, admin, meeting.id, ['Questions diverses'], { binding: false });
  const convened = ok(await app.gql(CONVENE, { meetingId: meeting.id }, { token: admin })).conveneMeeting.meeting;
  expect(convened).toMatchObject({ state: 'CONVENED', recipientsCount: 5 });
  await app.collegia.notifications.worker.drain();
  const [mail] = smtp.to(member.email).filter((m) => m.headers.get('x-collegia-notification') === 'MEETING_CONVENED');
  expect(mail.text).toContain('Convention de partenariat avec DigitalPlace');

  // A member reads the meeting; another, who cannot come, gives a pouvoir.
  expect(ok(await app.gql(READ_MEETING, { id: meeting.id }, { token: member.token })).meeting.agenda).toHaveLength(2);
  ok(await app.gql(GIVE, { input: { meetingId: meeting.id, holderAccountId: holder.accountId } }, { token: absent.token }));

  // The day comes: the members sign in again and sign the attendance sheet.
  app.clock.advance(10 * 86_400_000);
  const token = new Map<string, string>();
  for (const person of [chair, secretary, member, holder]) {
    const login = ok(await app.gql(LOGIN, { input: { email: person.email, password: TEST_PASSWORD } }));
    token.set(person.accountId, login.login.token);
    ok(await app.gql(ARRIVE, { input: { meetingId: meeting.id, mode: 'IN_PERSON' } }, { token: login.login.token }));
  }
  const as = (person: { accountId: string }) => ({ token: token.get(person.accountId)! });
  admin = ok(await app.gql(LOGIN, { input: { email: fx.clusterAdmin.email, password: TEST_PASSWORD } })).login.token;

  // The chair opens the meeting: 4 present, 1 represented, quorum 3 of 5.
  const opened = ok(await app.gql(OPEN_MEETING, { id: meeting.id }, as(chair))).openMeeting;
  expect(opened).toEqual({ opened: true, quorum: { present: 4, represented: 1, counted: 5, required: 3, met: true } });

  // The resolution, voted on its agenda item.
  const proposalId = ok(
    await app.gql(
      CREATE_PROPOSAL,
      {
        input: {
          kind: 'RESOLUTION',
          title: 'Convention de partenariat avec DigitalPlace',
          text: 'Le conseil approuve la convention.',
          partyClusterIds: [fx.clusterId],
        },
      },
      { token: admin },
    ),
  ).createProposal.proposal.id;
  const closesAt = new Date(app.clock.now().getTime() + 3_600_000).toISOString();
  const voting = ok(
    await app.gql(
      OPEN_VOTING,
      { input: { proposalId, closesAt, agendaItems: [{ clusterId: fx.clusterId, agendaItemId: agenda[0].id }] } },
      as(chair),
    ),
  ).openVoting.proposal;
  expect(voting).toEqual({ state: 'VOTING', parties: [{ electorate: 5 }] });
  for (const person of [chair, secretary, member]) ok(await app.gql(CAST, { input: { proposalId, choice: 'FOR' } }, as(person)));
  ok(await app.gql(CAST, { input: { proposalId, choice: 'AGAINST' } }, as(holder)));
  ok(await app.gql(CAST, { input: { proposalId, choice: 'FOR', onBehalfOf: absent.accountId } }, as(holder)));
  expect(ok(await app.gql(CLOSE_VOTING, { input: { proposalId } }, { token: admin })).closeVoting.proposal.state).toBe('ADOPTED');
  expect(ok(await app.gql(CLOSE_MEETING, { id: meeting.id }, as(chair))).closeMeeting.meeting.state).toBe('CLOSED');

  // The procès-verbal: drawn up by the secretary, signed by the chair and the secretary.
  const minutes = ok(await app.gql(DRAFT, { input: { meetingId: meeting.id } }, as(secretary))).draftMinutes.minutes;
  expect(minutes.text).toContain('Convention de partenariat avec DigitalPlace');
  expect(minutes.text).toContain('- Représentés par pouvoir : 1');
  for (const signer of [chair, secretary]) ok(await app.gql(SIGN, { id: minutes.id }, as(signer)));

  // A member reads it: the signed text, and the PDF.
  const markdown = await fetch(`${app.url}/meetings/${meeting.id}/minutes.md`, {
    headers: { authorization: `Bearer ${as(member).token}` },
  });
  expect(markdown.status).toBe(200);
  const text = await markdown.text();
  expect(text.startsWith(minutes.text)).toBe(true);
  expect(text).toContain(minutes.sha256);
  const pdf = await fetch(`${app.url}/meetings/${meeting.id}/minutes.pdf`, { headers: { authorization: `Bearer ${as(member).token}` } });
  expect(pdf.status).toBe(200);
  expect(
    Buffer.from(await pdf.arrayBuffer())
      .subarray(0, 5)
      .toString('latin1'),
  ).toBe('%PDF-');
});
