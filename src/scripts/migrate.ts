import { runWithDatabase } from './script-database.js';

/** `npm run migrate`: applies pending migrations (a deployment step of its own), under the migration lock. */
await runWithDatabase(async (db, logger) => {
  const applied = await db.migrate();
  logger.info({ applied }, applied.length ? 'migrations applied' : 'database already up to date');
});
