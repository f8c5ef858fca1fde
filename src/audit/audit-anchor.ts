import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FileCheckpointStore, MemoryCheckpointStore, type CheckpointStore } from './audit-checkpoints.js';
import { AuditKey, openOrCreateAuditKeyFile, readAuditKeyFile } from './audit-key.js';

/** What anchors the trail outside the database: the key and where the signed checkpoints go. */
export interface AuditAnchor {
  key: AuditKey;
  checkpoints: CheckpointStore;
}

/**
 * The repository root, as `src/config.ts` computes it (the audit layer may not import the
 * composition root): DATA_DIR is relative to it.
 */
const PROJECT_ROOT = (() => {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
  return path.basename(root) === 'dist' ? path.dirname(root) : root;
})();

/**
 * The anchor the environment describes — the same variables for the server and for every
 * command (`audit:verify`, `admin:create`, the seed), so they all seal and check with one key:
 *
 * - `AUDIT_SIGNING_KEY`: the secret itself (at least 32 characters), or
 *   `AUDIT_SIGNING_KEY_FILE`: a file holding it (owner-only).
 * - Neither: the key file beside the data, `DATA_DIR/audit-key`, created (0600) on first use.
 *   Refused in production with DATABASE_URL: the database then lives elsewhere, and a key the
 *   operator never chose would be lost with the container.
 * - `AUDIT_CHECKPOINT_DIR`: where the signed checkpoints go; `DATA_DIR/audit-checkpoints` by default.
 *
 * Under NODE_ENV=test, without these variables, the key is random and the checkpoints stay in
 * memory, for this process only: test files start many apps, each on a database of its own.
 */
export function auditAnchorFromEnvironment(env: NodeJS.ProcessEnv = process.env): AuditAnchor {
  const dataDir = path.resolve(PROJECT_ROOT, env.DATA_DIR || '.data');
  const production = env.NODE_ENV === 'production';
  const test = env.NODE_ENV === 'test';
  let key: AuditKey;
  if (env.AUDIT_SIGNING_KEY) {
    key = new AuditKey(Buffer.from(env.AUDIT_SIGNING_KEY.trim(), 'utf8'), 'AUDIT_SIGNING_KEY');
  } else if (env.AUDIT_SIGNING_KEY_FILE) {
    key = readAuditKeyFile(path.resolve(PROJECT_ROOT, env.AUDIT_SIGNING_KEY_FILE));
  } else if (production && env.DATABASE_URL) {
    throw new Error(
      'AUDIT_SIGNING_KEY (or AUDIT_SIGNING_KEY_FILE) must be set in production: the key that seals the audit trail is kept outside the database (see README, Audit trail).',
    );
  } else if (test) {
    key = new AuditKey(randomBytes(32), 'a random key of this test process');
  } else {
    key = openOrCreateAuditKeyFile(path.join(dataDir, 'audit-key'));
  }
  const checkpoints = env.AUDIT_CHECKPOINT_DIR
    ? new FileCheckpointStore(path.resolve(PROJECT_ROOT, env.AUDIT_CHECKPOINT_DIR))
    : test
      ? new MemoryCheckpointStore()
      : new FileCheckpointStore(path.join(dataDir, 'audit-checkpoints'));
  return { key, checkpoints };
}

let processAnchor: AuditAnchor | undefined;

/** The environment's anchor, read once per process (every AuditService without one of its own shares it). */
export function defaultAuditAnchor(): AuditAnchor {
  processAnchor ??= auditAnchorFromEnvironment();
  return processAnchor;
}
