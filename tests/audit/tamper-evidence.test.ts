import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { entryHash, GENESIS_HASH } from '../../src/audit/audit.service.js';
import { AuditKey } from '../../src/audit/audit-key.js';
import { hashedContent } from '../../src/audit/audit-verification.js';
import { Role } from '../../src/auth/role.js';
import { PROJECT_ROOT } from '../../src/config.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * The audit trail's tamper evidence, anchored outside the database (issue 12, item 11). Someone
 * who can write the database — triggers off, as its owner can — but holds neither the audit key
 * nor the checkpoint log. Each of the eight tamperings is detected by `verifyAuditTrail` and
 * named; `npm run audit:verify` reports the same and exits 1.
 */

const VERIFY = `{ verifyAuditTrail { intact checkedEntries firstBrokenSeq reason finding checkpoints lastCheckpointSeq unanchoredEntries unsealedEntries keyId problems { finding seq message } } }`;
const CREATE_CLUSTER = `mutation($input: CreateClusterInput!) { createCluster(input: $input) { cluster { id } } }`;
const UPDATE_CLUSTER = `mutation($input: UpdateClusterInput!) { updateCluster(input: $input) { cluster { id } } }`;

/** An audit_entry row as stored. */
interface EntryRow {
  seq: number;
  occurred_at: Date;
  actor_id: string | null;
  action: string;
  entity_type: string;
  entity_id: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  request_id: string | null;
  prev_hash: string;
  hash: string;
  seal: string | null;
}

const SECRET = `test-audit-key-${randomBytes(24).toString('hex')}`;
const saved = { key: process.env.AUDIT_SIGNING_KEY, dir: process.env.AUDIT_CHECKPOINT_DIR };
let checkpointDir: string;
let app: TestApp;
let admin: { accountId: string; token: string };
let trail: EntryRow[];

const entries = () => app.sql<EntryRow>('select *, seq::int as seq from audit_entry order by audit_entry.seq');
const verify = async () => (await app.gql(VERIFY, {}, { token: admin.token })).body.data!.verifyAuditTrail;
const checkpoint = () => app.collegia.deps.audit.checkpoint(app.collegia.orm.em.fork());
async function logFile(): Promise<string> {
  const [{ name }] = await app.sql<{ name: string }>('select current_database() as name');
  return path.join(checkpointDir, `${name}.jsonl`);
}

/** The entries the signed checkpoints vouch for, in order. */
async function checkpointSeqs(): Promise<number[]> {
  const lines = (await readFile(await logFile(), 'utf8')).trim().split('\n');
  return lines.map((line) => (JSON.parse(line) as { seq: number }).seq).sort((a, b) => a - b);
}

beforeAll(async () => {
  // The server and `npm run audit:verify` read the key and the log's place from the environment.
  checkpointDir = await mkdtemp(path.join(PROJECT_ROOT, '.tmp', 'audit-checkpoints-'));
  process.env.AUDIT_SIGNING_KEY = SECRET;
  process.env.AUDIT_CHECKPOINT_DIR = checkpointDir;
  app = await startTestApp();
  admin = await app.signUp({ role: Role.ADMIN });
  for (let i = 0; i < 4; i += 1) {
    const created = await app.gql(
      CREATE_CLUSTER,
      { input: { name: `Anchored ${i}`, slug: `anchored-${i}`, kind: 'CLUSTER' } },
      { token: admin.token },
    );
    const id = created.body.data!.createCluster.cluster.id;
    await app.gql(UPDATE_CLUSTER, { input: { id, name: `Anchored ${i} (renamed)` } }, { token: admin.token });
  }
  const outcome = await checkpoint();
  expect(outcome.signed).not.toBeNull();
  trail = await entries();
});

