/**
 * Login benchmark (issue 14, item 6): `npm run bench:login`.
 *
 * How many sign-ins per second the app answers over HTTP, with argon2id at its production cost
 * (src/auth/password.ts), from one client address and from many, against the physical limit of
 * this machine for password checks, measured in the same run:
 *
 *   1. A throw-away embedded PostgreSQL (.tmp/bench-login-<pid>-<random>/, removed at the end,
 *      also on failure), a database migrated by the app at start.
 *   2. Two children of this script, each on 127.0.0.1, with `npm start`'s Node flags and loader:
 *      - **the app** (`createApp`, NODE_ENV=production, TRUST_PROXY=1 so that X-Forwarded-For
 *        names the client, logging at `info` as in production, to /dev/null);
 *      - **the baseline**: a bare `node:http` server whose every POST checks the same password
 *        against the same argon2id hash (`PasswordHasher.verify`) and answers 200 — password
 *        checks alone, over the same HTTP, on the same libuv thread pool: what this machine can
 *        do at best, whatever the rest of a login costs.
 *   3. BENCH_LOGIN_ACCOUNTS accounts (verified, all with the hash of one password), inserted with SQL.
 *   4. Legs, each driven by BENCH_CONNECTIONS concurrent clients (keep-alive), every request a
 *      `login` mutation with the right password, each the next account in turn:
 *      - `argon2`: the baseline;
 *      - `one address`: every request `X-Forwarded-For: 203.0.113.10` (an office behind a proxy);
 *      - `many addresses`: every request from an address of its own;
 *      - `one account` (only when BENCH_LOGIN_LEGS names it): one account, one address, the
 *        throttle's tightest key (5 attempts in flight at most: see throttle-policy.ts).
 *      A warm-up of each leg (not measured), then BENCH_LOGIN_ROUNDS rounds, the legs' order
 *      rotated every round. Every answer is checked: 200, no `errors`, a token for the account
 *      asked for; anything else is counted and fails the run.
 *
 * Printed per round and leg: logins/s, p50 and p99 latency, failures, the server's CPU per
 * request (µs, all threads, /proc/<pid>/stat), PostgreSQL's and the load generator's (this
 * process), and the 1-minute load average before and after the leg; then per leg the median and
 * range over the rounds, its ratio to the baseline of the same round, and the **CPU-bound
 * ceiling**: the machine's cores divided by the median CPU time a request costs it (server +
 * PostgreSQL + load generator) — what these cores could sustain with nothing else running, which
 * on a shared machine the measured rate is not. Goal: ≥ 50 logins/s from one address and from many.
 *
 *   BENCH_DURATION        5     seconds measured per leg and round
 *   BENCH_WARMUP          2     seconds of warm-up per leg, once
 *   BENCH_LOGIN_ROUNDS    3     rounds
 *   BENCH_CONNECTIONS     10    concurrent clients
 *   BENCH_LOGIN_ACCOUNTS  2000  accounts signed in to in turn
 *   BENCH_LOGIN_LEGS      argon2,one-address,many-addresses   (also: one-account)
 *   BENCH_LOGIN_GOAL      50    logins/s
 *   BENCH_NODE_FLAGS      —     more Node flags for the app, e.g. `--cpu-prof --cpu-prof-dir=.tmp/profiles`
 *   BENCH_LOG_LEVEL       info  the app's log level (its log goes to /dev/null)
 *
 * The exit code is non-zero if any login failed or a leg missed the goal in its median.
 */
import 'reflect-metadata';
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { availableParallelism, loadavg } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { pino } from 'pino';
import { PasswordHasher } from '../src/auth/password.js';
import { ensureDatabase } from '../src/database/database.js';
import { startEmbeddedPostgres, withDatabase, type EmbeddedDatabase } from '../src/database/embedded-postgres.js';
import { intEnv, PROJECT_ROOT, runMain } from './settings.js';

