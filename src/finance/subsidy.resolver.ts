import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Ctx, FieldResolver, ID, Info, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Cluster } from '../membership/cluster.entity.js';
import { College } from '../membership/college.entity.js';
import { uuidArg } from '../shared/ids.js';
import { loadChildren, loadReference, type Loadable } from '../shared/loaders.js';
import { selectsField } from '../shared/pagination.js';
import type { Context } from './finance.services.js';
import { FreezeSubsidyInput, RecordSubsidyInput, ReleaseSubsidyInput, TransitionSubsidyInput } from './finance.inputs.js';
import { Funder, Programme } from './funder.entity.js';
import { LedgerEntry, LedgerKind } from './ledger-entry.entity.js';
import { FinancingShare, Instalment, Subsidy, SubsidyAllocation, SubsidyEvent, SubsidyFreeze } from './subsidy.entity.js';
import { SubsidiesArgs, SubsidyBalanceType, SubsidyConnection, SubsidyPayload } from './subsidy.payloads.js';

/**
 * Subsidies: reading them, recording them and moving them through their states. Each operation is
 * one service call, which loads (and locks) the subsidy and checks the caller on it.
 */
@Resolver()
export class SubsidyResolver {
  @Query(() => SubsidyConnection, {
    description:
      'A cluster’s subsidies, newest first. The cluster’s TREASURER, CLUSTER_ADMIN and BOARD_MEMBERs, and ADMIN; with `collegeId`, also that collège’s representatives.',
  })
  subsidies(
    @Ctx() ctx: Context,
    @Args(() => SubsidiesArgs) args: SubsidiesArgs,
    @Info() info: GraphQLResolveInfo,
  ): Promise<SubsidyConnection> {
    return ctx.services.subsidies.list(
      args.clusterId,
      { collegeId: args.collegeId, states: args.states },
      args,
      selectsField(info, 'totalCount'),
    );
  }

  @Query(() => Subsidy, {
    description:
      'One subsidy. The cluster’s TREASURER, CLUSTER_ADMIN and BOARD_MEMBERs, ADMIN, and the representatives of the collèges it is allocated to — or of the collèges their members moved to by fusion.',
  })
  subsidy(@Ctx() ctx: Context, @Arg('id', () => ID, { description: 'The subsidy.' }) id: string): Promise<Subsidy> {
    return ctx.services.subsidies.subsidy(uuidArg('id', id));
  }

  @Mutation(() => SubsidyPayload, {
    description:
      'Records a subsidy (REQUESTED, or AWARDED with an AWARD ledger entry), with its financing plan, instalments and collège allocations, all checked to add up exactly. The cluster’s TREASURER.',
  })
  async recordSubsidy(
    @Ctx() ctx: Context,
    @Arg('input', () => RecordSubsidyInput, { description: 'The subsidy.' }) input: RecordSubsidyInput,
  ): Promise<SubsidyPayload> {
    return { subsidy: await ctx.services.subsidies.recordSubsidy(input) };
  }

  @Mutation(() => SubsidyPayload, {
    description:
      'Moves a subsidy to another state. Allowed: REQUESTED → AWARDED (AWARD entry) | REFUSED | CANCELLED; AWARDED → ACTIVE | CANCELLED; ACTIVE → CANCELLED (award reversed; refused once money came in); PARTLY_RECEIVED | RECEIVED → JUSTIFIED; JUSTIFIED → CLOSED; PARTLY_RECEIVED | RECEIVED | JUSTIFIED | CLOSED → CLAWED_BACK (CLAWBACK entry). Anything else is a CONFLICT naming the current state. The cluster’s TREASURER.',
  })
  async transitionSubsidy(
    @Ctx() ctx: Context,
    @Arg('input', () => TransitionSubsidyInput, { description: 'Which, to what, and why.' }) input: TransitionSubsidyInput,
  ): Promise<SubsidyPayload> {
    return { subsidy: await ctx.services.subsidies.transition(input) };
  }

  @Mutation(() => SubsidyPayload, {
    description:
      'Records the funder’s agreement (letter, decision reference) to pass the subsidy to another beneficiary: a fusion refuses to move a subsidy that requires one without it. The cluster’s TREASURER.',
  })
  async recordFunderTransferAgreement(
    @Ctx() ctx: Context,
    @Arg('subsidyId', () => ID, { description: 'The subsidy.' }) subsidyId: string,
    @Arg('agreement', { description: 'The funder’s agreement: reference of the letter or decision (1–500 characters).' }) agreement: string,
  ): Promise<SubsidyPayload> {
    const id = uuidArg('subsidyId', subsidyId);
    return { subsidy: await ctx.services.subsidies.recordFunderTransferAgreement(id, agreement.slice(0, 500)) };
  }

  @Mutation(() => SubsidyPayload, {
    description:
      'Freezes an AWARDED, ACTIVE, PARTLY_RECEIVED or JUSTIFIED subsidy: with a reason, until a date, or until a fusion proposal is executed (its execution releases it). Receipts are then refused unless recorded with an explicit exception. The cluster’s TREASURER.',
  })
  async freezeSubsidy(
    @Ctx() ctx: Context,
    @Arg('input', () => FreezeSubsidyInput, { description: 'Which, why, until when.' }) input: FreezeSubsidyInput,
  ): Promise<SubsidyPayload> {
    return { subsidy: await ctx.services.subsidies.freeze(input) };
  }

