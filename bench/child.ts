import os from 'node:os';
import { randomBytes } from 'node:crypto';
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { ServerMessage } from './server.js';

/** A bench/server.ts child process, listening on 127.0.0.1:port. */
export interface ServerChild {
  label: string;
  pid: number;
  url: string;
  /** SIGTERM, then SIGKILL after a grace period; resolves once the process is gone. */
  stop(): Promise<void>;
}

/** Every child still running, for last-resort killing on exit. */
const running = new Set<ChildProcess>();

/** Kills every child still running, synchronously (used from `process.on('exit')` and on abort). */
export function killAllChildren(): void {
  for (const child of running) child.kill('SIGKILL');
}

function exited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

function waitForExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (exited(child)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/**
 * Starts bench/server.ts with the same TypeScript loader as the npm scripts, on the same Node
 * binary, and waits (at most `startTimeoutMs`) for it to report its port.
 */
/**
 * Node flags of `npm start`, `npm run start:prod` and the Dockerfile, so the bench measures the
 * app as it runs. `--experimental-async-context-frame`: AsyncLocalStorage (the request scope)
 * without promise hooks on every promise — a third less CPU per request on list reads;
 * `--max-semi-space-size=32`: a young generation sized for a page of rows per request, so fewer
 * scavenges (≈ −10 % CPU per request on the member directory, +50 MB of RSS).
 */
const SERVER_NODE_FLAGS = ['--experimental-async-context-frame', '--max-semi-space-size=32'];

/** `BENCH_NODE_FLAGS`: more flags for both servers, e.g. `--cpu-prof --cpu-prof-dir=.tmp/profiles`. */
function extraNodeFlags(): string[] {
  return (process.env.BENCH_NODE_FLAGS ?? '').split(/\s+/).filter(Boolean);
}

/** A key for this run's servers, like any production deployment's (a fresh one each run). */
const BENCH_AUDIT_KEY = randomBytes(32).toString('hex');
const BENCH_CHECKPOINT_DIR = path.join(os.tmpdir(), `collegia-bench-checkpoints-${process.pid}-${randomBytes(4).toString('hex')}`);

export async function startServer(options: {
  label: string;
  projectRoot: string;
  env: Record<string, string>;
  startTimeoutMs: number;
  maxLifetimeSeconds: number;
  /**
   * Where the server's stdout (its log) goes: an open file descriptor (a log file, as a
   * production process writes to a file or a pipe), or nowhere (/dev/null) when absent.
   */
  stdoutFd?: number;
}): Promise<ServerChild> {
  const child = spawn(
    process.execPath,
    [...SERVER_NODE_FLAGS, ...extraNodeFlags(), '--import', '@swc-node/register/esm-register', path.join('bench', 'server.ts')],
    {
      cwd: options.projectRoot,
      env: {
        ...process.env,
        NODE_ENV: 'production',
        // Production refuses to seal the audit trail without a key kept outside the database.
        AUDIT_SIGNING_KEY: process.env.AUDIT_SIGNING_KEY ?? BENCH_AUDIT_KEY,
        // The run's databases are thrown away, their names reused: so are their audit checkpoints.
        AUDIT_CHECKPOINT_DIR: process.env.AUDIT_CHECKPOINT_DIR ?? BENCH_CHECKPOINT_DIR,
        BENCH_SERVER_MAX_SECONDS: String(options.maxLifetimeSeconds),
        ...options.env,
      },
      stdio: ['ignore', options.stdoutFd ?? 'ignore', 'pipe', 'ipc'],
    },
  );
  running.add(child);
  child.once('exit', () => running.delete(child));

  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000);
  });

  const stop = async () => {
    if (exited(child)) return;
    child.kill('SIGTERM');
    if (await waitForExit(child, 10_000)) return;
    child.kill('SIGKILL');
    await waitForExit(child, 5_000);
  };

  try {
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${options.label} server did not start within ${options.startTimeoutMs} ms`)),
        options.startTimeoutMs,
      );
      child.on('message', (message: ServerMessage) => {
        if (message?.type !== 'ready') return;
        clearTimeout(timer);
        resolve(message.port);
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`${options.label} server exited during start (code ${code}, signal ${signal})\n${stderr}`));
      });
      child.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
    });
    if (child.pid === undefined) throw new Error(`${options.label} server has no pid`);
    return { label: options.label, pid: child.pid, url: `http://127.0.0.1:${port}`, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
