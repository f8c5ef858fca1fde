import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import { PROJECT_ROOT } from '../../src/config.js';

/**
 * The README's quick start, for real: `npm start` with no DATABASE_URL starts the embedded
 * PostgreSQL, migrates, seeds the demo cluster and serves GraphQL; stopping it with Ctrl-C
 * (SIGINT to the process group) and starting again keeps the data. A first start copies the
 * data directory DemoSeeder wrote into today's template (scripts/demo-template.mjs); with
 * DEMO_TEMPLATE=off the server seeds the empty database itself: the same demo either way.
 */
interface Started {
  child: ChildProcess;
  url: string;
  output: () => string;
}

function startServer(dataDir: string, extraEnv: NodeJS.ProcessEnv = {}, serveWithinMs = 60_000): Promise<Started> {
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, PORT: '0', NODE_ENV: 'development', LOG_LEVEL: 'info', ...extraEnv };
  delete env.DATABASE_URL;
  if (!('DEMO_TEMPLATE' in extraEnv)) delete env.DEMO_TEMPLATE;
  delete env.NODE_OPTIONS; // jest's --experimental-vm-modules is not part of `npm start`
  const child = spawn('npm', ['start'], { cwd: PROJECT_ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      // Not left running behind the failed test: Ctrl-C to its process group.
      process.kill(-child.pid!, 'SIGINT');
      reject(new Error(`not serving within ${serveWithinMs / 1000} s:\n${output}`));
    }, serveWithinMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /serves GraphQL on (http:\/\/[\w.:-]+:\d+)\/graphql/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({ child, url: match[1], output: () => output });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`npm start exited with ${code}:\n${output}`));
    });
  });
}

/**
 * Ctrl-C: SIGINT to the whole process group, then wait for npm to exit. The server itself
 * logs "stopped" only once it has drained HTTP, closed the pool and stopped PostgreSQL. With
 * `how: 'SIGTERM'`, a process manager's stop: SIGTERM to the PID it started (npm's) only.
 */
async function stopServer(started: Started, how: 'Ctrl-C' | 'SIGTERM' = 'Ctrl-C'): Promise<void> {
  if (started.child.exitCode !== null || started.child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => started.child.once('exit', () => resolve()));
  if (how === 'SIGTERM') process.kill(started.child.pid!, 'SIGTERM');
  else process.kill(-started.child.pid!, 'SIGINT');
  await exited;
}

async function gql(url: string, query: string, variables?: Record<string, unknown>, token?: string) {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return response.json() as Promise<{ data?: any; errors?: any[] }>;
}

/** `npm run audit:verify` on a stopped data directory: its JSON report. */
function auditVerify(dataDir: string): Promise<{ exitCode: number; report: Record<string, unknown> | null; output: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, NODE_ENV: 'development', LOG_LEVEL: 'silent' };
  for (const name of ['NODE_OPTIONS', 'DATABASE_URL', 'AUDIT_SIGNING_KEY', 'AUDIT_SIGNING_KEY_FILE', 'AUDIT_CHECKPOINT_DIR'])
    delete env[name];
  return new Promise((resolve) => {
    execFile('npm', ['run', '--silent', 'audit:verify'], { cwd: PROJECT_ROOT, env }, (error, stdout, stderr) => {
      let report: Record<string, unknown> | null;
      try {
        report = JSON.parse(stdout) as Record<string, unknown>;
      } catch {
        report = null;
      }
      resolve({ exitCode: error ? Number((error as { code?: unknown }).code) : 0, report, output: stdout + stderr });
    });
  });
}

async function freshDataDir(): Promise<string> {
  const dir = await mkdtemp(path.join(PROJECT_ROOT, '.tmp', 'quick-start-'));
  // mkdtemp makes it owner-only; when tests run as root, PostgreSQL runs as `postgres` and must reach it.
  await chmod(dir, 0o755);
  return dir;
}

let dataDir: string;
beforeAll(async () => {
  dataDir = await freshDataDir();
});
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

