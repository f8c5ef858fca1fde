import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Role } from '../../src/auth/role.js';
import { BOARD_MANDATE_ENDING_JOB } from '../../src/governance/board-deadlines.js';
import { VOTE_CLOSING_SOON_JOB } from '../../src/governance/vote-mail.js';
import { DecisionMode } from '../../src/membership/admission-rule-set.entity.js';
import { ClusterKind } from '../../src/membership/cluster.entity.js';
import { OrganisationKind } from '../../src/membership/organisation-kind.js';
import { frenchDay, frenchMoment } from '../../src/notification/messages/format.js';
import { Scheduler } from '../../src/notification/scheduler.js';
import { startTestSmtpServer, type ReceivedMail, type TestSmtpServer } from '../support/smtp.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import {
  cast,
  createBoard,
  draft,
  FAST_HASHER,
  GRANT,
  ok,
  OPEN,
  open,
  refused,
  RULES_DEFAULT,
  type Board,
  type Person,
} from '../governance/support.js';

/**
 * The messages of a vote (issue 13, item 5), through the real app over HTTP and a real SMTP
 * server: opened → the electorate, a proxy → its holder, closing within 24 hours → those who have
 * not voted, a board mandate ending → the cluster's administrators. Exactly the right people,
 * in French first, never a choice or a receipt.
 */
let app: TestApp;
let smtp: TestSmtpServer;
const PUBLIC_URL = 'https://collegia.example.org';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

beforeAll(async () => {
  smtp = await startTestSmtpServer();
  app = await startTestApp({ env: { SMTP_URL: smtp.url, PUBLIC_URL }, app: { hasher: FAST_HASHER } });
});

afterAll(async () => {
  await app?.close();
  await smtp?.close();
});

const delivered = () => app.collegia.notifications.worker.drain();

/** Mail of one kind received by `email`. */
const mailOf = (email: string, kind: string): ReceivedMail[] =>
  smtp.to(email).filter((mail) => mail.headers.get('x-collegia-notification') === kind);

/** Messages of a kind queued for an event (its key), counted in the outbox. */
async function queued(kind: string, eventKey: string): Promise<number> {
  const [{ n }] = await app.sql<{ n: number }>(`select count(*)::int as n from notification where dedupe_key like $1`, [
    `${kind}:${eventKey}:%`,
  ]);
  return n;
}

const inDays = (days: number) => new Date(app.clock.now().getTime() + days * DAY).toISOString();

/** Receipts handed to voters in this file: none may appear in any message. */
const receipts: string[] = [];

async function vote(token: string, proposalId: string, choice: string, extra: Record<string, unknown> = {}) {
  const receipt = ok(await cast(app, token, proposalId, choice, extra)).castVote.receipt as string;
  receipts.push(receipt);
}

let board: Board;

