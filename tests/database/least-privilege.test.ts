import { chmod, mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import { pino } from 'pino';
import { loadConfig, PROJECT_ROOT } from '../../src/config.js';
import { openDatabase, type Database } from '../../src/database/database.js';

/**
 * The embedded database as the app uses it (issue 12, item 10): migrations ran as the owner role,
 * the server connects as a role that reads and writes rows and nothing else — its credentials
 * cannot load `pageinspect` (how sealed secret ballots were linked to voters), create anything,
 * or rewrite the append-only audit trail and ledger.
 */
let dataDir: string;
let db: Database;
const logger = pino({ level: 'silent' });
const config = () => loadConfig({ NODE_ENV: 'test', DATA_DIR: dataDir, SEED_DEMO: 'false', LOG_LEVEL: 'silent' });

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(PROJECT_ROOT, '.tmp', 'roles-'));
  await chmod(dataDir, 0o755);
  db = await openDatabase(config(), logger);
});
afterAll(async () => {
  await db?.close();
  await rm(dataDir, { recursive: true, force: true });
});

const sql = (text: string) => db.orm.em.fork().execute(text);

it('serves as the app role, which is no superuser and owns nothing', async () => {
  const [me] = await sql(`select current_user as role, r.rolsuper, r.rolcreatedb, r.rolcreaterole
                            from pg_roles r where r.rolname = current_user`);
  expect(me).toEqual({ role: 'collegia_app', rolsuper: false, rolcreatedb: false, rolcreaterole: false });
  const [owned] = await sql(`select count(*)::int as count from pg_class c where pg_get_userbyid(c.relowner) = current_user`);
  expect(owned.count).toBe(0);
  const [tables] = await sql(`select count(*)::int as count from pg_tables where schemaname = 'public' and tableowner = 'collegia_owner'`);
  expect(tables.count).toBeGreaterThan(20);
});

it.each([
  ['load an extension (pageinspect)', 'create extension if not exists pageinspect', /permission denied|must be owner|superuser/],
  ['create a table', 'create table intruder (id int)', /permission denied for schema public/],
  ['rewrite the audit trail', "update audit_entry set action = 'forged'", /permission denied for table audit_entry/],
  ['delete from the ledger', 'delete from ledger_entry', /permission denied for table ledger_entry/],
  ['empty the audit trail', 'truncate audit_entry', /permission denied for table audit_entry/],
  ['read the database’s files', "select pg_read_binary_file('base/1/1259')", /permission denied/],
])('may not %s', async (_what, statement, refusal) => {
  await expect(sql(statement)).rejects.toThrow(refusal);
});

it('reads and writes rows, and a restart (roles already set up) serves again, migrations up to date', async () => {
  await sql(`insert into cluster (id, created_at, updated_at, name, slug, kind, status)
             values (gen_random_uuid(), now(), now(), 'Rights', 'rights', 'CLUSTER', 'ACTIVE')`);
  await db.close();
  db = await openDatabase(config(), logger);
  const [row] = await sql(`select count(*)::int as count from cluster where slug = 'rights'`);
  expect(row.count).toBe(1);
  expect(await db.orm.migrator.getPending()).toEqual([]);
  expect(await db.migrate()).toEqual([]);
});

describe('a database an earlier version created as the superuser', () => {
  let oldDir: string;
  let upgraded: Database | undefined;
  afterAll(async () => {
    await upgraded?.close();
    await rm(oldDir, { recursive: true, force: true });
  });

  it('is handed to the owner role at the next start, and served as the app role', async () => {
    oldDir = await mkdtemp(path.join(PROJECT_ROOT, '.tmp', 'roles-old-'));
    await chmod(oldDir, 0o755);
    const { startEmbeddedPostgres, withDatabase } = await import('../../src/database/embedded-postgres.js');
    const { ensureDatabase } = await import('../../src/database/database.js');
    const { MikroORM } = await import('@mikro-orm/postgresql');
    const { ormOptions } = await import('../../src/database/orm.config.js');
    // What earlier versions did: everything as the superuser.
    const server = await startEmbeddedPostgres({ dataDir: oldDir, logger });
    await ensureDatabase(server.url, 'collegia');
    const old = await MikroORM.init(ormOptions(withDatabase(server.url, 'collegia'), undefined, { preferTs: true }));
    await old.migrator.up();
    await old.close(true);
    await server.stop();

    upgraded = await openDatabase(loadConfig({ NODE_ENV: 'test', DATA_DIR: oldDir, SEED_DEMO: 'false', LOG_LEVEL: 'silent' }), logger);
    const [superuserOwned] = await upgraded.orm.em
      .fork()
      .execute(`select count(*)::int as count from pg_tables where schemaname = 'public' and tableowner <> 'collegia_owner'`);
    expect(superuserOwned.count).toBe(0);
    await expect(upgraded.orm.em.fork().execute("update audit_entry set action = 'forged'")).rejects.toThrow(/permission denied/);
    const [me] = await upgraded.orm.em.fork().execute('select current_user as role');
    expect(me.role).toBe('collegia_app');
  });
});
