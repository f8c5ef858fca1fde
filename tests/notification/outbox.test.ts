import 'reflect-metadata';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createApp, type CollegiaApp } from '../../src/app.js';
import { Role } from '../../src/auth/role.js';
import { loadConfig } from '../../src/config.js';
import { NotificationKind } from '../../src/notification/notification-kind.js';
import { enqueue, enqueueMany } from '../../src/notification/outbox.js';
import { Scheduler, type ScheduledJob } from '../../src/notification/scheduler.js';
import { refusal } from '../support/refusals.js';
import { startTestSmtpServer, type TestSmtpServer } from '../support/smtp.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

let app: TestApp;
let smtp: TestSmtpServer;
let admin: { accountId: string; token: string };

const VOTE = {
  proposalId: '00000000-0000-4000-8000-000000000001',
  title: 'Fusion avec Cap Digital',
  bodyName: 'Conseil',
  closesAt: '2026-12-10T17:00:00Z',
};

beforeAll(async () => {
  smtp = await startTestSmtpServer();
  app = await startTestApp({ env: { SMTP_URL: smtp.url, PUBLIC_URL: 'https://collegia.example.org' } });
  admin = await app.signUp({ role: Role.ADMIN });
});

afterAll(async () => {
  await app?.close();
  await smtp?.close();
});

/** Queues `count` VOTE_OPENED messages in one statement, committed. */
async function queueVote(count: number, eventKey: string): Promise<number> {
  const em = app.collegia.orm.em.fork();
  return em.transactional((tx) =>
    enqueueMany(tx, app.clock.now(), NotificationKind.VOTE_OPENED, {
      sql: `select null::uuid as account_id, 'elector-' || i || '@example.test' as email, ? as event_key, ?::jsonb as payload
              from generate_series(1, ?) as i`,
      params: [eventKey, JSON.stringify(VOTE), count],
    }),
  );
}

const delivered = () => app.collegia.notifications.worker.drain();

