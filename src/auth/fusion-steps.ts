import type { EntityManager } from '@mikro-orm/postgresql';

/**
 * Auth's step of a fusion: the rights that followed the mandates the fusion ended end with them.
 * Called by the fusion orchestrator (src/fusion/fusion.service.ts) inside its transaction, once
 * it has authorized the execution.
 */

/** Ends the role assignments `ids` at `endsAt` (or 1 ms after they started, for one starting later): one statement. */
export async function endRoleAssignments(tx: EntityManager, ids: readonly string[], endsAt: Date, now: Date): Promise<void> {
  if (!ids.length) return;
  await tx.execute(
    `update role_assignment set valid_to = greatest(valid_from + interval '1 millisecond', ?::timestamptz), updated_at = ? where id = any(?::uuid[])`,
    [endsAt, now, `{${ids.join(',')}}`],
  );
}
