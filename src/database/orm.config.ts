import path from 'node:path';
import { DataloaderType } from '@mikro-orm/core';
import { ReflectMetadataProvider } from '@mikro-orm/decorators/legacy';
import { Migrator } from '@mikro-orm/migrations';
import { defineConfig, type Options } from '@mikro-orm/postgresql';
import { SeedManager } from '@mikro-orm/seeder';
import type { Logger } from 'pino';
import { PROJECT_ROOT, RUNNING_FROM_SOURCE } from '../config.js';
import { ENTITIES } from './entities.js';

/** MikroORM options for a database URL. Migrations are read from `migrations/` (or their compiled copies in `dist/migrations/`). */
export function ormOptions(clientUrl: string, logger?: Logger, extra: Partial<Options> = {}): Options {
  return defineConfig({
    clientUrl,
    entities: ENTITIES,
    metadataProvider: ReflectMetadataProvider,
    extensions: [Migrator, SeedManager],
    // Batch to-one and to-many loads of field resolvers into one query per relation and tick.
    dataloader: DataloaderType.ALL,
    preferTs: RUNNING_FROM_SOURCE,
    migrations: {
      path: path.join(PROJECT_ROOT, 'dist', 'migrations'),
      pathTs: path.join(PROJECT_ROOT, 'migrations'),
      glob: RUNNING_FROM_SOURCE ? '!(*.d).ts' : '!(*.d).js',
      transactional: true,
      allOrNothing: true,
      snapshot: true,
      // The snapshot is the committed record of the schema; only `migration:create` writes it.
      snapshotName: '.snapshot-collegia',
      snapshotOnMigrate: false,
      // Applied migrations are logged by the caller, through pino.
      silent: true,
    },
    seeder: {
      path: path.join(PROJECT_ROOT, 'dist', 'seeds'),
      pathTs: path.join(PROJECT_ROOT, 'seeds'),
    },
    // By default MikroORM puts a setter for every column on each entity prototype; the first
    // write of each column on each loaded row then redefines it as an accessor on that instance
    // (Object.defineProperty per column per row), and every later read goes through a getter. It
    // was the costliest function of a list read. Off, columns are plain properties. Relations
    // still propagate to their inverse side: the ORM defines those accessors on every entity it
    // creates or registers (`em.create`, loads, references), which is how entities are made
    // here (never `new Entity()`).
    propagationOnPrototype: false,
    pool: { min: 0, max: 10 },
    // SQL is logged at debug level only. With `debug` on, MikroORM times and formats every
    // statement before handing it to the logger, even when pino then drops it (a few % of a
    // request's CPU); a caller that wants every statement (tests count them) passes its own
    // `debug` and `logger` in `extra`.
    debug: logger?.isLevelEnabled('debug') ? ['query'] : false,
    logger: logger ? (message: string) => logger.debug({ sql: message }, 'sql') : undefined,
    ...extra,
  });
}
