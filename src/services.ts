import type { EntityManager } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import { type Actor, AuditService } from './audit/audit.service.js';
import { AuthService } from './auth/auth.service.js';
import type { LoginThrottle } from './auth/login-throttle.js';
import type { PasswordHasher } from './auth/password.js';
import { RoleService } from './auth/role.service.js';
import type { AppConfig } from './config.js';
import { ClusterService } from './membership/cluster.service.js';

/** Long-lived collaborators shared by all requests. */
export interface AppDeps {
  config: AppConfig;
  logger: Logger;
  clock: () => Date;
  audit: AuditService;
  hasher: PasswordHasher;
  throttle: LoginThrottle;
}

/** The services of one request, bound to its EntityManager fork and its actor. */
export function createServices(em: EntityManager, actor: Actor, deps: AppDeps) {
  return {
    audit: deps.audit,
    auth: new AuthService(em, actor, {
      audit: deps.audit,
      hasher: deps.hasher,
      throttle: deps.throttle,
      clock: deps.clock,
      sessionTtlHours: deps.config.sessionTtlHours,
    }),
    clusters: new ClusterService(em, actor, deps.audit),
    roles: new RoleService(em, actor, deps.audit, deps.clock),
  };
}

export type Services = ReturnType<typeof createServices>;
