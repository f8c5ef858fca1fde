// The demo's first start from a template (issue 14, item 5). Seeding the demo through the
// services — every application submitted and decided, every write audited, ~16 000 statements —
// takes 10 to 20 s on a 2-core machine, and the rules cost what they cost. So the seed runs once
// per version of the code and day, into a template data directory (the embedded PostgreSQL's
// cluster, its passwords, the audit key and checkpoints: everything a first start writes before
// it serves), and a first start on an empty DATA_DIR copies that directory instead of seeding
// again. The data is exactly what the seed wrote, through the same rules; the template is keyed
// by the content of src/, seeds/, migrations/, package-lock.json and tsconfig.json, and by the
// UTC day (the demo's dates are relative to the day it is seeded on), so an edited service or a
// new day seeds anew.
//
//   node scripts/demo-template.mjs --start     before `npm start`'s server: compiles what changed
//                                               (build-if-stale.mjs), then, on a first start that
//                                               would seed, restores the template (built first
//                                               when missing)
//   node scripts/demo-template.mjs --prepare   what npm install's `prepare` runs (package.json
//                                               calls prepare() only where this file exists):
//                                               compiles, builds today's template; never fails
//
// A data directory restored from a template shares its keys (PostgreSQL passwords, audit key)
// with the template: demo data on loopback only. Production never seeds, so never restores.
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildIfStale } from './build-if-stale.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** Where templates are kept: `npm ci` (a fresh node_modules) starts without any. */
export const TEMPLATES = path.join(ROOT, 'node_modules', '.cache', 'collegia-demo');
const NODE_FLAGS = ['--experimental-async-context-frame', '--max-semi-space-size=32'];

function log(level, fields, msg) {
  const line = { level, time: new Date().toISOString(), service: 'collegia', ...fields, msg };
  (level >= 40 ? process.stderr : process.stdout).write(`${JSON.stringify(line)}\n`);
}

const isTrue = (raw, fallback) => (raw === undefined || raw === '' ? fallback : ['true', '1', 'yes'].includes(raw.toLowerCase()));

/**
 * The DATA_DIR a start would seed from nothing, as src/config.ts reads the environment: the
 * embedded PostgreSQL (no DATABASE_URL), outside production, SEED_DEMO not off, the audit key
 * and checkpoints in DATA_DIR (not configured elsewhere), and a DATA_DIR without a cluster, an
 * audit key or checkpoints of its own; DEMO_TEMPLATE not off. Otherwise null, and the start goes on
 * as it always did (the server seeds an empty database itself).
 */
export function freshDemoDataDir(env = process.env) {
  if (!isTrue(env.DEMO_TEMPLATE, true)) return null;
  if (env.NODE_ENV === 'production' || env.DATABASE_URL || !isTrue(env.SEED_DEMO, true)) return null;
  if (env.AUDIT_SIGNING_KEY || env.AUDIT_SIGNING_KEY_FILE || env.AUDIT_CHECKPOINT_DIR) return null;
  const dataDir = path.resolve(ROOT, env.DATA_DIR || '.data');
  for (const own of ['postgres', 'postgres-credentials.json', 'postgres-roles.json', 'audit-key', 'audit-checkpoints']) {
    if (existsSync(path.join(dataDir, own))) return null;
  }
  return dataDir;
}

/** Every non-test .ts file under `dir`, sorted. */
function sources(dir, found = []) {
  let entries;
  try {
    entries = readdirSync(path.join(ROOT, dir), { withFileTypes: true });
  } catch {
    return found;
  }
  for (const entry of entries) {
    const relative = path.join(dir, entry.name);
    if (entry.isDirectory()) sources(relative, found);
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') && !entry.name.endsWith('.d.ts')) found.push(relative);
  }
  return found.sort();
}

/** Today's template's name: the UTC day and a hash of everything the seed's outcome depends on. */
export function templateName(now = new Date()) {
  const hash = createHash('sha256');
  for (const file of [...['src', 'seeds', 'migrations'].flatMap((dir) => sources(dir)), 'package-lock.json', 'tsconfig.json']) {
    hash.update(`${file}\n`);
    hash.update(readFileSync(path.join(ROOT, file)));
  }
  return `${now.toISOString().slice(0, 10)}-${hash.digest('hex').slice(0, 16)}`;
}

/** Runs `node <flags> <script>` with `env`, passing SIGINT/SIGTERM on; resolves with its exit code. */
function run(script, env) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...NODE_FLAGS, script], { cwd: ROOT, env, stdio: 'inherit' });
    const forward = (signal) => child.kill(signal);
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    child.on('exit', (code, signal) => {
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
      resolve(signal ? 1 : (code ?? 1));
    });
  });
}

