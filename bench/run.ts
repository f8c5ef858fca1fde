/**
 * Benchmark harness: `npm run bench [-- <scenario>...]`. See bench/README.md.
 *
 * Starts a throw-away embedded PostgreSQL under .tmp/, and for each scenario: a fresh database,
 * the real app in a child process (which migrates it), the scenario's data, the raw `pg`
 * baseline in a second child; checks both answer the same JSON, then drives each with autocannon
 * (warm-up, then the measured run) while watching the server's resident memory.
 */
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import autocannon from 'autocannon';
import { pino } from 'pino';
import { ensureDatabase } from '../src/database/database.js';
import { startEmbeddedPostgres, withDatabase, type EmbeddedDatabase } from '../src/database/embedded-postgres.js';
import { killAllChildren, startServer, type ServerChild } from './child.js';
import { readCpuSeconds, readMemory, readPostgresCpuSeconds, resetPeak, sampleRss } from './memory.js';
import { requestSource, type BenchRequest, type Scenario } from './scenario.js';
import { SCENARIOS } from './scenarios/index.js';
import { intEnv, PROJECT_ROOT, runMain } from './settings.js';

const MB = 1024 * 1024;

const settings = {
  durationS: intEnv('BENCH_DURATION', 10, 1, 600),
  warmupS: intEnv('BENCH_WARMUP', 2, 0, 60),
  connections: intEnv('BENCH_CONNECTIONS', 10, 1, 500),
};
const connectionsSet = Boolean(process.env.BENCH_CONNECTIONS);

/** `BENCH_CONNECTIONS` when set, else the scenario's own default, else 10. */
function connectionsOf(scenario: Scenario): number {
  return connectionsSet ? settings.connections : (scenario.connections ?? settings.connections);
}

interface Row {
  scenario: string;
  target: string;
  connections: number;
  requests: number;
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  mismatches: number;
  /**
   * CPU time the server used per request during the measured run (µs, all its threads). It moves
   * much less than req/s when other work shares the machine: compare changes with it.
   */
  cpuUsPerRequest: number | null;
  /** CPU time PostgreSQL (all its processes) used per request during the measured run (µs). */
  pgCpuUsPerRequest: number | null;
  /** Resident memory of the server before the warm-up, and its peak during warm-up + run, and over its life. */
  rssIdleMb: number | null;
  rssPeakLoadMb: number | null;
  rssPeakLifeMb: number | null;
  /** The machine's 1-minute load average just before the warm-up: other work skews the figures. */
  loadBefore: number;
}

const log = (message: string) => process.stderr.write(`[bench] ${message}\n`);

/** Set when the watchdog or a signal fires: stops the running load and makes the next step fail. */
let abortReason: string | null = null;
let currentLoad: autocannon.Instance | null = null;

function abort(reason: string) {
  if (abortReason) return;
  abortReason = reason;
  log(`aborting: ${reason}`);
  currentLoad?.stop();
  killAllChildren();
}

function checkAborted() {
  if (abortReason) throw new Error(`aborted: ${abortReason}`);
}

/** A target's requests (see `requestSource`) and how each answer is checked. */
interface Load {
  varies: boolean;
  next(): BenchRequest;
  /** The exact body every answer must have, or (for a scenario with `comparable`) a check of each. */
  expectBody: string;
  verifyBody?: (body: string) => boolean;
}

function runLoad(url: string, load: Load, durationS: number, connections: number): Promise<autocannon.Result> {
  checkAborted();
  // Varying requests: each connection asks for a new one before every request it sends.
  let last: BenchRequest | undefined;
  const varied = () => {
    try {
      last = load.next();
    } catch (error) {
      abort(`the scenario's requests ran out: ${error instanceof Error ? error.message : String(error)}`);
      if (!last) throw error;
    }
    return { method: last.method, path: last.path, headers: last.headers, body: last.body };
  };
  const request = load.varies ? undefined : load.next();
  // autocannon takes no expectBody with `requests`: the same check as a function then.
  const verify = load.verifyBody ?? ((body: string) => body === load.expectBody);
  const check =
    request && !load.verifyBody
      ? { expectBody: load.expectBody }
      : { verifyBody: (body: string | Buffer | undefined) => verify(String(body)) };
  return new Promise((resolve, reject) => {
    currentLoad = autocannon(
      {
        url: url + (request?.path ?? ''),
        ...(request ? { method: request.method, headers: request.headers, body: request.body } : { requests: [{ setupRequest: varied }] }),
        connections,
        duration: durationS,
        timeout: 10,
        ...check,
      },
      (error: unknown, result: autocannon.Result) => {
        currentLoad = null;
        if (error) reject(error instanceof Error ? error : new Error(JSON.stringify(error)));
        else resolve(result);
      },
    );
  });
}

