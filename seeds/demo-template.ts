import 'reflect-metadata';
import { AuditService } from '../src/audit/audit.service.js';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/database/database.js';
import { createLogger } from '../src/shared/logger.js';

/**
 * Writes the demo's data directory template (scripts/demo-template.mjs runs it, compiled, with
 * DATA_DIR set to the template being built): exactly what a first start does before it serves —
 * the embedded PostgreSQL initialised, the migrations applied, the demo seeded by DemoSeeder
 * through the services, the audit trail's head checkpointed (as the server does within a second of
 * the seed) — then a clean stop. Nothing else: no scheduled job, no mail.
 */
const config = { ...loadConfig(), migrateOnStart: true, seedDemo: true };
if (config.env === 'production' || config.databaseUrl) {
  throw new Error('the demo template is built on the embedded PostgreSQL, outside production');
}
const logger = createLogger(process.env.LOG_LEVEL || 'info');
const database = await openDatabase(config, logger);
try {
  await new AuditService().checkpoint(database.orm.em.fork());
} finally {
  await database.close();
}
