import type { Role } from '../auth/role.js';

/**
 * Who is told, as SQL to put inside the one statement that queues a message (`enqueueMany`): so
 * that 10 or 5 000 recipients cost the same statement. Each expects a CTE `params` with `now`
 * (timestamptz) in scope.
 */

/**
 * The accounts holding `role` at `params.now` — a right in force, as authentication reads it
 * (a representative's right follows their mandate) — disabled accounts left out. Columns:
 * `account_id`, `email`, `cluster_id`, `college_id`. (`role` is an enum value, never user input.)
 */
export function currentHoldersOf(role: Role): string {
  return `select r.account_id, a.email, r.cluster_id, r.college_id
            from role_assignment r join account a on a.id = r.account_id cross join params
           where r.role = '${role}' and r.valid_from <= params.now and (r.valid_to is null or r.valid_to > params.now)
             and not a.disabled`;
}

/**
 * The people acting for each organisation who can be written to: their contact email, else
 * their account's; with the account when they have one, so that its preferences apply. People
 * whose account is disabled are left out. Columns: `organisation_id`, `account_id`, `email`.
 */
export const ORGANISATION_CONTACTS = `
  select p.organisation_id, p.account_id, coalesce(nullif(trim(p.email), ''), a.email) as email
    from person p left join account a on a.id = p.account_id
   where a.id is null or not a.disabled`;
