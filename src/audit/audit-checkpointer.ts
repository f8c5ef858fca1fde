import type { AuditAnchor } from './audit-anchor.js';
import { readCheckpointLog, signCheckpoint, type SignedCheckpoint } from './audit-checkpoints.js';
import { ChainWalker, PAGE_SIZE, type EntryRow, type WalkStart } from './audit-verification.js';

/** Runs one SQL statement (`?` placeholders) and returns its rows. */
export type Query = <R>(sql: string, params: readonly unknown[]) => Promise<R[]>;

/** What a checkpoint run did: signed a new checkpoint, found nothing new, or refused to sign. */
export type CheckpointOutcome =
  { signed: SignedCheckpoint } | { signed: null; upToDate: true } | { signed: null; upToDate: false; problem: string };

/**
 * Signs checkpoints of the trail's head and appends them to the checkpoint log. Before signing,
 * it checks every entry written since the last checkpoint (links, hashes, seals) starting from
 * the entry that checkpoint vouches for, and signs nothing when something is wrong: a checkpoint
 * only ever vouches for a trail that verified. Runs are serialised within a process; two
 * processes may both append (each line stands on its own).
 */
export class AuditCheckpointer {
  /** The last checkpoint signed (or read) per trail, where the next run resumes. */
  private readonly last = new Map<string, WalkStart>();
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly anchor: AuditAnchor,
    private readonly clock: () => Date,
  ) {}

  checkpoint(query: Query): Promise<CheckpointOutcome> {
    const run = this.queue.then(() => this.run(query));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async resumeFrom(trail: string, query: Query): Promise<WalkStart | null | string> {
    const { key, checkpoints } = this.anchor;
    const known = this.last.get(trail);
    const latest = known ?? readCheckpointLog(checkpoints.locate(trail), await checkpoints.lines(trail), trail, key).checkpoints.at(-1);
    if (!latest) return null;
    const [row] = await query<{ hash: string; sealed: boolean }>('select hash, seal is not null as sealed from audit_entry where seq = ?', [
      latest.seq,
    ]);
    if (!row || row.hash !== latest.hash) return `entry ${latest.seq}, which the last checkpoint vouches for, is missing or changed`;
    return { seq: latest.seq, hash: latest.hash, count: latest.count, sealed: row.sealed };
  }

  private async run(query: Query): Promise<CheckpointOutcome> {
    const { key, checkpoints } = this.anchor;
    const [{ trail }] = await query<{ trail: string }>('select current_database() as trail', []);
    const start = await this.resumeFrom(trail, query);
    if (typeof start === 'string') return { signed: null, upToDate: false, problem: start };
    const [head] = await query<{ seq: string; hash: string }>('select seq, hash from audit_entry order by seq desc limit 1', []);
    if (!head) return start ? { signed: null, upToDate: false, problem: 'the trail is empty' } : { signed: null, upToDate: true };
    if (start && Number(head.seq) <= start.seq) return { signed: null, upToDate: true };

    const walker = new ChainWalker(key, start ?? undefined);
    for (;;) {
      const rows = await query<EntryRow>('select * from audit_entry where seq > ? and seq <= ? order by seq limit ?', [
        walker.lastSeq,
        head.seq,
        PAGE_SIZE,
      ]);
      for (const row of rows) {
        const problem = walker.next(row);
        if (problem) return { signed: null, upToDate: false, problem: `entry ${problem.seq}: ${problem.message}` };
      }
      if (rows.length < PAGE_SIZE) break;
    }
    const signed = signCheckpoint(key, {
      trail,
      seq: walker.lastSeq,
      hash: walker.prevHash,
      count: walker.count,
      at: this.clock().toISOString(),
    });
    await checkpoints.append(signed);
    this.last.set(trail, { seq: signed.seq, hash: signed.hash, count: signed.count, sealed: walker.sealed });
    return { signed };
  }
}