describe('the transactional outbox', () => {
  it('queues nothing when the change rolls back, so nothing is sent', async () => {
    const before = smtp.received.length;
    const em = app.collegia.orm.em.fork();
    await expect(
      em.transactional(async (tx) => {
        await enqueue(tx, app.clock.now(), { kind: NotificationKind.VOTE_OPENED, email: 'rolled-back@example.test', payload: VOTE });
        throw new Error('the change fails after queueing its message');
      }),
    ).rejects.toThrow('the change fails');
    expect(await app.sql(`select 1 from notification where email = 'rolled-back@example.test'`)).toHaveLength(0);
    await delivered();
    expect(smtp.received.length).toBe(before);
    expect(smtp.to('rolled-back@example.test')).toHaveLength(0);
  });

  it('delivers through SMTP, French first, plain text and HTML, with the link and a Message-ID', async () => {
    await queueVote(1, 'delivery-shape');
    const round = await delivered();
    expect(round.sent).toBe(1);
    const [mail] = smtp.to('elector-1@example.test');
    expect(mail.subject).toBe('Vote ouvert : Fusion avec Cap Digital');
    expect(mail.text.indexOf('Le vote « Fusion avec Cap Digital » est ouvert')).toBeGreaterThanOrEqual(0);
    expect(mail.text.indexOf('— English —')).toBeGreaterThan(mail.text.indexOf('Le scrutin se clôt le 10 décembre 2026 à 18 h 00'));
    expect(mail.text).toContain(`https://collegia.example.org/proposals/${VOTE.proposalId}`);
    expect(mail.html).toContain('<html lang="fr">');
    expect(mail.html).toContain(`href="https://collegia.example.org/proposals/${VOTE.proposalId}"`);
    expect(mail.headers.get('x-collegia-notification')).toBe('VOTE_OPENED');
    const [row] = await app.sql(
      `select id, status, attempts, sent_at, message_id from notification where email = 'elector-1@example.test'`,
    );
    expect(row).toMatchObject({ status: 'SENT', attempts: 1 });
    expect(mail.messageId).toBe(`<${row.id}@collegia>`);
  });

  it('escapes what people typed in the HTML part', async () => {
    const em = app.collegia.orm.em.fork();
    await em.transactional((tx) =>
      enqueue(tx, app.clock.now(), {
        kind: NotificationKind.VOTE_OPENED,
        email: 'escape@example.test',
        payload: { ...VOTE, title: '<script>x</script> & co' },
      }),
    );
    await delivered();
    const [mail] = smtp.to('escape@example.test');
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).toContain('&lt;script&gt;x&lt;/script&gt; &amp; co');
  });

  it('queues one message per event and recipient, however often it is queued', async () => {
    expect(await queueVote(3, 'once')).toBe(3);
    expect(await queueVote(3, 'once')).toBe(0);
    expect(await queueVote(4, 'once')).toBe(1);
    const rows = await app.sql(`select count(*)::int as n from notification where dedupe_key like 'VOTE_OPENED:once:%'`);
    expect(rows[0].n).toBe(4);
    await delivered();
  });

  it('retries a deferred message with back-off, and delivers it when the server accepts again', async () => {
    smtp.rejectNext(1, 451);
    await queueVote(1, 'deferred');
    const first = await delivered();
    expect(first).toMatchObject({ sent: 0, retried: 1, failed: 0 });
    const [pending] = await app.sql(
      `select status, attempts, last_error, next_attempt_at > $1::timestamptz as later from notification where dedupe_key = 'VOTE_OPENED:deferred:elector-1@example.test'`,
      [app.clock.now()],
    );
    expect(pending).toMatchObject({ status: 'PENDING', attempts: 1, later: true });
    expect(pending.last_error).toMatch(/451|Try again/);
    // Not before its time…
    expect((await delivered()).claimed).toBe(0);
    // …then delivered.
    app.clock.advance(31_000);
    expect((await delivered()).sent).toBe(1);
  });

  it('gives up at once on a permanent refusal; an administrator sends it again', async () => {
    smtp.rejectNext(1, 550);
    await queueVote(1, 'refused');
    expect(await delivered()).toMatchObject({ sent: 0, failed: 1 });
    const [failed] = await app.sql(`select id, status from notification where dedupe_key = 'VOTE_OPENED:refused:elector-1@example.test'`);
    expect(failed.status).toBe('FAILED');

    const outbox = await app.gql(
      `{ outbox(filter: { status: FAILED }) { edges { node { id kind email status attempts lastError } } } }`,
      {},
      { token: admin.token },
    );
    expect(outbox.body.data!.outbox.edges.map((e: any) => e.node.id)).toContain(failed.id);

    const retry = `mutation($id: ID!) { retryNotification(id: $id) { notification { status attempts } } }`;
    const done = await app.gql(retry, { id: failed.id }, { token: admin.token });
    expect(done.body.data!.retryNotification.notification).toEqual({ status: 'PENDING', attempts: 0 });
    expect((await delivered()).sent).toBe(1);
    expect(refusal(await app.gql(retry, { id: failed.id }, { token: admin.token }))).toEqual({
      code: 'CONFLICT',
      reason: 'NOTIFICATION_NOT_FAILED',
    });
  });

  it('lets only platform administrators read the outbox, which names every recipient', async () => {
    const member = await app.signUp();
    expect(refusal(await app.gql(`{ outbox { totalCount } }`, {}, { token: member.token }))).toEqual({
      code: 'FORBIDDEN',
      reason: 'RIGHT_MISSING',
    });
    expect(refusal(await app.gql(`{ outbox { totalCount } }`))).toEqual({ code: 'UNAUTHENTICATED', reason: 'SIGN_IN_REQUIRED' });
    const [someone] = await app.sql(`select id from notification limit 1`);
    expect(
      refusal(
        await app.gql(
          `mutation($id: ID!) { retryNotification(id: $id) { notification { id } } }`,
          { id: someone.id },
          { token: member.token },
        ),
      ),
    ).toEqual({
      code: 'FORBIDDEN',
      reason: 'RIGHT_MISSING',
    });
  });

  it('reads a page of 10 or 200 messages with the same statements', async () => {
    await queueVote(200, 'paging');
    const page = (first: number) =>
      app.gql(
        `query($first: Int) { outbox(first: $first) { totalCount edges { node { id kind email status } } } }`,
        { first },
        { token: admin.token },
      );
    await page(1);
    app.resetSqlCount();
    expect((await page(10)).body.data!.outbox.edges).toHaveLength(10);
    const ten = app.sqlCount();
    app.resetSqlCount();
    expect((await page(200)).body.data!.outbox.edges).toHaveLength(200);
    expect(app.sqlCount()).toBe(ten);
    await delivered();
  });
});

