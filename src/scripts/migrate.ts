import { runWithDatabase } from './script-database.js';

/** `npm run migrate`: applies pending migrations (a deployment step of its own). */
await runWithDatabase(async ({ orm }, logger) => {
  const applied = await orm.migrator.up();
  logger.info({ applied: applied.map((m) => m.name) }, applied.length ? 'migrations applied' : 'database already up to date');
});
