import type { EntityManager } from '@mikro-orm/postgresql';
import type { Actor } from '../audit/audit.service.js';
import { AccountAdminService } from './account-admin.service.js';
import { AccountRecoveryService } from './account-recovery.service.js';
import { AuditTrailService } from './audit-trail.service.js';
import { AuthService, type AuthDeps } from './auth.service.js';
import type { ServiceScope } from './domain-service.js';
import { EmailVerificationService } from './email-verification.service.js';
import type { Viewer } from './permissions.js';
import { RoleService } from './role.service.js';
import type { ScopeDirectory } from './scope-directory.js';
import { SessionService } from './session.service.js';

/** The auth layer's services of one request. */
export function authServices(scope: ServiceScope, deps: AuthDeps & { scopes: ScopeDirectory }) {
  return {
    auditTrail: new AuditTrailService(scope),
    auth: new AuthService(scope, deps),
    roles: new RoleService(scope, deps.scopes),
    accountRecovery: new AccountRecoveryService(scope, deps),
    emailVerification: new EmailVerificationService(scope, deps),
    accountAdmin: new AccountAdminService(scope),
    sessions: new SessionService(scope),
  };
}

export type AuthServices = ReturnType<typeof authServices>;

/**
 * What every resolver receives: one EntityManager fork and one set of services per request. Each
 * layer narrows `S` to its services and those of the layers below (its `Context` type, in
 * `<layer>.services.ts`); the composition root builds the whole of it (src/services.ts).
 */
export interface AuthContext<S> {
  em: EntityManager;
  requestId: string;
  clientAddress: string;
  userAgent: string | null;
  /** The signed-in caller, or null for an anonymous request. */
  viewer: Viewer | null;
  /** The caller as the audit trail records them. */
  actor: Actor;
  services: S;
}

/** What a resolver of the auth layer receives. */
export type Context = AuthContext<AuthServices>;