describe('the worker in the background', () => {
  it('delivers what is queued without being asked, and stops with the round in flight finished', async () => {
    const worker = app.collegia.notifications.worker;
    worker.start();
    try {
      const before = smtp.received.length;
      await app.collegia.orm.em
        .fork()
        .transactional((tx) =>
          enqueue(tx, app.clock.now(), { kind: NotificationKind.VOTE_OPENED, email: 'background@example.test', payload: VOTE }),
        );
      await smtp.waitFor(before + 1);
      expect(smtp.to('background@example.test')).toHaveLength(1);
    } finally {
      await worker.stop();
    }
    // Stopped: a message queued now waits.
    await app.collegia.orm.em
      .fork()
      .transactional((tx) =>
        enqueue(tx, app.clock.now(), { kind: NotificationKind.VOTE_OPENED, email: 'after-stop@example.test', payload: VOTE }),
      );
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(smtp.to('after-stop@example.test')).toHaveLength(0);
    await delivered();
  });
});

describe('preferences', () => {
  const prefs = `{ viewer { notificationPreferences { kind enabled canBeTurnedOff } } }`;
  const set = `mutation($kind: NotificationKind!, $enabled: Boolean!) { setNotificationPreference(kind: $kind, enabled: $enabled) { kind enabled } }`;

  it('lets each person turn a kind off, and the outbox then skips them', async () => {
    const person = await app.signUp();
    const all = (await app.gql(prefs, {}, { token: person.token })).body.data!.viewer.notificationPreferences;
    expect(all).toContainEqual({ kind: 'VOTE_OPENED', enabled: true, canBeTurnedOff: true });
    expect(all).toContainEqual({ kind: 'PASSWORD_RESET', enabled: true, canBeTurnedOff: false });

    const off = await app.gql(set, { kind: 'VOTE_OPENED', enabled: false }, { token: person.token });
    expect(off.body.data!.setNotificationPreference).toContainEqual({ kind: 'VOTE_OPENED', enabled: false });
    const em = app.collegia.orm.em.fork();
    const queued = await em.transactional((tx) =>
      enqueue(tx, app.clock.now(), { kind: NotificationKind.VOTE_OPENED, accountId: person.accountId, email: person.email, payload: VOTE }),
    );
    expect(queued).toBe(false);
    // Another kind still reaches them.
    const other = await em.fork().transactional((tx) =>
      enqueue(tx, app.clock.now(), {
        kind: NotificationKind.VOTE_CLOSING_SOON,
        accountId: person.accountId,
        email: person.email,
        payload: VOTE,
      }),
    );
    expect(other).toBe(true);

    await app.gql(set, { kind: 'VOTE_OPENED', enabled: true }, { token: person.token });
    const again = await em.fork().transactional((tx) =>
      enqueue(tx, app.clock.now(), {
        kind: NotificationKind.VOTE_OPENED,
        accountId: person.accountId,
        email: person.email,
        payload: VOTE,
      }),
    );
    expect(again).toBe(true);
    await delivered();
  });

  it('refuses to turn security mail off, and changes nothing', async () => {
    const person = await app.signUp();
    expect(refusal(await app.gql(set, { kind: 'PASSWORD_RESET', enabled: false }, { token: person.token }))).toEqual({
      code: 'BAD_USER_INPUT',
      reason: 'SECURITY_MAIL_REQUIRED',
    });
    expect(await app.sql(`select 1 from notification_opt_out where account_id = $1`, [person.accountId])).toHaveLength(0);
    expect(refusal(await app.gql(set, { kind: 'VOTE_OPENED', enabled: false }))).toEqual({
      code: 'UNAUTHENTICATED',
      reason: 'SIGN_IN_REQUIRED',
    });
  });
});

