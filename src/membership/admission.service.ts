import { DomainService, type ServiceScope } from '../auth/domain-service.js';
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { auditSnapshot } from '../audit/audit.service.js';
import { Account } from '../auth/account.entity.js';
import { BadUserInputError, ConflictError, NotFoundError } from '../shared/errors.js';
import { isoDay } from '../shared/scalars.js';
import {
  Criterion,
  CriterionOutcome,
  criteriaProblems,
  evaluateCriteria,
  isEligible,
  type AdmissionCriteria,
  type CriterionResult,
} from './admission-criteria.js';
import { AdmissionRuleSet, DecisionMode } from './admission-rule-set.entity.js';
import type { SetAdmissionRulesInput } from './admission.types.js';
import { Application, ApplicationState, PENDING_STATES } from './application.entity.js';
import { Charter, CharterSignature } from './charter.entity.js';
import { ClusterStatus } from './cluster.entity.js';
import { College } from './college.entity.js';
import { MembershipEvent, MembershipEventKind } from './membership-event.entity.js';
import { CURRENT_STATUSES, Membership, MembershipStatus } from './membership.entity.js';
import { Organisation } from './organisation.entity.js';
import { Sponsorship } from './sponsorship.entity.js';

export enum Decision {
  APPROVE = 'APPROVE',
  REJECT = 'REJECT',
}

/** A dry run of the rules in force: what an application would get, without writing anything. */
export interface EligibilityReport {
  college: College;
  organisation: Organisation;
  ruleSet: AdmissionRuleSet;
  eligible: boolean;
  results: CriterionResult[];
}

/** Drops undefined and null entries so the stored criteria hold only what was set. */
function compactCriteria(input: object): AdmissionCriteria {
  return Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined && v !== null));
}

/** Admission rules, applications and their decisions: the representatives' work. */
export class AdmissionService extends DomainService {
  constructor(scope: ServiceScope) {
    super(scope);
  }

  private accountRef(em: EntityManager) {
    return this.actor.accountId ? em.getReference(Account, this.actor.accountId) : null;
  }

  async getCollege(id: string): Promise<College> {
    const college = await this.em.findOne(College, { id }, { populate: ['cluster'] });
    if (!college) throw new NotFoundError('College', id);
    return college;
  }

  async getApplication(id: string): Promise<Application> {
    const application = await this.em.findOne(Application, { id }, { populate: ['college'] });
    if (!application) throw new NotFoundError('Application', id);
    return application;
  }

  /** The rule version in force for a collège, or null before any was set. */
  currentRules(em: EntityManager, collegeId: string): Promise<AdmissionRuleSet | null> {
    return em.findOne(AdmissionRuleSet, { college: collegeId }, { orderBy: { version: 'desc' } });
  }

