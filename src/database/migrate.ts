import type { MikroORM } from '@mikro-orm/postgresql';
import pg from 'pg';
import type { Logger } from 'pino';

/** The session-level advisory lock every Collegia instance takes around its migrations. */
export const MIGRATION_LOCK_KEY = 7_262_018;

/**
 * Applies pending migrations while holding a PostgreSQL advisory lock, on a connection of its
 * own: MikroORM's migrator takes none, so two instances starting at once (or `npm run migrate`
 * beside a starting instance) would both run the same migration and the second would fail on a
 * duplicate. With the lock the second waits, then finds nothing to do. The lock is released
 * when its connection ends, even if this process dies.
 */
export async function migrateUnderLock(orm: MikroORM, url: string, logger?: Logger): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  // An idle connection that dies must not become an unhandled 'error' event.
  client.on('error', (error) => logger?.warn({ err: error }, 'migration lock connection lost'));
  await client.connect();
  try {
    const [{ locked }] = (await client.query<{ locked: boolean }>('select pg_try_advisory_lock($1) as locked', [MIGRATION_LOCK_KEY])).rows;
    if (!locked) {
      logger?.info('another instance is migrating this database: waiting for it');
      await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    }
    const applied = await orm.migrator.up();
    return applied.map((m) => m.name);
  } finally {
    await client.end();
  }
}
