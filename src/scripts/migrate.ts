import { runWithDatabase } from './script-database.js';

/** `npm run migrate`: applies pending migrations (a deployment step of its own), under the migration lock. */
await runWithDatabase(async ({ migrate }, logger) => {
  const applied = await migrate();
  logger.info({ applied }, applied.length ? 'migrations applied' : 'database already up to date');
});
