import { Reference, ReferenceKind, wrap } from '@mikro-orm/core';
import type { EntityManager, PostgreSqlConnection as Connection } from '@mikro-orm/postgresql';
import type { Pool } from 'pg';
import type { PositionalStatement } from '../shared/sql-script.js';
import { defaultAuditAnchor, type AuditAnchor } from './audit-anchor.js';
import { AuditCheckpointer, type CheckpointOutcome, type Query } from './audit-checkpointer.js';
import { readCheckpointLog } from './audit-checkpoints.js';
import { GENESIS_HASH, hashedContent, verifyTrail, type ChainVerification, type EntryRow } from './audit-verification.js';

export type { ChainVerification } from './audit-verification.js';
export { AuditFinding, canonicalJson, entryHash, GENESIS_HASH } from './audit-verification.js';

/** Properties never copied into the trail. */
const SECRET_KEYS = new Set(['passwordHash', 'tokenHash']);

/** Who is acting, as the audit trail records it. */
export interface Actor {
  accountId: string | null;
  requestId: string | null;
}

export const SYSTEM_ACTOR: Actor = { accountId: null, requestId: null };

export interface AuditRecord {
  action: string;
  entityType: string;
  entityId: string;
  before?: unknown;
  after?: unknown;
}

/**
 * A plain, JSON-safe copy of an entity's own columns for the trail, without secrets. A relation
 * is recorded as the id it points to, never as the related record: `toObject()` would embed
 * whatever happens to be loaded, secrets included (a role grant copied the grantee's password
 * hash), and a collège's snapshot would grow with every sibling. Collections are left out: each
 * of their items records its own changes.
 */
export function auditSnapshot(entity: object): Record<string, unknown> {
  const snapshot: Record<string, unknown> = {};
  for (const prop of wrap(entity, true).__meta.props) {
    if (SECRET_KEYS.has(prop.name)) continue;
    const value = (entity as Record<string, unknown>)[prop.name];
    if (prop.kind === ReferenceKind.SCALAR || prop.kind === ReferenceKind.EMBEDDED) {
      snapshot[prop.name] = value;
    } else if (prop.kind === ReferenceKind.MANY_TO_ONE || (prop.kind === ReferenceKind.ONE_TO_ONE && prop.owner)) {
      snapshot[prop.name] = value ? wrap(Reference.unwrapReference(value), true).getPrimaryKey() : null;
    }
  }
  // Round-trip through JSON (dates become ISO strings, bigint amounts decimal strings) so the
  // snapshot is exactly what jsonb stores and what the hash covers.
  return JSON.parse(JSON.stringify(snapshot, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))) as Record<string, unknown>;
}

// Any constant works; it only has to be the same for every writer of the trail.
const AUDIT_LOCK_KEY = 7_262_017;

/** How long after an append the head is checkpointed (appends in between share the checkpoint). */
const CHECKPOINT_DELAY_MS = 1_000;

