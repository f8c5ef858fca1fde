import { appendFile, mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { AuditKey } from './audit-key.js';

/**
 * A signed statement of the trail's head: "the trail `trail` held `count` entries, the last one
 * `seq` with hash `hash`, at `at`". The hash chain makes it vouch for every entry up to `seq`;
 * the signature (HMAC-SHA-256 under the audit key, `key` its fingerprint) makes it unforgeable
 * without the key. Kept outside the database, so removing the newest entries or emptying the
 * trail contradicts a checkpoint that the database cannot rewrite.
 */
export interface Checkpoint {
  v: 1;
  /** The database whose trail this is (its name), so one log never mixes two trails. */
  trail: string;
  seq: number;
  hash: string;
  count: number;
  at: string;
  key: string;
}

export interface SignedCheckpoint extends Checkpoint {
  mac: string;
}

function canonical(checkpoint: Checkpoint): string {
  const { v, trail, seq, hash, count, at, key } = checkpoint;
  return JSON.stringify({ v, trail, seq, hash, count, at, key });
}

export function signCheckpoint(key: AuditKey, checkpoint: Omit<Checkpoint, 'v' | 'key'>): SignedCheckpoint {
  const unsigned: Checkpoint = { v: 1, ...checkpoint, key: key.id };
  return { ...unsigned, mac: key.sign(canonical(unsigned)) };
}

/** One line of a checkpoint log that cannot be trusted, and why. */
export interface UntrustedLine {
  line: number;
  problem: 'unreadable' | 'other-key' | 'forged';
  keyId?: string;
}

/** The lines of a trail's log: the checkpoints this key signed, sorted by seq, and the others. */
export interface CheckpointLog {
  location: string;
  checkpoints: SignedCheckpoint[];
  untrusted: UntrustedLine[];
}

const HEX64 = /^[0-9a-f]{64}$/;

function parseLine(text: string): SignedCheckpoint | null {
  try {
    const value = JSON.parse(text) as Partial<SignedCheckpoint>;
    const wellFormed =
      value.v === 1 &&
      typeof value.trail === 'string' &&
      Number.isSafeInteger(value.seq) &&
      Number.isSafeInteger(value.count) &&
      typeof value.hash === 'string' &&
      HEX64.test(value.hash) &&
      typeof value.at === 'string' &&
      typeof value.key === 'string' &&
      typeof value.mac === 'string';
    return wellFormed ? (value as SignedCheckpoint) : null;
  } catch {
    return null;
  }
}

/** Sorts a log's lines into trusted checkpoints of `trail` (signed by `key`) and untrusted lines. */
export function readCheckpointLog(location: string, lines: readonly string[], trail: string, key: AuditKey): CheckpointLog {
  const checkpoints: SignedCheckpoint[] = [];
  const untrusted: UntrustedLine[] = [];
  lines.forEach((text, index) => {
    if (!text.trim()) return;
    const line = index + 1;
    const checkpoint = parseLine(text);
    if (!checkpoint) untrusted.push({ line, problem: 'unreadable' });
    else if (checkpoint.key !== key.id) untrusted.push({ line, problem: 'other-key', keyId: checkpoint.key });
    else if (!key.checkSignature(canonical(checkpoint), checkpoint.mac) || checkpoint.trail !== trail) {
      untrusted.push({ line, problem: 'forged' });
    } else checkpoints.push(checkpoint);
  });
  checkpoints.sort((a, b) => a.seq - b.seq);
  return { location, checkpoints, untrusted };
}

/** Where the signed checkpoints are kept: an append-only log per trail. */
export interface CheckpointStore {
  /** Where a trail's log is, for messages. */
  locate(trail: string): string;
  append(checkpoint: SignedCheckpoint): Promise<void>;
  /** The raw lines of a trail's log, oldest first (none when it does not exist yet). */
  lines(trail: string): Promise<string[]>;
}

function fileName(trail: string): string {
  return `${trail.replace(/[^A-Za-z0-9._-]/g, '_')}.jsonl`;
}

/**
 * One file per trail in a directory outside the database (`DATA_DIR/audit-checkpoints/` by
 * default), one JSON line per checkpoint, only ever appended to (O_APPEND), owner-only. Put it
 * on storage the database's administrators cannot write (another machine's mount, a volume with
 * `chattr +a`), and back it up with the data.
 */
export class FileCheckpointStore implements CheckpointStore {
  constructor(readonly directory: string) {}

  locate(trail: string): string {
    return path.join(this.directory, fileName(trail));
  }

  async append(checkpoint: SignedCheckpoint): Promise<void> {
    await mkdir(this.directory, { recursive: true, mode: 0o700 });
    await appendFile(this.locate(checkpoint.trail), `${JSON.stringify(checkpoint)}\n`, { mode: 0o600, flag: 'a' });
  }

  async lines(trail: string): Promise<string[]> {
    try {
      return (await readFile(this.locate(trail), 'utf8')).split('\n');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
  }
}

/** Checkpoints in this process's memory: the default under NODE_ENV=test only (see audit-anchor.ts). */
export class MemoryCheckpointStore implements CheckpointStore {
  private readonly logs = new Map<string, string[]>();

  locate(trail: string): string {
    return `memory:${fileName(trail)}`;
  }

  append(checkpoint: SignedCheckpoint): Promise<void> {
    const log = this.logs.get(checkpoint.trail) ?? [];
    log.push(JSON.stringify(checkpoint));
    this.logs.set(checkpoint.trail, log);
    return Promise.resolve();
  }

  lines(trail: string): Promise<string[]> {
    return Promise.resolve([...(this.logs.get(trail) ?? [])]);
  }
}
