import { ErrorCode, refusalsOf, type ReasonTable } from '../shared/errors.js';

/** Why the notification layer refuses (`extensions.reason`). */
export enum NotificationReason {
  SECURITY_MAIL_REQUIRED = 'SECURITY_MAIL_REQUIRED',
  NOTIFICATION_NOT_FAILED = 'NOTIFICATION_NOT_FAILED',
}

export const NOTIFICATION_REASONS: ReasonTable<NotificationReason> = {
  [NotificationReason.SECURITY_MAIL_REQUIRED]: {
    code: ErrorCode.BAD_USER_INPUT,
    description:
      'Security mail (password reset, email verification, an attempt to register with your email) cannot be turned off: it is how you keep control of your account. Nothing was changed.',
  },
  [NotificationReason.NOTIFICATION_NOT_FAILED]: {
    code: ErrorCode.CONFLICT,
    description: 'Only a message given up (FAILED) can be sent again; this one is still pending or was delivered. Nothing was changed.',
  },
};

export const refuse = refusalsOf(NOTIFICATION_REASONS);
