import { LockMode } from '@mikro-orm/core';
import { auditSnapshot } from '../audit/audit.service.js';
import { checkAccountChoice, findChosenAccount, type AccountChoice } from '../auth/account-lookup.js';
import { DomainService, type ServiceScope } from '../auth/domain-service.js';
import { endMandateNow } from '../auth/mandate.js';
import { Action, collegeScope } from '../auth/permissions.js';
import { RoleAssignment } from '../auth/role-assignment.entity.js';
import { Role } from '../auth/role.js';
import { BadUserInputError, NotFoundError } from '../shared/errors.js';
import { ClusterStatus } from './cluster.entity.js';
import { clusterNotActive } from './cluster.service.js';
import { College } from './college.entity.js';
import { MembershipReason, refuse } from './membership.reasons.js';
import { RepresentativeMandate } from './representative-mandate.entity.js';

/** Representatives' mandates: the COLLEGE_REPRESENTATIVE right follows the mandate. */
export class RepresentativeService extends DomainService {
  constructor(scope: ServiceScope) {
    super(scope);
  }

  /** Appointing and ending mandates is for the administrators of the collège's cluster, and ADMIN. */
  private authorizeAppointment(college: College): void {
    this.authorize(Action.AppointRepresentative, collegeScope(college.cluster.id, college.id, college.name));
  }

  /**
   * Records an elected representative's mandate and grants the right for exactly its period. The
   * representative is named by account id or sign-in email, looked up once the caller is authorized.
   */
  async appoint(input: AccountChoice & { collegeId: string; startsAt?: Date; endsAt?: Date }): Promise<RepresentativeMandate> {
    // Signed-in first: looking the collège up must not tell an anonymous caller whether it exists.
    this.requireSignedIn();
    checkAccountChoice(input);
    return this.em.transactional(async (tx) => {
      const college = await tx.findOne(College, { id: input.collegeId }, { populate: ['cluster'] });
      if (!college) throw new NotFoundError('College', input.collegeId);
      this.authorizeAppointment(college);
      const startsAt = input.startsAt ?? this.clock();
      if (input.endsAt && input.endsAt <= startsAt) throw BadUserInputError.field('input.endsAt', 'must be after startsAt');
      if (college.cluster.status !== ClusterStatus.ACTIVE) throw clusterNotActive(college.cluster, ': it elects no representatives.');
      const account = await findChosenAccount(tx, input);
      const overlapping = await tx.count(RepresentativeMandate, {
        college,
        representative: account,
        $or: [{ endsAt: null }, { endsAt: { $gt: startsAt } }],
        ...(input.endsAt ? { startsAt: { $lt: input.endsAt } } : {}),
      });
      if (overlapping) {
        throw refuse(
          MembershipReason.REPRESENTATIVE_MANDATE_OVERLAP,
          `${account.displayName} already holds a mandate over ${college.name} for part of that period.`,
        );
      }
      const roleAssignment = tx.create(RoleAssignment, {
        account,
        role: Role.COLLEGE_REPRESENTATIVE,
        cluster: college.cluster,
        college,
        validFrom: startsAt,
        validTo: input.endsAt ?? null,
        grantedBy: this.actorAccount(tx),
      });
      const mandate = tx.create(RepresentativeMandate, {
        college,
        representative: account,
        startsAt,
        endsAt: input.endsAt ?? null,
        roleAssignment,
      });
      await tx.flush();
      await this.recordChange(tx, 'representative.appoint', mandate);
      return mandate;
    });
  }

  /** Ends a mandate now (before its term); the right ends with it. */
  async end(mandateId: string, reason?: string): Promise<RepresentativeMandate> {
    this.requireSignedIn();
    return this.em.transactional(async (tx) => {
      const mandate = await tx.findOne(RepresentativeMandate, { id: mandateId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!mandate) throw new NotFoundError('RepresentativeMandate', mandateId);
      this.authorizeAppointment(await tx.findOneOrFail(College, mandate.college.id));
      const before = auditSnapshot(mandate);
      await endMandateNow(tx, mandate, this.clock(), reason);
      await this.recordChange(tx, 'representative.end', mandate, before);
      return mandate;
    });
  }
}
