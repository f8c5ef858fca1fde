import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Ctx, FieldResolver, ID, Info, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from './membership.services.js';
import { uuidArg } from '../shared/ids.js';
import { loadChildren, loadReference } from '../shared/loaders.js';
import { ConnectionType, PageArgs, selectsField } from '../shared/pagination.js';
import { isEligible } from './admission-criteria.js';
import { AdmissionRuleSet } from './admission-rule-set.entity.js';
import { ApplicationPayload, EligibilityReport, SetAdmissionRulesPayload } from './admission.payloads.js';
import { AdmissionCriteriaType, CriterionResultType, SetAdmissionRulesInput } from './admission.types.js';
import { Application, ApplicationState } from './application.entity.js';
import { ApplicationIdInput, ApplicationTargetInput, DecideApplicationInput, SponsorApplicationInput } from './application.inputs.js';
import { College } from './college.entity.js';
import { Organisation } from './organisation.entity.js';
import { Sponsorship } from './sponsorship.entity.js';

const ApplicationConnection = ConnectionType(Application);
type ApplicationConnection = InstanceType<typeof ApplicationConnection>;

@Resolver(() => Application)
export class AdmissionResolver {
  @Mutation(() => SetAdmissionRulesPayload, {
    description:
      "Sets a collège's admission rules: adds a version, now in force. Decisions already taken keep the version they were judged on. The collège's representatives, CLUSTER_ADMIN or ADMIN.",
  })
  async setAdmissionRules(
    @Ctx() ctx: Context,
    @Arg('input', () => SetAdmissionRulesInput, { description: 'The rules.' }) input: SetAdmissionRulesInput,
  ): Promise<SetAdmissionRulesPayload> {
    return { ruleSet: await ctx.services.admission.setAdmissionRules(input) };
  }

  @Query(() => EligibilityReport, {
    description:
      "Dry run: judges an organisation against a collège's rules in force and returns each criterion's outcome. Writes nothing. The organisation's contacts, the collège's representatives, or ADMIN.",
  })
  async checkEligibility(
    @Ctx() ctx: Context,
    @Arg('input', () => ApplicationTargetInput, { description: 'Who, and where.' }) input: ApplicationTargetInput,
  ): Promise<EligibilityReport> {
    const report = await ctx.services.admission.checkEligibility(input.organisationId, input.collegeId);
    return { ...report, criteria: report.results };
  }

  @Mutation(() => ApplicationPayload, {
    description:
      "Applies to a collège: stores the application with the rule version and each criterion's outcome. In an AUTOMATIC collège an eligible application is approved at once. The collège's representatives are mailed (APPLICATION_SUBMITTED), and the applicant's contacts when the charter is to be signed (CHARTER_TO_SIGN). The organisation's contacts, a representative of the collège on its behalf, or ADMIN.",
  })
  async submitApplication(
    @Ctx() ctx: Context,
    @Arg('input', () => ApplicationTargetInput, { description: 'Who applies, and where.' }) input: ApplicationTargetInput,
  ): Promise<ApplicationPayload> {
    return { application: await ctx.services.admission.submitApplication(input.organisationId, input.collegeId) };
  }

  @Mutation(() => ApplicationPayload, {
    description: 'Backs an application as an active member of the same collège; the caller must act for the sponsoring organisation.',
  })
  async sponsorApplication(
    @Ctx() ctx: Context,
    @Arg('input', () => SponsorApplicationInput, { description: 'Which application, which sponsor.' }) input: SponsorApplicationInput,
  ): Promise<ApplicationPayload> {
    return { application: await ctx.services.admission.sponsorApplication(input.applicationId, input.sponsorOrganisationId) };
  }

  @Mutation(() => ApplicationPayload, {
    description:
      'Marks a SUBMITTED application UNDER_REVIEW, re-judging its criteria. A representative of its collège with a mandate in force.',
  })
  async reviewApplication(
    @Ctx() ctx: Context,
    @Arg('input', () => ApplicationIdInput, { description: 'Which application.' }) input: ApplicationIdInput,
  ): Promise<ApplicationPayload> {
    return { application: await ctx.services.admission.startReview(input.applicationId) };
  }

