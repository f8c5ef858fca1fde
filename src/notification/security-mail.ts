import type { SecurityMail } from '../auth/security-mail.port.js';
import { NotificationKind } from './notification-kind.js';
import { enqueue } from './outbox.js';
import { parisDayAndHour } from './scheduler.js';

/** Auth's security mail, through the outbox (bound by the composition root). */
export const securityMail: SecurityMail = {
  async passwordReset(tx, now, to, link) {
    await enqueue(tx, now, {
      kind: NotificationKind.PASSWORD_RESET,
      accountId: to.accountId,
      email: to.email,
      payload: { tokenId: link.tokenId, expiresAt: link.expiresAt.toISOString() },
    });
  },
  async emailVerification(tx, now, to, link) {
    await enqueue(tx, now, {
      kind: NotificationKind.EMAIL_VERIFICATION,
      accountId: to.accountId,
      email: to.email,
      payload: { tokenId: link.tokenId, expiresAt: link.expiresAt.toISOString() },
    });
  },
  async registrationAttempt(tx, now, to) {
    await enqueue(tx, now, {
      kind: NotificationKind.REGISTRATION_ATTEMPT,
      accountId: to.accountId,
      email: to.email,
      eventKey: parisDayAndHour(now).day,
      payload: { attemptedAt: now.toISOString() },
    });
  },
};