/** One request, to check the server answers 200 with JSON; returns the exact body and its parse. */
async function sample(url: string, request: BenchRequest): Promise<{ text: string; json: unknown }> {
  checkAborted();
  const response = await fetch(url + request.path, {
    method: request.method,
    headers: request.headers,
    body: request.body,
    signal: AbortSignal.timeout(10_000),
  });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`${request.method} ${request.path} answered ${response.status}: ${text.slice(0, 500)}`);
  return { text, json: JSON.parse(text) as unknown };
}

async function measure(scenario: Scenario, server: ServerChild, load: Load, clusterDir: string): Promise<Row> {
  const connections = connectionsOf(scenario);
  const loadBefore = loadavg()[0];
  const before = readMemory(server.pid);
  const canReset = resetPeak(server.pid);
  const sampler = sampleRss(server.pid);
  let result: autocannon.Result;
  let sampledPeak: number;
  let cpuBefore: number | null;
  let cpuAfter: number | null;
  let pgBefore: number | null;
  let pgAfter: number | null;
  try {
    if (settings.warmupS > 0) {
      log(`${scenario.name} / ${server.label}: warm-up ${settings.warmupS}s`);
      await runLoad(server.url, load, settings.warmupS, connections);
    }
    log(`${scenario.name} / ${server.label}: ${settings.durationS}s at ${connections} connections`);
    cpuBefore = readCpuSeconds(server.pid);
    pgBefore = readPostgresCpuSeconds(clusterDir);
    result = await runLoad(server.url, load, settings.durationS, connections);
    cpuAfter = readCpuSeconds(server.pid);
    pgAfter = readPostgresCpuSeconds(clusterDir);
  } finally {
    sampledPeak = sampler.stop();
  }
  const after = readMemory(server.pid);
  const loadPeak = after && canReset ? after.peak : sampledPeak || null;
  const lifePeak = before && after ? Math.max(before.peak, after.peak) : null;
  return {
    scenario: scenario.name,
    target: server.label,
    connections,
    requests: result.requests.total,
    reqPerSec: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    mismatches: result.mismatches,
    cpuUsPerRequest:
      cpuBefore !== null && cpuAfter !== null && result.requests.total > 0 ? ((cpuAfter - cpuBefore) * 1e6) / result.requests.total : null,
    pgCpuUsPerRequest:
      pgBefore !== null && pgAfter !== null && result.requests.total > 0 ? ((pgAfter - pgBefore) * 1e6) / result.requests.total : null,
    rssIdleMb: before ? before.rss / MB : null,
    rssPeakLoadMb: loadPeak ? loadPeak / MB : null,
    rssPeakLifeMb: lifePeak ? lifePeak / MB : null,
    loadBefore,
  };
}

/** A database of its own on the run's throw-away server; its URL. */
async function createDatabase(serverUrl: string, name: string): Promise<string> {
  await ensureDatabase(serverUrl, name);
  return withDatabase(serverUrl, name);
}