describe('a vote opened', () => {
  let proposal: { id: string; [key: string]: any };
  let outsider: Person;
  // Far enough not to be among the votes closing within a day later in this file.
  const closesAt = () => inDays(10);

  beforeAll(async () => {
    board = await createBoard(app, { name: 'FrenchSouth.digital', membersPerCollege: [3, 3] });
    outsider = await app.signUp();
  });

  it('mails every elector, in French first with the closing time and the link, and nobody else', async () => {
    proposal = await draft(app, board.admin.token, [board.clusterId]);
    const closing = closesAt();
    await open(app, board.admin.token, proposal.id, closing);
    // Queued with the opening, before any delivery.
    expect(await queued('VOTE_OPENED', proposal.id)).toBe(6);
    await delivered();

    for (const member of board.members) {
      const mails = mailOf(member.email, 'VOTE_OPENED');
      expect(mails).toHaveLength(1);
      const [mail] = mails;
      expect(mail.subject).toBe(`Vote ouvert : ${proposal.title}`);
      expect(mail.text).toContain(`Le vote « ${proposal.title} » est ouvert (Conseil d’administration). Vous faites partie des votants.`);
      expect(mail.text).toContain(`Le scrutin se clôt le ${frenchMoment(closing)}.`);
      expect(mail.text.indexOf('Bonjour')).toBeLessThan(mail.text.indexOf('— English —'));
      expect(mail.text).toContain(`${PUBLIC_URL}/proposals/${proposal.id}`);
      expect(mail.html).toContain('<html lang="fr">');
    }
    expect(mailOf(board.admin.email, 'VOTE_OPENED')).toHaveLength(0);
    expect(mailOf(outsider.email, 'VOTE_OPENED')).toHaveLength(0);
  });

  it('queues nothing when the opening is refused: a second opening, or a party with nobody to vote', async () => {
    const again = await app.gql(OPEN, { input: { proposalId: proposal.id, closesAt: closesAt() } }, { token: board.admin.token });
    expect(refused(again)).toEqual({ code: 'CONFLICT', reason: 'PROPOSAL_NOT_DRAFT' });
    expect(await queued('VOTE_OPENED', proposal.id)).toBe(6);

    // Two parties: the first has electors (written, then rolled back), the second none.
    const empty = await createBoard(app, { name: 'Empty board', membersPerCollege: [0, 0] });
    const both = await draft(app, board.admin.token, [board.clusterId, empty.clusterId]);
    const refusedOpen = await app.gql(OPEN, { input: { proposalId: both.id, closesAt: closesAt() } }, { token: board.admin.token });
    expect(refused(refusedOpen)).toEqual({ code: 'CONFLICT', reason: 'ELECTORATE_EMPTY' });
    expect(await queued('VOTE_OPENED', both.id)).toBe(0);
    const [{ n }] = await app.sql<{ n: number }>(
      `select count(*)::int as n from elector where party_id in (select id from proposal_party where proposal_id = $1)`,
      [both.id],
    );
    expect(n).toBe(0);
    const before = smtp.received.length;
    await delivered();
    expect(smtp.received.length).toBe(before);
  });

  it('skips an elector who turned VOTE_OPENED off, and still tells them of a proxy', async () => {
    const [quiet, holder] = board.members;
    const set = `mutation($kind: NotificationKind!, $enabled: Boolean!) { setNotificationPreference(kind: $kind, enabled: $enabled) { kind enabled } }`;
    ok(await app.gql(set, { kind: 'VOTE_OPENED', enabled: false }, { token: quiet.token }));
    const next = await draft(app, board.admin.token, [board.clusterId]);
    await open(app, board.admin.token, next.id, closesAt());
    expect(await queued('VOTE_OPENED', next.id)).toBe(5);
    await delivered();
    const about = (mails: ReceivedMail[]) => mails.filter((mail) => mail.subject.includes(next.title as string));
    expect(about(mailOf(quiet.email, 'VOTE_OPENED'))).toHaveLength(0);
    expect(about(mailOf(holder.email, 'VOTE_OPENED'))).toHaveLength(1);

    // Another kind still reaches them: a proxy given to them.
    ok(await app.gql(GRANT, { input: { proposalId: next.id, holderAccountId: quiet.accountId } }, { token: holder.token }));
    await delivered();
    expect(about(mailOf(quiet.email, 'PROXY_RECEIVED'))).toHaveLength(1);
    ok(await app.gql(set, { kind: 'VOTE_OPENED', enabled: true }, { token: quiet.token }));
  });

  it('is mailed to a general assembly’s delegates, not to a replaced delegate nor to other contacts', async () => {
    const s = app.services();
    const clusterId = (await s.clusters.createCluster({ name: 'Assemblée', slug: 'assemblee-mail', kind: ClusterKind.CLUSTER })).id;
    const collegeId = (await app.services().clusters.createCollege({ clusterId, name: 'Tous', slug: 'tous', theme: 'tous' })).id;
    await app.services().admission.setAdmissionRules({ collegeId, criteria: {}, decisionMode: DecisionMode.AUTOMATIC });
    const clusterAdmin = await app.signUp({ role: Role.CLUSTER_ADMIN, clusterId });
    ok(
      await app.gql(
        `mutation($input: ConfigureVotingBodyInput!) { configureVotingBody(input: $input) { body { id } } }`,
        { input: { clusterId, kind: 'GENERAL_ASSEMBLY', name: 'Assemblée générale', rules: RULES_DEFAULT } },
        { token: clusterAdmin.token },
      ),
    );
    const designate = (organisationId: string, accountId: string) =>
      app.gql(
        `mutation($input: DesignateDelegateInput!) { designateDelegate(input: $input) { delegate { id } } }`,
        { input: { clusterId, organisationId, accountId } },
        { token: clusterAdmin.token },
      );
    const delegates: Person[] = [];
    const replaced: Person[] = [];
    for (let i = 0; i < 3; i += 1) {
      const contact = await app.signUp();
      const org = await app
        .services()
        .organisations.createOrganisation({ name: `Membre AG ${i}`, kind: OrganisationKind.COMPANY }, contact.accountId);
      await app.services().admission.submitApplication(org.id, collegeId);
      ok(await designate(org.id, contact.accountId));
      if (i === 2) {
        // The third organisation names someone else instead.
        const other = await app.signUp();
        ok(await designate(org.id, other.accountId));
        replaced.push(contact);
        delegates.push(other);
      } else delegates.push(contact);
    }
    const assembly = await draft(app, clusterAdmin.token, [clusterId], { bodyKind: 'GENERAL_ASSEMBLY' });
    expect((await open(app, clusterAdmin.token, assembly.id, closesAt())).parties[0].electorate).toBe(3);
    await delivered();
    for (const delegate of delegates) expect(mailOf(delegate.email, 'VOTE_OPENED')).toHaveLength(1);
    expect(mailOf(replaced[0].email, 'VOTE_OPENED')).toHaveLength(0);
    expect(mailOf(clusterAdmin.email, 'VOTE_OPENED')).toHaveLength(0);
    expect(mailOf(delegates[0].email, 'VOTE_OPENED')[0].text).toContain('(Assemblée générale)');
  });
});

