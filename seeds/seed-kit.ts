import type { EntityManager } from '@mikro-orm/postgresql';
import { AuditService, SYSTEM_ACTOR, type Actor } from '../src/audit/audit.service.js';
import { AuthService } from '../src/auth/auth.service.js';
import { LoginThrottle } from '../src/auth/login-throttle.js';
import { PasswordHasher } from '../src/auth/password.js';
import { RoleService } from '../src/auth/role.service.js';
import { FunderService } from '../src/finance/funder.service.js';
import { SubsidyService } from '../src/finance/subsidy.service.js';
import { BodyService } from '../src/governance/body.service.js';
import { ProposalService } from '../src/governance/proposal.service.js';
import { CriterionOutcome, type Criterion } from '../src/membership/admission-criteria.js';
import { AdmissionService, Decision } from '../src/membership/admission.service.js';
import { ApplicationState } from '../src/membership/application.entity.js';
import { CharterService } from '../src/membership/charter.service.js';
import { ClusterService } from '../src/membership/cluster.service.js';
import { MembershipService } from '../src/membership/membership.service.js';
import { OrganisationService } from '../src/membership/organisation.service.js';
import { RepresentativeService } from '../src/membership/representative.service.js';

/**
 * The services the seed plays the demo through, as src/services.ts wires them for a request:
 * every write is validated, versioned and audited exactly as over the API. Each call gets a
 * fresh EntityManager fork, so the identity map (and each flush) stays small however many
 * organisations are seeded.
 */
export class SeedKit {
  readonly audit = new AuditService();
  readonly clock = (): Date => new Date();
  private readonly hasher = new PasswordHasher();
  private readonly throttle = new LoginThrottle();

  constructor(private readonly root: EntityManager) {}

  /** The services acting as `accountId`, or as the system (no account) when null. */
  as(accountId: string | null) {
    const em = this.root.fork({ keepTransactionContext: true });
    const actor: Actor = accountId ? { accountId, requestId: null } : SYSTEM_ACTOR;
    const admission = new AdmissionService(em, actor, this.audit, this.clock);
    return {
      em,
      admission,
      charters: new CharterService(em, actor, this.audit, admission),
      clusters: new ClusterService(em, actor, this.audit),
      memberships: new MembershipService(em, actor, this.audit, this.clock),
      organisations: new OrganisationService(em, actor, this.audit, this.clock),
      representatives: new RepresentativeService(em, actor, this.audit, this.clock),
      roles: new RoleService(em, actor, this.audit, this.clock),
      funders: new FunderService(em, actor, this.audit),
      subsidies: new SubsidyService(em, actor, this.audit, this.clock),
      bodies: new BodyService(em, actor, this.audit, this.clock),
      proposals: new ProposalService(em, actor, this.audit, this.clock),
      auth: new AuthService(em, actor, {
        audit: this.audit,
        hasher: this.hasher,
        throttle: this.throttle,
        clock: this.clock,
        sessionTtlHours: 1,
      }),
    };
  }

  /**
   * The real admission flow: `submittedBy` submits the application; unless the collège admits it
   * automatically, `decidedBy` approves it. A criterion that is not met is overridden only when
   * `overrides` gives the reason for that criterion; any other one is a bug in the seed data.
   */
  async admit(input: {
    organisationId: string;
    organisationName: string;
    collegeId: string;
    submittedBy: string | null;
    decidedBy: string | null;
    reason: string;
    overrides?: Partial<Record<Criterion, string>>;
  }): Promise<void> {
    const application = await this.as(input.submittedBy).admission.submitApplication(input.organisationId, input.collegeId);
    if (application.state === ApplicationState.APPROVED) return;
    const unmet = application.criteriaResults.filter((r) => r.outcome !== CriterionOutcome.PASSED);
    const unexplained = unmet.filter((r) => !input.overrides?.[r.criterion]);
    if (unexplained.length) {
      throw new Error(
        `seed: ${input.organisationName} does not meet ${unexplained.map((r) => `${r.criterion} (${r.detail})`).join(', ')} and the seed gives no reason to override it`,
      );
    }
    await this.as(input.decidedBy).admission.decideApplication({
      applicationId: application.id,
      decision: Decision.APPROVE,
      reason: input.reason,
      overrideReason: unmet.length ? unmet.map((r) => input.overrides![r.criterion]).join(' ') : undefined,
    });
  }
}
