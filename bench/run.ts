/**
 * Benchmark harness: `npm run bench [-- <scenario>...]`. See bench/README.md.
 *
 * Starts a throw-away embedded PostgreSQL under .tmp/, and for each scenario and each of its data
 * sizes: a fresh database, the real app in a child process (which migrates it), the scenario's
 * data, the raw `pg` baseline in a second child; checks both answer the same JSON; then drives
 * every target (API, baseline, anchors) in rounds, the order rotated from one round to the next,
 * each leg a warm-up and a measured autocannon run, recording for each leg the CPU of the server
 * and of PostgreSQL, the server's memory, and how busy the machine was. Prints every leg, then
 * per target the medians over the rounds, and the per-round ratios (API / baseline…) with their
 * median and range.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, openSync, rmSync, statSync } from 'node:fs';
import { loadavg } from 'node:os';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { isDeepStrictEqual } from 'node:util';
import autocannon from 'autocannon';
import pg from 'pg';
import { pino } from 'pino';
import { ensureDatabase } from '../src/database/database.js';
import { startEmbeddedPostgres, withDatabase, type EmbeddedDatabase } from '../src/database/embedded-postgres.js';
import { killAllChildren, startServer, type ServerChild } from './child.js';
import { readMemory, resetPeak, sampleRss } from './memory.js';
import {
  cpuCount,
  machineBusyCores,
  machineSnapshot,
  postgresCpuSeconds,
  postgresSnapshot,
  processCpuSeconds,
  type PostgresSnapshot,
} from './proc.js';
import { anchorRequest, requestSource, type BenchRequest, type RunResults, type RunSettings, type Scenario } from './scenario.js';
import { SCENARIOS } from './scenarios/index.js';
import { choiceEnv, intEnv, intListEnv, median, PROJECT_ROOT, runMain } from './settings.js';

const MB = 1024 * 1024;

const settings: RunSettings = {
  durationS: intEnv('BENCH_DURATION', 10, 1, 600),
  warmupS: intEnv('BENCH_WARMUP', 2, 0, 60),
  connections: intEnv('BENCH_CONNECTIONS', 10, 1, 500),
  rounds: intEnv('BENCH_ROUNDS', 3, 1, 50),
};
const connectionsSet = Boolean(process.env.BENCH_CONNECTIONS);
/** `file`: each server's log to a file (as a production process writes to a file or pipe); `null`: to /dev/null; `off`: LOG_LEVEL=silent. */
const LOG_MODE = choiceEnv('BENCH_LOG', ['file', 'null', 'off'] as const, 'file');
/** `BENCH_SIZES`: replaces the sizes of every scenario that declares some. */
const SIZES_OVERRIDE = intListEnv('BENCH_SIZES');

/** `BENCH_CONNECTIONS` when set, else the scenario's own default, else 10. */
function connectionsOf(scenario: Scenario): number {
  return connectionsSet ? settings.connections : (scenario.connections ?? settings.connections);
}

/** The sizes a scenario runs at: `[undefined]` for one that declares none. */
function sizesOf(scenario: Scenario): (number | undefined)[] {
  if (!scenario.sizes?.length) return [undefined];
  return [...(SIZES_OVERRIDE ?? scenario.sizes)];
}

/** One measured leg: a target driven once (warm-up, then the measured run) in one round. */
interface Leg {
  scenario: string;
  size: number | null;
  round: number;
  /** Its place in the round's order (1 = first). */
  position: number;
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
  /** The server's CPU time per request during the measured run (µs, all its threads). */
  cpuUsPerRequest: number | null;
  /** PostgreSQL's CPU time per request during the measured run (µs), process by process: never negative. */
  pgCpuUsPerRequest: number | null;
  /** Resident memory of the server before the warm-up, its peak during warm-up + run, and over its life. */
  rssIdleMb: number | null;
  rssPeakLoadMb: number | null;
  rssPeakLifeMb: number | null;
  /** The machine's 1-minute load average just before the warm-up and just after the measured run. */
  loadBefore: number;
  loadAfter: number;
  /** The machine's CPU use during the measured run, in busy cores (/proc/stat), of `cpus`. */
  busyCores: number | null;
  /** What of it was not this leg's (server + PostgreSQL + the load generator): other work on the machine. */
  otherCores: number | null;
}

