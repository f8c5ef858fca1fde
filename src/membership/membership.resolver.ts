import { IsEnum, IsOptional, IsUUID, MaxLength } from 'class-validator';
import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Ctx, Field, FieldResolver, ID, Info, InputType, Int, Mutation, ObjectType, Resolver, Root } from 'type-graphql';
import { Action, authorize, collegeScope, organisationScope, requireViewer } from '../auth/permissions.js';
import type { Context } from './membership.services.js';
import { loadChildren, loadReference, type Loadable } from '../shared/loaders.js';
import { LocalDate } from '../shared/scalars.js';
import { ConnectionType, PageArgs, selectsField } from '../shared/pagination.js';
import { AdmissionRuleSet } from './admission-rule-set.entity.js';
import { College } from './college.entity.js';
import { SizeClass } from './french-identifiers.js';
import { MembershipEvent } from './membership-event.entity.js';
import { Membership, MembershipStatus } from './membership.entity.js';
import type { MembershipView, OrganisationRow } from './directory.service.js';
import type { LifecycleOperation } from './membership.service.js';
import { Organisation } from './organisation.entity.js';
import { IsDepartement } from './organisation.inputs.js';
import { RepresentativeMandate } from './representative-mandate.entity.js';

const MembershipConnection = ConnectionType(Membership);
type MembershipConnection = InstanceType<typeof MembershipConnection>;

@InputType({ description: 'Which members to list.' })
class MemberFilterInput {
  @Field(() => [MembershipStatus], {
    nullable: true,
    description: 'Only these statuses (default: ACTIVE and SUSPENDED, the current members).',
  })
  @IsOptional()
  @IsEnum(MembershipStatus, { each: true })
  statuses?: MembershipStatus[];

  @Field(() => SizeClass, { nullable: true, description: 'Only organisations of this size class.' })
  @IsOptional()
  @IsEnum(SizeClass)
  sizeClass?: SizeClass;

  @Field({ nullable: true, description: 'Only organisations in this département.' })
  @IsOptional()
  @IsDepartement()
  departement?: string;

  @Field(() => LocalDate, {
    nullable: true,
    description:
      'The members as they stood at the end of this day: memberships started by then and not ended by then (before a fusion: the absorbed clusters’ members still in their collèges). `statuses` then filters on today’s status.',
  })
  @IsOptional()
  asOf?: string;

  @Field({ nullable: true, description: 'Only organisations whose name contains this text (case-insensitive).' })
  @IsOptional()
  @MaxLength(200)
  search?: string;
}

@ObjectType({ description: 'Members and employees of one size class.' })
class SizeClassCount {
  @Field(() => SizeClass, { nullable: true, description: 'The size class (null: headcount unknown).' })
  sizeClass!: SizeClass | null;

  @Field(() => Int, { description: 'Active members of this class.' })
  members!: number;

  @Field(() => Int, { description: 'Their employees.' })
  headcount!: number;
}

@ObjectType({ description: 'A collège\'s figures, as the documents quote them ("150 members, 14 000 employees").' })
class CollegeStats {
  @Field(() => Int, { description: 'Active members.' })
  activeMembers!: number;

  @Field(() => Int, { description: 'Suspended members.' })
  suspendedMembers!: number;

  @Field(() => Int, { description: 'Employees of the active members (known headcounts).' })
  totalHeadcount!: number;

  @Field(() => [SizeClassCount], { description: 'Active members by size class: TPE, PME, ETI, GE, unknown.' })
  bySizeClass!: SizeClassCount[];
}

@InputType({ description: 'A lifecycle step on a membership.' })
class MembershipChangeInput {
  @Field(() => ID, { description: 'The membership.' })
  @IsUUID()
  membershipId!: string;

  @Field({ nullable: true, description: 'Why (required to suspend or exclude).' })
  @IsOptional()
  @MaxLength(2000)
  reason?: string;
}

@InputType({ description: 'Moving a member to another collège of the same cluster.' })
class TransferMembershipInput {
  @Field(() => ID, { description: 'The membership to end.' })
  @IsUUID()
  membershipId!: string;

