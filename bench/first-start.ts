/**
 * First-start benchmark (issue 14, item 5): `npm run bench:first-start`.
 *
 * What the README's quick start promises, timed: `npm start` on an empty DATA_DIR (a fresh
 * directory under .tmp/, removed after each start), from the spawn of `npm start` to the first
 * `GET /readyz` that answers 200, then the server's idle resident memory once it has settled.
 * Each round runs every mode once, in an order rotated round by round, and prints the load
 * average before and after each start:
 *
 *   template  today's demo template exists (what `npm install` prepared; built untimed before the
 *             start if the sources changed since): the start copies it;
 *   cold      no template (removed first): the start seeds one (DemoSeeder, in a child process),
 *             then copies it — a first start after the code changed, or on a later day;
 *   seeded    DEMO_TEMPLATE=off: the server seeds the empty database itself, in its own process
 *             (how every first start worked before the template);
 *   loader    the start before issue 14, as the baseline: the TypeScript sources run through
 *             @swc-node/register (`exec node … --import @swc-node/register/esm-register src/main.ts`),
 *             seeding in its own process.
 *
 * Per start: time to ready, the seed's share (its `seed: done` log line, wherever it ran), and
 * the server's RSS (VmRSS of the node process `npm start` execs) BENCH_SETTLE seconds after ready.
 * Then the median and range per mode. The start's output is kept in .tmp/ when a start fails.
 *
 *   BENCH_ROUNDS   3        rounds
 *   BENCH_MODES    template,cold,seeded,loader
 *   BENCH_SETTLE   10       seconds between ready and the RSS reading
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmod, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../src/config.js';
import { readMemory } from './memory.js';

type Mode = 'template' | 'cold' | 'seeded' | 'loader';
const MODES: readonly Mode[] = ['template', 'cold', 'seeded', 'loader'];
const LOADER_START =
  'exec node --experimental-async-context-frame --max-semi-space-size=32 --import @swc-node/register/esm-register src/main.ts';
const TEMPLATES = path.join(PROJECT_ROOT, 'node_modules', '.cache', 'collegia-demo');

const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const settleSeconds = Number(process.env.BENCH_SETTLE ?? 10);
const modes = (process.env.BENCH_MODES ?? MODES.join(','))
  .split(',')
  .map((m) => m.trim())
  .filter(Boolean) as Mode[];
for (const mode of modes) if (!MODES.includes(mode)) throw new Error(`BENCH_MODES: unknown mode ${mode} (${MODES.join(', ')})`);

interface Result {
  mode: Mode;
  readyMs: number;
  seedMs: number | null;
  rssMb: number | null;
  loadBefore: string;
  loadAfter: string;
}

const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

/** The node process `npm start` ended in: a descendant of npm running dist/main.js (or src/main.ts). */
async function serverPid(root: number): Promise<number | null> {
  const children = new Map<number, number[]>();
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (!children.has(parent)) children.set(parent, []);
    children.get(parent)!.push(Number(entry));
  }
  const queue = [root];
  while (queue.length) {
    const pid = queue.shift()!;
    const command = (await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')).replace(/\0/g, ' ');
    if (/\bnode\b.*(dist\/main\.js|src\/main\.ts)/.test(command)) return pid;
    queue.push(...(children.get(pid) ?? []));
  }
  return null;
}

async function waitReady(url: string, child: ChildProcess, deadline: number): Promise<void> {
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error('npm start exited');
    const status = await fetch(`${url}/readyz`).then(
      (r) => r.status,
      () => 0,
    );
    if (status === 200) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('not ready within 180 s');
}

/** Today's template for the code as it is now, as `npm install` prepares it (nothing to do when it exists). */
async function prepareTemplate(): Promise<void> {
  const prepare = spawn(process.execPath, ['scripts/demo-template.mjs', '--prepare'], { cwd: PROJECT_ROOT, stdio: 'inherit' });
  await new Promise((resolve) => prepare.once('exit', resolve));
}

