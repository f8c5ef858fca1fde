import { createHash } from 'node:crypto';
import { Reference, ReferenceKind, wrap } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { PositionalStatement } from '../shared/sql-script.js';
import { AuditEntry } from './audit-entry.entity.js';

/** Hash of the (absent) entry before the first one. */
export const GENESIS_HASH = '0'.repeat(64);

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

/** The outcome of walking the chain. */
export interface ChainVerification {
  intact: boolean;
  checkedEntries: number;
  firstBrokenSeq: number | null;
  reason: string | null;
}

/** JSON with object keys sorted at every level, so equal content always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** The fields of an entry that its hash covers. */
function hashedContent(entry: Omit<AuditEntry, 'seq' | 'hash' | 'prevHash'>): string {
  return canonicalJson({
    occurredAt: entry.occurredAt.toISOString(),
    actorId: entry.actorId ?? null,
    action: entry.action,
    entityType: entry.entityType,
    entityId: entry.entityId,
    before: entry.before ?? null,
    after: entry.after ?? null,
    requestId: entry.requestId ?? null,
  });
}

export function entryHash(prevHash: string, entry: Omit<AuditEntry, 'seq' | 'hash'>): string {
  return createHash('sha256').update(prevHash).update('\n').update(hashedContent(entry)).digest('hex');
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

/** Appends to and verifies the tamper-evident audit trail. */
export class AuditService {
  constructor(private readonly clock: () => Date = () => new Date()) {}

  /**
   * Appends one entry inside the caller's transaction. A transaction-scoped advisory lock makes
   * appends strictly sequential, so the chain never forks; it is released at commit or rollback.
   */
  async record(em: EntityManager, actor: Actor, record: AuditRecord): Promise<{ seq: number; hash: string }> {
    if (!em.isInTransaction()) {
      throw new Error('AuditService.record must run inside the transaction of the change it records');
    }
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
   * canonical content) computed in PostgreSQL, as `entryHash` computes it — so the lock is held
   * for one statement before the commit (every write takes it). `record` runs them; a write path
   * that sends its whole transaction as one script (`runScript`) includes them before its
   * `commit`, with `onlyIf`, an SQL condition, when the entry depends on what the script wrote.
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
    const where = onlyIf ? ` where ${onlyIf.sql}` : '';
    const condition = onlyIf?.params ?? [];
    return [
      { sql: `select pg_advisory_xact_lock(?)${where}`, params: [AUDIT_LOCK_KEY, ...condition] },
      {
        sql: `insert into audit_entry (occurred_at, actor_id, action, entity_type, entity_id, before, after, request_id, prev_hash, hash)
              select ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?, prev.hash, encode(sha256(convert_to(prev.hash || chr(10) || ?, 'UTF8')), 'hex')
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
          hashedContent(content),
          GENESIS_HASH,
          ...condition,
        ],
      },
    ];
  }

  /** Walks the whole chain in order; reports the first entry whose link or content is wrong. */
  async verify(em: EntityManager, pageSize = 1000): Promise<ChainVerification> {
    let prevHash = GENESIS_HASH;
    let checked = 0;
    let afterSeq = 0;
    for (;;) {
      const rows = await em.execute<
        {
          seq: string;
          occurred_at: Date;
          actor_id: string | null;
          action: string;
          entity_type: string;
          entity_id: string;
          before: unknown;
          after: unknown;
          request_id: string | null;
          prev_hash: string;
          hash: string;
        }[]
      >('select * from audit_entry where seq > ? order by seq limit ?', [afterSeq, pageSize]);
      for (const row of rows) {
        const seq = Number(row.seq);
        const broken = (reason: string): ChainVerification => ({
          intact: false,
          checkedEntries: checked,
          firstBrokenSeq: seq,
          reason,
        });
        if (row.prev_hash !== prevHash) return broken('its previous-hash link does not match the entry before it');
        const expected = entryHash(prevHash, {
          occurredAt: new Date(row.occurred_at),
          actorId: row.actor_id,
          action: row.action,
          entityType: row.entity_type,
          entityId: row.entity_id,
          before: row.before,
          after: row.after,
          requestId: row.request_id,
          prevHash: row.prev_hash,
        });
        if (row.hash !== expected) return broken('its content does not match its hash');
        prevHash = row.hash;
        checked += 1;
        afterSeq = seq;
      }
      if (rows.length < pageSize) break;
    }
    return { intact: true, checkedEntries: checked, firstBrokenSeq: null, reason: null };
  }
}