  /** Adds a version of a collège's rules; earlier versions and the decisions made on them stay. */
  async setAdmissionRules(input: SetAdmissionRulesInput): Promise<AdmissionRuleSet> {
    const criteria = compactCriteria(input.criteria);
    const problems = criteriaProblems(criteria);
    if (problems.length) {
      throw new BadUserInputError(`These rules contradict themselves: ${problems.map((p) => p.messages[0]).join('; ')}`, problems);
    }
    return this.em.transactional(async (tx) => {
      // Serialises concurrent rule changes of one collège, so versions never collide.
      const college = await tx.findOne(College, { id: input.collegeId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!college) throw new NotFoundError('College', input.collegeId);
      const current = await this.currentRules(tx, college.id);
      const ruleSet = tx.create(AdmissionRuleSet, {
        college,
        version: (current?.version ?? 0) + 1,
        criteria,
        decisionMode: input.decisionMode,
        note: input.note ?? null,
        createdBy: this.accountRef(tx),
      });
      await tx.flush();
      await this.audit.record(tx, this.actor, {
        action: 'admission-rules.set',
        entityType: 'AdmissionRuleSet',
        entityId: ruleSet.id,
        after: auditSnapshot(ruleSet),
      });
      return ruleSet;
    });
  }

  /** Judges an organisation against a rule version, with the sponsors and signatures known now. */
  private async evaluate(
    em: EntityManager,
    ruleSet: AdmissionRuleSet,
    organisation: Organisation,
    college: College,
    applicationId: string | null,
  ) {
    const sponsorCount = applicationId ? await em.count(Sponsorship, { application: applicationId }) : 0;
    const charter = await em.findOne(Charter, { cluster: college.cluster.id }, { orderBy: { version: 'desc' } });
    const charterSigned = charter ? (await em.count(CharterSignature, { charter, organisation })) > 0 : false;
    const results = evaluateCriteria(
      ruleSet.criteria,
      {
        kind: organisation.kind,
        headcount: organisation.headcount ?? null,
        foundedOn: organisation.foundedOn ? new Date(`${organisation.foundedOn}T00:00:00Z`) : null,
        departement: organisation.departement ?? null,
        region: organisation.region ?? null,
        affiliations: organisation.affiliations,
        sponsorCount,
        charterSigned,
      },
      this.clock(),
    );
    if (!charter) {
      for (const result of results) {
        if (result.criterion === Criterion.CHARTER) result.detail = 'the cluster has not published a charter yet';
      }
    }
    return results;
  }

  private async loadTarget(em: EntityManager, organisationId: string, collegeId: string) {
    const [organisation, college] = await Promise.all([
      em.findOne(Organisation, { id: organisationId }),
      em.findOne(College, { id: collegeId }, { populate: ['cluster'] }),
    ]);
    if (!organisation) throw new NotFoundError('Organisation', organisationId);
    if (!college) throw new NotFoundError('College', collegeId);
    const ruleSet = await this.currentRules(em, college.id);
    if (!ruleSet) throw new ConflictError(`The collège ${college.name} has not set admission rules yet.`);
    return { organisation, college, ruleSet };
  }

  /** What `submitApplication` would record now. Writes nothing. */
  async checkEligibility(organisationId: string, collegeId: string): Promise<EligibilityReport> {
    const { organisation, college, ruleSet } = await this.loadTarget(this.em, organisationId, collegeId);
    const pending = await this.em.findOne(Application, { organisation, college, state: { $in: [...PENDING_STATES] } });
    const results = await this.evaluate(this.em, ruleSet, organisation, college, pending?.id ?? null);
    return { college, organisation, ruleSet, eligible: isEligible(results), results };
  }

  async submitApplication(organisationId: string, collegeId: string): Promise<Application> {
    return this.em.transactional(async (tx) => {
      const { organisation, college, ruleSet } = await this.loadTarget(tx, organisationId, collegeId);
      if (college.cluster.status !== ClusterStatus.ACTIVE) {
        throw new ConflictError(`Cluster ${college.cluster.slug} is ${college.cluster.status}: it takes no applications.`);
      }
      if (await tx.count(Membership, { organisation, college, status: { $in: [...CURRENT_STATUSES] } })) {
        throw new ConflictError(`${organisation.name} is already a member of ${college.name}.`);
      }
      if (await tx.count(Application, { organisation, college, state: { $in: [...PENDING_STATES] } })) {
        throw new ConflictError(`${organisation.name} already has an application to ${college.name} awaiting a decision.`);
      }
      const results = await this.evaluate(tx, ruleSet, organisation, college, null);
      const application = tx.create(Application, {
        organisation,
        college,
        ruleSet,
        criteriaResults: results,
        submittedBy: this.accountRef(tx),
      });
      await tx.flush();
      await this.audit.record(tx, this.actor, {
        action: 'application.submit',
        entityType: 'Application',
        entityId: application.id,
        after: auditSnapshot(application),
      });
      await this.admitAutomaticallyIfEligible(tx, application);
      return application;
    });
  }

  /** AUTOMATIC collèges admit an eligible application at once. */
  private async admitAutomaticallyIfEligible(tx: EntityManager, application: Application): Promise<void> {
    if (application.ruleSet.decisionMode !== DecisionMode.AUTOMATIC || !isEligible(application.criteriaResults)) return;
    // Nobody decided: the rules did. Whoever triggered it (applicant, sponsor, signatory) is in the audit trail.
    await this.approve(tx, application, 'Admitted automatically: every criterion passed.', null, null);
  }

  /** Re-judges an application's pending criteria (after a sponsorship or a charter signature). */
  private async reevaluate(tx: EntityManager, application: Application): Promise<void> {
    const organisation = await tx.findOneOrFail(Organisation, application.organisation.id);
    const college = await tx.findOneOrFail(College, application.college.id, { populate: ['cluster'] });
    const ruleSet = await tx.findOneOrFail(AdmissionRuleSet, application.ruleSet.id);
    application.criteriaResults = await this.evaluate(tx, ruleSet, organisation, college, application.id);
  }

  /** An active member of the same collège backs an application. */
  async sponsorApplication(applicationId: string, sponsorOrganisationId: string): Promise<Application> {
    return this.em.transactional(async (tx) => {
      const application = await tx.findOne(Application, { id: applicationId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!application) throw new NotFoundError('Application', applicationId);
      if (!(PENDING_STATES as readonly ApplicationState[]).includes(application.state)) {
        throw new ConflictError(`This application is ${application.state}: it can no longer be sponsored.`);
      }
      if (application.organisation.id === sponsorOrganisationId) {
        throw BadUserInputError.field('input.sponsorOrganisationId', 'an organisation cannot sponsor its own application');
      }
      const sponsorIsMember = await tx.count(Membership, {
        organisation: sponsorOrganisationId,
        college: application.college.id,
        status: MembershipStatus.ACTIVE,
      });
      if (!sponsorIsMember) {
        throw BadUserInputError.field('input.sponsorOrganisationId', 'only an active member of the same collège can sponsor');
      }
      if (await tx.count(Sponsorship, { application, sponsor: sponsorOrganisationId })) {
        throw new ConflictError('This organisation already sponsors this application.');
      }
      const before = auditSnapshot(application);
      tx.create(Sponsorship, {
        application,
        sponsor: tx.getReference(Organisation, sponsorOrganisationId),
        sponsoredBy: tx.getReference(Account, this.actor.accountId!),
      });
      await tx.flush();
      await this.reevaluate(tx, application);
      await tx.flush();
      await this.audit.record(tx, this.actor, {
        action: 'application.sponsor',
        entityType: 'Application',
        entityId: application.id,
        before,
        after: { ...auditSnapshot(application), sponsor: sponsorOrganisationId },
      });
      await this.admitAutomaticallyIfEligible(tx, application);
      return application;
    });
  }

  /**
   * Approves or rejects. The row is locked first, so of two concurrent decisions exactly one
   * wins and the other gets CONFLICT naming the decision that stands.
   */
  async decideApplication(input: {
    applicationId: string;
    decision: Decision;
    reason?: string;
    overrideReason?: string;
  }): Promise<Application> {
    if (input.decision === Decision.REJECT && !input.reason?.trim()) {
      throw BadUserInputError.field('input.reason', 'a rejection needs a reason');
    }
    return this.em.transactional(async (tx) => {
      const application = await tx.findOne(Application, { id: input.applicationId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!application) throw new NotFoundError('Application', input.applicationId);
      if (!(PENDING_STATES as readonly ApplicationState[]).includes(application.state)) {
        const when = application.decidedAt ? ` on ${application.decidedAt.toISOString()}` : '';
        throw new ConflictError(`This application was already ${application.state}${when}; that decision stands.`, {
          state: application.state,
        });
      }
      if (input.decision === Decision.REJECT) {
        const before = auditSnapshot(application);
        application.state = ApplicationState.REJECTED;
        application.decidedAt = this.clock();
        application.decidedBy = this.accountRef(tx);
        application.decisionReason = input.reason!.trim();
        await tx.flush();
        await this.audit.record(tx, this.actor, {
          action: 'application.reject',
          entityType: 'Application',
          entityId: application.id,
          before,
          after: auditSnapshot(application),
        });
        return application;
      }
      await this.reevaluate(tx, application);
      const unmet = application.criteriaResults.filter((r) => r.outcome !== CriterionOutcome.PASSED);
      const override = input.overrideReason?.trim();
      if (unmet.length && !override) {
        throw new ConflictError(
          `Approval refused: ${unmet.map((r) => `${r.criterion} ${r.outcome.toLowerCase()} (${r.detail})`).join('; ')}. Give an overrideReason to approve anyway.`,
          { unmetCriteria: unmet },
        );
      }
      await this.approve(tx, application, input.reason?.trim() ?? null, unmet.length ? override! : null, this.accountRef(tx));
      return application;
    });
  }

  /**
   * Marks the application approved and starts the membership, with its first history event.
   * `decidedBy` is the representative who decided, or null for an automatic admission.
   */
  private async approve(
    tx: EntityManager,
    application: Application,
    reason: string | null,
    overrideReason: string | null,
    decidedBy: Account | null,
  ): Promise<Membership> {
    const before = auditSnapshot(application);
    const now = this.clock();
    const today = isoDay(now);
    application.state = ApplicationState.APPROVED;
    application.decidedAt = now;
    application.decidedBy = decidedBy;
    application.decisionReason = reason;
    application.overrideReason = overrideReason;
    const membership = tx.create(Membership, {
      organisation: application.organisation,
      college: application.college,
      startedOn: today,
      memberSince: today,
      application,
    });
    tx.create(MembershipEvent, {
      membership,
      kind: MembershipEventKind.STARTED,
      effectiveOn: today,
      reason: 'application approved',
      actor: decidedBy,
    });
    await tx.flush();
    await this.audit.record(tx, this.actor, {
      action: 'application.approve',
      entityType: 'Application',
      entityId: application.id,
      before,
      after: auditSnapshot(application),
    });
    await this.audit.record(tx, this.actor, {
      action: 'membership.start',
      entityType: 'Membership',
      entityId: membership.id,
      after: auditSnapshot(membership),
    });
    return membership;
  }

  async withdrawApplication(applicationId: string): Promise<Application> {
    return this.em.transactional(async (tx) => {
      const application = await tx.findOne(Application, { id: applicationId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!application) throw new NotFoundError('Application', applicationId);
      if (!(PENDING_STATES as readonly ApplicationState[]).includes(application.state)) {
        throw new ConflictError(`This application is already ${application.state}.`, { state: application.state });
      }
      const before = auditSnapshot(application);
      application.state = ApplicationState.WITHDRAWN;
      application.withdrawnAt = this.clock();
      await tx.flush();
      await this.audit.record(tx, this.actor, {
        action: 'application.withdraw',
        entityType: 'Application',
        entityId: application.id,
        before,
        after: auditSnapshot(application),
      });
      return application;
    });
  }

  /** Marks an application as being looked at by a representative. */
  async startReview(applicationId: string): Promise<Application> {
    return this.em.transactional(async (tx) => {
      const application = await tx.findOne(Application, { id: applicationId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!application) throw new NotFoundError('Application', applicationId);
      if (application.state !== ApplicationState.SUBMITTED) {
        throw new ConflictError(`This application is ${application.state}, not SUBMITTED.`, { state: application.state });
      }
      const before = auditSnapshot(application);
      application.state = ApplicationState.UNDER_REVIEW;
      await this.reevaluate(tx, application);
      await tx.flush();
      await this.audit.record(tx, this.actor, {
        action: 'application.review',
        entityType: 'Application',
        entityId: application.id,
        before,
        after: auditSnapshot(application),
      });
      return application;
    });
  }

  /** Re-judges the pending applications of an organisation (after it signed the charter). */
  async reevaluatePendingOf(tx: EntityManager, organisationId: string): Promise<void> {
    // Locked like every other change to an application: otherwise a decision committed meanwhile
    // would be overwritten by the automatic admission below, leaving two decisions.
    const pending = await tx.find(
      Application,
      { organisation: organisationId, state: { $in: [...PENDING_STATES] } },
      { lockMode: LockMode.PESSIMISTIC_WRITE, orderBy: { id: 'asc' } },
    );
    for (const application of pending) {
      await this.reevaluate(tx, application);
      await tx.flush();
      await this.admitAutomaticallyIfEligible(tx, application);
    }
  }
}