  @Field(() => ID, { description: 'The collège the member moves to.' })
  @IsUUID()
  toCollegeId!: string;

  @Field({ nullable: true, description: 'Why.' })
  @IsOptional()
  @MaxLength(2000)
  reason?: string;
}

@ObjectType({ description: 'The membership as it now stands (after a transfer: the new one).' })
class MembershipPayload {
  @Field(() => Membership, { description: 'The membership.' })
  membership!: Membership;
}

@Resolver(() => Membership)
export class MembershipResolver {
  private async change(ctx: Context, operation: LifecycleOperation, input: MembershipChangeInput): Promise<MembershipPayload> {
    requireViewer(ctx.viewer);
    const membership = await ctx.services.memberships.getMembership(input.membershipId);
    const scope = collegeScope(membership.college.cluster.id, membership.college.id);
    if (operation === 'resign') authorize(ctx.viewer, Action.ResignMembership, scope, organisationScope(membership.organisation.id));
    else authorize(ctx.viewer, Action.ManageMembership, scope);
    return { membership: await ctx.services.memberships.change(operation, membership.id, input.reason) };
  }

  @Mutation(() => MembershipPayload, {
    description: "Suspends an ACTIVE membership (reason required). The collège's representatives, CLUSTER_ADMIN or ADMIN.",
  })
  suspendMembership(
    @Ctx() ctx: Context,
    @Arg('input', () => MembershipChangeInput, { description: 'Which, and why.' }) input: MembershipChangeInput,
  ) {
    return this.change(ctx, 'suspend', input);
  }

  @Mutation(() => MembershipPayload, {
    description: "Reinstates a SUSPENDED membership. The collège's representatives, CLUSTER_ADMIN or ADMIN.",
  })
  reinstateMembership(
    @Ctx() ctx: Context,
    @Arg('input', () => MembershipChangeInput, { description: 'Which, and why.' }) input: MembershipChangeInput,
  ) {
    return this.change(ctx, 'reinstate', input);
  }

  @Mutation(() => MembershipPayload, {
    description:
      "Records a member's resignation: the membership ends today. The member's contacts, the collège's representatives, CLUSTER_ADMIN or ADMIN.",
  })
  resignMembership(
    @Ctx() ctx: Context,
    @Arg('input', () => MembershipChangeInput, { description: 'Which, and why.' }) input: MembershipChangeInput,
  ) {
    return this.change(ctx, 'resign', input);
  }

  @Mutation(() => MembershipPayload, {
    description: "Excludes a member (reason required): the membership ends today. The collège's representatives, CLUSTER_ADMIN or ADMIN.",
  })
  excludeMembership(
    @Ctx() ctx: Context,
    @Arg('input', () => MembershipChangeInput, { description: 'Which, and why.' }) input: MembershipChangeInput,
  ) {
    return this.change(ctx, 'exclude', input);
  }

  @Mutation(() => MembershipPayload, {
    description:
      "Moves an ACTIVE member to another collège of the same cluster: the old membership ends as TRANSFERRED, a new one starts with `origin` pointing to it and the same `memberSince`. The source collège's representatives, CLUSTER_ADMIN or ADMIN.",
  })
  async transferMembership(
    @Ctx() ctx: Context,
    @Arg('input', () => TransferMembershipInput, { description: 'Which, and where to.' }) input: TransferMembershipInput,
  ): Promise<MembershipPayload> {
    requireViewer(ctx.viewer);
    const membership = await ctx.services.memberships.getMembership(input.membershipId);
    authorize(ctx.viewer, Action.ManageMembership, collegeScope(membership.college.cluster.id, membership.college.id));
    return { membership: await ctx.services.memberships.transfer(membership.id, input.toCollegeId, input.reason) };
  }

  @FieldResolver(() => Organisation, { description: 'The member organisation.' })
  organisation(@Root() membership: MembershipView): Loadable<Organisation | OrganisationRow> {
    return loadReference<Organisation | OrganisationRow>(membership.organisation);
  }

