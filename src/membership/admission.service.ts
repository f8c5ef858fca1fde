import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type DataLoader from 'dataloader';
import { auditSnapshot } from '../audit/audit.service.js';
import { Account } from '../auth/account.entity.js';
import { DomainService, type ServiceScope } from '../auth/domain-service.js';
import { Action, collegeScope, organisationScope } from '../auth/permissions.js';
import { BadUserInputError, NotFoundError } from '../shared/errors.js';
import { CriterionOutcome, criteriaProblems, isEligible, type AdmissionCriteria, type CriterionResult } from './admission-criteria.js';
import { judge, rejudge } from './admission-evaluation.js';
import { AdmissionRuleSet, DecisionMode } from './admission-rule-set.entity.js';
import type { SetAdmissionRulesInput } from './admission.types.js';
import { Application, ApplicationState, PENDING_STATES } from './application.entity.js';
import { ClusterStatus } from './cluster.entity.js';
import { clusterNotActive } from './cluster.service.js';
import { College } from './college.entity.js';
import { latestVersionLoader } from './latest-version.js';
import { announceDecision, announceSubmission } from './membership-mail.js';
import { MembershipEvent, MembershipEventKind } from './membership-event.entity.js';
import { CURRENT_STATUSES, Membership, MembershipStatus } from './membership.entity.js';
import { MembershipReason, refuse } from './membership.reasons.js';
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

function isPending(application: Application): boolean {
  return (PENDING_STATES as readonly ApplicationState[]).includes(application.state);
}

/** The refusal for a step on an application that was already approved, rejected or withdrawn. */
function alreadyDecided(application: Application, message: string) {
  return refuse(MembershipReason.APPLICATION_ALREADY_DECIDED, message, { state: application.state });
}

/**
 * Admission rules, applications and their decisions: the representatives' work. Each step
 * locks the application, then checks the caller's right on what it locked.
 */
export class AdmissionService extends DomainService {
  /** Per request: the rules in force of the collèges asked for in one tick (see `rulesInForce`). */
  private rulesLoader?: DataLoader<string, AdmissionRuleSet | null>;

  constructor(scope: ServiceScope) {
    super(scope);
  }

  /** The rule version in force for a collège, or null before any was set. */
  currentRules(em: EntityManager, collegeId: string): Promise<AdmissionRuleSet | null> {
    return em.findOne(AdmissionRuleSet, { college: collegeId }, { orderBy: { version: 'desc' } });
  }

  /** As `currentRules`, batched over the collèges of a list (public). */
  rulesInForce(collegeId: string): Promise<AdmissionRuleSet | null> {
    this.rulesLoader ??= latestVersionLoader(this.em, AdmissionRuleSet, 'admission_rule_set', 'college_id');
    return this.rulesLoader.load(collegeId);
  }

