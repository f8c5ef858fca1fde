import 'reflect-metadata';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { MikroORM } from '@mikro-orm/postgresql';
import { PROJECT_ROOT } from '../config.js';
import { startEmbeddedPostgres, withDatabase } from '../database/embedded-postgres.js';
import { ensureDatabase } from '../database/database.js';
import { ormOptions } from '../database/orm.config.js';
import { createLogger } from '../shared/logger.js';

/**
 * `npm run migration:create [-- --name=what]`: generates the next migration with MikroORM's
 * migrator, from the difference between the entities and the committed migrations, on a
 * throwaway embedded PostgreSQL (nothing to install, the .data/ database is not touched).
 * `--check` only reports whether entities and migrations agree (exit 1 when not).
 */
const logger = createLogger('warn');
const dataDir = path.join(PROJECT_ROOT, '.tmp', 'migration-pg');
await rm(dataDir, { recursive: true, force: true });
const server = await startEmbeddedPostgres({ dataDir, logger, persistent: false });
let exitCode = 0;
try {
  await ensureDatabase(server.url, 'migrations');
  const orm = await MikroORM.init(ormOptions(withDatabase(server.url, 'migrations')));
  try {
    await orm.migrator.up();
    if (process.argv.includes('--check')) {
      // What the ORM would still change after every migration ran: nothing, when they agree.
      const missing = (await orm.schema.getUpdateSchemaSQL({ wrap: false })).trim();
      console.log(missing ? `Entities changed: run \`npm run migration:create\`.\n${missing}` : 'Entities and migrations agree.');
      exitCode = missing ? 1 : 0;
    } else {
      const name = process.argv.find((arg) => arg.startsWith('--name='))?.slice('--name='.length);
      const result = await orm.migrator.create(undefined, false, false, name);
      console.log(result.fileName ? `created migrations/${result.fileName}` : 'No changes: no migration created.');
    }
  } finally {
    await orm.close(true);
  }
} finally {
  await server.stop();
  await rm(dataDir, { recursive: true, force: true });
}
process.exit(exitCode);
