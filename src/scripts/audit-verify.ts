import 'reflect-metadata';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { MikroORM } from '@mikro-orm/postgresql';
import { AuditService, type ChainVerification } from '../audit/audit.service.js';
import { loadConfig } from '../config.js';
import { withDatabase } from '../database/embedded-postgres.js';
import { ormOptions } from '../database/orm.config.js';
import { APP_ROLE, type RolePasswords } from '../database/roles.js';
import { createLogger } from '../shared/logger.js';
import { runWithDatabase } from './script-database.js';

/**
 * `npm run audit:verify`: verifies the audit trail — the hash chain, each entry's seal, and the
 * signed checkpoints kept outside the database — with the same key and checkpoint log as the
 * server (AUDIT_SIGNING_KEY / AUDIT_SIGNING_KEY_FILE / DATA_DIR, AUDIT_CHECKPOINT_DIR). Prints
 * the report as JSON; exits 0 when the trail is intact, 1 when something was found (named in
 * the report) or it could not verify at all (logged).
 *
 * In embedded mode it works whether or not the server runs: a running server holds the data
 * directory (a second PostgreSQL cannot start on it), so the command connects to the server's
 * PostgreSQL instead, found through the cluster's `postmaster.pid` (its PID and port), as the
 * app role whose password is kept beside the data.
 */

/** The database the embedded mode serves (src/database/database.ts). */
const EMBEDDED_DATABASE_NAME = 'collegia';

/** The URL of the embedded PostgreSQL running on `dataDir`, or null when none runs there. */
async function runningEmbeddedServer(dataDir: string): Promise<string | null> {
  const pidFile = await readFile(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').catch(() => null);
  if (!pidFile) return null;
  // postmaster.pid: PID, data directory, start time, port, socket directory, listen address, …
  const [pidLine, , , portLine, , hostLine] = pidFile.split('\n');
  const pid = Number(pidLine);
  const port = Number(portLine);
  if (!Number.isInteger(pid) || pid <= 0 || !Number.isInteger(port) || port <= 0) return null;
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return null;
  }
  // As the app role (it reads every table) when the data directory has one, else as the superuser.
  const roles = await readFile(path.join(dataDir, 'postgres-roles.json'), 'utf8').catch(() => null);
  const { user, password } = roles
    ? { user: APP_ROLE, password: (JSON.parse(roles) as RolePasswords).app }
    : (JSON.parse(await readFile(path.join(dataDir, 'postgres-credentials.json'), 'utf8')) as { user: string; password: string });
  const host = hostLine?.trim().split(/\s+/)[0] || '127.0.0.1';
  const server = `postgresql://${encodeURIComponent(user)}:${encodeURIComponent(password)}@${host === '*' ? '127.0.0.1' : host}:${port}/postgres`;
  return withDatabase(server, EMBEDDED_DATABASE_NAME);
}

function report(result: ChainVerification): number {
  console.log(JSON.stringify(result, null, 2));
  return result.intact ? 0 : 1;
}

const config = loadConfig();
const running = config.databaseUrl ? null : await runningEmbeddedServer(config.dataDir);
if (running) {
  const logger = createLogger(process.env.LOG_LEVEL || 'info');
  let exitCode = 1;
  let orm: MikroORM | undefined;
  try {
    logger.info({ dataDir: config.dataDir }, 'the embedded PostgreSQL is running (the server holds it): verifying through it');
    orm = await MikroORM.init(ormOptions(running, logger));
    exitCode = report(await new AuditService().verify(orm.em.fork()));
  } catch (error) {
    logger.error({ err: error }, `audit:verify failed: ${(error as Error).message}`);
  } finally {
    await orm?.close(true);
  }
  process.exit(exitCode);
} else {
  await runWithDatabase(async ({ orm }) => report(await new AuditService().verify(orm.em.fork())));
}
