import type { Rel } from '@mikro-orm/core';
import { Check, Entity, Enum, Index, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/decorators/legacy';
import { Field, Int, ObjectType } from 'type-graphql';
import { Account } from '../auth/account.entity.js';
import { BaseEntity } from '../shared/base.entity.js';
import { NotificationKind, NotificationStatus } from './notification-kind.js';

/**
 * One message of the outbox. Written in the transaction of the change it announces (a change
 * rolled back leaves no message), delivered later by the worker (delivery-worker.ts). The payload
 * holds what the message says (names, dates, links' ids), never a secret: a reset link's token is
 * derived at delivery from its id and a key the database does not hold.
 */
@ObjectType({ description: 'A message of the outbox (platform administrators only).' })
@Entity({ tableName: 'notification' })
// What the worker polls: only the messages still to deliver.
@Index({
  name: 'notification_due',
  expression: `create index "notification_due" on "notification" ("next_attempt_at") where status = 'PENDING'`,
})
@Check({ name: 'notification_attempts_not_negative', expression: 'attempts >= 0' })
@Check({ name: 'notification_sent_has_time', expression: "(status = 'SENT') = (sent_at is not null)" })
export class Notification extends BaseEntity<
  'account' | 'dedupeKey' | 'status' | 'attempts' | 'lockedUntil' | 'lockedBy' | 'lastError' | 'sentAt' | 'messageId'
> {
  @Field(() => NotificationKind, { description: 'What it is about.' })
  @Enum({ items: () => NotificationKind })
  kind!: NotificationKind;

  /** The recipient's account, when they have one (preferences are per account). */
  @ManyToOne(() => Account, { deleteRule: 'restrict', nullable: true, index: true })
  account?: Rel<Account> | null;

  @Field({ description: 'Where it goes.' })
  @Property({ length: 320 })
  email!: string;

  /**
   * One message per event and recipient: a job run twice, or by two instances, inserts the same
   * key once (`on conflict do nothing`). Null for messages that may repeat (a reset link).
   */
  @Property({ type: 'text', nullable: true })
  @Unique()
  dedupeKey?: string | null;

  /** What the renderer needs; never a secret, never a vote's content. */
  @Property({ type: 'jsonb' })
  payload!: Record<string, unknown>;

  @Field(() => NotificationStatus, { description: 'Where it stands.' })
  @Enum({ items: () => NotificationStatus })
  status: NotificationStatus = NotificationStatus.PENDING;

  @Field(() => Int, { description: 'Delivery attempts so far.' })
  @Property()
  attempts: number = 0;

  @Field({ description: 'When the worker will (next) try to deliver it.' })
  @Property({ type: 'timestamptz' })
  nextAttemptAt!: Date;

  /** A worker holds the message until then (a worker that died releases it by expiry). */
  @Property({ type: 'timestamptz', nullable: true })
  lockedUntil?: Date | null;

  @Property({ type: 'text', nullable: true })
  lockedBy?: string | null;

  @Field(() => String, { nullable: true, description: 'Why the last attempt failed (the mail server’s answer).' })
  @Property({ type: 'text', nullable: true })
  lastError?: string | null;

  @Field(() => Date, { nullable: true, description: 'When it was delivered.' })
  @Property({ type: 'timestamptz', nullable: true })
  sentAt?: Date | null;

  /** The Message-ID header it went out with. */
  @Property({ type: 'text', nullable: true })
  messageId?: string | null;
}

/** A kind of message an account does not want (security mail cannot be turned off). */
@Entity({ tableName: 'notification_opt_out' })
export class NotificationOptOut {
  @ManyToOne(() => Account, { primary: true, deleteRule: 'cascade' })
  account!: Rel<Account>;

  @Enum({ items: () => NotificationKind, primary: true })
  kind!: NotificationKind;

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();
}

/** A daily job's run: one row per job and day, so that only one instance runs it per day. */
@Entity({ tableName: 'scheduled_run' })
export class ScheduledRun {
  @PrimaryKey({ type: 'text' })
  job!: string;

  /** ISO date of the run (Europe/Paris). */
  @PrimaryKey({ type: 'date' })
  day!: string;

  @Property({ type: 'timestamptz' })
  startedAt: Date = new Date();

  /** How many messages the run queued. */
  @Property()
  queued: number = 0;
}