const log = (message: string) => process.stderr.write(`[bench:login] ${message}\n`);
const PASSWORD = 'bench-login-password-2026';
const LOGIN = 'mutation($input: LoginInput!) { login(input: $input) { token account { email } } }';
const ONE_ADDRESS = '203.0.113.10';
/** The Node flags of `npm start` (package.json), so the app runs as it does in production. */
const NODE_FLAGS = ['--experimental-async-context-frame', '--max-semi-space-size=32', '--import', '@swc-node/register/esm-register'];

const LEGS = ['argon2', 'one-address', 'many-addresses', 'one-account'] as const;
type Leg = (typeof LEGS)[number];
const LEG_NAMES: Record<Leg, string> = {
  argon2: 'argon2 verify alone (baseline)',
  'one-address': 'login, one address',
  'many-addresses': 'login, many addresses',
  'one-account': 'login, one account, one address',
};

// ---------------------------------------------------------------------------------------------
// The children: the app, and the baseline

type ChildMessage = { type: 'ready'; port: number };

/** This file run as a child (BENCH_LOGIN_CHILD=app | argon2): listen, report the port, stay up. */
async function child(kind: string): Promise<void> {
  // Exit (not die) when stopped, so that --cpu-prof writes its profile.
  process.on('disconnect', () => process.exit(0));
  process.on('SIGTERM', () => process.exit(0));
  let server: Server;
  if (kind === 'app') {
    const { createApp } = await import('../src/app.js');
    const { loadConfig } = await import('../src/config.js');
    const collegia = await createApp({
      config: loadConfig({
        NODE_ENV: 'production',
        DATABASE_URL: process.env.DATABASE_URL,
        MIGRATE_ON_START: 'true',
        SEED_DEMO: 'false',
        LOG_LEVEL: process.env.BENCH_LOG_LEVEL || 'info',
        TRUST_PROXY: '1',
        NOTIFICATION_WORKER: 'false',
        SCHEDULER: 'false',
      }),
    });
    server = collegia.app.listen(0, '127.0.0.1');
  } else if (kind === 'argon2') {
    const hasher = new PasswordHasher();
    const hash = await hasher.hash(PASSWORD);
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const { password } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { password: string };
        void hasher.verify(hash, password).then((valid) => {
          res.writeHead(valid ? 200 : 401, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ valid }));
        });
      });
    }).listen(0, '127.0.0.1');
  } else {
    throw new Error(`BENCH_LOGIN_CHILD must be app or argon2, got "${kind}"`);
  }
  await new Promise<void>((resolve, reject) => server.once('listening', resolve).once('error', reject));
  process.send!({ type: 'ready', port: (server.address() as AddressInfo).port } satisfies ChildMessage);
}

interface Child {
  pid: number;
  url: string;
  stop(): void;
}

async function startChild(kind: 'app' | 'argon2', env: Record<string, string>): Promise<Child> {
  const proc: ChildProcess = fork(fileURLToPath(import.meta.url), [], {
    cwd: PROJECT_ROOT,
    execArgv: [...NODE_FLAGS, ...(kind === 'app' ? (process.env.BENCH_NODE_FLAGS ?? '').split(/\s+/).filter(Boolean) : [])],
    env: { ...process.env, NODE_ENV: 'production', BENCH_LOGIN_CHILD: kind, ...env },
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  process.on('exit', () => proc.kill('SIGKILL'));
  let stderr = '';
  proc.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-4000)));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the ${kind} child did not start within 120 s\n${stderr}`)), 120_000);
    proc.on('message', (message: ChildMessage) => {
      clearTimeout(timer);
      resolve(message.port);
    });
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the ${kind} child exited (${code})\n${stderr}`));
    });
  });
  return { pid: proc.pid!, url: `http://127.0.0.1:${port}`, stop: () => proc.kill('SIGTERM') };
}

// ---------------------------------------------------------------------------------------------
// CPU time from /proc

/** User + system seconds of `pid` (all its threads), or null. */
function cpuSeconds(pid: number): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

