import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Refusal } from '../shared/errors.js';
import type { Account } from './account.entity.js';
import { AccountToken, AccountTokenPurpose } from './account-token.entity.js';
import { AuthReason, refuse } from './auth.reasons.js';
import { LinkTokens } from './link-tokens.js';
import type { SecurityMail, SingleUseLink } from './security-mail.port.js';

/** A reset link works for an hour (issue 13). */
export const PASSWORD_RESET_TTL_MS = 60 * 60_000;
/** A verification link for two days: long enough for a mail read the next day, short enough not to linger. */
export const EMAIL_VERIFICATION_TTL_MS = 48 * 60 * 60_000;

const TTL_MS: Record<AccountTokenPurpose, number> = {
  [AccountTokenPurpose.PASSWORD_RESET]: PASSWORD_RESET_TTL_MS,
  [AccountTokenPurpose.EMAIL_VERIFICATION]: EMAIL_VERIFICATION_TTL_MS,
};

/** What sending a link needs. */
export interface LinkDeps {
  mail: SecurityMail;
  linkTokens: LinkTokens;
}

/**
 * Stores a new link of `purpose` for `account` and queues its mail, in the caller's transaction
 * `tx` (the caller holds the account's row lock): the account's earlier live link of that purpose
 * is superseded first, so only the newest works. Only the hash of the link's secret is stored; the
 * outbox row carries the link's id, and the delivery worker derives the secret from it.
 */
export async function sendLink(
  tx: EntityManager,
  deps: LinkDeps,
  account: Account,
  purpose: AccountTokenPurpose,
  now: Date,
): Promise<SingleUseLink> {
  await tx.nativeUpdate(
    AccountToken,
    { account: account.id, purpose, usedAt: null, supersededAt: null },
    { supersededAt: now, updatedAt: now },
  );
  const id = randomUUID();
  const expiresAt = new Date(now.getTime() + TTL_MS[purpose]);
  tx.create(AccountToken, {
    id,
    account,
    purpose,
    tokenHash: LinkTokens.hashOf(deps.linkTokens.secretOf(id)),
    expiresAt,
    createdAt: now,
    updatedAt: now,
  });
  await tx.flush();
  const link = { tokenId: id, expiresAt };
  const to = { accountId: account.id, email: account.email };
  if (purpose === AccountTokenPurpose.PASSWORD_RESET) await deps.mail.passwordReset(tx, now, to, link);
  else await deps.mail.emailVerification(tx, now, to, link);
  return link;
}

/** The link of `purpose` whose secret is `secret`, with its account; null for any other string. */
export function findLink(em: EntityManager, secret: string, purpose: AccountTokenPurpose): Promise<AccountToken | null> {
  return em.findOne(AccountToken, { tokenHash: LinkTokens.hashOf(secret), purpose }, { populate: ['account'] });
}

/** LINK_INVALID, for a secret that is no link of this kind. */
export function invalidLink(): Refusal {
  return refuse(AuthReason.LINK_INVALID, 'This link is not valid: ask for a new one.', { field: 'input.token' });
}

/**
 * Why the link cannot be used now, or null when it can: used, superseded by a newer link, expired,
 * or its account disabled (checked at use: disabling an account stops its links at once).
 */
export function unusable(token: AccountToken, account: Account, now: Date): Refusal | null {
  if (account.disabled) return refuse(AuthReason.LINK_ACCOUNT_DISABLED, 'This account is disabled: its links no longer work.');
  if (token.usedAt) {
    return refuse(AuthReason.LINK_USED, 'This link was already used; a link works once.', { usedAt: token.usedAt.toISOString() });
  }
  if (token.supersededAt) {
    return refuse(AuthReason.LINK_SUPERSEDED, 'A newer link was sent since: open the latest mail.', {
      supersededAt: token.supersededAt.toISOString(),
    });
  }
  if (token.expiresAt <= now) {
    return refuse(AuthReason.LINK_EXPIRED, 'This link has expired: ask for a new one.', { expiredAt: token.expiresAt.toISOString() });
  }
  return null;
}
