import { LockMode } from '@mikro-orm/core';
import { Account } from './account.entity.js';
import { findLink, invalidLink, sendLink, unusable } from './account-links.js';
import { AccountToken, AccountTokenPurpose } from './account-token.entity.js';
import { checkPassword, normaliseEmail, type AuthDeps } from './auth.service.js';
import { DomainService, type ServiceScope } from './domain-service.js';
import { clearThrottleKeys, countResetRequest } from './link-throttle.js';
import { Session } from './session.entity.js';

/**
 * requestPasswordReset answers no sooner than this after the account was looked up (real time, not
 * the service's clock), whether a link was written or not, so that the time of the answer does not
 * tell either (the writes take a few milliseconds; more under load, when this floor still hides
 * the usual spread).
 */
const RESET_ANSWER_FLOOR_MS = 50;

/**
 * A forgotten password: a single-use link sent to the account's email (1 hour), then a new
 * password chosen through it. Anyone may ask, and the answer never says whether an account has
 * the email.
 */
export class AccountRecoveryService extends DomainService {
  constructor(
    scope: ServiceScope,
    private readonly deps: AuthDeps,
  ) {
    super(scope);
  }

  /**
   * Sends a reset link to `email` if an enabled account signs in with it; otherwise sends nothing.
   * The caller is told neither: the answer, the throttle and the statements before the writes are
   * the same either way (counted on the email as typed, then the account looked up and locked in a
   * transaction); only a known account's transaction then writes its link, its mail and an audit
   * entry, and the answer waits for a floor both reach (RESET_ANSWER_FLOOR_MS; the mail itself goes
   * out later, from the outbox). A new link makes the earlier ones unusable. Throttled per email and
   * per client address.
   */
  async requestPasswordReset(input: { email: string }, client: { address: string }): Promise<void> {
    const email = normaliseEmail(input.email);
    await countResetRequest(this.em, this.clock().getTime(), email, client.address);
    const started = performance.now();
    await this.em.transactional(async (tx) => {
      const account = await tx.findOne(Account, { email }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
      // A disabled account gets nothing: its links would not work anyway.
      if (!account || account.disabled) return;
      const now = this.clock();
      const link = await sendLink(tx, this.deps, account, AccountTokenPurpose.PASSWORD_RESET, now);
      await this.audit.record(tx, this.actor, {
        action: 'account.password.reset.request',
        entityType: 'Account',
        entityId: account.id,
        after: { linkExpiresAt: link.expiresAt.toISOString() },
      });
    });
    // The writes of a known account take a few milliseconds more: both answers leave together.
    const left = RESET_ANSWER_FLOOR_MS - (performance.now() - started);
    if (left > 0) await new Promise((resolve) => setTimeout(resolve, left));
  }

  /**
   * Sets a new password through a reset link: the link must be the newest of its account, unused,
   * unexpired, and its account enabled (checked again under lock); otherwise nothing is written.
   * Then the password is replaced, the link used, every session of the account signed out, the
   * email counted as verified (the link proved the mailbox), and the login throttle's failures for
   * this email (from everywhere, and from this address) cleared. Audited without the password or
   * the link.
   */
  async resetPassword(
    input: { token: string; newPassword: string },
    client: { address: string },
  ): Promise<{ account: Account; sessionsRevoked: number }> {
    checkPassword(input.newPassword, 'input.newPassword');
    const found = await findLink(this.em, input.token, AccountTokenPurpose.PASSWORD_RESET);
    if (!found) throw invalidLink();
    const refusal = unusable(found, found.account, this.clock());
    if (refusal) throw refusal;
    const passwordHash = await this.deps.hasher.hash(input.newPassword);
    const result = await this.em.transactional(async (tx) => {
      // The account first, as requestPasswordReset locks it before superseding its links.
      const account = await tx.findOneOrFail(Account, found.account.id, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
      const token = await tx.findOneOrFail(AccountToken, found.id, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
      const now = this.clock();
      const late = unusable(token, account, now);
      if (late) throw late;
      account.passwordHash = passwordHash;
      const verifiedNow = !account.emailVerifiedAt;
      account.emailVerifiedAt ??= now;
      token.usedAt = now;
      const sessionsRevoked = await tx.nativeUpdate(
        Session,
        { account: account.id, revokedAt: null, expiresAt: { $gt: now } },
        { revokedAt: now, updatedAt: now },
      );
      await tx.flush();
      await this.audit.record(
        tx,
        { ...this.actor, accountId: account.id },
        {
          action: 'account.password.reset',
          entityType: 'Account',
          entityId: account.id,
          after: { sessionsRevoked, ...(verifiedNow ? { emailVerifiedAt: now.toISOString() } : {}) },
        },
      );
      return { account, sessionsRevoked };
    });
    const cleared = this.deps.throttle.keysOf(result.account.email, client.address).filter((key) => key.clearedBySuccess);
    await clearThrottleKeys(
      this.em,
      cleared.map((key) => key.key),
    );
    return result;
  }
}
