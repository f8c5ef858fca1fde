import type { EntityManager } from '@mikro-orm/postgresql';
import { BadUserInputError, NotFoundError } from '../shared/errors.js';
import { Account } from './account.entity.js';
import { AuthReason, refuse } from './auth.reasons.js';
import { normaliseEmail } from './email-identity.js';

/**
 * An account named in an appointment or a grant: by its id, or by the email it signs in with
 * (what an administrator knows of a person). Exactly one of the two.
 */
export interface AccountChoice {
  accountId?: string | null;
  accountEmail?: string | null;
}

function given(value: string | null | undefined): boolean {
  return value != null && value.trim() !== '';
}

/**
 * Refuses an input that names no account or names it twice (INVALID_INPUT on both fields). It
 * reads nothing, so a service calls it before authorizing: it tells nobody anything.
 */
export function checkAccountChoice(input: AccountChoice, prefix = 'input'): void {
  const count = Number(given(input.accountId)) + Number(given(input.accountEmail));
  if (count === 1) return;
  const message = count ? 'give accountId or accountEmail, not both' : 'give accountId or accountEmail';
  throw BadUserInputError.of([
    { field: `${prefix}.accountId`, messages: [message] },
    { field: `${prefix}.accountEmail`, messages: [message] },
  ]);
}

/**
 * The account an input names, read in `em` (the caller's transaction). Call it only once the
 * caller is authorized: an unknown email is ACCOUNT_EMAIL_UNKNOWN, which would otherwise tell an
 * unauthorized caller who has an account. The email is compared as stored (normalised as at
 * registration: NFKC, trimmed, lower-cased); an unknown id is NOT_FOUND.
 */
export async function findChosenAccount(em: EntityManager, input: AccountChoice, prefix = 'input'): Promise<Account> {
  checkAccountChoice(input, prefix);
  if (given(input.accountId)) {
    const account = await em.findOne(Account, { id: input.accountId! });
    if (!account) throw new NotFoundError('Account', input.accountId!);
    return account;
  }
  const account = await em.findOne(Account, { email: normaliseEmail(input.accountEmail!) });
  if (!account) {
    throw refuse(AuthReason.ACCOUNT_EMAIL_UNKNOWN, 'No account signs in with this email: check it, or ask the person to register.', {
      field: `${prefix}.accountEmail`,
    });
  }
  return account;
}
