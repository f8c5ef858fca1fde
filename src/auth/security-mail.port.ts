import type { EntityManager } from '@mikro-orm/postgresql';

/** Who a security message goes to. */
export interface SecurityMailRecipient {
  accountId: string;
  email: string;
}

/** A single-use link: its id (the secret is derived at delivery, see LinkTokens) and its expiry. */
export interface SingleUseLink {
  tokenId: string;
  expiresAt: Date;
}

/**
 * The security mail auth sends, queued in the caller's transaction (so a rolled-back change sends
 * nothing). Implemented by the notification layer (src/notification/security-mail.ts) and bound by
 * the composition root: auth sits below notification and cannot import it.
 */
export interface SecurityMail {
  passwordReset(tx: EntityManager, now: Date, to: SecurityMailRecipient, link: SingleUseLink): Promise<void>;
  emailVerification(tx: EntityManager, now: Date, to: SecurityMailRecipient, link: SingleUseLink): Promise<void>;
  /** At most one a day per account: a flood of attempts is not a flood of mail. */
  registrationAttempt(tx: EntityManager, now: Date, to: SecurityMailRecipient): Promise<void>;
}