afterAll(async () => {
  await app.close();
  await rm(checkpointDir, { recursive: true, force: true });
  for (const [name, value] of [
    ['AUDIT_SIGNING_KEY', saved.key],
    ['AUDIT_CHECKPOINT_DIR', saved.dir],
  ] as const) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

/** Runs statements with the append-only triggers off, as the table's owner could. */
async function asOwner(statements: [string, unknown[]?][]): Promise<void> {
  const client = new pg.Client({ connectionString: app.databaseUrl });
  await client.connect();
  try {
    await client.query('begin');
    await client.query('alter table audit_entry disable trigger user');
    for (const [sql, params] of statements) await client.query(sql, params);
    await client.query('alter table audit_entry enable trigger user');
    await client.query('commit');
  } finally {
    await client.end();
  }
}

const COLUMNS = 'seq, occurred_at, actor_id, action, entity_type, entity_id, before, after, request_id, prev_hash, hash, seal';
function insertRow(row: EntryRow): [string, unknown[]] {
  return [
    `insert into audit_entry (${COLUMNS}) values ($1, $2, $3, $4, $5, $6, $7::jsonb, $8::jsonb, $9, $10, $11, $12)`,
    [
      row.seq,
      row.occurred_at,
      row.actor_id,
      row.action,
      row.entity_type,
      row.entity_id,
      JSON.stringify(row.before),
      JSON.stringify(row.after),
      row.request_id,
      row.prev_hash,
      row.hash,
      row.seal,
    ],
  ];
}

/** Puts the whole trail back as it was before the test, so each case starts from an intact one. */
async function restoreTrail(): Promise<void> {
  await asOwner([['delete from audit_entry'], ...trail.map(insertRow)]);
  expect(await verify()).toMatchObject({ intact: true, checkedEntries: trail.length });
}

/** The hash the app's own formula gives `row` after `prevHash`. */
function appHash(prevHash: string, row: EntryRow): string {
  return entryHash(prevHash, {
    occurredAt: new Date(row.occurred_at),
    actorId: row.actor_id,
    action: row.action,
    entityType: row.entity_type,
    entityId: row.entity_id,
    before: row.before,
    after: row.after,
    requestId: row.request_id,
  });
}

/** `rows` re-chained from `prevHash` with the app's formula, as a forger who read the code would. */
function rechained(rows: EntryRow[], prevHash: string): EntryRow[] {
  return rows.map((row) => {
    const hash = appHash(prevHash, row);
    const linked = { ...row, prev_hash: prevHash, hash };
    prevHash = hash;
    return linked;
  });
}

interface ScriptResult {
  exitCode: number;
  report: Record<string, any>;
}

/** `npm run audit:verify` against this file's database, with the server's key and log unless told otherwise. */
function auditVerifyScript(env: Record<string, string> = {}): Promise<ScriptResult> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: app.databaseUrl, LOG_LEVEL: 'silent', ...env };
  delete childEnv.NODE_OPTIONS;
  return new Promise((resolve, reject) => {
    execFile('npm', ['run', '--silent', 'audit:verify'], { cwd: PROJECT_ROOT, env: childEnv }, (error, stdout, stderr) => {
      const exitCode = error ? Number((error as { code?: unknown }).code) : 0;
      try {
        resolve({ exitCode, report: JSON.parse(stdout) });
      } catch {
        reject(new Error(`audit:verify printed no report (exit ${exitCode}):\n${stdout}\n${stderr}`));
      }
    });
  });
}

const middle = () => trail.find((row) => row.action === 'cluster.update')!;
const after = (seq: number) => trail.find((row) => row.seq > seq)!;
const newest = () => trail[trail.length - 1];

describe('an intact trail', () => {
  it('verifies: every entry sealed, the head anchored by a signed checkpoint outside the database', async () => {
    const report = await verify();
    expect(report).toMatchObject({
      intact: true,
      checkedEntries: trail.length,
      firstBrokenSeq: null,
      reason: null,
      finding: null,
      problems: [],
      lastCheckpointSeq: newest().seq,
      unanchoredEntries: 0,
      unsealedEntries: 0,
      keyId: new AuditKey(Buffer.from(SECRET), 'test').id,
    });
    expect(report.checkpoints).toBeGreaterThanOrEqual(1);
    // One JSON line per checkpoint, signed, in a file of its own for this database.
    const lines = (await readFile(await logFile(), 'utf8')).trim().split('\n');
    expect(JSON.parse(lines[lines.length - 1])).toMatchObject({
      v: 1,
      seq: newest().seq,
      hash: newest().hash,
      count: trail.length,
      mac: expect.any(String),
    });
  });

  it('npm run audit:verify says the same, and exits 0', async () => {
    const script = await auditVerifyScript();
    expect(script.exitCode).toBe(0);
    expect(script.report).toMatchObject({
      intact: true,
      checkedEntries: trail.length,
      lastCheckpointSeq: newest().seq,
      unanchoredEntries: 0,
    });
  }, 60_000);

  it('is checkpointed by the server within seconds of a write, without being asked', async () => {
    const res = await app.gql(CREATE_CLUSTER, { input: { name: 'Auto', slug: 'auto-anchored', kind: 'CLUSTER' } }, { token: admin.token });
    expect(res.body.errors).toBeUndefined();
    const [head] = await app.sql<{ seq: number }>('select max(seq)::int as seq from audit_entry');
    let report = await verify();
    for (let waited = 0; report.lastCheckpointSeq !== head.seq && waited < 5_000; waited += 100) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      report = await verify();
    }
    expect(report).toMatchObject({ intact: true, lastCheckpointSeq: head.seq, unanchoredEntries: 0 });
    trail = await entries();
  });
});

