import type { EntityManager } from '@mikro-orm/postgresql';
import { AuthReason, refuse } from './auth.reasons.js';
import type { MandateEntity } from './mandate.entity.js';
import { RoleAssignment } from './role-assignment.entity.js';

/**
 * Ends a mandate now — or, when it has not started, the moment it would have — and its right with
 * it. The caller holds the mandate's row lock and records the audit entry.
 */
export async function endMandateNow(tx: EntityManager, mandate: MandateEntity, now: Date, reason: string | undefined): Promise<void> {
  if (mandate.endsAt && mandate.endsAt <= now) throw refuse(AuthReason.MANDATE_ALREADY_ENDED, 'This mandate has already ended.');
  const endsAt = mandate.startsAt > now ? new Date(mandate.startsAt.getTime() + 1) : now;
  mandate.endsAt = endsAt;
  mandate.endedEarlyReason = reason?.trim() || null;
  const role = await tx.findOneOrFail(RoleAssignment, mandate.roleAssignment.id);
  role.validTo = endsAt;
  await tx.flush();
}
