import type { EntityManager } from '@mikro-orm/postgresql';
import { AuthReason, refuse } from './auth.reasons.js';

/**
 * The platform must keep at least one enabled account holding ADMIN in force: disabling an
 * account and revoking an ADMIN role both go through here, in their transaction.
 *
 * `lockAdminAccounts` locks the rows that decide it — the account concerned and every account
 * holding ADMIN now — in id order (so two of these transactions never deadlock), and
 * `refuseLastAdmin` then counts, in a new statement (a new snapshot under READ COMMITTED), what
 * the change would leave. Two administrators disabling each other at once: the second waits for
 * the first's locks, then counts without the first's victim, and is refused.
 */

const CURRENT_ADMIN = `r.role = 'ADMIN' and r.valid_from <= ? and (r.valid_to is null or r.valid_to > ?)`;

/** Locks `accountId`'s row and those of every account holding ADMIN at `now`; whether `accountId` exists. */
export async function lockAdminAccounts(tx: EntityManager, now: Date, accountId: string): Promise<boolean> {
  const rows = await tx.execute<{ id: string }[]>(
    `select a.id from account a
      where a.id = ? or a.id in (select r.account_id from role_assignment r where ${CURRENT_ADMIN})
      order by a.id for update of a`,
    [accountId, now, now],
  );
  return rows.some((row) => row.id === accountId);
}

/**
 * Refuses (LAST_ADMIN) a change after which no enabled account would hold ADMIN at `now`: the
 * account `without.accountId` disabled, or the assignment `without.assignmentId` ended. Call it
 * after `lockAdminAccounts`. A platform that has no enabled ADMIN already is not refused a change
 * that removes none.
 */
export async function refuseLastAdmin(
  tx: EntityManager,
  now: Date,
  without: { accountId: string } | { assignmentId: string },
): Promise<void> {
  const [row] = await tx.execute<{ before: number; after: number }[]>(
    `select count(distinct a.id)::int as before,
            count(distinct a.id) filter (where ${'accountId' in without ? 'a.id <> ?' : 'r.id <> ?'})::int as after
       from account a join role_assignment r on r.account_id = a.id
      where not a.disabled and ${CURRENT_ADMIN}`,
    ['accountId' in without ? without.accountId : without.assignmentId, now, now],
  );
  if (row.before > 0 && row.after === 0) {
    throw refuse(
      AuthReason.LAST_ADMIN,
      'This would leave no enabled account holding the ADMIN role: grant ADMIN to another account first. Nothing was changed.',
    );
  }
}