describe('the eight tamperings, each detected and named', () => {
  afterEach(async () => {
    await restoreTrail();
  });

  it('1. an edited entry: its content no longer matches its hash', async () => {
    await asOwner([[`update audit_entry set after = jsonb_set(after, '{name}', '"Forged"') where seq = $1`, [middle().seq]]]);
    expect(await verify()).toMatchObject({
      intact: false,
      checkedEntries: trail.indexOf(middle()),
      firstBrokenSeq: middle().seq,
      finding: 'CONTENT_ALTERED',
      reason: 'its content does not match its hash',
    });
  });

  it('2. a broken link: an entry no longer names the hash of the one before it', async () => {
    await asOwner([['update audit_entry set prev_hash = $2 where seq = $1', [middle().seq, GENESIS_HASH]]]);
    expect(await verify()).toMatchObject({
      intact: false,
      firstBrokenSeq: middle().seq,
      finding: 'LINK_BROKEN',
      reason: 'its previous-hash link does not match the entry before it',
    });
  });

  it('3. a middle entry removed: the one after it no longer links', async () => {
    await asOwner([['delete from audit_entry where seq = $1', [middle().seq]]]);
    expect(await verify()).toMatchObject({
      intact: false,
      checkedEntries: trail.indexOf(middle()),
      firstBrokenSeq: after(middle().seq).seq,
      finding: 'LINK_BROKEN',
    });
  });

  it('4. two entries swapped: the first of them no longer links', async () => {
    const first = middle();
    const second = after(first.seq);
    await asOwner([
      ['update audit_entry set seq = -1 where seq = $1', [first.seq]],
      ['update audit_entry set seq = $1 where seq = $2', [first.seq, second.seq]],
      ['update audit_entry set seq = $1 where seq = -1', [second.seq]],
    ]);
    expect(await verify()).toMatchObject({ intact: false, firstBrokenSeq: first.seq, finding: 'LINK_BROKEN' });
  });

  it('5. the newest entries removed: the chain is whole, but a signed checkpoint recorded them', async () => {
    const removed = trail.slice(-3);
    await asOwner([['delete from audit_entry where seq >= $1', [removed[0].seq]]]);
    const report = await verify();
    // Named: the first removed entry a checkpoint vouches for.
    const named = (await checkpointSeqs()).find((seq) => seq >= removed[0].seq);
    expect(report).toMatchObject({
      intact: false,
      checkedEntries: trail.length - 3,
      firstBrokenSeq: named,
      finding: 'NEWEST_ENTRIES_REMOVED',
      reason: expect.stringContaining('the newest entries were removed'),
    });
    const script = await auditVerifyScript();
    expect(script.exitCode).toBe(1);
    expect(script.report).toMatchObject({ intact: false, finding: 'NEWEST_ENTRIES_REMOVED', firstBrokenSeq: named });
  }, 60_000);

  it('6. the whole trail emptied', async () => {
    await asOwner([['truncate audit_entry']]);
    expect(await verify()).toMatchObject({
      intact: false,
      checkedEntries: 0,
      finding: 'TRAIL_EMPTIED',
      reason: expect.stringContaining('the trail was emptied'),
    });
    const script = await auditVerifyScript();
    expect(script).toMatchObject({ exitCode: 1, report: { intact: false, finding: 'TRAIL_EMPTIED' } });
  }, 60_000);

  it('7. an entry rewritten and every later hash recomputed with the app’s formula: its seal gives it away', async () => {
    const from = trail.indexOf(middle());
    const forged = [{ ...middle(), after: { ...middle().after, name: 'Forged' } }, ...trail.slice(from + 1)];
    const rewritten = rechained(forged, trail[from - 1].hash);
    await asOwner([['delete from audit_entry where seq >= $1', [middle().seq]], ...rewritten.map(insertRow)]);
    expect(await verify()).toMatchObject({
      intact: false,
      checkedEntries: from,
      firstBrokenSeq: middle().seq,
      finding: 'SEAL_INVALID',
    });
  });

  it('8. a forged entry appended with the app’s formula: it carries no seal, or one the key did not make', async () => {
    const forged: EntryRow = {
      ...newest(),
      seq: newest().seq + 1,
      action: 'role.grant',
      entity_type: 'RoleAssignment',
      after: { role: 'ADMIN', account: '00000000-0000-4000-8000-000000000001' },
      occurred_at: new Date(),
    };
    const [chained] = rechained([forged], newest().hash);
    await asOwner([insertRow({ ...chained, seal: null })]);
    expect(await verify()).toMatchObject({ intact: false, firstBrokenSeq: forged.seq, finding: 'SEAL_MISSING' });

    // A seal made with a key of the forger's own is no better.
    const wrongKey = new AuditKey(randomBytes(32), 'forger');
    const content = hashedContent({
      occurredAt: chained.occurred_at,
      actorId: chained.actor_id,
      action: chained.action,
      entityType: chained.entity_type,
      entityId: chained.entity_id,
      before: chained.before,
      after: chained.after,
      requestId: chained.request_id,
    });
    await asOwner([['update audit_entry set seal = $2 where seq = $1', [forged.seq, wrongKey.seal(content)]]]);
    expect(await verify()).toMatchObject({ intact: false, firstBrokenSeq: forged.seq, finding: 'SEAL_INVALID' });
  });
});