describe('a proxy', () => {
  it('is announced to its holder only, in the transaction that records it; a refused proxy mails nobody', async () => {
    const id = (await draft(app, board.admin.token, [board.clusterId])).id;
    await open(app, board.admin.token, id, inDays(2));
    await delivered();
    const [principal, holder, other] = board.members;
    const given = ok(await app.gql(GRANT, { input: { proposalId: id, holderAccountId: holder.accountId } }, { token: principal.token }));
    const proxyId = given.grantProxy.proxy.id as string;
    expect(await queued('PROXY_RECEIVED', proxyId)).toBe(1);
    // A second proxy while the first stands is refused: nothing queued.
    const second = await app.gql(GRANT, { input: { proposalId: id, holderAccountId: other.accountId } }, { token: principal.token });
    expect(refused(second)).toEqual({ code: 'CONFLICT', reason: 'PROXY_STANDING' });
    const [{ n }] = await app.sql<{ n: number }>(
      `select count(*)::int as n from notification where kind = 'PROXY_RECEIVED' and payload->>'proposalId' = $1`,
      [id],
    );
    expect(n).toBe(1);
    await delivered();

    const title = (await app.sql(`select title from proposal where id = $1`, [id]))[0].title as string;
    const mails = mailOf(holder.email, 'PROXY_RECEIVED').filter((mail) => mail.subject.includes(title));
    expect(mails).toHaveLength(1);
    expect(mails[0].subject).toBe(`Procuration reçue de ${principal.email} : ${title}`);
    expect(mails[0].text).toContain(`${principal.email} vous a donné procuration pour le vote « ${title} » (Conseil d’administration).`);
    for (const person of [principal, other]) {
      expect(mailOf(person.email, 'PROXY_RECEIVED').filter((mail) => mail.subject.includes(title))).toHaveLength(0);
    }
    // Used by the holder: the receipt goes to the holder, never into a message.
    await vote(holder.token, id, 'AGAINST', { onBehalfOf: principal.accountId });
  });
});