it('serves the seeded demo cluster, stops cleanly, and keeps its data across a restart', async () => {
  const first = await startServer(dataDir);
  let secondRun: Started | undefined;
  try {
    // Outside production it listens on loopback only: the demo password is in the README.
    expect(first.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const ready = await fetch(`${first.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', pendingMigrations: [] });

    const { data } = await gql(first.url, '{ clusters { slug } cluster(slug: "frenchsouth-digital") { colleges { name } } }');
    expect(data.clusters.map((c: { slug: string }) => c.slug)).toEqual(
      expect.arrayContaining([
        'france-clusters',
        'frenchsouth-digital',
        'media-cloud-cluster',
        'novae-lr',
        'pixlr',
        'digitalplace',
        'telecom-valley',
      ]),
    );
    expect(data.cluster.colleges).toHaveLength(5);

    const login = await gql(
      first.url,
      'mutation { login(input: { email: "admin@collegia.example", password: "collegia-demo-2026" }) { token } }',
    );
    expect(login.data.login.token).toEqual(expect.any(String));

    // The seeded membership: rules per collège, the charter, the figures of seed 003, representatives.
    const seeded = await gql(
      first.url,
      `{ cluster(slug: "frenchsouth-digital") { charter { version } colleges { slug admissionRules { version decisionMode } } }
         telecomValley: college(clusterSlug: "telecom-valley", slug: "adherents") { stats { activeMembers totalHeadcount } } }`,
      undefined,
      login.data.login.token,
    );
    expect(seeded.errors).toBeUndefined();
    expect(seeded.data.cluster.charter).toEqual({ version: 1 });
    for (const college of seeded.data.cluster.colleges)
      expect(college.admissionRules).toEqual({ version: 1, decisionMode: 'REPRESENTATIVE' });
    expect(seeded.data.telecomValley.stats).toEqual({ activeMembers: 150, totalHeadcount: 14_000 });
    const thomas = await gql(
      first.url,
      'mutation { login(input: { email: "thomas.fraisse@epitech.example", password: "collegia-demo-2026" }) { token } }',
    );
    const queue = await gql(
      first.url,
      `{ college(clusterSlug: "frenchsouth-digital", slug: "enseignement-superieur-recherche") { id } }`,
      undefined,
      thomas.data.login.token,
    );
    const review = await gql(
      first.url,
      'query($id: ID!) { applications(collegeId: $id) { totalCount } }',
      { id: queue.data.college.id },
      thomas.data.login.token,
    );
    expect(review.errors).toBeUndefined();
    expect(review.data.applications.totalCount).toBeGreaterThan(0);
    const register = await gql(first.url, 'mutation($input: RegisterAccountInput!) { registerAccount(input: $input) { account { id } } }', {
      input: { email: 'kept@example.test', password: 'kept across restarts', displayName: 'Kept' },
    });
    expect(register.errors).toBeUndefined();

    await stopServer(first);
    expect(first.output()).toContain('"msg":"embedded PostgreSQL stopped"');
    expect(first.output()).toContain('"msg":"stopped"');
    // The demo came from today's template (built by this start if `npm install` had not: its
    // seed's lines come before the copy), not from a seed in the server's process.
    const restored = first.output().indexOf('demo data restored from the template DemoSeeder wrote');
    expect(restored).toBeGreaterThan(-1);
    expect(first.output().slice(restored)).not.toContain('"msg":"demo cluster seeded');

    secondRun = await startServer(dataDir);
    expect(secondRun.output()).not.toContain('demo cluster seeded');
    const again = await gql(
      secondRun.url,
      'mutation { login(input: { email: "kept@example.test", password: "kept across restarts" }) { account { email } } }',
    );
    expect(again.data.login.account.email).toBe('kept@example.test');
    const clusters = await gql(secondRun.url, '{ clusters { slug } }');
    expect(clusters.data.clusters).toHaveLength(7);

    // SIGTERM to npm's PID alone stops the server and its PostgreSQL (npm passes it on; the
    // script execs node, so no shell sits in between to swallow it).
    await stopServer(secondRun, 'SIGTERM');
    expect(secondRun.output()).toContain('"signal":"SIGTERM"');
    expect(secondRun.output()).toContain('"msg":"embedded PostgreSQL stopped"');
    await expect(fetch(`${secondRun.url}/healthz`)).rejects.toThrow();

    // The restored trail is this data directory's: sealed with its key, anchored in its log.
    const verified = await auditVerify(dataDir);
    expect(verified.exitCode).toBe(0);
    expect(verified.report).toMatchObject({ intact: true });
    expect(verified.report!.checkedEntries).toBeGreaterThan(1000);
  } finally {
    await stopServer(first);
    if (secondRun) await stopServer(secondRun);
  }
}, 180_000);

it('without the template (DEMO_TEMPLATE=off) the server seeds the empty database itself: the same demo', async () => {
  const own = await freshDataDir();
  let started: Started | undefined;
  try {
    // What is checked here is the path, not its speed (bench:first-start times it): the whole
    // seed in the server, which takes 10 to 60 s depending on the machine's load.
    started = await startServer(own, { DEMO_TEMPLATE: 'off' }, 150_000);
    expect(started.output()).toContain('demo cluster seeded');
    expect(started.output()).not.toContain('demo data restored');
    const { data } = await gql(
      started.url,
      '{ clusters { slug } telecomValley: college(clusterSlug: "telecom-valley", slug: "adherents") { id } }',
    );
    expect(data.clusters).toHaveLength(7);
    const login = await gql(
      started.url,
      'mutation { login(input: { email: "admin@collegia.example", password: "collegia-demo-2026" }) { token } }',
    );
    const stats = await gql(
      started.url,
      '{ college(clusterSlug: "telecom-valley", slug: "adherents") { stats { activeMembers totalHeadcount } } }',
      undefined,
      login.data.login.token,
    );
    expect(stats.data.college.stats).toEqual({ activeMembers: 150, totalHeadcount: 14_000 });
  } finally {
    if (started) await stopServer(started);
    await rm(own, { recursive: true, force: true });
  }
}, 240_000);
