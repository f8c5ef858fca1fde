import 'reflect-metadata';
import type { Logger } from 'pino';
import { loadConfig, type AppConfig } from '../config.js';
import { openDatabase, type Database } from '../database/database.js';
import { createLogger } from '../shared/logger.js';

/**
 * Opens the configured database (DATABASE_URL, or the embedded one under .data/) for a
 * command-line task, without applying migrations or seeding, runs `task`, and closes it.
 */
export async function runWithDatabase(task: (db: Database, logger: Logger, config: AppConfig) => Promise<number | void>): Promise<void> {
  const config = { ...loadConfig(), migrateOnStart: false, seedDemo: false };
  const logger = createLogger(process.env.LOG_LEVEL || 'info');
  let db: Database | undefined;
  let exitCode: number;
  try {
    db = await openDatabase(config, logger);
    exitCode = (await task(db, logger, config)) ?? 0;
  } catch (error) {
    logger.error({ err: error }, 'failed');
    exitCode = 1;
  } finally {
    await db?.close();
  }
  process.exit(exitCode);
}
