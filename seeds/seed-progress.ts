import type { Logger } from 'pino';
import { createLogger } from '../src/shared/logger.js';

/** Where the seed reports its progress: pino's `info(fields, message)`, or anything shaped like it. */
export type SeedLogger = Pick<Logger, 'info'>;

/**
 * The logger a seeder uses when its caller gives none (`orm.seeder.seed(DemoSeeder)` builds the
 * seeder itself): the app's JSON log lines at the level the app would use — LOG_LEVEL, else
 * silent under test and info otherwise, as `loadConfig` decides.
 */
export function defaultSeedLogger(): SeedLogger {
  return createLogger(process.env.LOG_LEVEL || (process.env.NODE_ENV === 'test' ? 'silent' : 'info'));
}

/**
 * Times the steps of a seed and logs one line per step (`seed: <step>` with its duration in ms
 * and what it made), then the total: the first start shows what it is doing and where the
 * time goes.
 */
export class SeedProgress {
  private readonly startedAt = performance.now();

  constructor(private readonly logger: SeedLogger) {}

  /** Runs `work`, then logs the step with its duration and the counts `counts` reads from its result. */
  async step<T>(name: string, work: () => Promise<T>, counts?: (result: T) => Record<string, number>): Promise<T> {
    const started = performance.now();
    const result = await work();
    this.logger.info({ step: name, ms: Math.round(performance.now() - started), ...counts?.(result) }, `seed: ${name}`);
    return result;
  }

  /** Logs the whole seed's duration. */
  done(): void {
    this.logger.info({ ms: Math.round(performance.now() - this.startedAt) }, 'seed: done');
  }
}
