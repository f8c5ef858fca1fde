import type { EntityManager } from '@mikro-orm/postgresql';
import { ConflictError } from '../shared/errors.js';
import { RoleAssignment } from './role-assignment.entity.js';

/** A mandate whose right is a role assignment valid exactly as long as it (representatives, board seats). */
export interface Mandate {
  startsAt: Date;
  endsAt?: Date | null;
  endedEarlyReason?: string | null;
  roleAssignment: { id: string };
}

/**
 * Ends a mandate now — or, when it has not started, the moment it would have — and its right with
 * it. The caller holds the mandate's row lock and records the audit entry.
 */
export async function endMandateNow(tx: EntityManager, mandate: Mandate, now: Date, reason: string | undefined): Promise<void> {
  if (mandate.endsAt && mandate.endsAt <= now) throw new ConflictError('This mandate has already ended.');
  const endsAt = mandate.startsAt > now ? new Date(mandate.startsAt.getTime() + 1) : now;
  mandate.endsAt = endsAt;
  mandate.endedEarlyReason = reason?.trim() || null;
  const role = await tx.findOneOrFail(RoleAssignment, mandate.roleAssignment.id);
  role.validTo = endsAt;
  await tx.flush();
}
