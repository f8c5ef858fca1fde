import { randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import { render, type RenderContext } from './messages/index.js';
import type { NotificationKind } from './notification-kind.js';
import { PermanentDeliveryError, type MailTransport } from './mail-transport.js';
import { RepeatingTask } from './repeating-task.js';

export interface DeliveryOptions {
  /** Messages claimed at once (and sent concurrently over the transport's pool). */
  batchSize: number;
  /** How long a claim holds a message; a worker that dies releases its messages by expiry. */
  leaseMs: number;
  /** Wait between polls when the outbox is empty. */
  pollMs: number;
  /** Attempts before a message is given up (FAILED). */
  maxAttempts: number;
  /** First retry after this; doubling each time, up to backoffMaxMs. */
  backoffBaseMs: number;
  backoffMaxMs: number;
}

export const DEFAULT_DELIVERY: DeliveryOptions = {
  batchSize: 100,
  leaseMs: 5 * 60_000,
  pollMs: 1000,
  maxAttempts: 8,
  backoffBaseMs: 30_000,
  backoffMaxMs: 6 * 3600_000,
};

export interface DeliveryRound {
  claimed: number;
  sent: number;
  retried: number;
  failed: number;
}

interface Claimed {
  id: string;
  kind: NotificationKind;
  email: string;
  payload: Record<string, unknown>;
  attempts: number;
}

/**
 * Delivers the outbox. Safe with any number of instances on one database: a round claims a batch
 * with `FOR UPDATE SKIP LOCKED` (two workers never claim the same message) and marks it with a
 * lease; sent messages are marked SENT by the worker holding the lease. A worker that dies between
 * sending and marking leaves the message to be sent again after the lease (at-least-once; the
 * Message-ID header lets a mail server or client drop the copy) — never lost, never sent twice by
 * two live workers.
 */
export class DeliveryWorker {
  readonly instanceId = `worker-${randomUUID().slice(0, 8)}`;
  private readonly loop: RepeatingTask;

  constructor(
    private readonly orm: MikroORM,
    private readonly transport: MailTransport,
    private readonly renderContext: RenderContext,
    private readonly clock: () => Date,
    private readonly logger: Logger,
    private readonly options: DeliveryOptions = DEFAULT_DELIVERY,
  ) {
    this.loop = new RepeatingTask(
      async () => ((await this.runOnce()).claimed === options.batchSize ? 0 : options.pollMs),
      options.pollMs,
      logger,
      'notification delivery round',
    );
  }

  /** Delivers in the background: a round, then the next at once while batches come full, else after pollMs. */
  start(): void {
    this.loop.start();
  }

  /** Stops polling and waits for the round in flight. */
  stop(): Promise<void> {
    return this.loop.stop();
  }

  /** One round: claim a batch, send it, record what happened. */
  async runOnce(): Promise<DeliveryRound> {
    const em = this.orm.em.fork();
    const now = this.clock();
    const claimed = await em.execute<Claimed[]>(
      `update notification n
          set locked_by = ?, locked_until = ?, attempts = n.attempts + 1, updated_at = ?
        where n.id in (select id from notification
                        where status = 'PENDING' and next_attempt_at <= ? and (locked_until is null or locked_until <= ?)
                        order by next_attempt_at, id
                        limit ? for update skip locked)
        returning n.id, n.kind, n.email, n.payload, n.attempts`,
      [this.instanceId, new Date(now.getTime() + this.options.leaseMs), now, now, now, this.options.batchSize],
    );
    if (claimed.length === 0) return { claimed: 0, sent: 0, retried: 0, failed: 0 };

    const outcomes = await Promise.allSettled(claimed.map((message) => this.deliver(message)));
    const sent: string[] = [];
    const failures: { id: string; error: string; permanent: boolean }[] = [];
    outcomes.forEach((outcome, i) => {
      if (outcome.status === 'fulfilled') sent.push(claimed[i].id);
      else {
        const error = outcome.reason as Error;
        failures.push({
          id: claimed[i].id,
          error: String(error?.message ?? error).slice(0, 1000),
          permanent: error instanceof PermanentDeliveryError,
        });
      }
    });
    const done = this.clock();
    if (sent.length > 0) {
      await em.execute(
        `update notification set status = 'SENT', sent_at = ?, message_id = '<' || id || '@collegia>',
                locked_until = null, locked_by = null, last_error = null, updated_at = ?
          where id in (select jsonb_array_elements_text(?::jsonb)::uuid) and locked_by = ?`,
        [done, done, JSON.stringify(sent), this.instanceId],
      );
    }
    let failed = 0;
    if (failures.length > 0) {
      const rows = await em.execute<{ status: string }[]>(
        `update notification n
            set status = case when f.permanent or n.attempts >= ? then 'FAILED' else 'PENDING' end,
                next_attempt_at = ?::timestamptz + least(? * power(2, n.attempts - 1), ?) * interval '1 millisecond',
                last_error = f.error, locked_until = null, locked_by = null, updated_at = ?
           from jsonb_to_recordset(?::jsonb) as f(id uuid, error text, permanent boolean)
          where n.id = f.id and n.locked_by = ?
          returning n.status`,
        [
          this.options.maxAttempts,
          done,
          this.options.backoffBaseMs,
          this.options.backoffMaxMs,
          done,
          JSON.stringify(failures),
          this.instanceId,
        ],
      );
      failed = rows.filter((row) => row.status === 'FAILED').length;
      this.logger.warn(
        { failures: failures.length, givenUp: failed, transport: this.transport.description },
        'some notifications could not be delivered',
      );
    }
    return { claimed: claimed.length, sent: sent.length, retried: failures.length - failed, failed };
  }

  private async deliver(message: Claimed): Promise<void> {
    const rendered = render(message.kind, message.payload, this.renderContext);
    await this.transport.send({ to: message.email, ...rendered, messageId: `<${message.id}@collegia>`, kind: message.kind });
  }

  /** Rounds until the outbox has nothing due (tests, scripts). */
  async drain(): Promise<DeliveryRound> {
    const total: DeliveryRound = { claimed: 0, sent: 0, retried: 0, failed: 0 };
    for (;;) {
      const round = await this.runOnce();
      total.claimed += round.claimed;
      total.sent += round.sent;
      total.retried += round.retried;
      total.failed += round.failed;
      if (round.claimed === 0) return total;
    }
  }
}
