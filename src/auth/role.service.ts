import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { DomainService, type ServiceScope } from './domain-service.js';
import { auditSnapshot } from '../audit/audit.service.js';
import { BadUserInputError, NotFoundError } from '../shared/errors.js';
import { checkAccountChoice, findChosenAccount } from './account-lookup.js';
import { AuthReason, refuse } from './auth.reasons.js';
import { lockAdminAccounts, refuseLastAdmin } from './last-admin.js';
import { Action, GLOBAL, clusterScope, collegeScope, type Scope } from './permissions.js';
import type { GrantRoleInput } from './role.inputs.js';
import { RoleAssignment } from './role-assignment.entity.js';
import { Role, ROLE_SCOPE } from './role.js';
import type { ScopeCluster, ScopeDirectory } from './scope-directory.js';

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
   * The scope a grant applies to, checked against the role's kind of scope (a collège's is
   * labelled with its name). Authorizing the grant on it is `grant`'s business.
   */
  async scopeOfGrant(input: GrantRoleInput, em: EntityManager = this.em): Promise<RoleScope> {
    if (input.role === Role.COLLEGE_REPRESENTATIVE) {
      // The right must follow an elected mandate, never stand alone.
      throw BadUserInputError.field(
        'input.role',
        'representatives are appointed with appointRepresentative: the right follows the mandate',
        AuthReason.ROLE_NEEDS_MANDATE,
      );
    }
    const kind = ROLE_SCOPE[input.role];
    const wrong = (message: string, field = kind === 'COLLEGE' ? 'input.collegeId' : 'input.clusterId') =>
      BadUserInputError.field(field, message, AuthReason.ROLE_SCOPE_MISMATCH);
    if (kind === 'GLOBAL') {
      if (input.clusterId || input.collegeId) throw wrong(`${input.role} takes no scope`);
      return GLOBAL;
    }
    if (input.collegeId) {
      if (kind === 'CLUSTER') throw wrong(`${input.role} is held over a cluster, not a collège`);
      const college = await this.scopes.college(em, input.collegeId);
      if (!college) throw new NotFoundError('College', input.collegeId);
      if (input.clusterId && input.clusterId !== college.clusterId)
        throw wrong('the collège belongs to another cluster', 'input.clusterId');
      return collegeScope(college.clusterId, college.id, college.name);
    }
    if (kind === 'COLLEGE') throw wrong(`${input.role} is held over a collège: give collegeId`);
    if (!input.clusterId) throw wrong(`${input.role} needs a clusterId`);
    return clusterScope(input.clusterId);
  }

  /**
   * Gives an account a role, once the caller is allowed to grant on its scope (a cluster admin
   * grants within their cluster only, never ADMIN). The account is named by its id or its
   * sign-in email, looked up only once the caller is authorized (an unknown email tells only
   * them). `scope` is what `scopeOfGrant` answered, when the caller already has it.
   */
  async grant(input: GrantRoleInput, scope?: RoleScope): Promise<RoleAssignment> {
    // Signed-in first: looking the target up must not tell an anonymous caller whether it exists.
    this.requireSignedIn();
    checkAccountChoice(input);
    // The MEMBER right follows an ACTIVE membership (AuthService.authenticate): nobody grants it by
    // hand over the API. Trusted set-up (tests' fixtures) still may.
    if (input.role === Role.MEMBER && !this.scope.trusted) {
      throw refuse(
        AuthReason.ROLE_FOLLOWS_MEMBERSHIP,
        'The MEMBER right follows an active membership: admit the organisation to a collège (decideApplication), and its contacts hold it.',
        { field: 'input.role' },
      );
    }
    return this.em.transactional(async (tx) => {
      const target = scope ?? (await this.scopeOfGrant(input, tx));
      const cluster = target.kind === 'GLOBAL' ? null : await this.scopes.cluster(tx, target.clusterId);
      if (target.kind !== 'GLOBAL' && !cluster) throw new NotFoundError('Cluster', target.clusterId);
      this.authorize(Action.GrantRole, labelled(target, cluster));
      const validFrom = input.validFrom ?? this.clock();
      if (input.validTo && input.validTo <= validFrom) {
        throw BadUserInputError.field('input.validTo', 'must be after validFrom');
      }
      const account = await findChosenAccount(tx, input);
      if (cluster && cluster.status !== 'ACTIVE') {
        throw refuse(
          AuthReason.ROLE_CLUSTER_NOT_ACTIVE,
          `Cluster ${cluster.slug} is ${cluster.status}: no new roles can be granted in it.`,
          {
            status: cluster.status,
          },
        );
      }
      const college = target.kind === 'COLLEGE' ? target.collegeId : null;
      const overlapping = await tx.count(RoleAssignment, {
        account,
        role: input.role,
        cluster: cluster?.id ?? null,
        college,
        $or: [{ validTo: null }, { validTo: { $gt: validFrom } }],
        ...(input.validTo ? { validFrom: { $lt: input.validTo } } : {}),
      });
      if (overlapping) {
        throw refuse(AuthReason.ROLE_ALREADY_HELD, 'The account already holds this role on this scope for part of that period.');
      }
      const assignment = tx.create(RoleAssignment, {
        account,
        role: input.role,
        cluster: cluster?.id ?? null,
        college,
        validFrom,
        validTo: input.validTo ?? null,
        grantedBy: this.actorAccount(tx),
      });
      await tx.flush();
      await this.recordChange(tx, 'role.grant', assignment);
      return assignment;
    });
  }

  /** Ends a role assignment now, once the caller may revoke on its scope; it stays in the history. */
  async revoke(id: string): Promise<RoleAssignment> {
    this.requireSignedIn();
    return this.em.transactional(async (tx) => {
      const assignment = await tx.findOne(RoleAssignment, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!assignment) throw new NotFoundError('RoleAssignment', id);
      this.authorize(Action.RevokeRole, await this.scopeOfAssignment(tx, assignment));
      const now = this.clock();
      if (assignment.role === Role.COLLEGE_REPRESENTATIVE) {
        throw refuse(
          AuthReason.ROLE_FOLLOWS_MANDATE,
          "This right follows a representative's mandate: end it with endRepresentativeMandate.",
        );
      }
      if (assignment.validTo && assignment.validTo <= now) {
        throw refuse(AuthReason.ROLE_ALREADY_ENDED, 'This role assignment has already ended.');
      }
      if (assignment.role === Role.ADMIN) {
        // Never the last enabled ADMIN's role: the same rows locked as disableAccount locks.
        await lockAdminAccounts(tx, now, assignment.account.id);
        await refuseLastAdmin(tx, now, { assignmentId: assignment.id });
      }
      const before = auditSnapshot(assignment);
      // An assignment that has not started yet ends the moment it would have started.
      assignment.validTo = assignment.validFrom > now ? new Date(assignment.validFrom.getTime() + 1) : now;
      await tx.flush();
      await this.recordChange(tx, 'role.revoke', assignment, before);
      return assignment;
    });
  }

  /** The scope an existing assignment covers, labelled with its collège's or cluster's name. */
  private async scopeOfAssignment(em: EntityManager, assignment: RoleAssignment): Promise<RoleScope> {
    if (assignment.college && assignment.cluster) {
      const college = await this.scopes.college(em, assignment.college.id);
      return collegeScope(assignment.cluster.id, assignment.college.id, college?.name);
    }
    if (assignment.cluster) return clusterScope(assignment.cluster.id, (await this.scopes.cluster(em, assignment.cluster.id))?.name);
    return GLOBAL;
  }
}

/** A grant's scope, with the name of its cluster when it has no label yet. */
function labelled(scope: RoleScope, cluster: ScopeCluster | null): RoleScope {
  if (scope.kind === 'CLUSTER' && !scope.label && cluster) return clusterScope(scope.clusterId, cluster.name);
  return scope;
}
