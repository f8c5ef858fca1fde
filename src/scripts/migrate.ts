import { migrateUnderLock } from '../database/migrate.js';
import { runWithDatabase } from './script-database.js';

/** `npm run migrate`: applies pending migrations (a deployment step of its own), under the migration lock. */
await runWithDatabase(async ({ orm, url }, logger) => {
  const applied = await migrateUnderLock(orm, url, logger);
  logger.info({ applied }, applied.length ? 'migrations applied' : 'database already up to date');
});
