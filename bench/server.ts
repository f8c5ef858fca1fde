/**
 * One server under test, run as a child of bench/run.ts (never on its own):
 *   BENCH_MODE=graphql  the real app (createApp), migrating DATABASE_URL at start;
 *   BENCH_MODE=raw      a bare express app serving BENCH_SCENARIO's baseline route (and its
 *                       anchors' raw routes) with `pg`, for the data size BENCH_SIZE.
 * Both log as production does: LOG_LEVEL (the harness sets `info`, or `silent` with BENCH_LOG=off)
 * to stdout, which the harness points at a file or /dev/null — never a terminal. The baseline
 * writes the same per-request line as the app (src/app.ts), with the same logger.
 * It listens on a free 127.0.0.1 port, reports it over IPC, and exits on SIGTERM, when its
 * parent goes away, or after BENCH_SERVER_MAX_SECONDS whatever happens.
 */
import 'reflect-metadata';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import pg from 'pg';
import { createLogger } from '../src/shared/logger.js';
import { SCENARIOS } from './scenarios/index.js';

export interface ServerMessage {
  type: 'ready';
  port: number;
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`bench/server.ts: ${name} is not set`);
  return value;
}

async function listen(app: express.Express): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(0, '127.0.0.1', (error?: Error) => (error ? reject(error) : resolve(server)));
  });
}

async function main(): Promise<void> {
  if (!process.send) throw new Error('bench/server.ts runs as a child of bench/run.ts (it needs an IPC channel)');
  const maxSeconds = Number(process.env.BENCH_SERVER_MAX_SECONDS ?? 600);
  setTimeout(() => {
    process.stderr.write(`bench server: ${maxSeconds}s limit reached, exiting\n`);
    process.exit(3);
  }, maxSeconds * 1000).unref();

  const mode = required('BENCH_MODE');
  const databaseUrl = required('DATABASE_URL');
  const logLevel = process.env.LOG_LEVEL || 'info';
  let server: Server;
  let close: () => Promise<void>;

  if (mode === 'graphql') {
    const { createApp } = await import('../src/app.js');
    const { loadConfig } = await import('../src/config.js');
    const config = loadConfig({
      NODE_ENV: 'production',
      DATABASE_URL: databaseUrl,
      MIGRATE_ON_START: 'true',
      SEED_DEMO: 'false',
      LOG_LEVEL: logLevel,
    });
    const collegia = await createApp({ config });
    server = await listen(collegia.app);
    close = () => collegia.close();
  } else if (mode === 'raw') {
    const name = required('BENCH_SCENARIO');
    const scenario = SCENARIOS.find((s) => s.name === name);
    if (!scenario) throw new Error(`bench/server.ts: no scenario "${name}"`);
    const pool = new pg.Pool({ connectionString: databaseUrl, max: 10 });
    // As the ORM's pool does: a dead idle connection is dropped and logged, not a crash.
    pool.on('error', (error) => console.warn(`raw baseline: idle connection lost: ${error.message}`));
    const size = process.env.BENCH_SIZE ? Number(process.env.BENCH_SIZE) : undefined;
    const app = express();
    app.disable('x-powered-by');
    app.set('etag', false);
    // The app's per-request log line (src/app.ts), at the same level, through the same logger.
    const logger = createLogger(logLevel);
    if (logger.isLevelEnabled('info')) {
      let seq = 0;
      app.use((req, res, next) => {
        const started = process.hrtime.bigint();
        const requestId = `raw-${process.pid}-${(seq += 1)}`;
        res.on('finish', () => {
          const ms = Number(process.hrtime.bigint() - started) / 1e6;
          logger.info(
            { requestId, method: req.method, path: req.originalUrl.split('?')[0], status: res.statusCode, ms: Math.round(ms * 10) / 10 },
            'request',
          );
        });
        next();
      });
    }
    const routes = [
      { ...scenario.raw, handler: scenario.raw.handler(pool, size) },
      ...(scenario.anchors ?? [])
        .filter((anchor) => anchor.on === 'raw' && anchor.raw)
        .map((anchor) => ({ ...anchor.raw!, handler: anchor.raw!.handler(pool, size) })),
    ];
    for (const route of routes) {
      const handler = await route.handler;
      if (route.method === 'GET') app.get(route.path, handler);
      else app.post(route.path, express.json(), handler);
    }
    server = await listen(app);
    close = () => pool.end();
  } else {
    throw new Error(`bench/server.ts: BENCH_MODE must be graphql or raw, got "${mode}"`);
  }

  let stopping = false;
  const stop = (code: number) => {
    if (stopping) return;
    stopping = true;
    server.closeAllConnections();
    server.close();
    close().then(
      () => process.exit(code),
      () => process.exit(code || 1),
    );
  };
  process.on('SIGTERM', () => stop(0));
  process.on('SIGINT', () => stop(0));
  // The parent died or closed the channel: nobody will stop us otherwise.
  process.on('disconnect', () => stop(0));

  const message: ServerMessage = { type: 'ready', port: (server.address() as AddressInfo).port };
  process.send(message);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench server failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