async function runScenario(scenario: Scenario, postgres: EmbeddedDatabase, budgetS: number): Promise<{ rows: Row[]; notes: string[] }> {
  const databaseUrl = await createDatabase(postgres.url, `bench_${scenario.name.replace(/[^a-z0-9_]/gi, '_').toLowerCase()}`);
  const servers: ServerChild[] = [];
  try {
    log(`${scenario.name}: starting the app (migrating a fresh database)`);
    const app = await startServer({
      label: 'graphql',
      projectRoot: PROJECT_ROOT,
      env: { BENCH_MODE: 'graphql', DATABASE_URL: databaseUrl },
      startTimeoutMs: 120_000,
      maxLifetimeSeconds: budgetS,
    });
    servers.push(app);
    checkAborted();
    log(`${scenario.name}: loading data`);
    const loadStarted = Date.now();
    const loaded = (await scenario.load(databaseUrl, { ...settings, connections: connectionsOf(scenario) })) ?? {};
    log(`${scenario.name}: data loaded in ${((Date.now() - loadStarted) / 1000).toFixed(1)}s`);
    checkAborted();
    const raw = await startServer({
      label: 'raw pg',
      projectRoot: PROJECT_ROOT,
      env: { BENCH_MODE: 'raw', BENCH_SCENARIO: scenario.name, DATABASE_URL: databaseUrl },
      startTimeoutMs: 60_000,
      maxLifetimeSeconds: budgetS,
    });
    servers.push(raw);

    const gqlRequests = requestSource(scenario, loaded, 'graphql');
    const rawRequests = requestSource(scenario, loaded, 'raw');
    const gqlSample = await sample(app.url, gqlRequests.next());
    const rawSample = await sample(raw.url, rawRequests.next());
    const errors = (gqlSample.json as { errors?: unknown }).errors;
    if (errors) throw new Error(`${scenario.name}: the GraphQL request failed: ${JSON.stringify(errors).slice(0, 1000)}`);
    const comparable = scenario.comparable?.bind(scenario);
    const expected = comparable ? comparable(gqlSample.json) : gqlSample.json;
    if (!isDeepStrictEqual(expected, comparable ? comparable(rawSample.json) : rawSample.json)) {
      throw new Error(
        `${scenario.name}: GraphQL and baseline disagree\n  graphql: ${gqlSample.text.slice(0, 300)}\n  raw:     ${rawSample.text.slice(0, 300)}`,
      );
    }
    log(`${scenario.name}: both answer the same ${gqlSample.text.length}-byte JSON${comparable ? ' (as the scenario compares them)' : ''}`);
    const verifyBody = (body: string) => {
      try {
        return isDeepStrictEqual(comparable!(JSON.parse(body)), expected);
      } catch {
        return false;
      }
    };
    const check = (text: string) => ({ expectBody: text, verifyBody: comparable ? verifyBody : undefined });

    const rows = [
      await measure(scenario, app, { ...gqlRequests, ...check(gqlSample.text) }, postgres.clusterDir),
      await measure(scenario, raw, { ...rawRequests, ...check(rawSample.text) }, postgres.clusterDir),
    ];
    checkAborted();
    if (scenario.afterRun) log(`${scenario.name}: after the runs`);
    const notes = scenario.afterRun ? await scenario.afterRun({ url: app.url, databaseUrl }) : [];
    return { rows, notes };
  } finally {
    await Promise.all(servers.map((server) => server.stop()));
  }
}

function fixed(value: number | null, digits: number): string {
  return value === null ? 'n/a' : value.toFixed(digits);
}

