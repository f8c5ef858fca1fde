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
import { LinkTokens } from '../src/auth/link-tokens.js';
import { notificationServices } from '../src/notification/notification.services.js';
import { securityMail } from '../src/notification/security-mail.js';

/**
 * Every demo account has the same, published password: it is hashed once (argon2id, the app's
 * parameters) and that hash is stored for each, instead of ~27 ms of hashing per account.
 */
class DemoPasswordHasher extends PasswordHasher {
  private readonly hashes = new Map<string, Promise<string>>();

  override hash(password: string): Promise<string> {
    let hash = this.hashes.get(password);
    if (!hash) this.hashes.set(password, (hash = super.hash(password)));
    return hash;
  }
}

/**
 * The services the seed plays the demo through, as src/services.ts wires them for a request:
 * every write is validated, versioned and audited exactly as over the API. Each call gets a
 * fresh EntityManager fork, so the identity map (and each flush) stays small however many
 * organisations are seeded.
 */
export class SeedKit {
  readonly audit = new AuditService();
  readonly clock = (): Date => new Date();
  private readonly hasher = new DemoPasswordHasher();
  private readonly throttle = new LoginThrottle();

  constructor(private readonly root: EntityManager) {}

  /**
   * The services acting as `accountId`, or as the system (no account) when null. With `on` (a
   * past day), they act on that day: the services' clock says so, so what they date — an
   * application's decision, a membership's first day and its events — is that day, as if the
   * step had been taken then. The audit trail keeps its own clock: its entries say when the
   * seed wrote them.
   */
  as(accountId: string | null, on?: string) {
    const em = this.root.fork({ keepTransactionContext: true });
    const clock = on ? dayClock(on) : this.clock;
    const scope = trustedScope(em, this.audit, clock, accountId);
    return {
      em,
      ...authServices(scope, {
        hasher: this.hasher,
        throttle: this.throttle,
        sessionTtlHours: 1,
        scopes: membershipScopeDirectory,
        mail: securityMail,
        linkTokens: LinkTokens.fromEnvironment(),
      }),
      ...notificationServices(scope),
      ...membershipServices(scope),
      ...financeServices(scope, { fusionProposals }),
      ...governanceServices(scope),
    };
  }

  /**
   * The real admission flow: `submittedBy` submits the application; unless the collège admits it
   * automatically, `decidedBy` approves it — both on the day `on` (the membership's first day),
   * judged on the facts of that day. A criterion that is not met is overridden only when
   * `overrides` gives the reason for that criterion; any other one is a bug in the seed data.
   */
  async admit(input: {
    organisationId: string;
    organisationName: string;
    collegeId: string;
    submittedBy: string | null;
    decidedBy: string | null;
    reason: string;
    on?: string;
    overrides?: Partial<Record<Criterion, string>>;
  }): Promise<void> {
    const application = await this.as(input.submittedBy, input.on).admission.submitApplication(input.organisationId, input.collegeId);
    if (application.state === ApplicationState.APPROVED) return;
    const unmet = application.criteriaResults.filter((r) => r.outcome !== CriterionOutcome.PASSED);
    const unexplained = unmet.filter((r) => !input.overrides?.[r.criterion]);
    if (unexplained.length) {
      throw new Error(
        `seed: ${input.organisationName} does not meet ${unexplained.map((r) => `${r.criterion} (${r.detail})`).join(', ')} and the seed gives no reason to override it`,
      );
    }
    await this.as(input.decidedBy, input.on).admission.decideApplication({
      applicationId: application.id,
      decision: Decision.APPROVE,
      reason: input.reason,
      overrideReason: unmet.length ? unmet.map((r) => input.overrides![r.criterion]).join(' ') : undefined,
    });
  }
}

/** A clock stopped on `day`, late morning in Paris (a day's work, not its first second: the same day in any time zone of France). */
function dayClock(day: string): () => Date {
  const instant = new Date(`${day}T10:30:00Z`);
  if (Number.isNaN(instant.getTime())) throw new Error(`seed: not a day: ${day}`);
  return () => new Date(instant);
}