  /**
   * Adds a version of a collège's rules; earlier versions and the decisions made on them stay.
   * The collège's representatives, its cluster's administrators, ADMIN.
   */
  async setAdmissionRules(input: SetAdmissionRulesInput): Promise<AdmissionRuleSet> {
    this.requireSignedIn();
    return this.em.transactional(async (tx) => {
      // Serialises concurrent rule changes of one collège, so versions never collide.
      const college = await tx.findOne(College, { id: input.collegeId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!college) throw new NotFoundError('College', input.collegeId);
      this.authorize(Action.SetAdmissionRules, collegeScope(college.cluster.id, college.id, college.name));
      const criteria = compactCriteria(input.criteria);
      const problems = criteriaProblems(criteria);
      if (problems.length) {
        throw new BadUserInputError(
          `These rules contradict themselves: ${problems.map((p) => p.messages[0]).join('; ')}`,
          problems,
          MembershipReason.ADMISSION_RULES_CONTRADICTORY,
        );
      }
      const current = await this.currentRules(tx, college.id);
      const ruleSet = tx.create(AdmissionRuleSet, {
        college,
        version: (current?.version ?? 0) + 1,
        criteria,
        decisionMode: input.decisionMode,
        note: input.note ?? null,
        createdBy: this.actorAccount(tx),
      });
      await tx.flush();
      await this.recordChange(tx, 'admission-rules.set', ruleSet);
      return ruleSet;
    });
  }

  /**
   * The organisation and the collège of an application (to be), once the caller may apply on
   * the organisation's behalf — as its contact, or as a representative of the collège — and the
   * rules in force.
   */
  private async loadTarget(em: EntityManager, organisationId: string, collegeId: string) {
    // Signed-in first: looking them up must not tell an anonymous caller whether they exist.
    this.requireSignedIn();
    const [organisation, college] = await Promise.all([
      em.findOne(Organisation, { id: organisationId }),
      em.findOne(College, { id: collegeId }, { populate: ['cluster'] }),
    ]);
    if (!organisation) throw new NotFoundError('Organisation', organisationId);
    if (!college) throw new NotFoundError('College', collegeId);
    this.authorize(
      Action.SubmitApplication,
      organisationScope(organisation.id, organisation.name),
      collegeScope(college.cluster.id, college.id, college.name),
    );
    const ruleSet = await this.currentRules(em, college.id);
    if (!ruleSet) throw refuse(MembershipReason.ADMISSION_RULES_MISSING, `The collège ${college.name} has not set admission rules yet.`);
    return { organisation, college, ruleSet };
  }

  /** What `submitApplication` would record now. Writes nothing. Same rights as `submitApplication`. */
  async checkEligibility(organisationId: string, collegeId: string): Promise<EligibilityReport> {
    const { organisation, college, ruleSet } = await this.loadTarget(this.em, organisationId, collegeId);
    const pending = await this.em.findOne(Application, { organisation, college, state: { $in: [...PENDING_STATES] } });
    const results = await judge(this.em, ruleSet, organisation, college, pending?.id ?? null, this.clock());
    return { college, organisation, ruleSet, eligible: isEligible(results), results };
  }

  /**
   * Applies to a collège: the organisation's contacts, a representative of the collège on its
   * behalf, ADMIN. In an AUTOMATIC collège an eligible application is approved at once; else the
   * collège's representatives are told (and the applicant, when the charter must be signed first).
   */
  async submitApplication(organisationId: string, collegeId: string): Promise<Application> {
    return this.em.transactional(async (tx) => {
      const { organisation, college, ruleSet } = await this.loadTarget(tx, organisationId, collegeId);
      if (college.cluster.status !== ClusterStatus.ACTIVE) throw clusterNotActive(college.cluster, ': it takes no applications.');
      if (await tx.count(Membership, { organisation, college, status: { $in: [...CURRENT_STATUSES] } })) {
        throw refuse(MembershipReason.ALREADY_MEMBER, `${organisation.name} is already a member of ${college.name}.`);
      }
      if (await tx.count(Application, { organisation, college, state: { $in: [...PENDING_STATES] } })) {
        throw refuse(
          MembershipReason.APPLICATION_ALREADY_PENDING,
          `${organisation.name} already has an application to ${college.name} awaiting a decision.`,
        );
      }
      const results = await judge(tx, ruleSet, organisation, college, null, this.clock());
      const application = tx.create(Application, {
        organisation,
        college,
        ruleSet,
        criteriaResults: results,
        submittedBy: this.actorAccount(tx),
      });
      await tx.flush();
      await this.recordChange(tx, 'application.submit', application);
      await this.admitAutomaticallyIfEligible(tx, application);
      if (isPending(application)) await announceSubmission(tx, this.clock(), application);
      return application;
    });
  }

  /** AUTOMATIC collèges admit an eligible application at once. */
  private async admitAutomaticallyIfEligible(tx: EntityManager, application: Application): Promise<void> {
    if (application.ruleSet.decisionMode !== DecisionMode.AUTOMATIC || !isEligible(application.criteriaResults)) return;
    // Nobody decided: the rules did. Whoever triggered it (applicant, sponsor, signatory) is in the audit trail.
    await this.approve(tx, application, 'Admitted automatically: every criterion passed.', null, null);
  }

  /** Locks an application for a step and loads it collège (whose name the refusals use). */
  private async lockApplication(tx: EntityManager, applicationId: string): Promise<{ application: Application; college: College }> {
    const application = await tx.findOne(Application, { id: applicationId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!application) throw new NotFoundError('Application', applicationId);
    return { application, college: await tx.findOneOrFail(College, application.college.id) };
  }

  /** Reviewing and deciding is for an elected representative of the collège, with a mandate in force. */
  private authorizeDecision(college: College): void {
    this.authorize(Action.DecideApplication, collegeScope(college.cluster.id, college.id, college.name));
  }

  /** An active member of the same collège backs an application; the caller acts for the sponsor. */
  async sponsorApplication(applicationId: string, sponsorOrganisationId: string): Promise<Application> {
    this.requireSignedIn();
    return this.em.transactional(async (tx) => {
      const application = await tx.findOne(Application, { id: applicationId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!application) throw new NotFoundError('Application', applicationId);
      const sponsor = await tx.findOne(Organisation, { id: sponsorOrganisationId });
      if (!sponsor) throw new NotFoundError('Organisation', sponsorOrganisationId);
      this.authorize(Action.SponsorApplication, organisationScope(sponsor.id, sponsor.name));
      if (!isPending(application))
        throw alreadyDecided(application, `This application is ${application.state}: it can no longer be sponsored.`);
      if (application.organisation.id === sponsor.id) {
        throw BadUserInputError.field(
          'input.sponsorOrganisationId',
          'an organisation cannot sponsor its own application',
          MembershipReason.SPONSOR_IS_APPLICANT,
        );
      }
      const sponsorIsMember = await tx.count(Membership, {
        organisation: sponsor,
        college: application.college.id,
        status: MembershipStatus.ACTIVE,
      });
      if (!sponsorIsMember) {
        throw BadUserInputError.field(
          'input.sponsorOrganisationId',
          'only an active member of the same collège can sponsor',
          MembershipReason.SPONSOR_NOT_MEMBER,
        );
      }
      if (await tx.count(Sponsorship, { application, sponsor })) {
        throw refuse(MembershipReason.ALREADY_SPONSORING, 'This organisation already sponsors this application.');
      }
      const before = auditSnapshot(application);
      tx.create(Sponsorship, { application, sponsor, sponsoredBy: tx.getReference(Account, this.actor.accountId!) });
      await tx.flush();
      await rejudge(tx, application, this.clock());
      await tx.flush();
      await this.recordChange(tx, 'application.sponsor', application, before, { sponsor: sponsor.id });
      await this.admitAutomaticallyIfEligible(tx, application);
      return application;
    });
  }

  /** Marks a SUBMITTED application as being looked at by a representative of its collège. */
  async startReview(applicationId: string): Promise<Application> {
    this.requireSignedIn();
    return this.em.transactional(async (tx) => {
      const { application, college } = await this.lockApplication(tx, applicationId);
      this.authorizeDecision(college);
      if (application.state !== ApplicationState.SUBMITTED) {
        const message = `This application is ${application.state}, not SUBMITTED.`;
        if (application.state !== ApplicationState.UNDER_REVIEW) throw alreadyDecided(application, message);
        throw refuse(MembershipReason.APPLICATION_ALREADY_UNDER_REVIEW, message, { state: application.state });
      }
      const before = auditSnapshot(application);
      application.state = ApplicationState.UNDER_REVIEW;
      await rejudge(tx, application, this.clock());
      await tx.flush();
      await this.recordChange(tx, 'application.review', application, before);
      return application;
    });
  }

  /**
   * Approves or rejects: a representative of the collège. The row is locked first, so of two
   * concurrent decisions exactly one wins and the other gets CONFLICT naming the decision that stands.
   */
  async decideApplication(input: {
    applicationId: string;
    decision: Decision;
    reason?: string;
    overrideReason?: string;
  }): Promise<Application> {
    this.requireSignedIn();
    return this.em.transactional(async (tx) => {
      const { application, college } = await this.lockApplication(tx, input.applicationId);
      this.authorizeDecision(college);
      if (input.decision === Decision.REJECT && !input.reason?.trim()) {
        throw BadUserInputError.field('input.reason', 'a rejection needs a reason', MembershipReason.REJECTION_REASON_REQUIRED);
      }
      if (!isPending(application)) {
        const when = application.decidedAt ? ` on ${application.decidedAt.toISOString()}` : '';
        throw alreadyDecided(application, `This application was already ${application.state}${when}; that decision stands.`);
      }
      if (input.decision === Decision.REJECT) {
        const before = auditSnapshot(application);
        application.state = ApplicationState.REJECTED;
        application.decidedAt = this.clock();
        application.decidedBy = this.actorAccount(tx);
        application.decisionReason = input.reason!.trim();
        await tx.flush();
        await this.recordChange(tx, 'application.reject', application, before);
        await announceDecision(tx, this.clock(), application);
        return application;
      }
      await rejudge(tx, application, this.clock());
      const unmet = application.criteriaResults.filter((r) => r.outcome !== CriterionOutcome.PASSED);
      const override = input.overrideReason?.trim();
      if (unmet.length && !override) {
        throw refuse(
          MembershipReason.CRITERIA_UNMET,
          `Approval refused: ${unmet.map((r) => `${r.criterion} ${r.outcome.toLowerCase()} (${r.detail})`).join('; ')}. Give an overrideReason to approve anyway.`,
          { unmetCriteria: unmet },
        );
      }
      await this.approve(tx, application, input.reason?.trim() ?? null, unmet.length ? override! : null, this.actorAccount(tx));
      return application;
    });
  }

  /**
   * Marks the application approved and starts the membership, with its first history event; the
   * applicant's contacts are told. `decidedBy` is the representative who decided, or null for an
   * automatic admission.
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
    const today = this.today();
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
    await this.recordChange(tx, 'application.approve', application, before);
    await this.recordChange(tx, 'membership.start', membership);
    await announceDecision(tx, now, application);
    return membership;
  }

  /** Withdraws an application awaiting a decision: the applicant organisation's contacts, ADMIN. */
  async withdrawApplication(applicationId: string): Promise<Application> {
    this.requireSignedIn();
    return this.em.transactional(async (tx) => {
      const application = await tx.findOne(Application, { id: applicationId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!application) throw new NotFoundError('Application', applicationId);
      const organisation = await tx.findOneOrFail(Organisation, application.organisation.id);
      this.authorize(Action.WithdrawApplication, organisationScope(organisation.id, organisation.name));
      if (!isPending(application)) throw alreadyDecided(application, `This application is already ${application.state}.`);
      const before = auditSnapshot(application);
      application.state = ApplicationState.WITHDRAWN;
      application.withdrawnAt = this.clock();
      await tx.flush();
      await this.recordChange(tx, 'application.withdraw', application, before);
      return application;
    });
  }

  /**
   * Re-judges the pending applications of an organisation (after it signed the charter). A step
   * of the signature, which the caller authorized.
   */
  async reevaluatePendingOf(tx: EntityManager, organisationId: string): Promise<void> {
    // Locked like every other change to an application: otherwise a decision committed meanwhile
    // would be overwritten by the automatic admission below, leaving two decisions.
    const pending = await tx.find(
      Application,
      { organisation: organisationId, state: { $in: [...PENDING_STATES] } },
      { lockMode: LockMode.PESSIMISTIC_WRITE, orderBy: { id: 'asc' } },
    );
    for (const application of pending) {
      await rejudge(tx, application, this.clock());
      await tx.flush();
      await this.admitAutomaticallyIfEligible(tx, application);
    }
  }
}
