import 'reflect-metadata';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { MikroORM } from '@mikro-orm/postgresql';
import pg from 'pg';
import { pino } from 'pino';
import { PROJECT_ROOT } from '../../src/config.js';
import { ensureDatabase } from '../../src/database/database.js';
import { startEmbeddedPostgres, withDatabase, type EmbeddedDatabase } from '../../src/database/embedded-postgres.js';
import { ormOptions } from '../../src/database/orm.config.js';

let server: EmbeddedDatabase | undefined;

/**
 * Starts one PostgreSQL for the whole run (embedded, or TEST_DATABASE_URL's server) and builds
 * a template database with the real migrations. Each test file clones the template into a
 * database of its own (tests/support/test-app.ts), which takes a few milliseconds.
 */
export async function prepareTestDatabaseServer(): Promise<void> {
  let serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) {
    const dataDir = path.join(PROJECT_ROOT, '.tmp', `test-pg-${process.pid}`);
    await rm(dataDir, { recursive: true, force: true });
    // A throw-away server: durability off. Each test file drops its database at the end, and DROP
    // DATABASE waits for a checkpoint, which with fsync on could take over a minute on a disk busy
    // with other work (two test files' afterAll hit the 90 s hook timeout so).
    server = await startEmbeddedPostgres({
      dataDir,
      logger: pino({ level: 'warn' }),
      persistent: false,
      settings: { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' },
    });
    serverUrl = server.url;
  }
  const template = `collegia_template_${process.pid}`;
  await ensureDatabase(serverUrl, template);
  const orm = await MikroORM.init(ormOptions(withDatabase(serverUrl, template), undefined, { preferTs: true }));
  try {
    await orm.migrator.up();
  } finally {
    await orm.close(true);
  }
  process.env.COLLEGIA_TEST_SERVER_URL = serverUrl;
  process.env.COLLEGIA_TEST_TEMPLATE = template;
}

/** Drops the template and stops the embedded server (its data directory goes with it). */
export async function stopTestDatabaseServer(): Promise<void> {
  const serverUrl = process.env.COLLEGIA_TEST_SERVER_URL;
  const template = process.env.COLLEGIA_TEST_TEMPLATE;
  if (serverUrl && template && !server) {
    const client = new pg.Client({ connectionString: serverUrl });
    await client.connect();
    await client.query(`drop database if exists "${template}" with (force)`);
    await client.end();
  }
  await server?.stop();
}