/** The same for PostgreSQL: its postmaster and the processes it started that are alive now. */
function postgresCpuSeconds(clusterDir: string): number | null {
  try {
    const postmaster = Number(readFileSync(path.join(clusterDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    let total = cpuSeconds(postmaster) ?? 0;
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const fields = readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1].split(' ');
        if (Number(fields[1]) === postmaster) total += (Number(fields[11]) + Number(fields[12])) / 100;
      } catch {
        // The process ended meanwhile.
      }
    }
    return total;
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------------------------------------
// The load

interface Result {
  leg: Leg;
  round: number;
  requests: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  failures: number;
  firstFailure: string | null;
  cpuUsPerRequest: number | null;
  pgCpuUsPerRequest: number | null;
  /** This process's CPU per request: the load generator's share of the machine. */
  clientCpuUsPerRequest: number;
  loadBefore: number;
  loadAfter: number;
}

interface Target {
  app: Child;
  argon2: Child;
  emails: string[];
  clusterDir: string;
}

const percentile = (sorted: number[], p: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] : NaN;
const median = (values: number[]) =>
  percentile(
    [...values].sort((a, b) => a - b),
    0.5,
  );

/** Drives one leg for `seconds` with `connections` clients; checks every answer. */
async function drive(target: Target, leg: Leg, seconds: number, connections: number, round: number): Promise<Result> {
  let next = 0;
  let addressCounter = 0;
  const latencies: number[] = [];
  let failures = 0;
  let firstFailure: string | null = null;
  const serverPid = leg === 'argon2' ? target.argon2.pid : target.app.pid;
  const loadBefore = loadavg()[0];
  const cpuBefore = cpuSeconds(serverPid);
  const pgBefore = postgresCpuSeconds(target.clusterDir);
  const clientBefore = process.cpuUsage();
  const started = performance.now();
  const deadline = started + seconds * 1000;

  const one = async (): Promise<void> => {
    const email = leg === 'one-account' ? target.emails[0] : target.emails[next++ % target.emails.length];
    let url: string;
    let headers: Record<string, string> = { 'content-type': 'application/json' };
    let body: string;
    if (leg === 'argon2') {
      url = `${target.argon2.url}/verify`;
      body = JSON.stringify({ password: PASSWORD });
    } else {
      url = `${target.app.url}/graphql`;
      body = JSON.stringify({ query: LOGIN, variables: { input: { email, password: PASSWORD } } });
      const n = addressCounter++;
      const address = leg === 'many-addresses' ? `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}` : ONE_ADDRESS;
      headers = { ...headers, 'x-forwarded-for': address };
    }
    const t0 = performance.now();
    const response = await fetch(url, { method: 'POST', headers, body });
    const text = await response.text();
    latencies.push(performance.now() - t0);
    let ok = response.status === 200;
    if (ok && leg !== 'argon2') {
      const answer = JSON.parse(text) as { data?: { login?: { token?: string; account?: { email?: string } } }; errors?: unknown[] };
      ok = !answer.errors && typeof answer.data?.login?.token === 'string' && answer.data.login.account?.email === email;
    }
    if (!ok) {
      failures += 1;
      firstFailure ??= `${response.status} ${text.slice(0, 300)}`;
    }
  };
  const loop = async () => {
    while (performance.now() < deadline) await one();
  };
  await Promise.all(Array.from({ length: connections }, loop));
  const elapsedS = (performance.now() - started) / 1000;
  const cpuAfter = cpuSeconds(serverPid);
  const pgAfter = postgresCpuSeconds(target.clusterDir);
  const client = process.cpuUsage(clientBefore);
  const sorted = [...latencies].sort((a, b) => a - b);
  const perRequest = (before: number | null, after: number | null) =>
    before !== null && after !== null && after >= before && latencies.length ? ((after - before) * 1e6) / latencies.length : null;
  return {
    leg,
    round,
    requests: latencies.length,
    perSecond: latencies.length / elapsedS,
    p50Ms: percentile(sorted, 0.5),
    p99Ms: percentile(sorted, 0.99),
    failures,
    firstFailure,
    cpuUsPerRequest: perRequest(cpuBefore, cpuAfter),
    pgCpuUsPerRequest: perRequest(pgBefore, pgAfter),
    clientCpuUsPerRequest: latencies.length ? (client.user + client.system) / latencies.length : NaN,
    loadBefore,
    loadAfter: loadavg()[0],
  };
}

// ---------------------------------------------------------------------------------------------
// Printing

const fixed = (value: number | null, digits: number) => (value === null || Number.isNaN(value) ? '—' : value.toFixed(digits));

function table(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
  return rows.map((row) => row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ')).join('\n');
}

function printRounds(results: Result[]): void {
  const rows = [
    ['round', 'leg', 'logins/s', 'p50 ms', 'p99 ms', 'requests', 'failed', 'CPU µs/req', 'PG µs/req', 'client µs/req', 'load before→after'],
  ];
  for (const r of results) {
    rows.push([
      String(r.round),
      LEG_NAMES[r.leg],
      fixed(r.perSecond, 1),
      fixed(r.p50Ms, 1),
      fixed(r.p99Ms, 1),
      String(r.requests),
      String(r.failures),
      fixed(r.cpuUsPerRequest, 0),
      fixed(r.pgCpuUsPerRequest, 0),
      fixed(r.clientCpuUsPerRequest, 0),
      `${r.loadBefore.toFixed(2)}→${r.loadAfter.toFixed(2)}`,
    ]);
  }
  console.log(table(rows));
}

function printSummary(results: Result[], legs: Leg[], goal: number): string[] {
  const missed: string[] = [];
  const rounds = [...new Set(results.map((r) => r.round))];
  const cores = availableParallelism();
  const rows = [
    [
      'leg',
      'logins/s median',
      'range',
      'ratio to argon2 alone: median',
      'range',
      'CPU µs/login',
      `CPU-bound ceiling, ${cores} cores`,
      'goal',
    ],
  ];
  for (const leg of legs) {
    const own = results.filter((r) => r.leg === leg);
    const rates = own.map((r) => r.perSecond);
    const ratios = rounds.flatMap((round) => {
      const base = results.find((r) => r.leg === 'argon2' && r.round === round);
      const mine = own.find((r) => r.round === round);
      return base && mine ? [mine.perSecond / base.perSecond] : [];
    });
    const met = leg === 'argon2' || leg === 'one-account' ? '' : median(rates) >= goal ? `≥ ${goal}: met` : `≥ ${goal}: MISSED`;
    if (met.endsWith('MISSED')) missed.push(leg);
    // Everything a login costs the machine (server, PostgreSQL, the load generator): the rate
    // the machine's cores could sustain were nothing else running on them.
    const cpuUs = median(own.map((r) => (r.cpuUsPerRequest ?? NaN) + (r.pgCpuUsPerRequest ?? 0) + r.clientCpuUsPerRequest));
    rows.push([
      LEG_NAMES[leg],
      fixed(median(rates), 1),
      `${fixed(Math.min(...rates), 1)}–${fixed(Math.max(...rates), 1)}`,
      leg === 'argon2' ? '1' : fixed(median(ratios), 2),
      leg === 'argon2' ? '' : `${fixed(Math.min(...ratios), 2)}–${fixed(Math.max(...ratios), 2)}`,
      fixed(cpuUs, 0),
      `${fixed((cores * 1e6) / cpuUs, 1)}/s`,
      met,
    ]);
  }
  console.log(table(rows));
  return missed;
}

// ---------------------------------------------------------------------------------------------
// The run

async function main(): Promise<number> {
  const settings = {
    durationS: intEnv('BENCH_DURATION', 5, 1, 600),
    warmupS: intEnv('BENCH_WARMUP', 2, 0, 60),
    rounds: intEnv('BENCH_LOGIN_ROUNDS', 3, 1, 50),
    connections: intEnv('BENCH_CONNECTIONS', 10, 1, 200),
    accounts: intEnv('BENCH_LOGIN_ACCOUNTS', 2000, 1, 1_000_000),
    goal: intEnv('BENCH_LOGIN_GOAL', 50, 1, 100_000),
  };
  const legs = (process.env.BENCH_LOGIN_LEGS || 'argon2,one-address,many-addresses').split(',').map((leg) => leg.trim()) as Leg[];
  for (const leg of legs) if (!LEGS.includes(leg)) throw new Error(`BENCH_LOGIN_LEGS: unknown leg "${leg}" (${LEGS.join(', ')})`);
  if (!legs.includes('argon2')) legs.unshift('argon2');

  const dataDir = path.join(PROJECT_ROOT, '.tmp', `bench-login-${process.pid}-${randomBytes(4).toString('hex')}`);
  process.on('exit', () => rmSync(dataDir, { recursive: true, force: true }));
  const childEnv = {
    AUDIT_SIGNING_KEY: process.env.AUDIT_SIGNING_KEY ?? randomBytes(32).toString('hex'),
    AUDIT_CHECKPOINT_DIR: process.env.AUDIT_CHECKPOINT_DIR ?? path.join(dataDir, 'audit-checkpoints'),
  };
  let postgres: EmbeddedDatabase | undefined;
  const children: Child[] = [];
  try {
    await mkdir(dataDir, { recursive: true });
    log(
      `load average at start: ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );
    log(`starting embedded PostgreSQL in ${path.relative(PROJECT_ROOT, dataDir)}`);
    postgres = await startEmbeddedPostgres({ dataDir, logger: pino({ level: 'silent' }), persistent: false });
    await ensureDatabase(postgres.url, 'bench_login');
    const databaseUrl = withDatabase(postgres.url, 'bench_login');

    log('starting the app (it migrates the database) and the baseline');
    const [app, argon2] = await Promise.all([
      startChild('app', { ...childEnv, DATABASE_URL: databaseUrl }),
      startChild('argon2', childEnv),
    ]);
    children.push(app, argon2);

    log(`inserting ${settings.accounts} accounts (one argon2id hash at production cost, shared)`);
    const hash = await new PasswordHasher().hash(PASSWORD);
    const emails = Array.from({ length: settings.accounts }, (_, i) => `bench-login-${i}@example.test`);
    const db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    try {
      await db.query(
        `insert into account (id, created_at, updated_at, email, display_name, password_hash, email_verified_at)
         select id, now(), now(), email, 'Bench ' || email, $3, now() from unnest($1::uuid[], $2::text[]) as t(id, email)`,
        [emails.map(() => randomUUID()), emails, hash],
      );
      await db.query('analyze account');
    } finally {
      await db.end();
    }

    const target: Target = { app, argon2, emails, clusterDir: path.join(dataDir, 'postgres') };
    const results: Result[] = [];
    if (settings.warmupS > 0) {
      log(`warm-up: ${settings.warmupS} s per leg`);
      for (const leg of legs) {
        const warm = await drive(target, leg, settings.warmupS, settings.connections, 0);
        if (warm.failures) throw new Error(`warm-up of ${leg}: ${warm.failures} failed, e.g. ${warm.firstFailure}`);
      }
    }
    for (let round = 1; round <= settings.rounds; round += 1) {
      const order = legs.map((_, i) => legs[(i + round - 1) % legs.length]);
      log(`round ${round}/${settings.rounds}: ${order.join(', ')}`);
      for (const leg of order) results.push(await drive(target, leg, settings.durationS, settings.connections, round));
    }

    console.log(
      `\nLogins over HTTP, ${settings.connections} concurrent clients, ${settings.durationS} s per leg and round, ` +
        `${settings.accounts} accounts, argon2id m=19 MiB t=2 p=1\n`,
    );
    printRounds(results);
    console.log('');
    const missed = printSummary(results, legs, settings.goal);
    const failed = results.filter((r) => r.failures > 0);
    for (const r of failed) log(`round ${r.round}, ${r.leg}: ${r.failures} logins failed, e.g. ${r.firstFailure}`);
    log(
      `load average at the end: ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );
    return failed.length || missed.length ? 1 : 0;
  } finally {
    for (const c of children) c.stop();
    await postgres?.stop().catch(() => undefined);
    await rm(dataDir, { recursive: true, force: true });
  }
}

if (process.env.BENCH_LOGIN_CHILD) {
  child(process.env.BENCH_LOGIN_CHILD).catch((error: unknown) => {
    process.stderr.write(`bench:login child failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
} else {
  runMain(main, log);
}
