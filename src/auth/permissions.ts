import { ForbiddenError, UnauthenticatedError } from '../shared/errors.js';
import type { RoleAssignment } from './role-assignment.entity.js';
import { Role } from './role.js';

/**
 * Every protected operation, and who may perform it. This table is the whole authorization
 * policy: resolvers call `authorize(viewer, Action.X, scope)` and never look at roles themselves.
 * tests/auth/authorization.test.ts walks it, operation × role.
 */
export enum Action {
  CreateCluster = 'cluster.create',
  UpdateCluster = 'cluster.update',
  CreateCollege = 'college.create',
  UpdateCollege = 'college.update',
  GrantRole = 'role.grant',
  RevokeRole = 'role.revoke',
  ReadAuditTrail = 'audit.read',
}

/**
 * The level an operation applies at. A cluster-level assignment covers the cluster and all its
 * collèges; a collège-level one covers only that collège. ADMIN covers everything.
 */
export type Scope = { kind: 'GLOBAL' } | { kind: 'CLUSTER'; clusterId: string } | { kind: 'COLLEGE'; clusterId: string; collegeId: string };

export const GLOBAL: Scope = { kind: 'GLOBAL' };
export const clusterScope = (clusterId: string): Scope => ({ kind: 'CLUSTER', clusterId });
export const collegeScope = (clusterId: string, collegeId: string): Scope => ({ kind: 'COLLEGE', clusterId, collegeId });

export const POLICY: Record<Action, readonly Role[]> = {
  [Action.CreateCluster]: [Role.ADMIN],
  [Action.UpdateCluster]: [Role.ADMIN, Role.CLUSTER_ADMIN],
  [Action.CreateCollege]: [Role.ADMIN, Role.CLUSTER_ADMIN],
  [Action.UpdateCollege]: [Role.ADMIN, Role.CLUSTER_ADMIN],
  [Action.GrantRole]: [Role.ADMIN, Role.CLUSTER_ADMIN],
  [Action.RevokeRole]: [Role.ADMIN, Role.CLUSTER_ADMIN],
  [Action.ReadAuditTrail]: [Role.ADMIN],
};

/** The signed-in caller: their account id and the role assignments in force now. */
export interface Viewer {
  accountId: string;
  sessionId: string;
  roles: RoleAssignment[];
}

/** Whether one assignment reaches `scope`. */
export function assignmentCovers(assignment: RoleAssignment, scope: Scope): boolean {
  if (assignment.role === Role.ADMIN) return true;
  if (scope.kind === 'GLOBAL') return false;
  if (assignment.cluster?.id !== scope.clusterId) return false;
  if (!assignment.college) return true;
  return scope.kind === 'COLLEGE' && assignment.college.id === scope.collegeId;
}

/** May this viewer do `action` on `scope`? */
export function isAllowed(viewer: Viewer, action: Action, scope: Scope): boolean {
  const allowed = POLICY[action];
  return viewer.roles.some((assignment) => allowed.includes(assignment.role) && assignmentCovers(assignment, scope));
}

/** The one auth check: throws UNAUTHENTICATED without a viewer, FORBIDDEN without a covering role. */
export function authorize(viewer: Viewer | null, action: Action, scope: Scope): Viewer {
  if (!viewer) throw new UnauthenticatedError();
  if (!isAllowed(viewer, action, scope)) {
    throw new ForbiddenError(`You are not allowed to ${action.replace('.', ' ')} here.`);
  }
  return viewer;
}

/** Requires only a signed-in viewer. */
export function requireViewer(viewer: Viewer | null): Viewer {
  if (!viewer) throw new UnauthenticatedError();
  return viewer;
}
