import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { MikroORM } from '@mikro-orm/postgresql';
import pg from 'pg';
import { ensureDatabase } from '../../src/database/database.js';
import { withDatabase } from '../../src/database/embedded-postgres.js';
import { migrateUnderLock } from '../../src/database/migrate.js';
import { ormOptions } from '../../src/database/orm.config.js';

/**
 * Two instances migrating one empty database at once (issue 12, item 16): without a lock the
 * second failed on a duplicate `pg_type`; with it the second waits, then finds nothing to do.
 */
const serverUrl = process.env.COLLEGIA_TEST_SERVER_URL!;
const name = `collegia_migrate_${randomBytes(4).toString('hex')}`;
const url = withDatabase(serverUrl, name);

afterAll(async () => {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  await client.query(`drop database if exists "${name}" with (force)`);
  await client.end();
});

it('two instances migrate one database at once: every migration applied once, neither fails', async () => {
  await ensureDatabase(serverUrl, name);
  const [a, b] = await Promise.all([1, 2].map(() => MikroORM.init(ormOptions(url, undefined, { preferTs: true }))));
  try {
    const [first, second] = await Promise.all([migrateUnderLock(a, url), migrateUnderLock(b, url)]);
    const all = (await a.migrator.getExecuted()).map((m) => m.name);
    expect(all.length).toBeGreaterThan(5);
    // One of them applied everything, the other nothing (whichever got the lock first).
    expect([first, second].map((applied) => applied.length).sort((x, y) => x - y)).toEqual([0, all.length]);
    expect(await a.migrator.getPending()).toEqual([]);
  } finally {
    await Promise.all([a.close(true), b.close(true)]);
  }
});