async function firstStart(mode: Mode): Promise<Result> {
  if (mode === 'cold') await rm(TEMPLATES, { recursive: true, force: true });
  // Untimed, right before the start: the sources may have changed since the last round.
  if (mode === 'template') await prepareTemplate();
  const dataDir = await mkdtemp(path.join(PROJECT_ROOT, '.tmp', 'first-start-'));
  await chmod(dataDir, 0o755); // PostgreSQL runs as `postgres` when this runs as root
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, PORT: '0', NODE_ENV: 'development', LOG_LEVEL: 'info' };
  for (const name of ['DATABASE_URL', 'NODE_OPTIONS', 'SEED_DEMO', 'AUDIT_SIGNING_KEY', 'AUDIT_SIGNING_KEY_FILE', 'AUDIT_CHECKPOINT_DIR'])
    delete env[name];
  if (mode === 'seeded' || mode === 'loader') env.DEMO_TEMPLATE = 'off';
  else delete env.DEMO_TEMPLATE;
  env.PATH = `${path.join(PROJECT_ROOT, 'node_modules', '.bin')}${path.delimiter}${env.PATH ?? ''}`;
  const loadBefore = load();
  const started = performance.now();
  const [command, args] = mode === 'loader' ? ['sh', ['-c', LOADER_START]] : ['npm', ['start']];
  const child = spawn(command, args, { cwd: PROJECT_ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        const match = /serves GraphQL on (http:\/\/[\w.:-]+:\d+)\/graphql/.exec(output);
        if (match) resolve(match[1]);
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      child.once('exit', (code) => reject(new Error(`npm start exited with ${code}`)));
    });
    await waitReady(url, child, Date.now() + 180_000);
    const readyMs = performance.now() - started;
    const loadAfter = load();
    await new Promise((resolve) => setTimeout(resolve, settleSeconds * 1000));
    const pid = await serverPid(child.pid!);
    const memory = pid ? readMemory(pid) : null;
    const seed = /"ms":(\d+),"msg":"seed: done"/.exec(output);
    // The sources changed between the preparation and the start (others at work in the tree):
    // the start had to seed a template, so it was a cold start, and is counted as one.
    const actual: Mode = mode === 'template' && output.includes('seeding the demo into a template') ? 'cold' : mode;
    if (actual !== mode) console.log(`(a template start found no template for the sources as they were then: counted as cold)`);
    return {
      mode: actual,
      readyMs,
      seedMs: seed ? Number(seed[1]) : null,
      rssMb: memory ? memory.rss / 2 ** 20 : null,
      loadBefore,
      loadAfter,
    };
  } catch (error) {
    const kept = `${dataDir}.log`;
    await writeFile(kept, output);
    throw new Error(`${mode}: ${(error as Error).message} (output in ${kept})`, { cause: error });
  } finally {
    if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, 'SIGINT');
    await exited;
    await rm(dataDir, { recursive: true, force: true });
  }
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const seconds = (ms: number | null) => (ms === null ? '—' : `${(ms / 1000).toFixed(1)} s`);

console.log(
  `first start: ${rounds} rounds of ${modes.join(', ')} (order rotated); RSS ${settleSeconds} s after ready; node ${process.version}`,
);
console.log('round  mode       ready     seed      RSS        load before → after (1/5/15 min)');
const results: Result[] = [];
for (let round = 0; round < rounds; round++) {
  const order = modes.map((_, i) => modes[(i + round) % modes.length]);
  for (const mode of order) {
    const result = await firstStart(mode);
    results.push(result);
    console.log(
      `${String(round + 1).padEnd(7)}${result.mode.padEnd(11)}${seconds(result.readyMs).padEnd(10)}${seconds(result.seedMs).padEnd(10)}${(result.rssMb === null ? '—' : `${result.rssMb.toFixed(0)} MB`).padEnd(11)}${result.loadBefore} → ${result.loadAfter}`,
    );
  }
}
console.log('\nmode       ready: median (range)        RSS: median (range)');
for (const mode of MODES) {
  const own = results.filter((r) => r.mode === mode);
  if (!own.length) continue;
  const ready = own.map((r) => r.readyMs / 1000);
  const rss = own.flatMap((r) => (r.rssMb === null ? [] : [r.rssMb]));
  console.log(
    `${mode.padEnd(11)}${median(ready).toFixed(1)} s (${Math.min(...ready).toFixed(1)}–${Math.max(...ready).toFixed(1)})`.padEnd(40) +
      (rss.length ? `${median(rss).toFixed(0)} MB (${Math.min(...rss).toFixed(0)}–${Math.max(...rss).toFixed(0)})` : '—'),
  );
}
console.log('goals: ready < 20 s, idle RSS ≤ 200 MB');
