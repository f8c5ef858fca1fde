import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, whether running from `src/` (TypeScript) or `dist/src/` (compiled). */
export const PROJECT_ROOT = (() => {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const candidate = path.resolve(here, '..');
  return path.basename(candidate) === 'dist' ? path.resolve(candidate, '..') : candidate;
})();

/** True when this module runs as TypeScript source (swc-node, jest) rather than compiled JS. */
export const RUNNING_FROM_SOURCE = import.meta.url.endsWith('.ts');

export type Environment = 'development' | 'test' | 'production';

/** Everything Collegia reads from the environment, validated once at start. */
export interface AppConfig {
  env: Environment;
  /** Listening port of the HTTP server (0 picks a free one). */
  port: number;
  host: string;
  /** An existing PostgreSQL server; when absent an embedded one is started. */
  databaseUrl?: string;
  /** Where migrations run, as the schema's owner (default: DATABASE_URL). */
  migrationDatabaseUrl?: string;
  /** Port of the embedded PostgreSQL; when absent a free port is chosen. */
  embeddedPgPort?: number;
  /** Where the embedded PostgreSQL keeps its data. */
  dataDir: string;
  /** Apply pending migrations at start (always true in embedded mode). */
  migrateOnStart: boolean;
  /** Seed the demo cluster on a first start (never in production). */
  seedDemo: boolean;
  introspection: boolean;
  /** Serve the offline GraphQL explorer on GET /graphql from a browser. */
  explorer: boolean;
  corsOrigins: string[];
  /** Bearer token of GET /metrics; null: no metrics endpoint. */
  metricsToken: string | null;
  logLevel: string;
  /** Lifetime of a login session. */
  sessionTtlHours: number;
  /** Trust X-Forwarded-For from this many proxy hops (express `trust proxy`). */
  trustProxy: number;
  /** Mail: where it goes and how the outbox is worked (see README, Notifications). */
  mail: {
    /** SMTP server (smtp:// or smtps://); null: the local mailbox directory. */
    smtpUrl: string | null;
    from: string;
    /** The local mailbox, used without SMTP_URL. */
    dir: string;
    /** Whether MAIL_DIR was set (a production server without SMTP_URL needs it, as a deliberate choice). */
    dirChosen: boolean;
    /** The web console's address, for links in messages. */
    publicUrl: string;
    /** Whether this instance delivers the outbox (several instances may). */
    worker: boolean;
    pollMs: number;
    maxAttempts: number;
    /** Whether this instance runs the deadline jobs (several may: they are idempotent). */
    scheduler: boolean;
    /** Hour (Europe/Paris) from which the daily jobs run. */
    dailyHour: number;
  };
  limits: {
    bodyBytes: number;
    maxDepth: number;
    maxAliases: number;
    maxCost: number;
    maxTokens: number;
  };
}

export class ConfigError extends Error {}

function int(env: NodeJS.ProcessEnv, name: string, fallback: number, min = 0, max = 2 ** 31): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be an integer between ${min} and ${max}, got "${raw}"`);
  }
  return value;
}

function bool(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (['true', '1', 'yes'].includes(raw.toLowerCase())) return true;
  if (['false', '0', 'no'].includes(raw.toLowerCase())) return false;
  throw new ConfigError(`${name} must be true or false, got "${raw}"`);
}

function metricsToken(env: NodeJS.ProcessEnv): string | null {
  const token = env.METRICS_TOKEN;
  if (!token) return null;
  if (token.length < 16) throw new ConfigError('METRICS_TOKEN must be at least 16 characters');
  return token;
}

function postgresUrl(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const url = env[name] || undefined;
  if (url && !/^postgres(ql)?:\/\//.test(url)) throw new ConfigError(`${name} must be a postgres:// or postgresql:// URL`);
  return url;
}

function smtpUrl(env: NodeJS.ProcessEnv): string | null {
  const raw = env.SMTP_URL || null;
  if (raw === null) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError('SMTP_URL must be a URL such as smtp://user:password@mail.example.org:587');
  }
  if (!['smtp:', 'smtps:'].includes(url.protocol)) throw new ConfigError('SMTP_URL must start with smtp:// or smtps://');
  return raw;
}

