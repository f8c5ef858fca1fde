import { DomainService, type ServiceScope } from '../auth/domain-service.js';
import { LockMode } from '@mikro-orm/core';

import { auditSnapshot } from '../audit/audit.service.js';
import { Account } from '../auth/account.entity.js';
import { endMandateNow } from '../auth/mandate.js';
import { RoleAssignment } from '../auth/role-assignment.entity.js';
import { Role } from '../auth/role.js';
import { BadUserInputError, ConflictError, NotFoundError } from '../shared/errors.js';
import { ClusterStatus } from './cluster.entity.js';
import { College } from './college.entity.js';
import { RepresentativeMandate } from './representative-mandate.entity.js';

/** Representatives' mandates: the COLLEGE_REPRESENTATIVE right follows the mandate. */
export class RepresentativeService extends DomainService {
  constructor(scope: ServiceScope) {
    super(scope);
  }

  async getMandate(id: string): Promise<RepresentativeMandate> {
    const mandate = await this.em.findOne(RepresentativeMandate, { id }, { populate: ['college'] });
    if (!mandate) throw new NotFoundError('RepresentativeMandate', id);
    return mandate;
  }

  /** Records an elected representative's mandate and grants the right for exactly its period. */
  async appoint(input: { collegeId: string; accountId: string; startsAt?: Date; endsAt?: Date }): Promise<RepresentativeMandate> {
    const startsAt = input.startsAt ?? this.clock();
    if (input.endsAt && input.endsAt <= startsAt) throw BadUserInputError.field('input.endsAt', 'must be after startsAt');
    return this.em.transactional(async (tx) => {
      const college = await tx.findOne(College, { id: input.collegeId }, { populate: ['cluster'] });
      if (!college) throw new NotFoundError('College', input.collegeId);
      if (college.cluster.status !== ClusterStatus.ACTIVE) {
        throw new ConflictError(`Cluster ${college.cluster.slug} is ${college.cluster.status}: it elects no representatives.`);
      }
      const account = await tx.findOne(Account, { id: input.accountId });
      if (!account) throw new NotFoundError('Account', input.accountId);
      const overlapping = await tx.count(RepresentativeMandate, {
        college,
        representative: account,
        $or: [{ endsAt: null }, { endsAt: { $gt: startsAt } }],
        ...(input.endsAt ? { startsAt: { $lt: input.endsAt } } : {}),
      });
      if (overlapping)
        throw new ConflictError(`${account.displayName} already holds a mandate over ${college.name} for part of that period.`);
      const roleAssignment = tx.create(RoleAssignment, {
        account,
        role: Role.COLLEGE_REPRESENTATIVE,
        cluster: college.cluster,
        college,
        validFrom: startsAt,
        validTo: input.endsAt ?? null,
        grantedBy: this.actor.accountId ? tx.getReference(Account, this.actor.accountId) : null,
      });
      const mandate = tx.create(RepresentativeMandate, {
        college,
        representative: account,
        startsAt,
        endsAt: input.endsAt ?? null,
        roleAssignment,
      });
      await tx.flush();
      await this.audit.record(tx, this.actor, {
        action: 'representative.appoint',
        entityType: 'RepresentativeMandate',
        entityId: mandate.id,
        after: auditSnapshot(mandate),
      });
      return mandate;
    });
  }

  /** Ends a mandate now (before its term); the right ends with it. */
  async end(mandateId: string, reason?: string): Promise<RepresentativeMandate> {
    return this.em.transactional(async (tx) => {
      const mandate = await tx.findOne(RepresentativeMandate, { id: mandateId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!mandate) throw new NotFoundError('RepresentativeMandate', mandateId);
      const before = auditSnapshot(mandate);
      await endMandateNow(tx, mandate, this.clock(), reason);
      await this.audit.record(tx, this.actor, {
        action: 'representative.end',
        entityType: 'RepresentativeMandate',
        entityId: mandate.id,
        before,
        after: auditSnapshot(mandate),
      });
      return mandate;
    });
  }
}