/** `?` placeholders as `$1…$n`, for pg. The statements here hold no other `?`. */
function numbered(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

/**
 * Appends to and verifies the tamper-evident audit trail.
 *
 * Each entry is hash-chained to the one before (SHA-256, computed by PostgreSQL under the
 * trail's lock) and sealed: an HMAC of its content under the audit key, which the database never
 * sees (`audit-key.ts`). Within a second of an append, the head of the trail is checkpointed:
 * signed with the same key and appended to a log outside the database (`audit-checkpointer.ts`).
 * Whoever can write the database but not read the key can then neither forge nor rewrite an
 * entry (its seal), nor remove the newest ones or empty the trail (the checkpoints).
 */
export class AuditService {
  private readonly anchor: AuditAnchor;
  private readonly checkpointer: AuditCheckpointer;
  /** The connection of the database this service appends to, learnt from the first EntityManager it sees. */
  private connection: Connection | null = null;
  /** Its pool, taken once the ORM is known to be connected (see `nativePool`). */
  private pool: Pool | null = null;
  private timer: NodeJS.Timeout | null = null;
  private appendedSinceRun = false;

  constructor(
    private readonly clock: () => Date = () => new Date(),
    anchor?: AuditAnchor,
  ) {
    this.anchor = anchor ?? defaultAuditAnchor();
    this.checkpointer = new AuditCheckpointer(this.anchor, clock);
  }

  /** The fingerprint of the key that seals this trail. */
  get keyId(): string {
    return this.anchor.key.id;
  }

  /**
   * Learns the database this service writes to, for the checkpoints it schedules (once; every
   * fork of one ORM shares its pool). Called by every domain service's constructor.
   */
  attach(em: EntityManager): void {
    if (this.connection) return;
    this.connection = em.getConnection();
    // Anchors what is already there (entries of a command run while the server was down, or
    // written before seals existed) once the server is up.
    this.scheduleCheckpoint();
  }

  /**
   * The ORM's pool, once the ORM is connected. MikroORM connects lazily and asking for the pool
   * connects it: asked too early, that races the ORM's own first connection (two pools, one
   * never closed); asked after `orm.close()`, it would connect again. So the pool is taken only
   * when the connection says it is up, and kept.
   */
  private async nativePool(): Promise<Pool | null> {
    if (this.pool) return this.pool;
    const connection = this.connection;
    if (!connection || !(await connection.isConnected())) return null;
    this.pool = await connection.getNativeClient();
    return this.pool;
  }

  /**
   * Appends one entry inside the caller's transaction. A transaction-scoped advisory lock makes
   * appends strictly sequential, so the chain never forks; it is released at commit or rollback.
   */
  async record(em: EntityManager, actor: Actor, record: AuditRecord): Promise<{ seq: number; hash: string }> {
    if (!em.isInTransaction()) {
      throw new Error('AuditService.record must run inside the transaction of the change it records');
    }
    this.attach(em);
    const [lock, insert] = this.appendStatements(actor, record);
    await em.execute(lock.sql, [...lock.params]);
    const [row] = await em.execute<{ seq: string; hash: string }[]>(`${insert.sql} returning seq, hash`, [...insert.params]);
    return { seq: Number(row.seq), hash: row.hash };
  }

  /**
   * The usual entry for a change to one entity: its class as the entity type, its id, the
   * snapshot taken `before` the change (omit for a creation) and `auditSnapshot` of it now, with
   * `extra` facts merged into the after side (a successor's id, a reason that is not a column).
   */
  recordChange(
    em: EntityManager,
    actor: Actor,
    action: string,
    entity: { id: string },
    before?: Record<string, unknown> | null,
    extra?: Record<string, unknown>,
  ): Promise<{ seq: number; hash: string }> {
    return this.record(em, actor, {
      action,
      entityType: entity.constructor.name,
      entityId: entity.id,
      ...(before ? { before } : {}),
      after: { ...auditSnapshot(entity), ...extra },
    });
  }

  /**
   * The two statements that append one entry: the trail's lock, then the entry chained to the
   * last one in a single insert — the previous hash read and SHA-256(previous hash, newline,
   * canonical content) computed in PostgreSQL, as `entryHash` computes it, the seal computed
   * here — so the lock is held for one statement before the commit (every write takes it).
   * `record` runs them; a write path that sends its whole transaction as one script
   * (`runScript`) includes them before its `commit`, with `onlyIf`, an SQL condition, when the
   * entry depends on what the script wrote.
   */
  appendStatements(actor: Actor, record: AuditRecord, onlyIf?: PositionalStatement): [PositionalStatement, PositionalStatement] {
    const content = {
      occurredAt: this.clock(),
      actorId: actor.accountId,
      requestId: actor.requestId,
      action: record.action,
      entityType: record.entityType,
      entityId: record.entityId,
      // Round-trip through JSON so what is hashed is exactly what jsonb stores.
      before: record.before === undefined ? null : (JSON.parse(JSON.stringify(record.before)) as unknown),
      after: record.after === undefined ? null : (JSON.parse(JSON.stringify(record.after)) as unknown),
    };
    const canonical = hashedContent(content);
    const where = onlyIf ? ` where ${onlyIf.sql}` : '';
    const condition = onlyIf?.params ?? [];
    this.scheduleCheckpoint();
    return [
      { sql: `select pg_advisory_xact_lock(?)${where}`, params: [AUDIT_LOCK_KEY, ...condition] },
      {
        sql: `insert into audit_entry (occurred_at, actor_id, action, entity_type, entity_id, before, after, request_id, prev_hash, hash, seal)
              select ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?, prev.hash, encode(sha256(convert_to(prev.hash || chr(10) || ?, 'UTF8')), 'hex'), ?
                from (select coalesce((select hash from audit_entry order by seq desc limit 1), ?) as hash) prev${where}`,
        params: [
          content.occurredAt,
          content.actorId,
          content.action,
          content.entityType,
          content.entityId,
          content.before === null ? null : JSON.stringify(content.before),
          content.after === null ? null : JSON.stringify(content.after),
          content.requestId,
          canonical,
          this.anchor.key.seal(canonical),
          GENESIS_HASH,
          ...condition,
        ],
      },
    ];
  }

  /**
   * Verifies the whole trail: the chain, each entry's seal, and the trail against every signed
   * checkpoint of its log; names what it finds (see `verifyTrail`).
   */
  async verify(em: EntityManager): Promise<ChainVerification> {
    const { key, checkpoints } = this.anchor;
    const [{ trail }] = await em.execute<{ trail: string }[]>('select current_database() as trail');
    const log = readCheckpointLog(checkpoints.locate(trail), await checkpoints.lines(trail), trail, key);
    return verifyTrail(
      (afterSeq, limit) => em.execute<EntryRow[]>('select * from audit_entry where seq > ? order by seq limit ?', [afterSeq, limit]),
      key,
      log,
      async () => {
        const [reused] = await em.execute<{ seq: string; first_seq: string }[]>(
          `select max(seq) as seq, min(seq) as first_seq from audit_entry
            where seal in (select seal from audit_entry where seal is not null group by seal having count(*) > 1)
            group by seal order by 1 limit 1`,
        );
        return reused ? { seq: Number(reused.seq), firstSeq: Number(reused.first_seq) } : null;
      },
    );
  }

  /**
   * Signs a checkpoint of the trail's head now, after checking the entries since the last one
   * (the server does so by itself within a second of each append; this is for commands and
   * tests). Runs on the pool directly, outside the ORM's statement log.
   */
  async checkpoint(em?: EntityManager): Promise<CheckpointOutcome> {
    if (em) this.attach(em);
    const pool = await this.nativePool();
    if (!pool) throw new Error('AuditService.checkpoint: no connected database attached');
    const query: Query = async <R>(sql: string, params: readonly unknown[]) => (await pool.query(numbered(sql), [...params])).rows as R[];
    return this.checkpointer.checkpoint(query);
  }

  /**
   * A checkpoint a second after the first append since the last one, and one more a second
   * after each run that anchored something (an append whose transaction committed late).
   */
  private scheduleCheckpoint(): void {
    this.appendedSinceRun = true;
    if (!this.connection || this.timer) return;
    this.timer = setTimeout(() => {
      this.appendedSinceRun = false;
      this.checkpoint()
        .then((outcome) => {
          this.timer = null;
          if (outcome.signed || this.appendedSinceRun) this.scheduleCheckpoint();
        })
        // The database went away (the app is closing): the next start anchors what is there.
        .catch(() => {
          this.timer = null;
        });
    }, CHECKPOINT_DELAY_MS);
    this.timer.unref();
  }
}
