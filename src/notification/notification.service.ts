import { LockMode } from '@mikro-orm/core';
import { DomainService } from '../auth/domain-service.js';
import { Action, GLOBAL } from '../auth/permissions.js';
import { NotFoundError } from '../shared/errors.js';
import { paginate, type ConnectionShape, type PageArgs } from '../shared/pagination.js';
import { NOTIFICATION_KINDS, NotificationKind, NotificationStatus } from './notification-kind.js';
import { Notification, NotificationOptOut } from './notification.entity.js';
import { NotificationReason, refuse } from './notification.reasons.js';

/** One kind of message, as a person's preferences show it. */
export interface NotificationPreference {
  kind: NotificationKind;
  enabled: boolean;
  /** False for security mail. */
  canBeTurnedOff: boolean;
  description: string;
}

export interface OutboxFilter {
  status?: NotificationStatus | null;
  kind?: NotificationKind | null;
  /** Part of the recipient's email. */
  email?: string | null;
}

/** Preferences (each person, their own) and the outbox (platform administrators). */
export class NotificationService extends DomainService {
  /** The kinds of message and whether the signed-in person receives each. */
  async preferences(): Promise<NotificationPreference[]> {
    this.requireSignedIn({ unverified: true });
    const accountId = this.actor.accountId;
    const off = accountId ? await this.em.find(NotificationOptOut, { account: accountId }, { fields: ['kind'] }) : [];
    const disabled = new Set(off.map((row) => row.kind));
    return Object.values(NotificationKind).map((kind) => ({
      kind,
      enabled: !disabled.has(kind),
      canBeTurnedOff: !NOTIFICATION_KINDS[kind].security,
      description: NOTIFICATION_KINDS[kind].description,
    }));
  }

  /** Turns a kind of message on or off for the signed-in person (not security mail). */
  async setPreference(kind: NotificationKind, enabled: boolean): Promise<NotificationPreference[]> {
    this.requireSignedIn({ unverified: true });
    const accountId = this.actor.accountId!;
    if (NOTIFICATION_KINDS[kind].security) {
      throw refuse(NotificationReason.SECURITY_MAIL_REQUIRED, `${kind} is security mail: it cannot be turned off.`, { kind });
    }
    await this.em.transactional(async (tx) => {
      const changed = enabled
        ? await tx.execute<{ kind: string }[]>('delete from notification_opt_out where account_id = ? and kind = ? returning kind', [
            accountId,
            kind,
          ])
        : await tx.execute<{ kind: string }[]>(
            'insert into notification_opt_out (account_id, kind, created_at) values (?, ?, ?) on conflict do nothing returning kind',
            [accountId, kind, this.clock()],
          );
      if (changed.length > 0) {
        await this.audit.record(tx, this.actor, {
          action: 'notification.preference',
          entityType: 'Account',
          entityId: accountId,
          after: { kind, enabled },
        });
      }
    });
    return this.preferences();
  }

  /** The outbox, newest first (ADMIN). */
  outbox(filter: OutboxFilter, page: PageArgs, includeCount: boolean): Promise<ConnectionShape<Notification>> {
    this.authorize(Action.ReadOutbox, GLOBAL);
    const where: Record<string, unknown> = {};
    if (filter.status) where.status = filter.status;
    if (filter.kind) where.kind = filter.kind;
    if (filter.email) where.email = { $ilike: `%${filter.email.replace(/[\\%_]/g, (c) => `\\${c}`).toLowerCase()}%` };
    return paginate(this.em, Notification, where, { createdAt: 'desc', id: 'desc' }, page, [], includeCount);
  }

  /** Sends a given-up message again (ADMIN), e.g. once the mail server is repaired. */
  async retry(id: string): Promise<Notification> {
    return this.em.transactional(async (tx) => {
      const message = await tx.findOne(Notification, id, { lockMode: LockMode.PESSIMISTIC_WRITE });
      this.authorize(Action.ReadOutbox, GLOBAL);
      if (!message) throw new NotFoundError('Notification', id);
      if (message.status !== NotificationStatus.FAILED) {
        throw refuse(
          NotificationReason.NOTIFICATION_NOT_FAILED,
          `This message is ${message.status}: only a FAILED one can be sent again.`,
          {
            status: message.status,
          },
        );
      }
      message.status = NotificationStatus.PENDING;
      message.attempts = 0;
      message.nextAttemptAt = this.clock();
      await this.audit.record(tx, this.actor, {
        action: 'notification.retry',
        entityType: 'Notification',
        entityId: id,
        after: { kind: message.kind },
      });
      return message;
    });
  }
}
