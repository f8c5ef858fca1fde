import type { EntityManager } from '@mikro-orm/postgresql';
import { AuditService } from '../src/audit/audit.service.js';
import { authServices } from '../src/auth/auth.services.js';
import { trustedScope } from '../src/auth/domain-service.js';
import { financeServices } from '../src/finance/finance.services.js';
import { fusionProposals } from '../src/governance/fusion-proposals.js';
import { governanceServices } from '../src/governance/governance.services.js';
import { membershipServices } from '../src/membership/membership.services.js';
import { membershipScopeDirectory } from '../src/membership/scope-directory.js';
import { LoginThrottle } from '../src/auth/login-throttle.js';
import { PasswordHasher } from '../src/auth/password.js';
import { CriterionOutcome, type Criterion } from '../src/membership/admission-criteria.js';
import { Decision } from '../src/membership/admission.service.js';
import { ApplicationState } from '../src/membership/application.entity.js';

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
    const scope = trustedScope(em, this.audit, this.clock, accountId);
    return {
      em,
      ...authServices(scope, { hasher: this.hasher, throttle: this.throttle, sessionTtlHours: 1, scopes: membershipScopeDirectory }),
      ...membershipServices(scope),
      ...financeServices(scope, { fusionProposals }),
      ...governanceServices(scope),
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
