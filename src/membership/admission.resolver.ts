import { IsEnum, IsOptional, IsUUID, MaxLength } from 'class-validator';
import type { GraphQLResolveInfo } from 'graphql';
import {
  Arg,
  Args,
  Ctx,
  Info,
  Field,
  FieldResolver,
  ID,
  InputType,
  Mutation,
  ObjectType,
  Query,
  Resolver,
  Root,
  registerEnumType,
} from 'type-graphql';
import { Action, authorize, collegeScope, organisationScope, requireViewer } from '../auth/permissions.js';
import type { Context } from './membership.services.js';
import { loadReference } from '../shared/loaders.js';
import { ConnectionType, PageArgs, selectsField } from '../shared/pagination.js';
import { isEligible } from './admission-criteria.js';
import { AdmissionRuleSet } from './admission-rule-set.entity.js';
import { Decision } from './admission.service.js';
import { AdmissionCriteriaType, CriterionResultType, SetAdmissionRulesInput } from './admission.types.js';
import { Application, ApplicationState } from './application.entity.js';
import { College } from './college.entity.js';
import { Organisation } from './organisation.entity.js';
import { Sponsorship } from './sponsorship.entity.js';

registerEnumType(Decision, {
  name: 'Decision',
  description: "A representative's decision on an application.",
  valuesConfig: {
    APPROVE: { description: 'Admit: a membership starts today.' },
    REJECT: { description: 'Refuse, with a reason.' },
  },
});

const ApplicationConnection = ConnectionType(Application);
type ApplicationConnection = InstanceType<typeof ApplicationConnection>;

@ObjectType({ description: 'What an application would get now against the rules in force: a dry run that writes nothing.' })
class EligibilityReport {
  @Field(() => Organisation, { description: 'The organisation judged.' })
  organisation!: Organisation;

  @Field(() => College, { description: 'The collège applied to.' })
  college!: College;

  @Field(() => AdmissionRuleSet, { description: 'The rule version in force.' })
  ruleSet!: AdmissionRuleSet;

  @Field({ description: 'True when every criterion passed.' })
  eligible!: boolean;

  @Field(() => [CriterionResultType], { description: "Each criterion's outcome, with a readable detail." })
  criteria!: CriterionResultType[];
}

@InputType({ description: 'An organisation and a collège.' })
class ApplicationTargetInput {
  @Field(() => ID, { description: 'The applying organisation.' })
  @IsUUID()
  organisationId!: string;

  @Field(() => ID, { description: 'The collège applied to.' })
  @IsUUID()
  collegeId!: string;
}

@InputType({ description: 'Backing an application as an active member of the same collège.' })
class SponsorApplicationInput {
  @Field(() => ID, { description: 'The application.' })
  @IsUUID()
  applicationId!: string;

  @Field(() => ID, { description: 'The sponsoring member organisation; the caller must act for it.' })
  @IsUUID()
  sponsorOrganisationId!: string;
}

@InputType({ description: "A representative's decision." })
class DecideApplicationInput {
  @Field(() => ID, { description: 'The application.' })
  @IsUUID()
  applicationId!: string;

  @Field(() => Decision, { description: 'Approve or reject.' })
  @IsEnum(Decision)
  decision!: Decision;

  @Field({ nullable: true, description: 'The reason: required to reject, optional to approve.' })
  @IsOptional()
  @MaxLength(2000)
  reason?: string;

  @Field({ nullable: true, description: 'To approve although a criterion is not met: why (recorded with the decision).' })
  @IsOptional()
  @MaxLength(2000)
  overrideReason?: string;
}

@InputType({ description: 'Which application.' })
class ApplicationIdInput {
  @Field(() => ID, { description: 'The application.' })
  @IsUUID()
  applicationId!: string;
}

@ObjectType({ description: 'The application as it now stands.' })
class ApplicationPayload {
  @Field(() => Application, { description: 'The application.' })
  application!: Application;
}

