import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import { RepeatingTask } from './repeating-task.js';

/**
 * A job that queues deadline messages. It must be idempotent: it queues through `enqueueMany` with
 * an event key, so running it twice — or on two instances — queues each message once.
 */
export interface ScheduledJob {
  name: string;
  /** `daily`: once a day from the configured hour (Paris time); `frequent`: on every tick. */
  cadence: 'daily' | 'frequent';
  /** Queues the messages due at `now`, in the transaction `tx`; returns how many. */
  run(tx: EntityManager, now: Date): Promise<number>;
}

export interface SchedulerOptions {
  /** Time between ticks. */
  tickMs: number;
  /** Hour (0–23, Europe/Paris) from which the daily jobs run. */
  dailyHour: number;
}

/** The day and hour in Paris of an instant. */
export function parisDayAndHour(now: Date): { day: string; hour: number } {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Europe/Paris',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    hourCycle: 'h23',
  })
    .formatToParts(now)
    .reduce<Record<string, string>>((all, part) => ({ ...all, [part.type]: part.value }), {});
  return { day: `${parts.year}-${parts.month}-${parts.day}`, hour: Number(parts.hour) };
}

/**
 * Runs the deadline jobs. A daily job claims its day in `scheduled_run` (primary key job + day) in
 * the transaction that queues its messages: another instance waits for that transaction and then
 * finds the day taken; a run that fails leaves the day free for the next tick.
 */
export class Scheduler {
  private readonly loop: RepeatingTask;

  constructor(
    private readonly orm: MikroORM,
    private readonly jobs: readonly ScheduledJob[],
    private readonly clock: () => Date,
    private readonly logger: Logger,
    private readonly options: SchedulerOptions,
  ) {
    this.loop = new RepeatingTask(
      async () => {
        await this.tick();
        return options.tickMs;
      },
      options.tickMs,
      logger,
      'scheduled jobs',
    );
  }

  /** Ticks in the background, every tickMs. */
  start(): void {
    this.loop.start();
  }

  /** Stops ticking and waits for the tick in flight. */
  stop(): Promise<void> {
    return this.loop.stop();
  }

  /** Runs what is due now: every frequent job, and each daily job not yet run today (after the hour). */
  async tick(): Promise<Record<string, number | null>> {
    const now = this.clock();
    const { day, hour } = parisDayAndHour(now);
    const result: Record<string, number | null> = {};
    for (const job of this.jobs) {
      if (job.cadence === 'daily' && hour < this.options.dailyHour) continue;
      result[job.name] = await this.runJob(job, now, job.cadence === 'daily' ? day : null);
    }
    return result;
  }

  /**
   * Runs one job in its own transaction. With a `day`, only if that day is not yet claimed
   * (returns null when it was). Without, always — still queueing each message once.
   */
  async runJob(job: ScheduledJob, now: Date, day: string | null): Promise<number | null> {
    return this.orm.em.fork().transactional(async (tx) => {
      if (day !== null) {
        const claimed = await tx.execute<{ job: string }[]>(
          'insert into scheduled_run (job, day, started_at, queued) values (?, ?, ?, 0) on conflict do nothing returning job',
          [job.name, day, now],
        );
        if (claimed.length === 0) return null;
      }
      const queued = await job.run(tx, now);
      if (day !== null) await tx.execute('update scheduled_run set queued = ? where job = ? and day = ?', [queued, job.name, day]);
      if (queued > 0) this.logger.info({ job: job.name, queued }, 'scheduled job queued messages');
      return queued;
    });
  }

  /** Runs a job by name, now (tests, `npm run jobs:run`), without claiming the day. */
  async runNow(name: string): Promise<number> {
    const job = this.jobs.find((candidate) => candidate.name === name);
    if (!job) throw new Error(`No scheduled job named ${name}: ${this.jobs.map((j) => j.name).join(', ')}`);
    return (await this.runJob(job, this.clock(), null)) ?? 0;
  }
}
