import { spawn } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { pino } from 'pino';
import { PROJECT_ROOT } from '../../src/config.js';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../../src/database/embedded-postgres.js';

/**
 * Operating the embedded PostgreSQL (issue 12, item 15): after Collegia is killed (-9) its
 * PostgreSQL outlives it and holds the data directory; the next start stops that orphan and goes
 * on. A PostgreSQL that dies under a running Collegia is reported, so the app can exit and be
 * restarted.
 */
const logger = pino({ level: 'silent' });
let dataDir: string;
const started: EmbeddedDatabase[] = [];

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(PROJECT_ROOT, '.tmp', 'recovery-'));
  // PostgreSQL runs as `postgres` when tests run as root: it must reach the directory.
  await chmod(dataDir, 0o755);
});
afterAll(async () => {
  for (const server of started) await server.stop();
  await rm(dataDir, { recursive: true, force: true });
});

const postmasterPid = async () => Number((await readFile(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8')).split('\n')[0]);
const exists = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

it('a start after Collegia was killed (-9) stops the PostgreSQL it left running, and starts', async () => {
  const child = spawn(
    process.execPath,
    ['--import', '@swc-node/register/esm-register', 'tests/database/fixtures/embedded-child.ts', dataDir],
    {
      cwd: PROJECT_ROOT,
      env: { ...process.env, NODE_OPTIONS: '' },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('READY') && resolve());
    child.once('exit', (code) => reject(new Error(`the child exited with ${code}`)));
  });
  const orphan = await postmasterPid();
  const killed = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await killed;
  expect(exists(orphan)).toBe(true);

  const server = await startEmbeddedPostgres({ dataDir, logger });
  started.push(server);
  expect(exists(orphan)).toBe(false);
  expect(await postmasterPid()).not.toBe(orphan);
  expect(server.alive()).toBe(true);
});

it('refuses to take over a PostgreSQL that a running Collegia still owns, saying what to do', async () => {
  await expect(startEmbeddedPostgres({ dataDir, logger })).rejects.toThrow(
    /Another Collegia .* is running on .*: stop it first, or give this one another DATA_DIR/,
  );
  expect(started[0].alive()).toBe(true);
});

it('reports a PostgreSQL that dies under the running app', async () => {
  await started.pop()!.stop();
  let reportDied: (exit: { signal: NodeJS.Signals | null }) => void = () => undefined;
  const died = new Promise<{ signal: NodeJS.Signals | null }>((resolve) => (reportDied = resolve));
  const server = await startEmbeddedPostgres({ dataDir, logger, onUnexpectedExit: (exit) => reportDied(exit) });
  started.push(server);
  process.kill(await postmasterPid(), 'SIGKILL');
  expect(await died).toMatchObject({ signal: 'SIGKILL' });
  expect(server.alive()).toBe(false);
});
