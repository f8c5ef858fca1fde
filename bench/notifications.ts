/**
 * Notifications benchmark (issue 13): `npm run bench:notifications`.
 *
 * A general assembly of 5 000 delegates opens a vote: the 5 000 VOTE_OPENED messages are queued
 * in the opening's transaction by a bounded number of statements, then delivered over SMTP.
 *
 *   1. A throw-away embedded PostgreSQL (.tmp/bench-notifications-<pid>-<random>/, removed at the
 *      end, also on failure), a database migrated by the app at start; the app itself
 *      (`createApp`, NODE_ENV=production, listening on 127.0.0.1) with SMTP_URL pointing at an
 *      SMTP server this bench starts in a child process (bench/smtp-sink.ts, the `smtp-server`
 *      package); the app's worker and scheduler are not started: the bench runs the worker.
 *   2. The data: two clusters, each with a general assembly — a small one of BENCH_NOTIFICATIONS_SMALL
 *      delegates and the large one of BENCH_NOTIFICATIONS_DELEGATES — their organisations, their
 *      ACTIVE memberships and one delegate account each (set-based SQL); a CLUSTER_ADMIN of each,
 *      signed in; RESOLUTION proposals put to each assembly (through the services).
 *   3. Openings, each one `openVoting` over HTTP as the cluster's administrator, every SQL statement
 *      of the request recorded (authentication, begin and commit included) with the time the ORM
 *      measured for it:
 *      - the small assembly, with mail (also warms the process), whose messages are delivered at once;
 *      - the large assembly: a warm-up, then BENCH_NOTIFICATIONS_ROUNDS rounds (in alternating order)
 *        of **the baseline** — the same opening of the same assembly, every delegate having turned
 *        VOTE_OPENED off: same code, same statements, the queueing statement reading the electorate
 *        and inserting nothing — and **the opening with mail**, queueing one message per delegate.
 *        Medians are printed. Only the last opening's messages are kept for delivery (the earlier
 *        rounds' are deleted from the outbox).
 *   4. Delivery: the app's real DeliveryWorker (`drain()`: batches claimed with FOR UPDATE SKIP
 *      LOCKED, sent over nodemailer's SMTP pool, marked SENT) until the outbox is empty, timed;
 *      the SMTP server then says how many messages, distinct Message-IDs and recipients arrived.
 *   5. Checks: the electorates snapshotted, one queued message per delegate (none for the
 *      baseline), every message SENT, as many distinct messages received as delegates, the first
 *      one's French subject, the statement count equal at both sizes.
 *
 * The exit code is non-zero if a check fails.
 *
 *   BENCH_NOTIFICATIONS_DELEGATES  5000  delegates of the large assembly
 *   BENCH_NOTIFICATIONS_SMALL      50    delegates of the small one (the statement count must not change)
 *   BENCH_NOTIFICATIONS_ROUNDS     3     rounds of the baseline and the opening with mail
 *   BENCH_NOTIFICATIONS_SQL        —     1: print every statement of the last baseline and opening with mail
 */
import 'reflect-metadata';
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { recordingOrmOptions, StatementRecorder, type Statement } from './statements.js';
import { simpleParser } from 'mailparser';
import pg from 'pg';
import { pino } from 'pino';
import { createApp, type CollegiaApp } from '../src/app.js';
import { DEFAULT_DELIVERY } from '../src/notification/delivery-worker.js';
import { trustedScope } from '../src/auth/domain-service.js';
import { clusterScope } from '../src/auth/permissions.js';
import { Role } from '../src/auth/role.js';
import { loadConfig } from '../src/config.js';
import { ensureDatabase } from '../src/database/database.js';
import { startEmbeddedPostgres, withDatabase, type EmbeddedDatabase } from '../src/database/embedded-postgres.js';
import { ProposalKind } from '../src/governance/proposal.entity.js';
import { BodyKind } from '../src/governance/voting-body.entity.js';
import { Majority, Secrecy, Weighting } from '../src/governance/voting-rules.js';
import { ClusterKind } from '../src/membership/cluster.entity.js';
import { createServices, type Services } from '../src/services.js';
import { BENCH_DIR, intEnv, PROJECT_ROOT, runMain } from './settings.js';
import type { SinkMessage, SinkRequest } from './smtp-sink.js';

