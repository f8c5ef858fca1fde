import { LockMode } from '@mikro-orm/core';
import { UnauthenticatedError, type Refusal } from '../shared/errors.js';
import { Account } from './account.entity.js';
import { findLink, invalidLink, sendLink, unusable, type LinkDeps } from './account-links.js';
import { AccountToken, AccountTokenPurpose } from './account-token.entity.js';
import { AuthReason, refuse } from './auth.reasons.js';
import { DomainService, type ServiceScope } from './domain-service.js';
import { countVerificationResend } from './link-throttle.js';

/**
 * Proving an account's email: registration sends a link (48 hours, AuthService.registerAccount),
 * opening it verifies the email. Until then the account may sign in and look after itself, and
 * nothing more (DomainService.requireSignedIn).
 */
export class EmailVerificationService extends DomainService {
  constructor(
    scope: ServiceScope,
    private readonly deps: LinkDeps,
  ) {
    super(scope);
  }

  /**
   * Verifies the email of the link's account. Any caller: the link is the proof. Refused, with
   * nothing written, for a string that is no verification link, an account already verified
   * (whichever of its links, so opening the link a second time says so), a disabled account, a
   * link superseded by a newer one, or expired. Audited, the account acting.
   */
  async verifyEmail(secret: string): Promise<Account> {
    const found = await findLink(this.em, secret, AccountTokenPurpose.EMAIL_VERIFICATION);
    if (!found) throw invalidLink();
    const refusal = refusalOf(found, found.account, this.clock());
    if (refusal) throw refusal;
    return this.em.transactional(async (tx) => {
      const account = await tx.findOneOrFail(Account, found.account.id, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
      const token = await tx.findOneOrFail(AccountToken, found.id, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
      const now = this.clock();
      const late = refusalOf(token, account, now);
      if (late) throw late;
      account.emailVerifiedAt = now;
      token.usedAt = now;
      await tx.flush();
      await this.audit.record(
        tx,
        { ...this.actor, accountId: account.id },
        { action: 'account.email.verify', entityType: 'Account', entityId: account.id, after: { emailVerifiedAt: now.toISOString() } },
      );
      return account;
    });
  }

  /**
   * Sends the signed-in account a new verification link (the earlier ones stop working). Open to
   * unverified accounts — it is what they need — and refused once the email is verified
   * (EMAIL_ALREADY_VERIFIED). At most 3 an hour per account (VERIFICATION_EMAILS_LIMITED).
   */
  async resendVerificationEmail(): Promise<{ email: string; expiresAt: Date }> {
    this.requireSignedIn({ unverified: true });
    // A trusted caller (test set-up) acts as its actor.
    const accountId = this.viewer?.accountId ?? this.actor.accountId;
    if (!accountId) throw new UnauthenticatedError();
    const account = await this.em.findOneOrFail(Account, accountId);
    if (account.emailVerifiedAt) throw alreadyVerified(account.emailVerifiedAt);
    await countVerificationResend(this.em, this.clock().getTime(), account.id);
    return this.em.transactional(async (tx) => {
      const locked = await tx.findOneOrFail(Account, accountId, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
      if (locked.emailVerifiedAt) throw alreadyVerified(locked.emailVerifiedAt);
      const link = await sendLink(tx, this.deps, locked, AccountTokenPurpose.EMAIL_VERIFICATION, this.clock());
      return { email: locked.email, expiresAt: link.expiresAt };
    });
  }
}

function alreadyVerified(verifiedAt: Date): Refusal {
  return refuse(AuthReason.EMAIL_ALREADY_VERIFIED, 'This email is already verified: there is nothing more to do.', {
    verifiedAt: verifiedAt.toISOString(),
  });
}

/** A verified account says so whichever of its links is opened; otherwise the link's own state. */
function refusalOf(token: AccountToken, account: Account, now: Date): Refusal | null {
  if (account.disabled) return unusable(token, account, now);
  if (account.emailVerifiedAt) return alreadyVerified(account.emailVerifiedAt);
  return unusable(token, account, now);
}
