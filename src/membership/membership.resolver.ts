import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Ctx, FieldResolver, Info, Mutation, Resolver, Root } from 'type-graphql';
import type { Context } from './membership.services.js';
import { loadChildren, loadReference, type Loadable } from '../shared/loaders.js';
import { ConnectionType, PageArgs, selectsField } from '../shared/pagination.js';
import { AdmissionRuleSet } from './admission-rule-set.entity.js';
import { College } from './college.entity.js';
import { MembershipEvent } from './membership-event.entity.js';
import { Membership } from './membership.entity.js';
import type { MembershipView, OrganisationRow } from './directory.service.js';
import { MemberFilterInput, MembershipChangeInput, TransferMembershipInput } from './membership.inputs.js';
import { CollegeStats, MembershipPayload } from './membership.payloads.js';
import type { LifecycleOperation } from './membership.service.js';
import { Organisation } from './organisation.entity.js';
import { RepresentativeMandate } from './representative-mandate.entity.js';

const MembershipConnection = ConnectionType(Membership);
type MembershipConnection = InstanceType<typeof MembershipConnection>;

@Resolver(() => Membership)
export class MembershipResolver {
  private async change(ctx: Context, operation: LifecycleOperation, input: MembershipChangeInput): Promise<MembershipPayload> {
    return { membership: await ctx.services.memberships.change(operation, input.membershipId, input.reason) };
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
    return { membership: await ctx.services.memberships.transfer(input.membershipId, input.toCollegeId, input.reason) };
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
  lineage(@Ctx() ctx: Context, @Root() membership: MembershipView): Promise<Membership[]> {
    return ctx.services.memberships.lineage(membership.id);
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
  members(
    @Ctx() ctx: Context,
    @Root() college: College,
    @Args(() => PageArgs) page: PageArgs,
    @Info() info: GraphQLResolveInfo,
    @Arg('filter', () => MemberFilterInput, { nullable: true, description: 'Restrict the list.' }) filter?: MemberFilterInput,
  ): Promise<MembershipConnection> {
    return ctx.services.directory.members(college, filter ?? {}, page, selectsField(info, 'totalCount'));
  }

  @FieldResolver(() => CollegeStats, { description: 'Members and employees, by size class. Same access as `members`.' })
  stats(@Ctx() ctx: Context, @Root() college: College): Promise<CollegeStats> {
    return ctx.services.directory.stats(college);
  }

  @FieldResolver(() => AdmissionRuleSet, { nullable: true, description: 'The admission rules in force (null before any are set). Public.' })
  admissionRules(@Ctx() ctx: Context, @Root() college: College): Promise<AdmissionRuleSet | null> {
    return ctx.services.admission.rulesInForce(college.id);
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