describe('scheduled jobs', () => {
  it('run a daily job once a day whatever the number of ticks, and a rerun queues nothing new', async () => {
    const job: ScheduledJob = {
      name: 'test-daily',
      cadence: 'daily',
      run: (tx, now) =>
        enqueueMany(tx, now, NotificationKind.MANDATE_ENDING, {
          sql: `select null::uuid as account_id, 'admin-' || i || '@example.test' as email, 'mandate-' || i as event_key, ?::jsonb as payload from generate_series(1, 3) i`,
          params: [
            JSON.stringify({
              mandateId: 'm',
              personName: 'Maryam Bini',
              mandate: 'REPRESENTATIVE',
              scopeName: 'Start-ups',
              clusterName: 'FSD',
              endsOn: '2027-01-31',
            }),
          ],
        }),
    };
    const logger = app.collegia.deps.logger;
    const noon = () => new Date('2026-12-03T11:00:00Z');
    const one = new Scheduler(app.collegia.orm, [job], noon, logger, { tickMs: 60_000, dailyHour: 7 });
    const two = new Scheduler(app.collegia.orm, [job], noon, logger, { tickMs: 60_000, dailyHour: 7 });
    const [a, b] = await Promise.all([one.tick(), two.tick()]);
    // One instance ran it (3 queued); the other found the day taken.
    expect([a['test-daily'], b['test-daily']].sort()).toEqual([3, null]);
    expect((await one.tick())['test-daily']).toBeNull();
    // Forced again (an operator's rerun): each message was already queued.
    expect(await one.runNow('test-daily')).toBe(0);
    // Before the hour, a new day's run waits.
    const early = new Scheduler(app.collegia.orm, [job], () => new Date('2026-12-04T05:00:00Z'), logger, { tickMs: 60_000, dailyHour: 7 });
    expect(await early.tick()).toEqual({});
    const [run] = await app.sql(`select queued from scheduled_run where job = 'test-daily' and day = '2026-12-03'`);
    expect(run.queued).toBe(3);
    await delivered();
    expect(smtp.to('admin-1@example.test')).toHaveLength(1);
    expect(smtp.to('admin-1@example.test')[0].subject).toBe(
      'Fin de mandat le 31 janvier 2027 : Maryam Bini, représentant du collège Start-ups',
    );
  });
});

describe('two instances on one database', () => {
  it('deliver each message once', async () => {
    const twin: CollegiaApp = await createApp({
      config: loadConfig({ NODE_ENV: 'test', DATABASE_URL: app.databaseUrl, LOG_LEVEL: 'silent', SMTP_URL: smtp.url }),
      clock: app.clock.now,
    });
    try {
      const before = smtp.received.length;
      const queued = await queueVote(300, 'twins');
      expect(queued).toBe(300);
      const workers = [app.collegia.notifications.worker, twin.notifications.worker];
      // Both poll at once, in small batches, so that they compete for the same rows.
      const rounds = await Promise.all(
        workers.map(async (worker) => {
          let sent = 0;
          for (;;) {
            const round = await worker.runOnce();
            sent += round.sent;
            if (round.claimed === 0) return sent;
          }
        }),
      );
      expect(rounds[0] + rounds[1]).toBe(300);
      expect(rounds[0]).toBeGreaterThan(0);
      expect(rounds[1]).toBeGreaterThan(0);
      await smtp.waitFor(before + 300);
      const ids = smtp.received.slice(before).map((mail) => mail.messageId);
      expect(new Set(ids).size).toBe(300);
      const [left] = await app.sql(
        `select count(*)::int as n from notification where status <> 'SENT' and dedupe_key like 'VOTE_OPENED:twins:%'`,
      );
      expect(left.n).toBe(0);
    } finally {
      await twin.close();
    }
  });
});

describe('without SMTP_URL', () => {
  it('writes each message to the local mailbox as an .eml file', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'collegia-mail-'));
    const local = await createApp({
      config: loadConfig({ NODE_ENV: 'test', DATABASE_URL: app.databaseUrl, LOG_LEVEL: 'silent', MAIL_DIR: dir }),
      clock: app.clock.now,
    });
    try {
      await local.orm.em
        .fork()
        .transactional((tx) =>
          enqueue(tx, app.clock.now(), { kind: NotificationKind.VOTE_OPENED, email: 'mailbox@example.test', payload: VOTE }),
        );
      expect((await local.notifications.worker.drain()).sent).toBeGreaterThanOrEqual(1);
      const files = (await readdir(dir)).filter((name) => name.endsWith('.eml'));
      const contents = await Promise.all(files.map((name) => readFile(path.join(dir, name), 'utf8')));
      const mine = contents.find((text) => text.includes('To: mailbox@example.test'));
      const [row] = await app.sql<{ id: string }>(`select id from notification where email = 'mailbox@example.test'`);
      // Named by time, kind and the message's id, so that a mailbox lists them in order and each is found from the outbox.
      expect(files.some((name) => name.endsWith(`-vote_opened-${row.id}.eml`))).toBe(true);
      expect(mine).toBeDefined();
      expect(mine).toContain('Content-Type: text/html');
      expect(mine).toContain('Content-Type: text/plain');
    } finally {
      await local.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