/** Per-round ratios of one target's req/s (and CPU per request) to another's, in the same round. */
interface Ratio {
  scenario: string;
  size: number | null;
  target: string;
  versus: string;
  reqPerSec: (number | null)[];
  cpuPerRequest: (number | null)[];
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

/** A target measured in every round: the API, the baseline, or an anchor, on one of the two servers. */
interface TargetSpec {
  /** 'graphql', 'raw' or the anchor's name. */
  name: string;
  server: ServerChild;
  load: Load;
  /** The target its ratios divide by. */
  versus?: string;
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

/** CPU seconds this process (the load generator) used so far. */
function ownCpuSeconds(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1e6;
}

async function measure(
  scenario: Scenario,
  size: number | null,
  round: number,
  position: number,
  target: TargetSpec,
  clusterDir: string,
): Promise<Leg> {
  const connections = connectionsOf(scenario);
  const { server, load } = target;
  const where = `${scenario.name}${size === null ? '' : ` @${size}`} round ${round} / ${target.name}`;
  const loadBefore = loadavg()[0];
  const before = readMemory(server.pid);
  const canReset = resetPeak(server.pid);
  const sampler = sampleRss(server.pid);
  let result: autocannon.Result;
  let sampledPeak: number;
  let cpuBefore: number | null;
  let cpuAfter: number | null;
  let pgBefore: PostgresSnapshot | null;
  let pgAfter: PostgresSnapshot | null;
  let ownBefore: number;
  let ownAfter: number;
  let started: number;
  let elapsedS: number;
  let machineBefore: ReturnType<typeof machineSnapshot>;
  let machineAfter: ReturnType<typeof machineSnapshot>;
  try {
    if (settings.warmupS > 0) {
      log(`${where}: warm-up ${settings.warmupS}s`);
      await runLoad(server.url, load, settings.warmupS, connections);
    }
    log(`${where}: ${settings.durationS}s at ${connections} connections`);
    pgBefore = postgresSnapshot(clusterDir);
    cpuBefore = processCpuSeconds(server.pid);
    ownBefore = ownCpuSeconds();
    machineBefore = machineSnapshot();
    started = performance.now();
    result = await runLoad(server.url, load, settings.durationS, connections);
    elapsedS = (performance.now() - started) / 1000;
    machineAfter = machineSnapshot();
    ownAfter = ownCpuSeconds();
    cpuAfter = processCpuSeconds(server.pid);
    pgAfter = postgresSnapshot(clusterDir);
  } finally {
    sampledPeak = sampler.stop();
  }
  const after = readMemory(server.pid);
  const loadPeak = after && canReset ? after.peak : sampledPeak || null;
  const lifePeak = before && after ? Math.max(before.peak, after.peak) : null;
  const requests = result.requests.total;
  const serverCpu = cpuBefore !== null && cpuAfter !== null ? cpuAfter - cpuBefore : null;
  const pgCpu = postgresCpuSeconds(pgBefore, pgAfter);
  const busyCores = machineBusyCores(machineBefore, machineAfter);
  const oursCores = ((serverCpu ?? 0) + (pgCpu ?? 0) + (ownAfter - ownBefore)) / elapsedS;
  return {
    scenario: scenario.name,
    size,
    round,
    position,
    target: target.name,
    connections,
    requests,
    reqPerSec: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    mismatches: result.mismatches,
    cpuUsPerRequest: serverCpu !== null && requests > 0 ? (serverCpu * 1e6) / requests : null,
    pgCpuUsPerRequest: pgCpu !== null && requests > 0 ? (pgCpu * 1e6) / requests : null,
    rssIdleMb: before ? before.rss / MB : null,
    rssPeakLoadMb: loadPeak ? loadPeak / MB : null,
    rssPeakLifeMb: lifePeak ? lifePeak / MB : null,
    loadBefore,
    loadAfter: loadavg()[0],
    busyCores,
    // Tick counters are sampled at 100 Hz: a small negative difference is rounding, shown as 0.
    otherCores: busyCores === null ? null : Math.max(0, busyCores - oursCores),
  };
}

/** A database of its own on the run's throw-away server; its URL. */
async function createDatabase(serverUrl: string, name: string): Promise<string> {
  await ensureDatabase(serverUrl, name);
  return withDatabase(serverUrl, name);
}

async function dropDatabase(serverUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(`drop database if exists ${client.escapeIdentifier(name)} with (force)`);
  } finally {
    await client.end();
  }
}

/** The order of round `round` (1-based): the targets rotated by one place per round. */
function rotated<T>(targets: readonly T[], round: number): T[] {
  const shift = (round - 1) % targets.length;
  return [...targets.slice(shift), ...targets.slice(0, shift)];
}

interface ScenarioResult {
  legs: Leg[];
  ratios: Ratio[];
  notes: string[];
  /** Why the scenario's afterRun failed, if it did (the run then exits non-zero). */
  failure?: string;
}

async function runScenarioAt(
  scenario: Scenario,
  size: number | undefined,
  postgres: EmbeddedDatabase,
  budgetS: number,
  logDir: string,
): Promise<ScenarioResult> {
  const sizeOrNull = size ?? null;
  const tag = `${scenario.name}${size === undefined ? '' : ` @${size}`}`;
  const databaseName = `bench_${scenario.name.replace(/[^a-z0-9_]/gi, '_').toLowerCase()}${size === undefined ? '' : `_${size}`}`;
  const databaseUrl = await createDatabase(postgres.url, databaseName);
  const servers: ServerChild[] = [];
  const logFds: number[] = [];
  const logFiles: { label: string; file: string }[] = [];
  // Each server's stdout: its own log file, /dev/null, or nothing (silent) — never a terminal.
  const stdoutOf = (label: string): { stdoutFd?: number; env: Record<string, string> } => {
    if (LOG_MODE === 'off') return { env: { LOG_LEVEL: 'silent' } };
    if (LOG_MODE === 'null') return { env: { LOG_LEVEL: 'info' } };
    const file = path.join(logDir, `${databaseName}-${label}.log`);
    const fd = openSync(file, 'a');
    logFds.push(fd);
    logFiles.push({ label, file });
    return { stdoutFd: fd, env: { LOG_LEVEL: 'info' } };
  };
  try {
    log(`${tag}: starting the app (migrating a fresh database)`);
    const appOut = stdoutOf('graphql');
    const app = await startServer({
      label: 'graphql',
      projectRoot: PROJECT_ROOT,
      env: { BENCH_MODE: 'graphql', DATABASE_URL: databaseUrl, ...appOut.env },
      startTimeoutMs: 120_000,
      maxLifetimeSeconds: budgetS,
      stdoutFd: appOut.stdoutFd,
    });
    servers.push(app);
    checkAborted();
    log(`${tag}: loading data`);
    const loadStarted = Date.now();
    const loaded = (await scenario.load(databaseUrl, { ...settings, connections: connectionsOf(scenario) }, size)) ?? {};
    log(`${tag}: data loaded in ${((Date.now() - loadStarted) / 1000).toFixed(1)}s`);
    checkAborted();
    const rawOut = stdoutOf('raw');
    const raw = await startServer({
      label: 'raw',
      projectRoot: PROJECT_ROOT,
      env: {
        BENCH_MODE: 'raw',
        BENCH_SCENARIO: scenario.name,
        ...(size === undefined ? {} : { BENCH_SIZE: String(size) }),
        DATABASE_URL: databaseUrl,
        ...rawOut.env,
      },
      startTimeoutMs: 60_000,
      maxLifetimeSeconds: budgetS,
      stdoutFd: rawOut.stdoutFd,
    });
    servers.push(raw);

    const gqlRequests = requestSource(scenario, loaded, 'graphql');
    const rawRequests = requestSource(scenario, loaded, 'raw');
    const gqlSample = await sample(app.url, gqlRequests.next());
    const rawSample = await sample(raw.url, rawRequests.next());
    const errors = (gqlSample.json as { errors?: unknown }).errors;
    if (errors) throw new Error(`${tag}: the GraphQL request failed: ${JSON.stringify(errors).slice(0, 1000)}`);
    const comparable = scenario.comparable?.bind(scenario);
    const expected = comparable ? comparable(gqlSample.json) : gqlSample.json;
    if (!isDeepStrictEqual(expected, comparable ? comparable(rawSample.json) : rawSample.json)) {
      throw new Error(
        `${tag}: GraphQL and baseline disagree\n  graphql: ${gqlSample.text.slice(0, 300)}\n  raw:     ${rawSample.text.slice(0, 300)}`,
      );
    }
    log(`${tag}: both answer the same ${gqlSample.text.length}-byte JSON${comparable ? ' (as the scenario compares them)' : ''}`);
    const verifyBody = (body: string) => {
      try {
        return isDeepStrictEqual(comparable!(JSON.parse(body)), expected);
      } catch {
        return false;
      }
    };
    const check = (text: string) => ({ expectBody: text, verifyBody: comparable ? verifyBody : undefined });

    const targets: TargetSpec[] = [
      { name: 'graphql', server: app, load: { ...gqlRequests, ...check(gqlSample.text) }, versus: 'raw' },
      { name: 'raw', server: raw, load: { ...rawRequests, ...check(rawSample.text) } },
    ];
    for (const anchor of scenario.anchors ?? []) {
      if (targets.some((t) => t.name === anchor.name)) throw new Error(`${tag}: two targets are named "${anchor.name}"`);
      const request = anchorRequest(scenario, anchor, loaded);
      const server = anchor.on === 'graphql' ? app : raw;
      const answer = await sample(server.url, request);
      if ((answer.json as { errors?: unknown }).errors)
        throw new Error(`${tag}: anchor "${anchor.name}" answered errors: ${answer.text.slice(0, 500)}`);
      targets.push({
        name: anchor.name,
        server,
        load: { varies: false, next: () => request, expectBody: answer.text },
        versus: anchor.versus,
      });
    }
    for (const target of targets) {
      if (target.versus && !targets.some((t) => t.name === target.versus))
        throw new Error(`${tag}: "${target.name}" is compared with "${target.versus}", which is not a target`);
    }

    // BENCH_TARGETS (e.g. to profile one of them): only those are measured; a ratio needs both of its targets.
    const only = process.env.BENCH_TARGETS?.split(',')
      .map((name) => name.trim())
      .filter(Boolean);
    const unknown = only?.filter((name) => !targets.some((t) => t.name === name)) ?? [];
    if (unknown.length)
      throw new Error(`${tag}: BENCH_TARGETS names no target "${unknown.join('", "')}" (${targets.map((t) => t.name).join(', ')})`);
    const measured = only?.length ? targets.filter((t) => only.includes(t.name)) : targets;

    const legs: Leg[] = [];
    for (let round = 1; round <= settings.rounds; round += 1) {
      const order = rotated(measured, round);
      log(`${tag}: round ${round}/${settings.rounds}: ${order.map((t) => t.name).join(', ')}`);
      for (const [i, target] of order.entries()) {
        legs.push(await measure(scenario, sizeOrNull, round, i + 1, target, postgres.clusterDir));
        checkAborted();
      }
    }

    const legOf = (name: string, round: number) => legs.find((l) => l.target === name && l.round === round);
    const ratios: Ratio[] = targets
      .filter((t) => t.versus)
      .map((t) => {
        const rounds = Array.from({ length: settings.rounds }, (_, i) => i + 1);
        const pairs = rounds.map((r) => [legOf(t.name, r), legOf(t.versus!, r)] as const);
        return {
          scenario: scenario.name,
          size: sizeOrNull,
          target: t.name,
          versus: t.versus!,
          reqPerSec: pairs.map(([a, b]) => (a && b && b.reqPerSec > 0 ? a.reqPerSec / b.reqPerSec : null)),
          cpuPerRequest: pairs.map(([a, b]) => (a?.cpuUsPerRequest && b?.cpuUsPerRequest ? a.cpuUsPerRequest / b.cpuUsPerRequest : null)),
        };
      });

    const results: RunResults = { medianReqPerSec: {}, medianCpuUsPerRequest: {}, rounds: settings.rounds };
    for (const target of targets) {
      const own = legs.filter((l) => l.target === target.name);
      results.medianReqPerSec[target.name] = median(own.map((l) => l.reqPerSec)) ?? 0;
      results.medianCpuUsPerRequest[target.name] = median(own.flatMap((l) => (l.cpuUsPerRequest === null ? [] : [l.cpuUsPerRequest])));
    }
    checkAborted();
    if (scenario.afterRun) log(`${tag}: after the runs`);
    // A failing afterRun fails the run, but the legs measured are still printed.
    let notes: string[] = [];
    let failure: string | undefined;
    try {
      notes = scenario.afterRun ? await scenario.afterRun({ url: app.url, databaseUrl, size, results }) : [];
    } catch (error) {
      failure = `afterRun failed: ${error instanceof Error ? error.message : String(error)}`;
      log(`${tag}: ${failure}`);
      notes = [`FAILED: ${failure}`];
    }
    return { legs, ratios, notes, failure };
  } finally {
    await Promise.all(servers.map((server) => server.stop()));
    for (const fd of logFds) closeSync(fd);
    for (const { label, file } of logFiles) {
      try {
        log(`${tag}: ${label}'s log: ${(statSync(file).size / MB).toFixed(1)} MB`);
      } catch {
        // not written
      }
    }
    // The next size gets a fresh database; this one's space is given back.
    await dropDatabase(postgres.url, databaseName).catch((error: unknown) =>
      log(`${tag}: could not drop ${databaseName}: ${String(error)}`),
    );
  }
}

function fixed(value: number | null | undefined, digits: number): string {
  return value === null || value === undefined || !Number.isFinite(value) ? 'n/a' : value.toFixed(digits);
}

function printTable<T>(rows: readonly T[], columns: [string, (row: T) => string][], leftColumns: number) {
  const cells = [columns.map(([title]) => title), ...rows.map((row) => columns.map(([, cell]) => cell(row)))];
  const widths = columns.map((_, i) => Math.max(...cells.map((line) => line[i].length)));
  const format = (line: string[]) =>
    line
      .map((cell, i) => (i < leftColumns ? cell.padEnd(widths[i]) : cell.padStart(widths[i])))
      .join('  ')
      .trimEnd();
  console.log(format(cells[0]));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const line of cells.slice(1)) console.log(format(line));
}