describe('a vote closing within 24 hours', () => {
  it('reminds, once, whatever the ticks and instances, the electors who have not voted and gave no standing proxy', async () => {
    const reminded = await createBoard(app, { name: 'Reminded board', colleges: 3, membersPerCollege: 2 });
    const [m0, m1, m2, m3, m4, m5] = reminded.members;
    const { id, title } = await draft(app, reminded.admin.token, [reminded.clusterId]);
    const closing = inDays(3);
    await open(app, reminded.admin.token, id, closing);
    // A vote of 2 hours: its opening message is its reminder.
    const short = await draft(app, reminded.admin.token, [reminded.clusterId]);
    await open(app, reminded.admin.token, short.id, new Date(app.clock.now().getTime() + 2 * HOUR).toISOString());

    await vote(m0.token, id, 'FOR');
    ok(await app.gql(GRANT, { input: { proposalId: id, holderAccountId: m2.accountId } }, { token: m1.token }));
    await vote(m2.token, id, 'ABSTAIN', { onBehalfOf: m1.accountId });
    // m4 gives a proxy to m5, not used yet: m4 may not vote, m5 is reminded of their own vote.
    ok(await app.gql(GRANT, { input: { proposalId: id, holderAccountId: m5.accountId } }, { token: m4.token }));

    const logger = app.collegia.deps.logger;
    const scheduler = () =>
      new Scheduler(app.collegia.orm, [VOTE_CLOSING_SOON_JOB], app.clock.now, logger, { tickMs: 60_000, dailyHour: 0 });
    const [one, two] = [scheduler(), scheduler()];
    // Three days before: not yet.
    expect((await one.tick())['vote-closing-soon']).toBe(0);
    expect(await queued('VOTE_CLOSING_SOON', short.id)).toBe(0);

    app.clock.advance(2 * DAY + 12 * HOUR);
    const [a, b] = await Promise.all([one.tick(), two.tick()]);
    expect(a['vote-closing-soon']! + b['vote-closing-soon']!).toBe(3);
    expect((await one.tick())['vote-closing-soon']).toBe(0);
    expect(await two.runNow('vote-closing-soon')).toBe(0);
    expect(await queued('VOTE_CLOSING_SOON', id)).toBe(3);
    expect(await queued('VOTE_CLOSING_SOON', short.id)).toBe(0);

    await delivered();
    for (const person of [m2, m3, m5]) {
      const mails = mailOf(person.email, 'VOTE_CLOSING_SOON');
      expect(mails).toHaveLength(1);
      expect(mails[0].subject).toBe(`Rappel : le vote « ${title} » se clôt dans moins de 24 heures`);
      expect(mails[0].text).toContain(`Vous n'avez pas encore voté sur « ${title} » (Conseil d’administration).`);
      expect(mails[0].text).toContain(frenchMoment(closing));
    }
    for (const person of [m0, m1, m4, reminded.admin]) expect(mailOf(person.email, 'VOTE_CLOSING_SOON')).toHaveLength(0);

    // Voting afterwards changes nothing; a later tick sends nothing again.
    await vote(m3.token, id, 'FOR');
    app.clock.advance(6 * HOUR);
    expect((await one.tick())['vote-closing-soon']).toBe(0);
  });
});

describe('a board mandate ending', () => {
  it('is announced once, within 60 days, to the cluster’s current administrators only', async () => {
    const ending = await createBoard(app, { name: 'Ending board', colleges: 1, membersPerCollege: 0 });
    const secondAdmin = await app.signUp({ role: Role.CLUSTER_ADMIN, clusterId: ending.clusterId });
    const elsewhere = await createBoard(app, { name: 'Another cluster', colleges: 1, membersPerCollege: 0 });
    const appoint = async (admin: Person, clusterId: string, collegeId: string, endsAt?: string, startsAt?: string) => {
      const person = await app.signUp();
      const data = ok(
        await app.gql(
          `mutation($input: AppointBoardMemberInput!) { appointBoardMember(input: $input) { mandate { id } } }`,
          { input: { clusterId, collegeId, accountId: person.accountId, endsAt, startsAt } },
          { token: admin.token },
        ),
      );
      return { ...person, mandateId: data.appointBoardMember.mandate.id as string };
    };
    const college = ending.colleges[0];
    const soonEnd = inDays(30);
    const soon = await appoint(ending.admin, ending.clusterId, college, soonEnd);
    await appoint(ending.admin, ending.clusterId, college, inDays(90));
    // Renewed: the same holder holds the seat again from the end of this mandate.
    const renewedEnd = inDays(20);
    const renewed = await appoint(ending.admin, ending.clusterId, college, renewedEnd);
    ok(
      await app.gql(
        `mutation($input: AppointBoardMemberInput!) { appointBoardMember(input: $input) { mandate { id } } }`,
        { input: { clusterId: ending.clusterId, collegeId: college, accountId: renewed.accountId, startsAt: renewedEnd } },
        { token: ending.admin.token },
      ),
    );
    const otherSoon = await appoint(elsewhere.admin, elsewhere.clusterId, elsewhere.colleges[0], inDays(10));

    const logger = app.collegia.deps.logger;
    const scheduler = () =>
      new Scheduler(app.collegia.orm, [BOARD_MANDATE_ENDING_JOB], app.clock.now, logger, { tickMs: 60_000, dailyHour: 0 });
    const [one, two] = [scheduler(), scheduler()];
    const [a, b] = await Promise.all([one.tick(), two.tick()]);
    // One instance ran it; the other found the day taken. Two admins here, one there.
    expect([a['board-mandate-ending'], b['board-mandate-ending']].sort()).toEqual([3, null]);
    expect(await one.runNow('board-mandate-ending')).toBe(0);
    expect(await queued('MANDATE_ENDING', soon.mandateId)).toBe(2);
    expect(await queued('MANDATE_ENDING', renewed.mandateId)).toBe(0);
    expect(await queued('MANDATE_ENDING', otherSoon.mandateId)).toBe(1);

    await delivered();
    const endsOn = frenchDay(new Date(soonEnd));
    for (const admin of [ending.admin, secondAdmin]) {
      const mails = mailOf(admin.email, 'MANDATE_ENDING');
      expect(mails).toHaveLength(1);
      expect(mails[0].subject).toBe(`Fin de mandat le ${endsOn} : ${soon.email}, membre de Conseil d’administration`);
      expect(mails[0].text).toContain(
        `Le mandat de ${soon.email}, membre de Conseil d’administration (Ending board), prend fin le ${endsOn}.`,
      );
    }
    expect(mailOf(elsewhere.admin.email, 'MANDATE_ENDING')).toHaveLength(1);
    expect(mailOf(soon.email, 'MANDATE_ENDING')).toHaveLength(0);

    // A day later: an administrator appointed since is told; nobody else twice.
    const lateAdmin = await app.signUp({ role: Role.CLUSTER_ADMIN, clusterId: ending.clusterId });
    app.clock.advance(DAY);
    expect((await one.tick())['board-mandate-ending']).toBe(1);
    await delivered();
    expect(mailOf(lateAdmin.email, 'MANDATE_ENDING')).toHaveLength(1);
    expect(mailOf(ending.admin.email, 'MANDATE_ENDING')).toHaveLength(1);
  });
});