const settings = {
  delegates: intEnv('BENCH_NOTIFICATIONS_DELEGATES', 5000, 10, 200_000),
  small: intEnv('BENCH_NOTIFICATIONS_SMALL', 50, 1, 200_000),
  rounds: intEnv('BENCH_NOTIFICATIONS_ROUNDS', 3, 1, 20),
  printSql: process.env.BENCH_NOTIFICATIONS_SQL === '1',
};

const log = (message: string) => process.stderr.write(`[bench:notifications] ${message}\n`);
const PASSWORD = 'bench-notifications-password';

// ---------------------------------------------------------------------------------------------
// Counting the ORM's statements: bench/statements.ts

// ---------------------------------------------------------------------------------------------
// The SMTP server, in a child process

interface Sink {
  url: string;
  stats(reset?: boolean): Promise<Extract<SinkMessage, { type: 'stats' }>>;
  stop(): void;
}

async function startSink(): Promise<Sink> {
  // The same Node and TypeScript loader as this process (inherited execArgv).
  const child: ChildProcess = fork(path.join(BENCH_DIR, 'smtp-sink.ts'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  process.on('exit', () => child.kill('SIGKILL'));
  const next = (type: SinkMessage['type']) =>
    new Promise<SinkMessage>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the SMTP server did not answer (${type})`)), 30_000);
      const onMessage = (message: SinkMessage) => {
        if (message.type !== type) return;
        clearTimeout(timer);
        child.off('message', onMessage);
        resolve(message);
      };
      child.on('message', onMessage);
      child.once('exit', (code) => reject(new Error(`the SMTP server exited (${code})`)));
    });
  const ready = (await next('ready')) as Extract<SinkMessage, { type: 'ready' }>;
  return {
    url: `smtp://127.0.0.1:${ready.port}`,
    async stats(reset = false) {
      const answer = next('stats');
      child.send({ type: reset ? 'reset' : 'stats' } satisfies SinkRequest);
      return (await answer) as Extract<SinkMessage, { type: 'stats' }>;
    },
    stop: () => child.kill('SIGTERM'),
  };
}

// ---------------------------------------------------------------------------------------------
// The data

const RULES = {
  quorumBasisPoints: 2500,
  majority: Majority.SIMPLE,
  abstentionsCount: false,
  weighting: Weighting.PER_VOTER,
  collegeWeights: [],
  doubleMajorityColleges: null,
  proxyLimit: 2,
  proxySameCollege: false,
  secrecy: Secrecy.SECRET,
};

interface Assembly {
  clusterId: string;
  delegates: number;
  admin: { accountId: string; email: string; token: string };
  delegateIds: string[];
  /** Drafted RESOLUTIONs put to the assembly, to open one after the other. */
  proposals: string[];
}

/** `insert into table (…) select … from unnest($1::t1[], …)`, plus constant expressions (created_at and updated_at: now()). */
async function insert(
  client: pg.Client,
  table: string,
  columns: Record<string, [type: string, values: unknown[]]>,
  constants: Record<string, string> = {},
): Promise<void> {
  const names = Object.keys(columns);
  const fixed = { created_at: 'now()', updated_at: 'now()', ...constants };
  await client.query(
    `insert into "${table}" (${[...names, ...Object.keys(fixed)].map((n) => `"${n}"`).join(', ')})
     select ${[...names.map((n) => `u."${n}"`), ...Object.values(fixed)].join(', ')}
       from unnest(${names.map((n, i) => `$${i + 1}::${columns[n][0]}[]`).join(', ')}) as u(${names.map((n) => `"${n}"`).join(', ')})`,
    names.map((n) => columns[n][1]),
  );
}

/** A cluster with one collège and a general assembly of `delegates` member organisations, each with its delegate. */
async function loadAssembly(
  collegia: CollegiaApp,
  client: pg.Client,
  name: string,
  delegates: number,
  openings: number,
): Promise<Assembly> {
  const system = services(collegia);
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-');
  const clusterId = (await system.clusters.createCluster({ name, slug, kind: ClusterKind.CLUSTER })).id;
  const collegeId = (await services(collegia).clusters.createCollege({ clusterId, name: 'Membres', slug: 'membres', theme: 'membres' })).id;
  await services(collegia).bodies.configure({
    clusterId,
    kind: BodyKind.GENERAL_ASSEMBLY,
    name: `Assemblée générale de ${name}`,
    rules: RULES,
  });

  const adminEmail = `admin@${slug}.bench.test`;
  const admin = await services(collegia).auth.register({ email: adminEmail, password: PASSWORD, displayName: `Admin ${name}` });
  await services(collegia).roles.grant({ accountId: admin.id, role: Role.CLUSTER_ADMIN, clusterId }, clusterScope(clusterId));
  const { token } = await services(collegia).auth.login({ email: adminEmail, password: PASSWORD }, { address: 'bench', userAgent: null });

  const accounts = Array.from({ length: delegates }, (_, i) => ({ id: randomUUID(), email: `delegate-${i}@${slug}.bench.test` }));
  const organisations = Array.from({ length: delegates }, () => randomUUID());
  const startedOn = new Date(Date.now() - 400 * 86_400_000).toISOString().slice(0, 10);
  await insert(client, 'account', {
    id: ['uuid', accounts.map((a) => a.id)],
    email: ['text', accounts.map((a) => a.email)],
    display_name: ['text', accounts.map((_, i) => `Délégué ${i + 1}`)],
    // Delegates never sign in here: no password to hash.
    password_hash: ['text', accounts.map(() => '!')],
  });
  await insert(
    client,
    'organisation',
    {
      id: ['uuid', organisations],
      name: ['text', organisations.map((_, i) => `Membre ${i + 1} de ${name}`)],
    },
    { kind: `'COMPANY'::organisation_kind`, affiliations: `'{}'::text[]` },
  );
  await insert(client, 'membership', {
    id: ['uuid', organisations.map(() => randomUUID())],
    organisation_id: ['uuid', organisations],
    college_id: ['uuid', organisations.map(() => collegeId)],
    started_on: ['date', organisations.map(() => startedOn)],
    member_since: ['date', organisations.map(() => startedOn)],
  });
  const [{ id: bodyId }] = (await client.query(`select id from voting_body where cluster_id = $1`, [clusterId])).rows as { id: string }[];
  await insert(client, 'assembly_delegate', {
    id: ['uuid', organisations.map(() => randomUUID())],
    body_id: ['uuid', organisations.map(() => bodyId)],
    organisation_id: ['uuid', organisations],
    delegate_id: ['uuid', accounts.map((a) => a.id)],
  });

  const proposals: string[] = [];
  for (let i = 0; i < openings; i += 1) {
    const proposal = await services(collegia, admin.id).proposals.create({
      kind: ProposalKind.RESOLUTION,
      title: `Approbation des comptes ${2026 + i}`,
      text: 'L’assemblée générale approuve les comptes de l’exercice.',
      partyClusterIds: [clusterId],
      bodyKind: BodyKind.GENERAL_ASSEMBLY,
    });
    proposals.push(proposal.id);
  }
  return {
    clusterId,
    delegates,
    admin: { accountId: admin.id, email: adminEmail, token },
    delegateIds: accounts.map((a) => a.id),
    proposals,
  };
}

function services(collegia: CollegiaApp, accountId: string | null = null): Services {
  return createServices(trustedScope(collegia.orm.em.fork(), collegia.deps.audit, collegia.deps.clock, accountId), collegia.deps);
}

// ---------------------------------------------------------------------------------------------
// Measuring

interface Opening {
  label: string;
  proposalId: string;
  ms: number;
  statements: Statement[];
  /** The statement inserting into the outbox, with the time the ORM measured for it. */
  queueing: Statement | undefined;
  electors: number;
  queued: number;
}

async function openVoting(
  url: string,
  recorder: StatementRecorder,
  client: pg.Client,
  assembly: Assembly,
  label: string,
): Promise<Opening> {
  const proposalId = assembly.proposals.shift();
  if (!proposalId) throw new Error('no proposal left to open');
  const closesAt = new Date(Date.now() + 7 * 86_400_000).toISOString();
  recorder.start();
  const start = performance.now();
  let body: { data?: unknown; errors?: unknown[] };
  try {
    const response = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${assembly.admin.token}` },
      body: JSON.stringify({
        query: `mutation($input: OpenVotingInput!) { openVoting(input: $input) { proposal { id state } } }`,
        variables: { input: { proposalId, closesAt } },
      }),
    });
    body = (await response.json()) as typeof body;
  } finally {
    recorder.stop();
  }
  const ms = performance.now() - start;
  if (body.errors) throw new Error(`openVoting failed: ${JSON.stringify(body.errors)}`);
  const statements = recorder.statements;
  const [{ electors, queued }] = (
    await client.query(
      `select (select count(*)::int from elector e join proposal_party pp on pp.id = e.party_id where pp.proposal_id = $1) as electors,
              (select count(*)::int from notification where dedupe_key like 'VOTE_OPENED:' || $1 || ':%') as queued`,
      [proposalId],
    )
  ).rows as { electors: number; queued: number }[];
  return { label, proposalId, ms, statements, queueing: statements.find((s) => /insert into notification/i.test(s.sql)), electors, queued };
}

// Output

const fmt = (n: number) => n.toLocaleString('en-US');
const ms = (n: number) => `${n.toFixed(0)} ms`;
const shortSql = (sql: string, width = 110) => (sql.length > width ? `${sql.slice(0, width - 1)}…` : sql);
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

function printOpening(o: Opening): void {
  const inside = o.statements.reduce((sum, s) => sum + (s.took ?? 0), 0);
  console.log(
    `  ${o.label.padEnd(40)} ${ms(o.ms).padStart(7)}  ${String(o.statements.length).padStart(3)} statements  ` +
      `${fmt(o.electors).padStart(6)} electors  ${fmt(o.queued).padStart(6)} queued   ` +
      `queueing statement ${String(o.queueing?.took ?? '?').padStart(3)} ms, all statements ${inside} ms (as the ORM measured)`,
  );
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<number> {
  const dataDir = path.join(PROJECT_ROOT, '.tmp', `bench-notifications-${process.pid}-${randomBytes(4).toString('hex')}`);
  process.on('exit', () => rmSync(dataDir, { recursive: true, force: true }));
  // Each run's throw-away database: its audit checkpoints go with the run, not into .data/.
  process.env.AUDIT_CHECKPOINT_DIR ??= path.join(dataDir, 'audit-checkpoints');
  process.env.AUDIT_SIGNING_KEY ??= randomBytes(32).toString('hex');
  const failures: string[] = [];
  let postgres: EmbeddedDatabase | undefined;
  let sink: Sink | undefined;
  let collegia: CollegiaApp | undefined;
  let server: Server | undefined;
  let client: pg.Client | undefined;
  try {
    await mkdir(dataDir, { recursive: true });
    log(`starting embedded PostgreSQL in ${path.relative(PROJECT_ROOT, dataDir)} and the SMTP server`);
    [postgres, sink] = await Promise.all([
      startEmbeddedPostgres({ dataDir, logger: pino({ level: 'silent' }), persistent: false }),
      startSink(),
    ]);
    await ensureDatabase(postgres.url, 'bench_notifications');
    const databaseUrl = withDatabase(postgres.url, 'bench_notifications');

    log('starting the app (it migrates the database)');
    const recorder = new StatementRecorder();
    collegia = await createApp({
      config: loadConfig({
        NODE_ENV: 'production',
        DATABASE_URL: databaseUrl,
        MIGRATE_ON_START: 'true',
        SEED_DEMO: 'false',
        LOG_LEVEL: 'silent',
        SMTP_URL: sink.url,
        PUBLIC_URL: 'https://collegia.example.org',
        NOTIFICATION_WORKER: 'false',
        SCHEDULER: 'false',
      }),
      ormExtra: recordingOrmOptions(recorder),
    });
    const app = collegia;
    server = await new Promise<Server>((resolve) => {
      const s = app.app.listen(0, '127.0.0.1', () => resolve(s));
    });
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const db = new pg.Client({ connectionString: databaseUrl });
    client = db;
    await db.connect();

    log(`loading a general assembly of ${fmt(settings.small)} and one of ${fmt(settings.delegates)} delegates`);
    const loadStart = performance.now();
    const small = await loadAssembly(app, db, 'Petit Cluster', settings.small, 1);
    const large = await loadAssembly(app, db, 'Grand Cluster', settings.delegates, 1 + 2 * settings.rounds);
    await db.query('analyze');
    const loadMs = performance.now() - loadStart;

    log('opening the small assembly’s vote (with mail), delivering it');
    const smallOpening = await openVoting(url, recorder, db, small, `${fmt(settings.small)} delegates, with mail`);
    await app.notifications.worker.drain();

    // Mail off for the baseline: every delegate turns VOTE_OPENED off (and on again after it).
    const optOut = async (off: boolean) => {
      if (off) {
        await db.query(`insert into notification_opt_out (account_id, kind, created_at) select unnest($1::uuid[]), 'VOTE_OPENED', now()`, [
          large.delegateIds,
        ]);
      } else await db.query(`delete from notification_opt_out where account_id = any($1::uuid[])`, [large.delegateIds]);
      await db.query('vacuum analyze notification_opt_out');
    };
    const baselineRun = async (round: number) => {
      await optOut(true);
      const opening = await openVoting(url, recorder, db, large, `round ${round}: baseline (all opted out)`);
      await optOut(false);
      return opening;
    };
    log(`opening the large assembly’s votes: a warm-up, then ${settings.rounds} rounds of the baseline and the opening with mail`);
    await optOut(true);
    await openVoting(url, recorder, db, large, 'warm-up');
    await optOut(false);
    const baselines: Opening[] = [];
    const withMail: Opening[] = [];
    for (let round = 1; round <= settings.rounds; round += 1) {
      // Alternating which goes first, so that neither always runs on the other's leftovers.
      if (round % 2 === 0) withMail.push(await openVoting(url, recorder, db, large, `round ${round}: with mail`));
      baselines.push(await baselineRun(round));
      if (round % 2 === 1) withMail.push(await openVoting(url, recorder, db, large, `round ${round}: with mail`));
      if (round < settings.rounds) {
        // One opening's messages are delivered below: the earlier rounds' are discarded.
        await db.query(`delete from notification where dedupe_key like 'VOTE_OPENED:' || $1 || ':%'`, [withMail[round - 1].proposalId]);
        await db.query('vacuum analyze notification');
      }
    }
    const delivered = withMail[withMail.length - 1];

    log(`delivering ${fmt(delivered.queued)} messages`);
    await sink.stats(true);
    const deliveryStart = performance.now();
    const round = await app.notifications.worker.drain();
    const deliveryMs = performance.now() - deliveryStart;
    const received = await sink.stats();
    const [outbox] = (
      await db.query(
        `select count(*) filter (where status = 'SENT')::int as sent, count(*) filter (where status <> 'SENT')::int as left
           from notification where dedupe_key like 'VOTE_OPENED:' || $1 || ':%'`,
        [delivered.proposalId],
      )
    ).rows as { sent: number; left: number }[];
    const firstMail = received.first ? await simpleParser(received.first) : null;

    // Checks.
    const n = settings.delegates;
    for (const o of [smallOpening, ...baselines, ...withMail]) {
      const expected = o === smallOpening ? settings.small : n;
      if (o.electors !== expected) failures.push(`${o.label}: ${o.electors} electors, expected ${expected}`);
      const queued = baselines.includes(o) ? 0 : expected;
      if (o.queued !== queued) failures.push(`${o.label}: ${o.queued} messages queued, expected ${queued}`);
      if (!o.queueing) failures.push(`${o.label}: no statement inserted into the outbox`);
      if (o.statements.length !== smallOpening.statements.length) {
        failures.push(`${o.label}: ${o.statements.length} statements, ${smallOpening.statements.length} at ${settings.small} delegates`);
      }
    }
    if (round.sent !== n || outbox.sent !== n || outbox.left !== 0)
      failures.push(`delivery: ${round.sent} sent by the worker, ${outbox.sent} SENT in the outbox, ${outbox.left} not`);
    if (received.messages !== n || received.distinctMessageIds !== n || received.distinctRecipients !== n) {
      failures.push(
        `received ${received.messages} messages, ${received.distinctMessageIds} distinct Message-IDs, ${received.distinctRecipients} recipients; expected ${n}`,
      );
    }
    if (!firstMail?.subject?.startsWith('Vote ouvert : Approbation des comptes'))
      failures.push(`first message's subject: ${firstMail?.subject}`);

    // Output.
    const baseMs = median(baselines.map((o) => o.ms));
    const mailMs = median(withMail.map((o) => o.ms));
    const queueStatementMs = median(withMail.map((o) => o.queueing?.took ?? 0));
    const baselineQueueStatementMs = median(baselines.map((o) => o.queueing?.took ?? 0));
    console.log('');
    console.log(
      `Notifications (issue 13): a general assembly of ${fmt(n)} delegates opens a vote, node ${process.version}. openVoting over HTTP ` +
        "as the cluster's administrator; times are wall clock around the request; statements are every SQL statement of the " +
        'request (authentication, begin and commit included), with the time the ORM measured inside each (1 ms resolution).',
    );
    console.log(`Data loaded in ${ms(loadMs)}.`);
    console.log('');
    console.log('Opening the vote (one transaction: the electorate snapshotted, VOTE_OPENED queued to each elector):');
    for (const o of [smallOpening, ...[...baselines, ...withMail].sort((a, b) => a.label.localeCompare(b.label))]) printOpening(o);
    console.log('');
    console.log(
      `  time to queue: the opening with mail ${ms(mailMs)} (median of ${settings.rounds}), the baseline ${ms(baseMs)}: ` +
        `${ms(mailMs - baseMs)} more (${(((mailMs - baseMs) / baseMs) * 100).toFixed(0)} %). Inside the transaction, the queueing ` +
        `statement took ${ms(queueStatementMs)} for ${fmt(n)} messages (the baseline's, reading the same electorate and finding ` +
        `everyone opted out: ${ms(baselineQueueStatementMs)}).`,
    );
    console.log(
      `  baseline: the same opening of the same assembly, every delegate having turned VOTE_OPENED off — the same code and ` +
        `statements, the queueing statement inserting nothing; its reading of the electorate is in the baseline.`,
    );
    console.log(
      `  statements: ${smallOpening.statements.length} at ${fmt(settings.small)} delegates, ${delivered.statements.length} at ${fmt(n)} ` +
        `(one insert…select queues every message): ` +
        (failures.some((f) => f.includes('statements')) ? 'they DIFFER' : 'the same'),
    );
    if (settings.printSql) {
      for (const o of [baselines[baselines.length - 1], delivered]) {
        console.log(`  ${o.label}, every statement:`);
        for (const s of o.statements) console.log(`    ${String(s.took ?? '-').padStart(5)} ms  ${shortSql(s.sql)}`);
      }
    }
    console.log('');
    console.log(
      `Delivery of the last opening's messages (DeliveryWorker.drain(): batches of ${DEFAULT_DELIVERY.batchSize} claimed with FOR UPDATE ` +
        'SKIP LOCKED, rendered, sent over SMTP through a pool of 5 connections, marked SENT):',
    );
    console.log(
      `  ${fmt(round.sent)} messages in ${ms(deliveryMs)}: ${fmt(Math.round((round.sent / deliveryMs) * 1000))} messages/s. ` +
        `The SMTP server received ${fmt(received.messages)} messages: ${fmt(received.distinctMessageIds)} distinct Message-IDs, ` +
        `${fmt(received.distinctRecipients)} distinct recipients (${Object.entries(received.kinds)
          .map(([kind, count]) => `${kind}: ${fmt(count)}`)
          .join(
            ', ',
          )}); the first one's subject: "${firstMail?.subject ?? '?'}". Outbox: ${fmt(outbox.sent)} SENT, ${fmt(outbox.left)} not.`,
    );
    console.log('');
    console.log(`checks: ${failures.length ? `FAILED\n  - ${failures.join('\n  - ')}` : 'ok'}`);
  } finally {
    await client?.end();
    if (server) await new Promise((resolve) => server!.close(resolve));
    await collegia?.close();
    sink?.stop();
    if (postgres) {
      const stopping = postgres.stop();
      await Promise.race([stopping, new Promise((resolve) => setTimeout(resolve, 15_000).unref())]);
    }
    await rm(dataDir, { recursive: true, force: true });
  }
  return failures.length ? 1 : 0;
}

runMain(main, log);
