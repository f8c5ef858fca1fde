import type { EntityManager } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import { type Actor, AuditService, SYSTEM_ACTOR } from './audit/audit.service.js';
import { AuthService } from './auth/auth.service.js';
import type { LoginThrottle } from './auth/login-throttle.js';
import type { PasswordHasher } from './auth/password.js';
import { RoleService } from './auth/role.service.js';
import type { AppConfig } from './config.js';
import { FunderService } from './finance/funder.service.js';
import { SubsidyService } from './finance/subsidy.service.js';
import { TreasuryService } from './finance/treasury.service.js';
import { BodyService } from './governance/body.service.js';
import type { OpenedParties } from './governance/opened-parties.js';
import { FusionService } from './fusion/fusion.service.js';
import { ProposalService } from './governance/proposal.service.js';
import { VotingService } from './governance/voting.service.js';
import { AdmissionService } from './membership/admission.service.js';
import { CharterService } from './membership/charter.service.js';
import { ClusterService } from './membership/cluster.service.js';
import { DirectoryService } from './membership/directory.service.js';
import { MembershipService } from './membership/membership.service.js';
import { OrganisationService } from './membership/organisation.service.js';
import { RepresentativeService } from './membership/representative.service.js';

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
}

/** The services of one request, bound to its EntityManager fork and its actor. */
export function createServices(em: EntityManager, actor: Actor, deps: AppDeps) {
  const admission = new AdmissionService(em, actor, deps.audit, deps.clock);
  return {
    admission,
    charters: new CharterService(em, actor, deps.audit, admission),
    directory: new DirectoryService(em),
    memberships: new MembershipService(em, actor, deps.audit, deps.clock),
    organisations: new OrganisationService(em, actor, deps.audit, deps.clock),
    representatives: new RepresentativeService(em, actor, deps.audit, deps.clock),
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
    funders: new FunderService(em, actor, deps.audit),
    subsidies: new SubsidyService(em, actor, deps.audit, deps.clock),
    treasury: new TreasuryService(em, deps.clock),
    bodies: new BodyService(em, actor, deps.audit, deps.clock),
    proposals: new ProposalService(em, actor, deps.audit, deps.clock),
    voting: new VotingService(em, actor, deps.audit, deps.clock, deps.openedParties),
    /** Closing votes whose time is up happens as the system, whoever reads them first. */
    systemVoting: new VotingService(em, SYSTEM_ACTOR, deps.audit, deps.clock),
    fusions: new FusionService(em, actor, deps.audit, deps.clock),
  };
}

export type Services = ReturnType<typeof createServices>;