function publicUrl(env: NodeJS.ProcessEnv, port: number): string {
  const raw = env.PUBLIC_URL || `http://localhost:${port || 4000}`;
  if (!/^https?:\/\/[^/]+/.test(raw)) throw new ConfigError('PUBLIC_URL must be an http:// or https:// address');
  return raw.replace(/\/+$/, '');
}

/**
 * What the server (not the commands) additionally needs: in production, mail must go somewhere on
 * purpose — an SMTP server, or files in a directory the operator named.
 */
export function checkServerConfig(config: AppConfig): void {
  if (config.env === 'production' && config.mail.worker && !config.mail.smtpUrl && !config.mail.dirChosen) {
    throw new ConfigError('SMTP_URL must be set in production (or MAIL_DIR, to keep outgoing mail as files on purpose)');
  }
}

/** Reads and validates the configuration; throws ConfigError naming the bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const nodeEnv = env.NODE_ENV ?? 'development';
  if (!['development', 'test', 'production'].includes(nodeEnv)) {
    throw new ConfigError(`NODE_ENV must be development, test or production, got "${nodeEnv}"`);
  }
  const environment = nodeEnv as Environment;
  const production = environment === 'production';
  const databaseUrl = env.DATABASE_URL || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL must be a postgres:// or postgresql:// URL');
  }
  const embedded = !databaseUrl;
  // Parsed even when ignored, so a typo is reported wherever the config is used.
  const migrateOnStart = bool(env, 'MIGRATE_ON_START', false);
  const seedDemo = bool(env, 'SEED_DEMO', true);
  const port = int(env, 'PORT', 4000, 0, 65535);
  const dataDir = path.resolve(PROJECT_ROOT, env.DATA_DIR || '.data');
  const test = environment === 'test';
  return {
    env: environment,
    port,
    // Outside production the server listens on loopback only: the README publishes the demo password.
    host: env.HOST || (production ? '0.0.0.0' : '127.0.0.1'),
    databaseUrl,
    migrationDatabaseUrl: postgresUrl(env, 'MIGRATION_DATABASE_URL'),
    embeddedPgPort: env.EMBEDDED_PG_PORT ? int(env, 'EMBEDDED_PG_PORT', 0, 1, 65535) : undefined,
    dataDir,
    migrateOnStart: embedded || migrateOnStart,
    seedDemo: !production && seedDemo,
    introspection: bool(env, 'GRAPHQL_INTROSPECTION', !production),
    explorer: bool(env, 'GRAPHQL_EXPLORER', !production),
    metricsToken: metricsToken(env),
    corsOrigins: (env.CORS_ORIGINS ?? '')
      .split(',')
      .map((origin) => origin.trim())
      .filter(Boolean),
    logLevel: env.LOG_LEVEL || (environment === 'test' ? 'silent' : 'info'),
    sessionTtlHours: int(env, 'SESSION_TTL_HOURS', 24 * 7, 1, 24 * 365),
    trustProxy: int(env, 'TRUST_PROXY', 0, 0, 10),
    mail: {
      smtpUrl: smtpUrl(env),
      from: env.MAIL_FROM || 'Collegia <no-reply@collegia.localhost>',
      dir: env.MAIL_DIR ? path.resolve(PROJECT_ROOT, env.MAIL_DIR) : path.join(dataDir, 'mail'),
      dirChosen: Boolean(env.MAIL_DIR),
      publicUrl: publicUrl(env, port),
      // Tests start the worker and the scheduler themselves, when they read mail.
      worker: bool(env, 'NOTIFICATION_WORKER', !test),
      pollMs: int(env, 'NOTIFICATION_POLL_MS', 1000, 10, 3_600_000),
      maxAttempts: int(env, 'NOTIFICATION_MAX_ATTEMPTS', 8, 1, 100),
      scheduler: bool(env, 'SCHEDULER', !test),
      dailyHour: int(env, 'DAILY_JOBS_HOUR', 7, 0, 23),
    },
    limits: {
      bodyBytes: int(env, 'MAX_BODY_BYTES', 100_000, 1_000, 10_000_000),
      maxDepth: int(env, 'GRAPHQL_MAX_DEPTH', 10, 2, 100),
      maxAliases: int(env, 'GRAPHQL_MAX_ALIASES', 15, 1, 1000),
      maxCost: int(env, 'GRAPHQL_MAX_COST', 10_000, 10, 1_000_000),
      maxTokens: int(env, 'GRAPHQL_MAX_TOKENS', 2000, 100, 1_000_000),
    },
  };
}
