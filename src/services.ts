import type { EntityManager } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import type { Actor, AuditService } from './audit/audit.service.js';
import { authServices, type AuthContext } from './auth/auth.services.js';
import { AuthService, type AuthDeps } from './auth/auth.service.js';
import { trustedScope, type ServiceScope } from './auth/domain-service.js';
import type { LinkTokens } from './auth/link-tokens.js';
import type { LoginThrottle } from './auth/login-throttle.js';
import type { PasswordHasher } from './auth/password.js';
import type { Viewer } from './auth/permissions.js';
import type { AppConfig } from './config.js';
import { financeServices } from './finance/finance.services.js';
import { fusionServices } from './fusion/fusion.services.js';
import { fusionProposals } from './governance/fusion-proposals.js';
import { governanceServices } from './governance/governance.services.js';
import type { OpenedParties } from './governance/opened-parties.js';
import { membershipServices } from './membership/membership.services.js';
import { membershipScopeDirectory } from './membership/scope-directory.js';
import { notificationServices } from './notification/notification.services.js';
import { securityMail } from './notification/security-mail.js';

/** Long-lived collaborators shared by all requests. */
export interface AppDeps {
  config: AppConfig;
  logger: Logger;
  clock: () => Date;
  audit: AuditService;
  hasher: PasswordHasher;
  throttle: LoginThrottle;
  /** The parties of opened proposals (they never change), so a ballot finds its own without a query. */
  openedParties: OpenedParties;
  /** The secrets of single-use links (reset, verification). */
  linkTokens: LinkTokens;
}

/** The scope of a request's services: its fork, its actor and viewer — never trusted. */
export function requestScope(em: EntityManager, actor: Actor, viewer: Viewer | null, deps: AppDeps): ServiceScope {
  return { em, actor, viewer, trusted: false, audit: deps.audit, clock: deps.clock };
}

/** The service that resolves a bearer token, as the system (authentication precedes any viewer). */
export function authenticator(em: EntityManager, deps: AppDeps): AuthService {
  return new AuthService(trustedScope(em, deps.audit, deps.clock), authDeps(deps));
}

function authDeps(deps: AppDeps): AuthDeps {
  return {
    hasher: deps.hasher,
    throttle: deps.throttle,
    sessionTtlHours: deps.config.sessionTtlHours,
    mail: securityMail,
    linkTokens: deps.linkTokens,
  };
}

/** The services of every layer, bound to one scope (a request's, or a trusted one for the system). */
export function createServices(scope: ServiceScope, deps: AppDeps) {
  return {
    ...authServices(scope, { ...authDeps(deps), scopes: membershipScopeDirectory }),
    ...notificationServices(scope),
    ...membershipServices(scope),
    ...financeServices(scope, { fusionProposals }),
    ...governanceServices(scope, deps.openedParties),
    ...fusionServices(scope),
  };
}

export type Services = ReturnType<typeof createServices>;

/** What the composition root hands every resolver (each layer sees its part of it). */
export type Context = AuthContext<Services>;
