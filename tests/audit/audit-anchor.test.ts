import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { auditAnchorFromEnvironment } from '../../src/audit/audit-anchor.js';
import { FileCheckpointStore, MemoryCheckpointStore } from '../../src/audit/audit-checkpoints.js';
import { AuditKey } from '../../src/audit/audit-key.js';
import { PROJECT_ROOT } from '../../src/config.js';

/** Where the audit key and the checkpoint log come from (issue 12, item 11). */
let dataDir: string;
beforeEach(async () => {
  dataDir = await mkdtemp(path.join(PROJECT_ROOT, '.tmp', 'audit-anchor-'));
});
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

const SECRET = 'a secret of at least thirty-two characters';

describe('the audit key', () => {
  it('in embedded mode: a key file beside the data, created owner-only on first use, then reused', async () => {
    const first = auditAnchorFromEnvironment({ NODE_ENV: 'development', DATA_DIR: dataDir });
    const file = path.join(dataDir, 'audit-key');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await readFile(file, 'utf8')).trim().length).toBeGreaterThanOrEqual(32);
    const second = auditAnchorFromEnvironment({ NODE_ENV: 'development', DATA_DIR: dataDir });
    expect(second.key.id).toBe(first.key.id);
    expect(first.key.source).toBe(file);
    // The checkpoints go beside it.
    expect(first.checkpoints).toBeInstanceOf(FileCheckpointStore);
    expect((first.checkpoints as FileCheckpointStore).directory).toBe(path.join(dataDir, 'audit-checkpoints'));
  });

  it('in production on the embedded database too (the data and the key stay on that machine)', () => {
    const anchor = auditAnchorFromEnvironment({ NODE_ENV: 'production', DATA_DIR: dataDir });
    expect(anchor.key.source).toBe(path.join(dataDir, 'audit-key'));
  });

  it('in production with DATABASE_URL: refused without AUDIT_SIGNING_KEY or AUDIT_SIGNING_KEY_FILE', () => {
    expect(() =>
      auditAnchorFromEnvironment({ NODE_ENV: 'production', DATA_DIR: dataDir, DATABASE_URL: 'postgresql://x@db/collegia' }),
    ).toThrow(/AUDIT_SIGNING_KEY \(or AUDIT_SIGNING_KEY_FILE\) must be set in production/);
  });

  it('AUDIT_SIGNING_KEY: the secret itself, at least 32 characters', () => {
    const env = { NODE_ENV: 'production', DATA_DIR: dataDir, DATABASE_URL: 'postgresql://x@db/collegia' };
    const anchor = auditAnchorFromEnvironment({ ...env, AUDIT_SIGNING_KEY: SECRET });
    expect(anchor.key.id).toBe(new AuditKey(Buffer.from(SECRET), 'x').id);
    expect(anchor.key.source).toBe('AUDIT_SIGNING_KEY');
    expect(() => auditAnchorFromEnvironment({ ...env, AUDIT_SIGNING_KEY: 'too short' })).toThrow(/too short: at least 32 characters/);
  });

  it('AUDIT_SIGNING_KEY_FILE: a file holding it, refused when others may read it', async () => {
    const file = path.join(dataDir, 'mounted-secret');
    await writeFile(file, `${SECRET}\n`, { mode: 0o600 });
    const env = { NODE_ENV: 'production', DATA_DIR: dataDir, DATABASE_URL: 'postgresql://x@db/collegia', AUDIT_SIGNING_KEY_FILE: file };
    expect(auditAnchorFromEnvironment(env).key.id).toBe(new AuditKey(Buffer.from(SECRET), 'x').id);
    await chmod(file, 0o644);
    expect(() => auditAnchorFromEnvironment(env)).toThrow(/readable by other users \(mode 644\): chmod 600 it/);
    expect(() => auditAnchorFromEnvironment({ ...env, AUDIT_SIGNING_KEY_FILE: path.join(dataDir, 'missing') })).toThrow(/cannot be read/);
  });

  it('AUDIT_CHECKPOINT_DIR: where the checkpoint log goes', () => {
    const anchor = auditAnchorFromEnvironment({
      NODE_ENV: 'development',
      DATA_DIR: dataDir,
      AUDIT_CHECKPOINT_DIR: path.join(dataDir, 'elsewhere'),
    });
    expect((anchor.checkpoints as FileCheckpointStore).directory).toBe(path.join(dataDir, 'elsewhere'));
  });

  it('under NODE_ENV=test without settings: a random key and checkpoints in memory, nothing on disk', async () => {
    const anchor = auditAnchorFromEnvironment({ NODE_ENV: 'test', DATA_DIR: dataDir });
    expect(anchor.checkpoints).toBeInstanceOf(MemoryCheckpointStore);
    await expect(stat(path.join(dataDir, 'audit-key'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('seals and signatures', () => {
  const key = new AuditKey(Buffer.from(SECRET), 'test');

  it('a seal is a fresh nonce and an HMAC: two seals of one content differ, both check', () => {
    const [a, b] = [key.seal('content'), key.seal('content')];
    expect(a).toMatch(/^[0-9a-f]{32}\.[0-9a-f]{64}$/);
    expect(a).not.toBe(b);
    expect(key.checkSeal(a, 'content')).toBe(true);
    expect(key.checkSeal(b, 'content')).toBe(true);
  });

  it('a seal checks only for its content and its key', () => {
    const seal = key.seal('content');
    expect(key.checkSeal(seal, 'other content')).toBe(false);
    expect(new AuditKey(Buffer.from(`${SECRET}!`), 'other').checkSeal(seal, 'content')).toBe(false);
    expect(key.checkSeal('not a seal', 'content')).toBe(false);
  });
});
