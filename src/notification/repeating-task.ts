import type { Logger } from 'pino';

/**
 * A task run over and over in the background — the delivery worker's rounds, the scheduler's ticks:
 * one run at a time, the next after the delay the last run asks for (or `retryMs` after a failure,
 * which is logged), and a stop that waits for the run in flight. Its timer never keeps the process
 * alive.
 */
export class RepeatingTask {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;
  private stopped = true;

  constructor(
    /** Runs once; resolves to the delay before the next run (ms). */
    private readonly run: () => Promise<number>,
    private readonly retryMs: number,
    private readonly logger: Logger,
    /** What the log says failed. */
    private readonly what: string,
  ) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule(0);
  }

  /** Stops repeating and waits for the run in flight. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.running = this.run().then(
        (next) => this.schedule(next),
        (error: unknown) => {
          this.logger.error({ err: error }, `${this.what} failed`);
          this.schedule(this.retryMs);
        },
      );
    }, delayMs);
    this.timer.unref();
  }
}