  @Mutation(() => SubsidyPayload, {
    description: 'Lifts a freeze: the subsidy returns to the state it had (RELEASE marker in the ledger). The cluster’s TREASURER.',
  })
  async releaseSubsidy(
    @Ctx() ctx: Context,
    @Arg('input', () => ReleaseSubsidyInput, { description: 'Which, and why.' }) input: ReleaseSubsidyInput,
  ): Promise<SubsidyPayload> {
    return { subsidy: await ctx.services.subsidies.release(input) };
  }
}

/** A subsidy's parts, read by whoever read the subsidy (its query authorized it). */
@Resolver(() => Subsidy)
export class SubsidyFieldsResolver {
  @FieldResolver(() => Cluster, { description: 'The beneficiary cluster (after a fusion: the absorbing one).' })
  cluster(@Root() subsidy: Subsidy): Loadable<Cluster> {
    return loadReference(subsidy.cluster);
  }

  @FieldResolver(() => Funder, { description: 'The funder.' })
  funder(@Root() subsidy: Subsidy): Loadable<Funder> {
    return loadReference(subsidy.funder);
  }

  @FieldResolver(() => Programme, { nullable: true, description: 'The programme or call for projects.' })
  programme(@Root() subsidy: Subsidy): Loadable<Programme> {
    return loadReference(subsidy.programme);
  }

  @FieldResolver(() => [Instalment], { description: 'The payment schedule, in payment order.' })
  instalments(@Ctx() ctx: Context, @Root() subsidy: Subsidy): Promise<Instalment[]> {
    return loadChildren(ctx.em, Instalment, 'subsidy', subsidy.id, { position: 'asc' });
  }

  @FieldResolver(() => [FinancingShare], { description: 'The financing plan: each co-financer’s share of the eligible cost.' })
  financingPlan(@Ctx() ctx: Context, @Root() subsidy: Subsidy): Promise<FinancingShare[]> {
    return loadChildren(ctx.em, FinancingShare, 'subsidy', subsidy.id, { position: 'asc' });
  }

  @FieldResolver(() => [SubsidyAllocation], { description: 'The collèges’ shares (empty: the whole cluster).' })
  allocations(@Ctx() ctx: Context, @Root() subsidy: Subsidy): Promise<SubsidyAllocation[]> {
    return loadChildren(ctx.em, SubsidyAllocation, 'subsidy', subsidy.id, { shareBasisPoints: 'desc', id: 'asc' });
  }

  @FieldResolver(() => [SubsidyFreeze], { description: 'Every freeze, current and past, newest first.' })
  freezes(@Ctx() ctx: Context, @Root() subsidy: Subsidy): Promise<SubsidyFreeze[]> {
    return loadChildren(ctx.em, SubsidyFreeze, 'subsidy', subsidy.id, { frozenAt: 'desc', id: 'asc' });
  }

  @FieldResolver(() => [SubsidyEvent], { description: 'Every change of state, oldest first.' })
  events(@Ctx() ctx: Context, @Root() subsidy: Subsidy): Promise<SubsidyEvent[]> {
    return loadChildren(ctx.em, SubsidyEvent, 'subsidy', subsidy.id, { occurredAt: 'asc', createdAt: 'asc', id: 'asc' });
  }

  @FieldResolver(() => [LedgerEntry], { description: 'Its ledger entries, in the order they were written.' })
  ledger(@Ctx() ctx: Context, @Root() subsidy: Subsidy): Promise<LedgerEntry[]> {
    return loadChildren(ctx.em, LedgerEntry, 'subsidy', subsidy.id, { createdAt: 'asc', id: 'asc' });
  }

  @FieldResolver(() => [LedgerEntry], { description: 'Its TRANSFER entries: each change of beneficiary (fusions), oldest first.' })
  async transfers(@Ctx() ctx: Context, @Root() subsidy: Subsidy): Promise<LedgerEntry[]> {
    const entries = await loadChildren(ctx.em, LedgerEntry, 'subsidy', subsidy.id, { createdAt: 'asc', id: 'asc' });
    return entries.filter((entry) => entry.kind === LedgerKind.TRANSFER);
  }

  @FieldResolver(() => SubsidyBalanceType, { description: 'Awarded, received and outstanding, from the ledger.' })
  balance(@Ctx() ctx: Context, @Root() subsidy: Subsidy): Promise<SubsidyBalanceType> {
    return ctx.services.subsidies.balance(subsidy.id);
  }
}

@Resolver(() => SubsidyAllocation)
export class SubsidyAllocationFieldsResolver {
  @FieldResolver(() => College, { description: 'The collège.' })
  college(@Root() allocation: SubsidyAllocation): Loadable<College> {
    return loadReference(allocation.college);
  }
}

@Resolver(() => FinancingShare)
export class FinancingShareFieldsResolver {
  @FieldResolver(() => Funder, { nullable: true, description: 'The funder, when the share names a registered one.' })
  funder(@Root() share: FinancingShare): Loadable<Funder> {
    return loadReference(share.funder);
  }
}
