import { spawn } from 'node:child_process';
import { PROJECT_ROOT } from '../../src/config.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * The first platform administrator of a fresh database (issue 12, item 19): `npm run
 * admin:create -- --email …`, the password on standard input, against DATABASE_URL; audited.
 */
let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app.close();
});

function adminCreate(args: string[], stdin: string): Promise<{ code: number | null; output: string }> {
  // Production with DATABASE_URL: the audit trail's sealing key comes from the environment.
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: app.databaseUrl,
    NODE_ENV: 'production',
    LOG_LEVEL: 'info',
    AUDIT_SIGNING_KEY: 'a key kept outside the database, for this test only',
  };
  delete env.NODE_OPTIONS; // jest's --experimental-vm-modules is not part of the command
  const child = spawn('npm', ['run', '--silent', 'admin:create', '--', ...args], {
    cwd: PROJECT_ROOT,
    env,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stdin.end(stdin);
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, output })));
}

const accounts = async (email: string) => (await app.sql<{ id: string }>('select id from account where email = $1', [email])).length;

it('creates the first ADMIN of a production database, who can then sign in and act as one', async () => {
  const email = 'first.admin@example.test';
  const created = await adminCreate(['--email', email, '--name', 'Première administratrice'], 'a long enough password\n');
  expect(created.output).toContain('platform administrator created');
  expect(created.code).toBe(0);

  const login = await app.gql('mutation($input: LoginInput!) { login(input: $input) { token } }', {
    input: { email, password: 'a long enough password' },
  });
  const token = login.body.data!.login.token as string;
  const viewer = await app.gql('{ viewer { roles { role } } }', {}, { token });
  expect(viewer.body.data).toMatchObject({ viewer: { roles: [{ role: 'ADMIN' }] } });
  // Audited, by the command.
  const trail = await app.sql<{ action: string; request_id: string }>(
    "select action, request_id from audit_entry where request_id = 'cli:admin:create' order by seq",
  );
  expect(trail.map((entry) => entry.action)).toEqual(['account.register', 'role.grant']);

  // Again: nothing to do, nothing written.
  const again = await adminCreate(['--email', email], '');
  expect(again.code).toBe(0);
  expect(again.output).toContain('already a platform administrator');
  expect(await app.sql("select 1 from audit_entry where request_id = 'cli:admin:create'")).toHaveLength(2);
}, 120_000);

it('refuses without --email (exit 2, usage) and a password too short (exit 1, the reason), writing nothing', async () => {
  const missing = await adminCreate([], 'whatever password\n');
  expect(missing.code).toBe(2);
  expect(missing.output).toContain('--email is required');

  const short = await adminCreate(['--email', 'short@example.test'], 'short\n');
  expect(short.code).toBe(1);
  expect(short.output).toMatch(/refused: .*password/i);
  expect(await accounts('short@example.test')).toBe(0);
}, 120_000);