describe('more ways round, also detected', () => {
  afterEach(async () => {
    await restoreTrail();
  });

  it('a middle entry removed and every later hash recomputed: the signed checkpoint no longer matches', async () => {
    const from = trail.indexOf(middle());
    const rewritten = rechained(trail.slice(from + 1), trail[from - 1].hash);
    await asOwner([['delete from audit_entry where seq >= $1', [middle().seq]], ...rewritten.map(insertRow)]);
    // The first checkpoint past the removed entry names another hash (or the removed entry itself).
    const named = (await checkpointSeqs()).find((seq) => seq >= middle().seq)!;
    expect(await verify()).toMatchObject({
      intact: false,
      firstBrokenSeq: named,
      finding: named === middle().seq ? 'CHECKPOINT_ENTRY_MISSING' : 'CHECKPOINT_MISMATCH',
    });
  });

  it('seals stripped from the rewritten entries onwards: an entry without a seal after sealed ones', async () => {
    const from = trail.indexOf(middle());
    const forged = [{ ...middle(), after: { ...middle().after, name: 'Forged' } }, ...trail.slice(from + 1)];
    const rewritten = rechained(forged, trail[from - 1].hash).map((row) => ({ ...row, seal: null }));
    await asOwner([['delete from audit_entry where seq >= $1', [middle().seq]], ...rewritten.map(insertRow)]);
    expect(await verify()).toMatchObject({ intact: false, firstBrokenSeq: middle().seq, finding: 'SEAL_MISSING' });
  });

  it('an entry copied (content and seal) to the end, its uniqueness rule dropped: the seal is found twice', async () => {
    const copy = { ...middle(), seq: newest().seq + 1 };
    const [chained] = rechained([copy], newest().hash);
    try {
      await asOwner([['alter table audit_entry drop constraint audit_entry_seal_unique'], insertRow(chained)]);
      expect(await verify()).toMatchObject({ intact: false, firstBrokenSeq: copy.seq, finding: 'SEAL_REUSED' });
    } finally {
      await asOwner([
        ['delete from audit_entry where seq = $1', [copy.seq]],
        ['alter table audit_entry add constraint audit_entry_seal_unique unique (seal)'],
      ]);
    }
  });

  it('a checkpoint line edited, or signed with another key: the log itself is reported', async () => {
    const file = await logFile();
    const original = await readFile(file, 'utf8');
    try {
      const lines = original.trim().split('\n');
      const edited = { ...JSON.parse(lines[0]), count: 1 };
      await writeFile(file, [JSON.stringify(edited), ...lines.slice(1)].join('\n') + '\n');
      expect(await verify()).toMatchObject({ intact: false, finding: 'CHECKPOINT_FORGED', firstBrokenSeq: null });
      await writeFile(file, original);
      await appendFile(file, `${JSON.stringify({ ...JSON.parse(lines[0]), key: 'ffffffffffffffff' })}\n`);
      expect(await verify()).toMatchObject({ intact: false, finding: 'CHECKPOINT_OTHER_KEY' });
    } finally {
      await writeFile(file, original);
    }
  });

  it('verified with another key, every seal fails: the command names the key mismatch', async () => {
    const script = await auditVerifyScript({ AUDIT_SIGNING_KEY: `another-key-${randomBytes(24).toString('hex')}` });
    expect(script.exitCode).toBe(1);
    expect(script.report).toMatchObject({ intact: false, finding: 'SEAL_INVALID', firstBrokenSeq: trail[0].seq });
    expect(script.report.problems.map((p: { finding: string }) => p.finding)).toContain('CHECKPOINT_OTHER_KEY');
  }, 60_000);

  it('the checkpointer signs nothing over a tampered trail', async () => {
    const removed = newest();
    await asOwner([['delete from audit_entry where seq = $1', [removed.seq]]]);
    const outcome = await checkpoint();
    expect(outcome).toMatchObject({ signed: null, upToDate: false, problem: expect.stringContaining(`entry ${removed.seq}`) });
  });
});
