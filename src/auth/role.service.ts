import { DomainService, type ServiceScope } from './domain-service.js';

import { auditSnapshot } from '../audit/audit.service.js';
import { BadUserInputError, ConflictError, NotFoundError } from '../shared/errors.js';
import { Account } from './account.entity.js';
import { GLOBAL, clusterScope, collegeScope, type Scope } from './permissions.js';
import type { GrantRoleInput } from './role.inputs.js';
import { RoleAssignment } from './role-assignment.entity.js';
import { Role, ROLE_SCOPE } from './role.js';
import type { ScopeDirectory } from './scope-directory.js';

/** The scopes a role can be held over (never an organisation). */
export type RoleScope = Exclude<Scope, { kind: 'ORGANISATION' } | { kind: 'ANY_CLUSTER' } | { kind: 'WITHIN_CLUSTER' }>;

/** Grants and ends role assignments; never deletes one. */
export class RoleService extends DomainService {
  constructor(
    scope: ServiceScope,
    private readonly scopes: ScopeDirectory,
  ) {
    super(scope);
  }

  /**
   * The scope a grant applies to, checked against the role's kind of scope. The caller must be
   * allowed to grant on that scope (a cluster admin grants within their cluster only).
   */
  async scopeOfGrant(input: GrantRoleInput): Promise<RoleScope> {
    if (input.role === Role.COLLEGE_REPRESENTATIVE) {
      // The right must follow an elected mandate, never stand alone.
      throw BadUserInputError.field(
        'input.role',
        'representatives are appointed with appointRepresentative: the right follows the mandate',
      );
    }
    const kind = ROLE_SCOPE[input.role];
    const wrong = (message: string) => BadUserInputError.field(kind === 'COLLEGE' ? 'input.collegeId' : 'input.clusterId', message);
    if (kind === 'GLOBAL') {
      if (input.clusterId || input.collegeId) throw wrong(`${input.role} takes no scope`);
      return GLOBAL;
    }
    if (input.collegeId) {
      if (kind === 'CLUSTER') throw wrong(`${input.role} is held over a cluster, not a collège`);
      const college = await this.scopes.college(this.em, input.collegeId);
      if (!college) throw new NotFoundError('College', input.collegeId);
      if (input.clusterId && input.clusterId !== college.clusterId) {
        throw BadUserInputError.field('input.clusterId', 'the collège belongs to another cluster');
      }
      return collegeScope(college.clusterId, college.id, college.name);
    }
    if (kind === 'COLLEGE') throw wrong(`${input.role} is held over a collège: give collegeId`);
    if (!input.clusterId) throw wrong(`${input.role} needs a clusterId`);
    return clusterScope(input.clusterId);
  }

  async grant(input: GrantRoleInput, scope: RoleScope): Promise<RoleAssignment> {
    const validFrom = input.validFrom ?? this.clock();
    if (input.validTo && input.validTo <= validFrom) {
      throw BadUserInputError.field('input.validTo', 'must be after validFrom');
    }
    return this.em.transactional(async (tx) => {
      const account = await tx.findOne(Account, { id: input.accountId });
      if (!account) throw new NotFoundError('Account', input.accountId);
      const cluster = scope.kind === 'GLOBAL' ? null : await this.scopes.cluster(tx, scope.clusterId);
      if (scope.kind !== 'GLOBAL' && !cluster) throw new NotFoundError('Cluster', input.clusterId ?? '');
      if (cluster && cluster.status !== 'ACTIVE') {
        throw new ConflictError(`Cluster ${cluster.slug} is ${cluster.status}: no new roles can be granted in it.`);
      }
      const college = scope.kind === 'COLLEGE' ? scope.collegeId : null;
      const overlapping = await tx.count(RoleAssignment, {
        account,
        role: input.role,
        cluster: cluster?.id ?? null,
        college,
        $or: [{ validTo: null }, { validTo: { $gt: validFrom } }],
        ...(input.validTo ? { validFrom: { $lt: input.validTo } } : {}),
      });
      if (overlapping) throw new ConflictError('The account already holds this role on this scope for part of that period.');
      const assignment = tx.create(RoleAssignment, {
        account,
        role: input.role,
        cluster: cluster?.id ?? null,
        college,
        validFrom,
        validTo: input.validTo ?? null,
        grantedBy: this.actor.accountId ? tx.getReference(Account, this.actor.accountId) : null,
      });
      await tx.flush();
      await this.audit.record(tx, this.actor, {
        action: 'role.grant',
        entityType: 'RoleAssignment',
        entityId: assignment.id,
        after: auditSnapshot(assignment),
      });
      return assignment;
    });
  }

  async getAssignment(id: string): Promise<RoleAssignment> {
    const assignment = await this.em.findOne(RoleAssignment, { id }, { populate: ['cluster', 'college'] });
    if (!assignment) throw new NotFoundError('RoleAssignment', id);
    return assignment;
  }

  /** The scope an existing assignment covers, for authorizing its revocation. */
  scopeOfAssignment(assignment: RoleAssignment): RoleScope {
    if (assignment.college && assignment.cluster) return collegeScope(assignment.cluster.id, assignment.college.id);
    if (assignment.cluster) return clusterScope(assignment.cluster.id);
    return GLOBAL;
  }

  async revoke(id: string): Promise<RoleAssignment> {
    return this.em.transactional(async (tx) => {
      const assignment = await tx.findOne(RoleAssignment, { id });
      if (!assignment) throw new NotFoundError('RoleAssignment', id);
      const now = this.clock();
      if (assignment.role === Role.COLLEGE_REPRESENTATIVE) {
        throw new ConflictError("This right follows a representative's mandate: end it with endRepresentativeMandate.");
      }
      if (assignment.validTo && assignment.validTo <= now) {
        throw new ConflictError('This role assignment has already ended.');
      }
      const before = auditSnapshot(assignment);
      // An assignment that has not started yet ends the moment it would have started.
      assignment.validTo = assignment.validFrom > now ? new Date(assignment.validFrom.getTime() + 1) : now;
      await tx.flush();
      await this.audit.record(tx, this.actor, {
        action: 'role.revoke',
        entityType: 'RoleAssignment',
        entityId: assignment.id,
        before,
        after: auditSnapshot(assignment),
      });
      return assignment;
    });
  }
}