  @Mutation(() => ApplicationPayload, {
    description:
      'Approves or rejects. A representative of the collège with a mandate in force. Approval is refused (CONFLICT, listing the unmet criteria) while a criterion fails or is pending, unless `overrideReason` is given; a rejection needs a reason. Deciding twice is a CONFLICT: the first decision stands. The applicant’s contacts are mailed the decision (APPLICATION_DECIDED).',
  })
  async decideApplication(
    @Ctx() ctx: Context,
    @Arg('input', () => DecideApplicationInput, { description: 'The decision.' }) input: DecideApplicationInput,
  ): Promise<ApplicationPayload> {
    return { application: await ctx.services.admission.decideApplication(input) };
  }

  @Mutation(() => ApplicationPayload, {
    description: 'Withdraws an application awaiting a decision. The applicant organisation’s contacts, or ADMIN.',
  })
  async withdrawApplication(
    @Ctx() ctx: Context,
    @Arg('input', () => ApplicationIdInput, { description: 'Which application.' }) input: ApplicationIdInput,
  ): Promise<ApplicationPayload> {
    return { application: await ctx.services.admission.withdrawApplication(input.applicationId) };
  }

  @Query(() => ApplicationConnection, {
    description:
      "A collège's applications, oldest first: the representatives' review queue. Defaults to those awaiting a decision. Representatives of the collège, CLUSTER_ADMIN or ADMIN.",
  })
  applications(
    @Ctx() ctx: Context,
    @Arg('collegeId', () => ID, { description: 'The collège.' }) collegeId: string,
    @Arg('states', () => [ApplicationState], { nullable: true, description: 'Only these states (default: SUBMITTED and UNDER_REVIEW).' })
    states: ApplicationState[] | undefined,
    @Args(() => PageArgs) page: PageArgs,
    @Info() info: GraphQLResolveInfo,
  ): Promise<ApplicationConnection> {
    return ctx.services.directory.applications(uuidArg('collegeId', collegeId), states, page, selectsField(info, 'totalCount'));
  }

  @FieldResolver(() => Organisation, { description: 'The applicant.' })
  async organisation(@Root() application: Application): Promise<Organisation> {
    return (await loadReference(application.organisation))!;
  }

  @FieldResolver(() => College, { description: 'The collège applied to.' })
  async college(@Root() application: Application): Promise<College> {
    return (await loadReference(application.college))!;
  }

  @FieldResolver(() => AdmissionRuleSet, { description: 'The rule version it was judged on.' })
  async ruleSet(@Root() application: Application): Promise<AdmissionRuleSet> {
    return (await loadReference(application.ruleSet))!;
  }

  @FieldResolver(() => [CriterionResultType], { description: "Each criterion's outcome at the last evaluation." })
  criteria(@Root() application: Application): CriterionResultType[] {
    return application.criteriaResults;
  }

  @FieldResolver(() => Boolean, { description: 'True when every criterion passed at the last evaluation.' })
  eligible(@Root() application: Application): boolean {
    return isEligible(application.criteriaResults);
  }

  @FieldResolver(() => [Organisation], { description: 'The member organisations sponsoring it.' })
  async sponsors(@Ctx() ctx: Context, @Root() application: Application): Promise<Organisation[]> {
    // Batched over a list: one query for the sponsorships (with their sponsors) of every application of a page.
    const sponsorships = await loadChildren(ctx.em, Sponsorship, 'application', application.id, { createdAt: 'asc', id: 'asc' }, [
      'sponsor',
    ]);
    return sponsorships.map((s) => s.sponsor);
  }

  @FieldResolver(() => Date, { description: 'When it was submitted.' })
  submittedAt(@Root() application: Application): Date {
    return application.createdAt;
  }
}

@Resolver(() => AdmissionRuleSet)
export class AdmissionRuleSetResolver {
  @FieldResolver(() => AdmissionCriteriaType, { description: 'The criteria of this version.' })
  criteria(@Root() ruleSet: AdmissionRuleSet): AdmissionCriteriaType {
    return ruleSet.criteria;
  }

  @FieldResolver(() => College, { description: 'The collège these rules belong to.' })
  async college(@Root() ruleSet: AdmissionRuleSet): Promise<College> {
    return (await loadReference(ruleSet.college))!;
  }
}
