import { createHash } from 'node:crypto';
import type { CheckpointLog, SignedCheckpoint } from './audit-checkpoints.js';
import type { AuditKey } from './audit-key.js';

/** Hash of the (absent) entry before the first one. */
export const GENESIS_HASH = '0'.repeat(64);

/** JSON with object keys sorted at every level, so equal content always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** What an entry's hash and seal cover. */
export interface EntryContent {
  occurredAt: Date;
  actorId?: string | null;
  action: string;
  entityType: string;
  entityId: string;
  before?: unknown;
  after?: unknown;
  requestId?: string | null;
  /** Not part of the content (the hash chains it separately); accepted so a stored entry can be passed as it is. */
  prevHash?: string;
}

/** The fields of an entry that its hash (and its seal) cover, as canonical JSON. */
export function hashedContent(entry: EntryContent): string {
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

export function entryHash(prevHash: string, entry: EntryContent): string {
  return createHash('sha256').update(prevHash).update('\n').update(hashedContent(entry)).digest('hex');
}

/** An audit_entry row as read for verification. */
export interface EntryRow {
  seq: string | number;
  occurred_at: Date | string;
  actor_id: string | null;
  action: string;
  entity_type: string;
  entity_id: string;
  before: unknown;
  after: unknown;
  request_id: string | null;
  prev_hash: string;
  hash: string;
  seal: string | null;
}

export function contentOf(row: EntryRow): string {
  return hashedContent({
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

/** What verification can find wrong, each named in the report (`finding`). */
export enum AuditFinding {
  CONTENT_ALTERED = 'CONTENT_ALTERED',
  LINK_BROKEN = 'LINK_BROKEN',
  SEAL_MISSING = 'SEAL_MISSING',
  SEAL_INVALID = 'SEAL_INVALID',
  SEAL_REUSED = 'SEAL_REUSED',
  CHECKPOINT_MISMATCH = 'CHECKPOINT_MISMATCH',
  CHECKPOINT_ENTRY_MISSING = 'CHECKPOINT_ENTRY_MISSING',
  NEWEST_ENTRIES_REMOVED = 'NEWEST_ENTRIES_REMOVED',
  TRAIL_EMPTIED = 'TRAIL_EMPTIED',
  CHECKPOINT_FORGED = 'CHECKPOINT_FORGED',
  CHECKPOINT_OTHER_KEY = 'CHECKPOINT_OTHER_KEY',
  CHECKPOINT_UNREADABLE = 'CHECKPOINT_UNREADABLE',
}

/** One thing found wrong: what, where (the entry, when it names one) and in plain words. */
export interface AuditProblem {
  finding: AuditFinding;
  seq: number | null;
  message: string;
}

/** The outcome of verifying the trail against its seals and its signed checkpoints. */
export interface ChainVerification {
  /** True when nothing below was found: no entry altered, removed, inserted, reordered or forged. */
  intact: boolean;
  /** Entries verified before the end, or before the first broken one. */
  checkedEntries: number;
  /** The first entry that fails verification (for removed entries: one a checkpoint names). */
  firstBrokenSeq: number | null;
  /** Why, in plain words: the first problem's message. */
  reason: string | null;
  finding: AuditFinding | null;
  /** Everything found wrong, the first one first. */
  problems: AuditProblem[];
  /** Signed checkpoints checked against the trail. */
  checkpoints: number;
  lastCheckpointSeq: number | null;
  lastCheckpointAt: Date | null;
  /** Entries after the last checkpoint: not anchored yet (the server anchors new entries within seconds). */
  unanchoredEntries: number;
  /** Entries written before seals existed (the trail's oldest, vouched for by the first checkpoint after them). */
  unsealedEntries: number;
  /** The fingerprint of the key this verification used. */
  keyId: string;
  /** Where the checkpoints were read from. */
  checkpointLog: string;
}

/** Reads entries with `seq > afterSeq` in order, at most `limit`. */
export type PageReader = (afterSeq: number, limit: number) => Promise<EntryRow[]>;

export const PAGE_SIZE = 1000;

/** Where a walk of the chain starts: the beginning, or an entry a checkpoint vouches for. */
export interface WalkStart {
  seq: number;
  hash: string;
  count: number;
  /** Whether that entry (and so every later one) is sealed. */
  sealed: boolean;
}

/**
 * Checks entries one after the other: each one's link to the one before, its content against
 * its hash, its seal against the key. Entries without a seal are accepted only before the first
 * sealed one (a trail begun before seals existed).
 */
export class ChainWalker {
  prevHash: string;
  count: number;
  lastSeq: number;
  sealed: boolean;
  unsealed = 0;

  constructor(
    private readonly key: AuditKey,
    start?: WalkStart,
  ) {
    this.prevHash = start?.hash ?? GENESIS_HASH;
    this.count = start?.count ?? 0;
    this.lastSeq = start?.seq ?? 0;
    this.sealed = start?.sealed ?? false;
  }

  /** The problem with the next entry, or null (and the walker moves past it). */
  next(row: EntryRow): AuditProblem | null {
    const seq = Number(row.seq);
    const problem = (finding: AuditFinding, message: string): AuditProblem => ({ finding, seq, message });
    if (row.prev_hash !== this.prevHash)
      return problem(AuditFinding.LINK_BROKEN, 'its previous-hash link does not match the entry before it');
    const content = contentOf(row);
    if (row.hash !== createHash('sha256').update(this.prevHash).update('\n').update(content).digest('hex')) {
      return problem(AuditFinding.CONTENT_ALTERED, 'its content does not match its hash');
    }
    if (row.seal) {
      if (!this.key.checkSeal(row.seal, content)) {
        return problem(AuditFinding.SEAL_INVALID, 'its seal does not match its content: it was not written by Collegia with this key');
      }
      this.sealed = true;
    } else if (this.sealed) {
      return problem(AuditFinding.SEAL_MISSING, 'it carries no seal, though entries before it do: it was not written by Collegia');
    } else {
      this.unsealed += 1;
    }
    this.prevHash = row.hash;
    this.count += 1;
    this.lastSeq = seq;
    return null;
  }
}

export function describeCheckpoint(checkpoint: SignedCheckpoint): string {
  return `the signed checkpoint of ${checkpoint.at} (entry ${checkpoint.seq}, ${checkpoint.count} entries)`;
}

function logProblems(log: CheckpointLog): AuditProblem[] {
  return log.untrusted.map(({ line, problem, keyId }) =>
    problem === 'unreadable'
      ? { finding: AuditFinding.CHECKPOINT_UNREADABLE, seq: null, message: `line ${line} of ${log.location} is not a checkpoint` }
      : problem === 'other-key'
        ? {
            finding: AuditFinding.CHECKPOINT_OTHER_KEY,
            seq: null,
            message: `line ${line} of ${log.location} was signed with another key (${keyId}): is AUDIT_SIGNING_KEY the server's?`,
          }
        : {
            finding: AuditFinding.CHECKPOINT_FORGED,
            seq: null,
            message: `line ${line} of ${log.location} does not match its signature: the checkpoint log was edited`,
          },
  );
}

/**
 * Walks the whole trail in order (`ChainWalker`) and holds it against each signed checkpoint:
 * the entry a checkpoint names must be there with the hash it recorded, after as many entries.
 * Stops at the first broken entry; a checkpoint naming entries past the end means the newest
 * entries were removed (or all of them). `reusedSeal` finds an entry carrying a seal that an
 * earlier entry already carries (an entry copied, content, seal and all).
 */
export async function verifyTrail(
  read: PageReader,
  key: AuditKey,
  log: CheckpointLog,
  reusedSeal: () => Promise<{ seq: number; firstSeq: number } | null>,
): Promise<ChainVerification> {
  const checkpoints = log.checkpoints;
  const walker = new ChainWalker(key);
  let next = 0;
  let anchoredCount = 0;
  let broken: AuditProblem | null = null;

  walk: for (;;) {
    const rows = await read(walker.lastSeq, PAGE_SIZE);
    for (const row of rows) {
      const seq = Number(row.seq);
      const checkedBefore = walker.count;
      broken = walker.next(row);
      if (broken) break walk;
      // A checkpoint names an entry this walk went past: it was removed, and the chain recomputed.
      if (next < checkpoints.length && checkpoints[next].seq < seq) {
        const missing = checkpoints[next];
        broken = {
          finding: AuditFinding.CHECKPOINT_ENTRY_MISSING,
          seq: missing.seq,
          message: `${describeCheckpoint(missing)} names entry ${missing.seq}, which is missing`,
        };
        walker.count = checkedBefore;
        break walk;
      }
      if (next < checkpoints.length && checkpoints[next].seq === seq) {
        const checkpoint = checkpoints[next];
        if (checkpoint.hash !== row.hash || checkpoint.count !== walker.count) {
          broken = {
            finding: AuditFinding.CHECKPOINT_MISMATCH,
            seq,
            message: `it differs from ${describeCheckpoint(checkpoint)}: the trail up to this entry was rewritten (${walker.count} entries here)`,
          };
          walker.count = checkedBefore;
          break walk;
        }
        anchoredCount = walker.count;
        while (next < checkpoints.length && checkpoints[next].seq === seq) next += 1;
      }
    }
    if (rows.length < PAGE_SIZE) break;
  }

  const problems: AuditProblem[] = broken ? [broken] : [];
  if (!broken && next < checkpoints.length) {
    const latest = checkpoints[checkpoints.length - 1];
    problems.push(
      walker.count === 0
        ? {
            finding: AuditFinding.TRAIL_EMPTIED,
            seq: checkpoints[next].seq,
            message: `the trail is empty, but ${describeCheckpoint(latest)} recorded entries: the trail was emptied`,
          }
        : {
            finding: AuditFinding.NEWEST_ENTRIES_REMOVED,
            seq: checkpoints[next].seq,
            message: `the trail ends at entry ${walker.lastSeq} (${walker.count} entries), but ${describeCheckpoint(latest)} recorded more: the newest entries were removed`,
          },
    );
  }
  problems.push(...logProblems(log));
  if (!broken) {
    const reused = await reusedSeal();
    if (reused) {
      problems.push({
        finding: AuditFinding.SEAL_REUSED,
        seq: reused.seq,
        message: `it carries the seal of entry ${reused.firstSeq}: an entry was copied`,
      });
    }
  }
  const first = problems[0] ?? null;
  const lastCheckpoint = checkpoints.length ? checkpoints[checkpoints.length - 1] : null;
  return {
    intact: problems.length === 0,
    checkedEntries: walker.count,
    firstBrokenSeq: first?.seq ?? null,
    reason: first?.message ?? null,
    finding: first?.finding ?? null,
    problems,
    checkpoints: checkpoints.length,
    lastCheckpointSeq: lastCheckpoint?.seq ?? null,
    lastCheckpointAt: lastCheckpoint ? new Date(lastCheckpoint.at) : null,
    unanchoredEntries: Math.max(0, walker.count - anchoredCount),
    unsealedEntries: walker.unsealed,
    keyId: key.id,
    checkpointLog: log.location,
  };
}
