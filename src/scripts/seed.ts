import { seedDemoIfEmpty } from '../database/database.js';
import { runWithDatabase } from './script-database.js';

/** `npm run seed`: seeds the demo cluster into an empty database. Refused in production. */
await runWithDatabase(async ({ orm }, logger, config) => {
  if (config.env === 'production') {
    logger.error('demo data is never seeded in production');
    return 1;
  }
  const pending = await orm.migrator.getPending();
  if (pending.length) {
    logger.error({ pending: pending.map((m) => m.name) }, 'apply migrations first: npm run migrate');
    return 1;
  }
  if (!(await seedDemoIfEmpty(orm, logger))) logger.info('the database already holds clusters: nothing seeded');
});