@ObjectType({ description: 'Result of setAdmissionRules.' })
class SetAdmissionRulesPayload {
  @Field(() => AdmissionRuleSet, { description: 'The new rule version, now in force.' })
  ruleSet!: AdmissionRuleSet;
}

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
    requireViewer(ctx.viewer);
    const college = await ctx.services.admission.getCollege(input.collegeId);
    authorize(ctx.viewer, Action.SetAdmissionRules, collegeScope(college.cluster.id, college.id));
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
    requireViewer(ctx.viewer);
    const college = await ctx.services.admission.getCollege(input.collegeId);
    authorize(ctx.viewer, Action.SubmitApplication, organisationScope(input.organisationId), collegeScope(college.cluster.id, college.id));
    const report = await ctx.services.admission.checkEligibility(input.organisationId, input.collegeId);
    return { ...report, criteria: report.results };
  }

  @Mutation(() => ApplicationPayload, {
    description:
      "Applies to a collège: stores the application with the rule version and each criterion's outcome. In an AUTOMATIC collège an eligible application is approved at once. The organisation's contacts, a representative of the collège on its behalf, or ADMIN.",
  })
  async submitApplication(
    @Ctx() ctx: Context,
    @Arg('input', () => ApplicationTargetInput, { description: 'Who applies, and where.' }) input: ApplicationTargetInput,
  ): Promise<ApplicationPayload> {
    requireViewer(ctx.viewer);
    const college = await ctx.services.admission.getCollege(input.collegeId);
    authorize(ctx.viewer, Action.SubmitApplication, organisationScope(input.organisationId), collegeScope(college.cluster.id, college.id));
    return { application: await ctx.services.admission.submitApplication(input.organisationId, input.collegeId) };
  }

  @Mutation(() => ApplicationPayload, {
    description: 'Backs an application as an active member of the same collège; the caller must act for the sponsoring organisation.',
  })
  async sponsorApplication(
    @Ctx() ctx: Context,
    @Arg('input', () => SponsorApplicationInput, { description: 'Which application, which sponsor.' }) input: SponsorApplicationInput,
  ): Promise<ApplicationPayload> {
    authorize(ctx.viewer, Action.SponsorApplication, organisationScope(input.sponsorOrganisationId));
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
    requireViewer(ctx.viewer);
    const application = await ctx.services.admission.getApplication(input.applicationId);
    authorize(ctx.viewer, Action.DecideApplication, collegeScope(application.college.cluster.id, application.college.id));
    return { application: await ctx.services.admission.startReview(application.id) };
  }

  @Mutation(() => ApplicationPayload, {
    description:
      'Approves or rejects. A representative of the collège with a mandate in force. Approval is refused (CONFLICT, listing the unmet criteria) while a criterion fails or is pending, unless `overrideReason` is given; a rejection needs a reason. Deciding twice is a CONFLICT: the first decision stands.',
  })
  async decideApplication(
    @Ctx() ctx: Context,
    @Arg('input', () => DecideApplicationInput, { description: 'The decision.' }) input: DecideApplicationInput,
  ): Promise<ApplicationPayload> {
    requireViewer(ctx.viewer);
    const application = await ctx.services.admission.getApplication(input.applicationId);
    authorize(ctx.viewer, Action.DecideApplication, collegeScope(application.college.cluster.id, application.college.id));
    return { application: await ctx.services.admission.decideApplication(input) };
  }

  @Mutation(() => ApplicationPayload, {
    description: 'Withdraws an application awaiting a decision. The applicant organisation’s contacts, or ADMIN.',
  })
  async withdrawApplication(
    @Ctx() ctx: Context,
    @Arg('input', () => ApplicationIdInput, { description: 'Which application.' }) input: ApplicationIdInput,
  ): Promise<ApplicationPayload> {
    requireViewer(ctx.viewer);
    const application = await ctx.services.admission.getApplication(input.applicationId);
    authorize(ctx.viewer, Action.WithdrawApplication, organisationScope(application.organisation.id));
    return { application: await ctx.services.admission.withdrawApplication(application.id) };
  }

  @Query(() => ApplicationConnection, {
    description:
      "A collège's applications, oldest first: the representatives' review queue. Defaults to those awaiting a decision. Representatives of the collège, CLUSTER_ADMIN or ADMIN.",
  })
  async applications(
    @Ctx() ctx: Context,
    @Arg('collegeId', () => ID, { description: 'The collège.' }) collegeId: string,
    @Arg('states', () => [ApplicationState], { nullable: true, description: 'Only these states (default: SUBMITTED and UNDER_REVIEW).' })
    states: ApplicationState[] | undefined,
    @Args(() => PageArgs) page: PageArgs,
    @Info() info: GraphQLResolveInfo,
  ): Promise<ApplicationConnection> {
    requireViewer(ctx.viewer);
    const college = await ctx.services.admission.getCollege(collegeId);
    authorize(ctx.viewer, Action.ReviewApplications, collegeScope(college.cluster.id, college.id));
    return ctx.services.directory.applications(college.id, states, page, selectsField(info, 'totalCount'));
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
    const sponsorships = await ctx.em.find(Sponsorship, { application }, { populate: ['sponsor'], orderBy: { createdAt: 'asc' } });
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