  @FieldResolver(() => College, { description: 'The collège.' })
  async college(@Root() membership: MembershipView): Promise<College> {
    return (await loadReference(membership.college))!;
  }

  @FieldResolver(() => Membership, { nullable: true, description: 'The membership this one continues (after a transfer or a merger).' })
  origin(@Root() membership: MembershipView): Loadable<Membership> {
    return loadReference(membership.origin);
  }

  @FieldResolver(() => [Membership], {
    description: 'The chain of memberships this one continues, across transfers and fusions: the first one first, this one last.',
  })
  async lineage(@Ctx() ctx: Context, @Root() membership: MembershipView): Promise<Membership[]> {
    const rows = await ctx.em.execute<{ id: string; depth: number }[]>(
      `with recursive chain as (
         select id, origin_id, 0 as depth from membership where id = ?
         union all
         select m.id, m.origin_id, chain.depth + 1 from membership m join chain on m.id = chain.origin_id where chain.depth < 100)
       select id, depth from chain order by depth desc`,
      [membership.id],
    );
    const found = await ctx.em.find(Membership, { id: { $in: rows.map((r) => r.id) } });
    return rows.map((r) => found.find((m) => m.id === r.id)!).filter(Boolean);
  }

  @FieldResolver(() => [MembershipEvent], { description: 'Every step of this membership, oldest first.' })
  events(@Ctx() ctx: Context, @Root() membership: MembershipView): Promise<MembershipEvent[]> {
    return loadChildren(ctx.em, MembershipEvent, 'membership', membership.id, { createdAt: 'asc', id: 'asc' });
  }
}

@Resolver(() => College)
export class CollegeMembershipResolver {
  @FieldResolver(() => MembershipConnection, {
    description: "The collège's members, by organisation name. Signed-in holders of a role in its cluster (or of this collège), and ADMIN.",
  })
  async members(
    @Ctx() ctx: Context,
    @Root() college: College,
    @Args(() => PageArgs) page: PageArgs,
    @Info() info: GraphQLResolveInfo,
    @Arg('filter', () => MemberFilterInput, { nullable: true, description: 'Restrict the list.' }) filter?: MemberFilterInput,
  ): Promise<MembershipConnection> {
    authorize(ctx.viewer, Action.ReadMembers, collegeScope(college.cluster.id, college.id));
    return ctx.services.directory.members(college.id, filter ?? {}, page, selectsField(info, 'totalCount'));
  }

  @FieldResolver(() => CollegeStats, { description: 'Members and employees, by size class. Same access as `members`.' })
  stats(@Ctx() ctx: Context, @Root() college: College): Promise<CollegeStats> {
    authorize(ctx.viewer, Action.ReadMembers, collegeScope(college.cluster.id, college.id));
    return ctx.services.directory.stats(college.id);
  }

  @FieldResolver(() => AdmissionRuleSet, { nullable: true, description: 'The admission rules in force (null before any are set). Public.' })
  admissionRules(@Ctx() ctx: Context, @Root() college: College): Promise<AdmissionRuleSet | null> {
    return ctx.services.admission.currentRules(ctx.em, college.id);
  }

  @FieldResolver(() => [AdmissionRuleSet], { description: 'Every version of the admission rules, newest first. Public.' })
  admissionRuleHistory(@Ctx() ctx: Context, @Root() college: College): Promise<AdmissionRuleSet[]> {
    return loadChildren(ctx.em, AdmissionRuleSet, 'college', college.id, { version: 'desc' });
  }

  @FieldResolver(() => [RepresentativeMandate], { description: 'Representatives’ mandates, current and past, newest first. Public.' })
  representativeMandates(@Ctx() ctx: Context, @Root() college: College): Promise<RepresentativeMandate[]> {
    return loadChildren(ctx.em, RepresentativeMandate, 'college', college.id, { startsAt: 'desc', id: 'asc' });
  }
}