function printTable(rows: Row[]) {
  const columns: [string, (row: Row) => string][] = [
    ['scenario', (r) => r.scenario],
    ['target', (r) => r.target],
    ['conns', (r) => String(r.connections)],
    ['req/s', (r) => fixed(r.reqPerSec, 0)],
    [
      'vs raw',
      (r) => {
        const raw = rows.find((other) => other.scenario === r.scenario && other.target === 'raw pg');
        return raw && raw.reqPerSec > 0 ? `${((100 * r.reqPerSec) / raw.reqPerSec).toFixed(0)}%` : 'n/a';
      },
    ],
    ['p50 ms', (r) => fixed(r.p50Ms, 1)],
    ['p99 ms', (r) => fixed(r.p99Ms, 1)],
    ['requests', (r) => String(r.requests)],
    ['errors', (r) => String(r.errors)],
    ['non-2xx', (r) => String(r.non2xx)],
    ['bad body', (r) => String(r.mismatches)],
    ['CPU µs/req', (r) => fixed(r.cpuUsPerRequest, 0)],
    ['PG µs/req', (r) => fixed(r.pgCpuUsPerRequest, 0)],
    ['RSS idle MB', (r) => fixed(r.rssIdleMb, 1)],
    ['RSS peak MB', (r) => fixed(r.rssPeakLoadMb, 1)],
    ['RSS life MB', (r) => fixed(r.rssPeakLifeMb, 1)],
    ['load', (r) => fixed(r.loadBefore, 2)],
  ];
  const cells = [columns.map(([title]) => title), ...rows.map((row) => columns.map(([, cell]) => cell(row)))];
  const widths = columns.map((_, i) => Math.max(...cells.map((line) => line[i].length)));
  const format = (line: string[]) => line.map((cell, i) => (i < 2 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ');
  console.log(format(cells[0]));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const line of cells.slice(1)) console.log(format(line));
}

async function main(): Promise<number> {
  const names = process.argv.slice(2).filter((arg) => !arg.startsWith('-'));
  const unknown = names.filter((name) => !SCENARIOS.some((s) => s.name === name));
  if (unknown.length) {
    log(`unknown scenario(s): ${unknown.join(', ')}; available: ${SCENARIOS.map((s) => s.name).join(', ')}`);
    return 2;
  }
  const selected = names.length ? SCENARIOS.filter((s) => names.includes(s.name)) : [...SCENARIOS];

  // Everything is bounded: each step has its own timeout, and the whole run has this budget.
  // Start, data, baseline start, both targets' runs, and a scenario's afterRun.
  const perScenarioS = 120 + 60 + 60 + 2 * (settings.warmupS + settings.durationS + 30) + 60;
  const budgetS = 60 + selected.length * perScenarioS;
  const watchdog = setTimeout(() => {
    abort(`the run exceeded its ${budgetS}s budget`);
    setTimeout(() => process.exit(1), 30_000).unref();
  }, budgetS * 1000);
  watchdog.unref();

  const dataDir = path.join(PROJECT_ROOT, '.tmp', `bench-${process.pid}-${randomBytes(4).toString('hex')}`);
  // Last resort on any exit (signals included): no child or data directory left behind.
  process.on('exit', () => {
    killAllChildren();
    rmSync(dataDir, { recursive: true, force: true });
  });
  process.once('SIGINT', () => abort('interrupted'));
  process.once('SIGTERM', () => abort('terminated'));

  log(
    `scenarios: ${selected.map((s) => s.name).join(', ')}; ${selected.map(connectionsOf).join('/')} connections, ` +
      `${settings.warmupS}s warm-up + ${settings.durationS}s each; budget ${budgetS}s`,
  );
  const rows: Row[] = [];
  const notes: string[] = [];
  let postgres: EmbeddedDatabase | undefined;
  try {
    await mkdir(dataDir, { recursive: true });
    log(`starting embedded PostgreSQL in ${path.relative(PROJECT_ROOT, dataDir)}`);
    postgres = await startEmbeddedPostgres({ dataDir, logger: pino({ level: 'silent' }), persistent: false });
    for (const scenario of selected) {
      checkAborted();
      const result = await runScenario(scenario, postgres, perScenarioS);
      rows.push(...result.rows);
      notes.push(...result.notes.map((line) => `${scenario.name}: ${line}`));
    }
  } finally {
    killAllChildren();
    if (postgres) {
      const stopping = postgres.stop();
      await Promise.race([stopping, new Promise((resolve) => setTimeout(resolve, 15_000).unref())]);
    }
    await rm(dataDir, { recursive: true, force: true });
    clearTimeout(watchdog);
  }

  console.log('');
  for (const scenario of selected) console.log(`${scenario.name}: ${scenario.description}`);
  console.log(
    `node ${process.version}, ${settings.warmupS}s warm-up + ${settings.durationS}s measured per target; ` +
      'RSS peak = during warm-up + run, RSS life = since the server started (both servers run under the ' +
      '@swc-node loader, ~145 MB of RSS on its own: compare differences); load = 1-min load average before the warm-up',
  );
  console.log('');
  printTable(rows);
  if (notes.length) {
    console.log('');
    for (const line of notes) console.log(line);
  }

  if (process.env.BENCH_JSON) {
    const file = path.resolve(process.env.BENCH_JSON);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, JSON.stringify({ date: new Date().toISOString(), node: process.version, settings, rows, notes }, null, 2) + '\n');
    log(`results written to ${file}`);
  }
  const failed = rows.filter((r) => r.errors || r.non2xx || r.mismatches);
  if (failed.length) {
    log(`failed requests in: ${failed.map((r) => `${r.scenario} / ${r.target}`).join(', ')}`);
    return 1;
  }
  return 0;
}

runMain(main, log);
