import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { PROJECT_ROOT } from '../../src/config.js';
import { startTestApp, TEST_PASSWORD, type TestApp } from '../support/test-app.js';

/**
 * The audit commands against a real server process (issue 12, item 11): `npm run audit:verify`
 * while the embedded server runs (it used to log only "failed": it tried to start a second
 * PostgreSQL on the data directory the server holds), and the server refusing to start in
 * production without its audit key.
 */

interface Started {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function spawnServer(env: NodeJS.ProcessEnv): Started {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, PORT: '0', LOG_LEVEL: 'info', ...env };
  for (const name of ['NODE_OPTIONS', 'AUDIT_SIGNING_KEY', 'AUDIT_SIGNING_KEY_FILE', 'AUDIT_CHECKPOINT_DIR']) {
    if (!(name in env)) delete childEnv[name];
  }
  const child = spawn('npm', ['start'], { cwd: PROJECT_ROOT, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function serving(started: Started): Promise<string> {
  for (let waited = 0; waited < 90_000; waited += 100) {
    const match = /serves GraphQL on (http:\/\/[\w.:-]+:\d+)\/graphql/.exec(started.output());
    if (match) return match[1];
    if (started.child.exitCode !== null) throw new Error(`npm start exited with ${started.child.exitCode}:\n${started.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`not serving within 90 s:\n${started.output()}`);
}

async function stop(started: Started): Promise<void> {
  if (started.child.exitCode === null && started.child.signalCode === null) started.child.kill('SIGTERM');
  await started.exited;
}

function auditVerify(env: NodeJS.ProcessEnv): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'silent', ...env };
  for (const name of ['NODE_OPTIONS', 'DATABASE_URL', 'AUDIT_SIGNING_KEY', 'AUDIT_CHECKPOINT_DIR']) {
    if (!(name in env)) delete childEnv[name];
  }
  return new Promise((resolve) => {
    execFile('npm', ['run', '--silent', 'audit:verify'], { cwd: PROJECT_ROOT, env: childEnv }, (error, stdout, stderr) =>
      resolve({ exitCode: error ? Number((error as { code?: unknown }).code) : 0, stdout, stderr }),
    );
  });
}

describe('npm run audit:verify in embedded mode', () => {
  let dataDir: string;
  let server: Started | undefined;
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(PROJECT_ROOT, '.tmp', 'audit-verify-'));
    // When tests run as root, PostgreSQL runs as `postgres` and must reach the directory.
    await chmod(dataDir, 0o755);
  });
  afterAll(async () => {
    if (server) await stop(server);
    await rm(dataDir, { recursive: true, force: true });
  });

  it('verifies through the running server’s PostgreSQL, with the key and checkpoints beside the data', async () => {
    server = spawnServer({ NODE_ENV: 'development', DATA_DIR: dataDir, SEED_DEMO: 'false' });
    const url = await serving(server);
    const register = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: 'mutation($input: RegisterAccountInput!) { registerAccount(input: $input) { account { id } } }',
        variables: { input: { email: 'anchored@example.test', password: TEST_PASSWORD, displayName: 'Anchored' } },
      }),
    });
    expect(((await register.json()) as { errors?: unknown }).errors).toBeUndefined();
    // The server anchors the new entry within a second or so, in DATA_DIR/audit-checkpoints/.
    const log = path.join(dataDir, 'audit-checkpoints', 'collegia.jsonl');
    let lines: string[] = [];
    for (let waited = 0; lines.length === 0 && waited < 10_000; waited += 200) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      lines = (await readFile(log, 'utf8').catch(() => '')).trim().split('\n').filter(Boolean);
    }
    expect(lines.length).toBeGreaterThan(0);

    const result = await auditVerify({ NODE_ENV: 'development', DATA_DIR: dataDir });
    expect(result.stderr).not.toMatch(/failed/);
    expect(result.exitCode).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report).toMatchObject({ intact: true, checkedEntries: 1, unanchoredEntries: 0, checkpointLog: log });
    expect(report.checkpoints).toBeGreaterThanOrEqual(1);
    // The server is unharmed.
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
  }, 120_000);

  it('and once the server has stopped, by starting the embedded PostgreSQL itself', async () => {
    await stop(server!);
    server = undefined;
    const result = await auditVerify({ NODE_ENV: 'development', DATA_DIR: dataDir });
    expect(result.exitCode).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ intact: true, checkedEntries: 1 });
  }, 120_000);
});

describe('the server in production', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => {
    await app.close();
  });

  it('refuses to start with DATABASE_URL and no audit key, in one JSON line naming the setting; starts with one', async () => {
    const env = { NODE_ENV: 'production', DATABASE_URL: app.databaseUrl, HOST: '127.0.0.1', NOTIFICATION_WORKER: 'false' };
    const refused = spawnServer(env);
    expect(await refused.exited).toBe(1);
    const line = refused
      .output()
      .split('\n')
      .find((text) => text.includes('boot failed'));
    expect(JSON.parse(line!)).toMatchObject({
      level: 60,
      reason: expect.stringMatching(/^AUDIT_SIGNING_KEY \(or AUDIT_SIGNING_KEY_FILE\) must be set in production/),
    });

    const started = spawnServer({ ...env, AUDIT_SIGNING_KEY: `production-key-${'x'.repeat(32)}` });
    try {
      await serving(started);
    } finally {
      await stop(started);
    }
  }, 120_000);
});
