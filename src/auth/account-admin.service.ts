import type { FilterQuery } from '@mikro-orm/core';
import { LockMode } from '@mikro-orm/core';
import { auditSnapshot } from '../audit/audit.service.js';
import { BadUserInputError, NotFoundError } from '../shared/errors.js';
import { loadChildren } from '../shared/loaders.js';
import { paginate, type ConnectionShape, type PageArgs } from '../shared/pagination.js';
import { AccountDisablement } from './account-disablement.entity.js';
import { Account } from './account.entity.js';
import { AuthReason, refuse } from './auth.reasons.js';
import { DomainService, type ServiceScope } from './domain-service.js';
import { normaliseEmail } from './email-identity.js';
import { lockAdminAccounts, refuseLastAdmin } from './last-admin.js';
import { Action, GLOBAL } from './permissions.js';
import { Session } from './session.entity.js';

/** The longest search text: an email's length. */
const SEARCH_MAX_LENGTH = 320;

/** `text` as a LIKE pattern matching it anywhere, its wildcards taken literally. */
function containing(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export interface DisableResult {
  account: Account;
  disablement: AccountDisablement;
}

export interface EnableResult {
  account: Account;
  /** The period it closed; null for an account disabled before periods were recorded. */
  disablement: AccountDisablement | null;
}

/**
 * Platform administration of accounts (issue 13, item 4): finding them, disabling and enabling
 * them. ADMIN only (Action.ManageAccounts). Disabling signs out every open session of the
 * account in the same transaction, and never leaves the platform without an enabled ADMIN.
 */
export class AccountAdminService extends DomainService {
  constructor(scope: ServiceScope) {
    super(scope);
  }

  /**
   * Accounts whose email or display name contains `search` (any case; every account without
   * one), ordered by email. The email part is compared in its stored form (NFKC, lower-cased).
   */
  accounts(search: string | null | undefined, page: PageArgs, includeCount: boolean): Promise<ConnectionShape<Account>> {
    this.authorize(Action.ManageAccounts, GLOBAL);
    const text = search?.trim() ?? '';
    if (text.length > SEARCH_MAX_LENGTH) throw BadUserInputError.field('search', `must be at most ${SEARCH_MAX_LENGTH} characters`);
    const where: FilterQuery<Account> = text
      ? { $or: [{ email: { $ilike: containing(normaliseEmail(text)) } }, { displayName: { $ilike: containing(text) } }] }
      : {};
    return paginate(this.em, Account, where, { email: 'asc' }, page, [], includeCount);
  }

  /**
   * Disables an account: it can no longer sign in, and every open session of it is signed out
   * in the same transaction (the next request with one of its tokens is refused). The rows that
   * decide whether an enabled ADMIN remains are locked first (see last-admin.ts).
   */
  async disable(accountId: string, reason: string): Promise<DisableResult> {
    this.authorize(Action.ManageAccounts, GLOBAL);
    const why = reason.trim();
    if (!why) throw BadUserInputError.field('input.reason', 'must not be blank');
    return this.em.transactional(async (tx) => {
      const now = this.clock();
      if (!(await lockAdminAccounts(tx, now, accountId))) throw new NotFoundError('Account', accountId);
      const account = await tx.findOneOrFail(Account, accountId, { refresh: true });
      if (account.disabled) {
        const open = await tx.findOne(AccountDisablement, { account, enabledAt: null });
        throw refuse(AuthReason.ACCOUNT_ALREADY_DISABLED, `${account.displayName}'s account is already disabled.`, {
          disabledAt: open?.disabledAt.toISOString() ?? null,
        });
      }
      await refuseLastAdmin(tx, now, { accountId });
      const before = auditSnapshot(account);
      const sessionsRevoked = await tx.nativeUpdate(
        Session,
        { account: accountId, revokedAt: null, expiresAt: { $gt: now } },
        { revokedAt: now },
      );
      account.disabled = true;
      const disablement = tx.create(AccountDisablement, {
        account,
        disabledAt: now,
        reason: why,
        disabledBy: this.actorAccount(tx),
        sessionsRevoked,
      });
      await tx.flush();
      await this.recordChange(tx, 'account.disable', account, before, { reason: why, sessionsRevoked, disablement: disablement.id });
      return { account, disablement };
    });
  }

  /** Enables a disabled account: it signs in again (its old sessions stay signed out). */
  async enable(accountId: string): Promise<EnableResult> {
    this.authorize(Action.ManageAccounts, GLOBAL);
    return this.em.transactional(async (tx) => {
      const account = await tx.findOne(Account, { id: accountId }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
      if (!account) throw new NotFoundError('Account', accountId);
      if (!account.disabled) throw refuse(AuthReason.ACCOUNT_NOT_DISABLED, `${account.displayName}'s account is not disabled.`);
      const before = auditSnapshot(account);
      const now = this.clock();
      const disablement = await tx.findOne(AccountDisablement, { account, enabledAt: null });
      if (disablement) {
        disablement.enabledAt = now;
        disablement.enabledBy = this.actorAccount(tx);
      }
      account.disabled = false;
      await tx.flush();
      await this.recordChange(tx, 'account.enable', account, before, { disablement: disablement?.id ?? null });
      return { account, disablement };
    });
  }

  /**
   * The periods an account was disabled, newest first: the account itself and ADMIN; null for
   * anyone else. Batched across the accounts of one request (one statement for a page).
   */
  disablementsOf(account: Account): Promise<AccountDisablement[]> | null {
    if (!this.readsAccount(account.id)) return null;
    return loadChildren(this.em, AccountDisablement, 'account', account.id, { disabledAt: 'desc', id: 'asc' });
  }

  /** Whether the caller reads this account's administration: itself, or ADMIN. */
  private readsAccount(accountId: string): boolean {
    return this.viewer?.accountId === accountId || this.may(Action.ManageAccounts, GLOBAL);
  }
}