const sizeCell = (size: number | null) => (size === null ? '-' : String(size));

function printLegs(legs: readonly Leg[]) {
  const baselineOf = (leg: Leg) =>
    legs.find((l) => l.scenario === leg.scenario && l.size === leg.size && l.round === leg.round && l.target === 'raw');
  printTable<Leg>(
    legs,
    [
      ['scenario', (r) => r.scenario],
      ['size', (r) => sizeCell(r.size)],
      ['round', (r) => String(r.round)],
      ['#', (r) => String(r.position)],
      ['target', (r) => r.target],
      ['conns', (r) => String(r.connections)],
      ['req/s', (r) => fixed(r.reqPerSec, 0)],
      [
        'vs raw',
        (r) => {
          const raw = baselineOf(r);
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
      ['RSS idle', (r) => fixed(r.rssIdleMb, 0)],
      ['RSS peak', (r) => fixed(r.rssPeakLoadMb, 0)],
      ['RSS life', (r) => fixed(r.rssPeakLifeMb, 0)],
      ['load1', (r) => `${r.loadBefore.toFixed(2)}→${r.loadAfter.toFixed(2)}`],
      ['busy', (r) => fixed(r.busyCores, 2)],
      ['others', (r) => fixed(r.otherCores, 2)],
    ],
    5,
  );
}

/** Median and range of the non-null values: `1.02 (0.95–1.10)`. */
function spread(values: readonly (number | null)[], digits: number): string {
  const known = values.filter((v): v is number => v !== null && Number.isFinite(v));
  if (!known.length) return 'n/a';
  return `${median(known)!.toFixed(digits)} (${Math.min(...known).toFixed(digits)}–${Math.max(...known).toFixed(digits)})`;
}

function printSummary(legs: readonly Leg[], ratios: readonly Ratio[]) {
  const groups = new Map<string, Leg[]>();
  for (const leg of legs) {
    const key = `${leg.scenario}\u0000${sizeCell(leg.size)}\u0000${leg.target}`;
    groups.set(key, [...(groups.get(key) ?? []), leg]);
  }
  const values = (group: Leg[], pick: (leg: Leg) => number | null) => group.map(pick);
  printTable<Leg[]>(
    [...groups.values()],
    [
      ['scenario', (g) => g[0].scenario],
      ['size', (g) => sizeCell(g[0].size)],
      ['target', (g) => g[0].target],
      ['legs', (g) => String(g.length)],
      [
        'req/s median (min–max)',
        (g) =>
          spread(
            values(g, (l) => l.reqPerSec),
            0,
          ),
      ],
      [
        'p50 ms',
        (g) =>
          spread(
            values(g, (l) => l.p50Ms),
            1,
          ),
      ],
      [
        'p99 ms',
        (g) =>
          spread(
            values(g, (l) => l.p99Ms),
            1,
          ),
      ],
      [
        'CPU µs/req',
        (g) =>
          spread(
            values(g, (l) => l.cpuUsPerRequest),
            0,
          ),
      ],
      [
        'PG µs/req',
        (g) =>
          spread(
            values(g, (l) => l.pgCpuUsPerRequest),
            0,
          ),
      ],
      [
        'others (cores)',
        (g) =>
          spread(
            values(g, (l) => l.otherCores),
            2,
          ),
      ],
    ],
    3,
  );
  if (!ratios.length) return;
  console.log('');
  printTable<Ratio>(
    ratios,
    [
      ['scenario', (r) => r.scenario],
      ['size', (r) => sizeCell(r.size)],
      ['ratio', (r) => `${r.target} / ${r.versus}`],
      ['req/s per round', (r) => r.reqPerSec.map((v) => fixed(v, 2)).join(' ')],
      ['median (min–max)', (r) => spread(r.reqPerSec, 2)],
      ['CPU/req per round', (r) => r.cpuPerRequest.map((v) => fixed(v, 2)).join(' ')],
      ['CPU/req median (min–max)', (r) => spread(r.cpuPerRequest, 2)],
    ],
    3,
  );
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
  // Per size: start, data, baseline start, every leg of every round, and a scenario's afterRun.
  const perSizeS = (scenario: Scenario) =>
    120 + 600 + 60 + settings.rounds * (2 + (scenario.anchors?.length ?? 0)) * (settings.warmupS + settings.durationS + 30) + 300;
  const perScenarioS = (scenario: Scenario) => sizesOf(scenario).length * perSizeS(scenario);
  const budgetS = 60 + selected.reduce((sum, scenario) => sum + perScenarioS(scenario), 0);
  const watchdog = setTimeout(() => {
    abort(`the run exceeded its ${budgetS}s budget`);
    setTimeout(() => process.exit(1), 30_000).unref();
  }, budgetS * 1000);
  watchdog.unref();

  const dataDir = path.join(PROJECT_ROOT, '.tmp', `bench-${process.pid}-${randomBytes(4).toString('hex')}`);
  const logDir = path.join(dataDir, 'logs');
  // Last resort on any exit (signals included): no child or data directory left behind.
  process.on('exit', () => {
    killAllChildren();
    rmSync(dataDir, { recursive: true, force: true });
  });
  process.once('SIGINT', () => abort('interrupted'));
  process.once('SIGTERM', () => abort('terminated'));

  log(
    `scenarios: ${selected.map((s) => `${s.name}${s.sizes?.length ? ` @${sizesOf(s).join('/')}` : ''}`).join(', ')}; ` +
      `${settings.rounds} rounds, ${settings.warmupS}s warm-up + ${settings.durationS}s per leg; ` +
      `${selected.map(connectionsOf).join('/')} connections; logging: ${LOG_MODE}; budget ${budgetS}s; load ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
  );
  const legs: Leg[] = [];
  const ratios: Ratio[] = [];
  const notes: string[] = [];
  const failures: string[] = [];
  let postgres: EmbeddedDatabase | undefined;
  try {
    await mkdir(logDir, { recursive: true });
    log(`starting embedded PostgreSQL in ${path.relative(PROJECT_ROOT, dataDir)}`);
    postgres = await startEmbeddedPostgres({ dataDir, logger: pino({ level: 'silent' }), persistent: false });
    for (const scenario of selected) {
      for (const size of sizesOf(scenario)) {
        checkAborted();
        const result = await runScenarioAt(scenario, size, postgres, perScenarioS(scenario), logDir);
        if (result.failure) failures.push(`${scenario.name}${size === undefined ? '' : ` @${size}`}: ${result.failure}`);
        legs.push(...result.legs);
        ratios.push(...result.ratios);
        const at = size === undefined ? '' : ` @${size}${scenario.sizeUnit ? ` ${scenario.sizeUnit}` : ''}`;
        notes.push(...result.notes.map((line) => `${scenario.name}${at}: ${line}`));
      }
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
    `node ${process.version}, ${cpuCount()} CPUs; ${settings.rounds} rounds, the order rotated each round; ` +
      `${settings.warmupS}s warm-up + ${settings.durationS}s measured per leg; logging: ${LOG_MODE === 'off' ? 'off (silent)' : `info, to ${LOG_MODE === 'file' ? 'a file' : '/dev/null'}`}.`,
  );
  console.log(
    'RSS in MB (peak = during warm-up + run, life = since the server started; both servers run under the @swc-node loader: ' +
      'compare differences); load1 = 1-min load average before the warm-up → after the run; busy = cores the machine used ' +
      'during the run (/proc/stat), others = what of it was not this leg (server + PostgreSQL + load generator).',
  );
  console.log('');
  printLegs(legs);
  console.log('');
  printSummary(legs, ratios);
  if (notes.length) {
    console.log('');
    for (const line of notes) console.log(line);
  }

  if (process.env.BENCH_JSON) {
    const file = path.resolve(process.env.BENCH_JSON);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(
      file,
      JSON.stringify(
        { date: new Date().toISOString(), node: process.version, cpus: cpuCount(), settings, log: LOG_MODE, legs, ratios, notes },
        null,
        2,
      ) + '\n',
    );
    log(`results written to ${file}`);
  }
  const failed = legs.filter((r) => r.errors || r.non2xx || r.mismatches);
  for (const failure of failures) log(failure);
  if (failed.length)
    log(`failed requests in: ${failed.map((r) => `${r.scenario} @${sizeCell(r.size)} round ${r.round} / ${r.target}`).join(', ')}`);
  return failed.length || failures.length ? 1 : 0;
}

runMain(main, log);