describe('what the messages never say', () => {
  it('carries no choice and no receipt, in the outbox or in any message received', async () => {
    expect(receipts.length).toBeGreaterThan(0);
    const rows = await app.sql<{ kind: string; keys: string[] }>(
      `select kind, array(select jsonb_object_keys(payload) order by 1) as keys from notification
        where kind in ('VOTE_OPENED', 'VOTE_CLOSING_SOON', 'PROXY_RECEIVED') group by kind, keys`,
    );
    const vote = ['bodyName', 'closesAt', 'proposalId', 'title'];
    for (const row of rows) expect(row.keys).toEqual(row.kind === 'PROXY_RECEIVED' ? [...vote, 'grantorName'].sort() : vote);
    expect(smtp.received.length).toBeGreaterThan(20);
    for (const mail of smtp.received) {
      for (const part of [mail.subject, mail.text, mail.html]) {
        expect(part).not.toMatch(/\b(FOR|AGAINST|ABSTAIN)\b/);
        expect(part).not.toMatch(/reçu de vote|receipt/i);
        for (const receipt of receipts) expect(part).not.toContain(receipt);
      }
    }
  });
});

describe('statements', () => {
  /** A board of `members` seat holders, set up through the services (fast), and a drafted proposal. */
  async function boardOf(members: number): Promise<{ admin: Person; proposalId: string }> {
    const b = await createBoard(app, { name: `Board of ${members}`, colleges: 4, membersPerCollege: 0, seats: Math.ceil(members / 4) });
    for (let i = 0; i < members; i += 1) {
      const email = `elector-${members}-${i}@example.test`;
      const account = await app.services().auth.register({ email, password: 'correct horse battery staple', displayName: email });
      await app.services().bodies.appoint({ clusterId: b.clusterId, collegeId: b.colleges[i % 4], accountId: account.id });
    }
    const { id } = await draft(app, b.admin.token, [b.clusterId]);
    return { admin: b.admin, proposalId: id };
  }

  it('opening a vote uses the same number of statements for 10 and 200 electors, all of them mailed', async () => {
    const counted = async (members: number) => {
      const { admin, proposalId } = await boardOf(members);
      const query = `mutation($input: OpenVotingInput!) { openVoting(input: $input) { proposal { id state } } }`;
      const variables = { input: { proposalId, closesAt: inDays(2) } };
      app.resetSqlCount();
      ok(await app.gql(query, variables, { token: admin.token }));
      const statements = app.sqlCount();
      expect(await queued('VOTE_OPENED', proposalId)).toBe(members);
      return statements;
    };
    await counted(3); // warms the app's caches
    const ten = await counted(10);
    const twoHundred = await counted(200);
    expect(twoHundred).toBe(ten);
    process.stdout.write(`openVoting: ${ten} statements for 10 electors, ${twoHundred} for 200\n`);
    await delivered();
  });
});
