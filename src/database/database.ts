import { MikroORM, type Options } from '@mikro-orm/postgresql';
import pg from 'pg';
import type { Logger } from 'pino';
import type { AppConfig } from '../config.js';
import { startEmbeddedPostgres, withDatabase, type EmbeddedDatabase } from './embedded-postgres.js';
import { migrateUnderLock } from './migrate.js';
import { APP_ROLE, ensureRoles, grantAppRole, OWNER_ROLE, rolePasswords, withCredentials } from './roles.js';
import { ormOptions } from './orm.config.js';

/** The database Collegia runs on, ready for use. */
export interface Database {
  /** The ORM the app serves with: in embedded mode, connected as the least-privileged app role. */
  orm: MikroORM;
  url: string;
  embedded: EmbeddedDatabase | null;
  /**
   * Applies pending migrations under the migration lock, as the schema's owner (embedded: the
   * owner role; otherwise MIGRATION_DATABASE_URL, or DATABASE_URL when it is not set).
   */
  migrate(): Promise<string[]>;
  /** Closes the ORM's pool, then stops the embedded server if there is one. */
  close(): Promise<void>;
}

const EMBEDDED_DATABASE_NAME = 'collegia';

/** Creates `name` on the server at `serverUrl` if it does not exist yet. */
export async function ensureDatabase(serverUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (!rowCount) await client.query(`create database ${client.escapeIdentifier(name)}`);
  } finally {
    await client.end();
  }
}

/**
 * Connects to DATABASE_URL, or starts the embedded PostgreSQL; applies pending migrations when
 * configured to (always in embedded mode); seeds the demo cluster into an empty database
 * unless in production.
 */
export async function openDatabase(
  config: AppConfig,
  logger: Logger,
  ormExtra: Partial<Options> = {},
  onEmbeddedExit?: (exit: { code: number | null; signal: NodeJS.Signals | null }) => void,
): Promise<Database> {
  let embedded: EmbeddedDatabase | null = null;
  let url = config.databaseUrl;
  let migrationUrl = config.migrationDatabaseUrl ?? url;
  if (!url) {
    if (config.env === 'production') {
      logger.warn('DATABASE_URL is not set: running on the embedded PostgreSQL in .data/ (fine for one machine; back it up)');
    }
    embedded = await startEmbeddedPostgres({
      dataDir: config.dataDir,
      port: config.embeddedPgPort,
      logger,
      onUnexpectedExit: onEmbeddedExit,
    });
    await ensureDatabase(embedded.url, EMBEDDED_DATABASE_NAME);
    // The superuser only sets up the roles: migrations run as the owner, the app as the app role.
    const passwords = await rolePasswords(config.dataDir);
    await ensureRoles(embedded.url, EMBEDDED_DATABASE_NAME, passwords);
    const databaseUrl = withDatabase(embedded.url, EMBEDDED_DATABASE_NAME);
    migrationUrl = withCredentials(databaseUrl, OWNER_ROLE, passwords.owner);
    url = withCredentials(databaseUrl, APP_ROLE, passwords.app);
  }
  const ownerUrl = migrationUrl ?? url;
  const isEmbedded = embedded !== null;
  const migrate = async (): Promise<string[]> => {
    const owner = await MikroORM.init(ormOptions(ownerUrl, logger));
    try {
      const applied = await migrateUnderLock(owner, ownerUrl, logger);
      if (applied.length) logger.info({ migrations: applied }, 'migrations applied');
      return applied;
    } finally {
      await owner.close(true);
      if (isEmbedded) await grantAppRole(ownerUrl);
    }
  };

  let orm: MikroORM | undefined;
  try {
    if (config.migrateOnStart) await migrate();
    orm = await MikroORM.init(ormOptions(url, logger, ormExtra));
    if (config.seedDemo && embedded) await seedDemoIfEmpty(orm, logger);
  } catch (error) {
    await orm?.close();
    await embedded?.stop();
    throw error;
  }

  const readyOrm = orm;
  return {
    orm: readyOrm,
    url,
    embedded,
    migrate,
    async close() {
      await readyOrm.close(true);
      await embedded?.stop();
    },
  };
}

/** Seeds the demo cluster when the database holds no cluster yet (a first start). */
export async function seedDemoIfEmpty(orm: MikroORM, logger: Logger): Promise<boolean> {
  const [{ count }] = await orm.em.fork().execute<{ count: string }[]>('select count(*) as count from cluster');
  if (Number(count) > 0) return false;
  const { DemoSeeder } = await import('../../seeds/demo.seeder.js');
  await orm.seeder.seed(DemoSeeder);
  logger.info('demo cluster seeded (see README for the demo accounts)');
  return true;
}

/** Names of migrations not yet applied. */
export async function pendingMigrations(orm: MikroORM): Promise<string[]> {
  return (await orm.migrator.getPending()).map((m) => m.name);
}