/**
 * The template of today and of this code, built if missing: DemoSeeder run by
 * seeds/demo-template.ts on a data directory of its own, renamed into place once complete.
 * Returns its directory, or null when the seed failed (the start then seeds as usual).
 */
export async function ensureTemplate(name = templateName()) {
  const template = path.join(TEMPLATES, name);
  if (existsSync(path.join(template, 'postgres', 'PG_VERSION'))) return template;
  mkdirSync(TEMPLATES, { recursive: true });
  for (const entry of readdirSync(TEMPLATES)) {
    // A build interrupted earlier (its process gone) leaves its directory behind.
    const pid = /^\.building-(\d+)-/.exec(entry)?.[1];
    if (pid && !alive(Number(pid))) rmSync(path.join(TEMPLATES, entry), { recursive: true, force: true });
  }
  const building = mkdtempSync(path.join(TEMPLATES, `.building-${process.pid}-`));
  // When run as root, the embedded PostgreSQL runs as `postgres`, which must reach its directory.
  chmodSync(building, 0o755);
  const started = performance.now();
  log(30, { template: name }, 'seeding the demo into a template data directory (once per version of the code and day)');
  const { DATABASE_URL: _url, ...env } = process.env;
  const code = await run(path.join('dist', 'seeds', 'demo-template.js'), {
    ...env,
    DATA_DIR: building,
    NODE_ENV: 'development',
    PORT: '0',
    EMBEDDED_PG_PORT: '',
  });
  if (code !== 0) {
    rmSync(building, { recursive: true, force: true });
    log(40, { template: name, exitCode: code }, 'the demo template could not be built');
    return null;
  }
  writeFileSync(
    path.join(TEMPLATES, `${name}.json`),
    JSON.stringify({ builtAt: new Date().toISOString(), seedMs: Math.round(performance.now() - started) }),
  );
  try {
    renameSync(building, template);
  } catch {
    rmSync(building, { recursive: true, force: true }); // another start built it meanwhile
  }
  // Older templates (another day, older code) are of no use: ~55 MB each.
  for (const entry of readdirSync(TEMPLATES)) {
    if (!entry.startsWith('.') && entry !== name && entry !== `${name}.json`)
      rmSync(path.join(TEMPLATES, entry), { recursive: true, force: true });
  }
  return template;
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

/** Copies the template's files into `dataDir` (owners and modes kept: PostgreSQL checks them). */
export function restoreTemplate(template, dataDir) {
  mkdirSync(dataDir, { recursive: true });
  const entries = readdirSync(template);
  try {
    execFileSync('cp', ['-a', ...entries.map((entry) => path.join(template, entry)), `${dataDir}${path.sep}`]);
  } catch (error) {
    for (const entry of entries) rmSync(path.join(dataDir, entry), { recursive: true, force: true });
    throw error;
  }
}

async function start() {
  try {
    await buildIfStale();
  } catch (error) {
    log(60, {}, `boot failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
  const dataDir = freshDemoDataDir();
  if (!dataDir) return;
  const started = performance.now();
  const name = templateName();
  try {
    const template = await ensureTemplate(name);
    if (!template) return;
    restoreTemplate(template, dataDir);
  } catch (error) {
    log(40, { err: String(error) }, 'the demo template could not be built or copied: the server seeds the demo itself');
    return;
  }
  let builtAt;
  try {
    ({ builtAt } = JSON.parse(readFileSync(path.join(TEMPLATES, `${name}.json`), 'utf8')));
  } catch {
    builtAt = undefined;
  }
  log(
    30,
    { dataDir, template: name, seededAt: builtAt, ms: Math.round(performance.now() - started) },
    'demo data restored from the template DemoSeeder wrote (today, this code): not seeded again',
  );
}

/** `npm install`'s prepare (package.json runs it only where this file exists: Docker's `npm ci` runs before it is copied). */
export async function prepare() {
  // `npm ci --omit=dev` of the built app (no sources, no compiler), a Docker layer before the
  // sources are copied, a production install: nothing to prepare.
  if (!existsSync(path.join(ROOT, 'src')) || process.env.NODE_ENV === 'production') return;
  try {
    await buildIfStale();
    if (freshDemoDataDir({ ...process.env, DATA_DIR: path.join(TEMPLATES, '.probe') }) === null) return;
    await ensureTemplate();
  } catch (error) {
    log(40, { err: String(error) }, 'prepare: the demo template was not built; the first start will seed the demo itself');
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (process.argv.includes('--prepare')) await prepare();
  else await start();
}
