import type { GraphQLResolveInfo } from 'graphql';
import { IsEnum, IsOptional, IsUUID } from 'class-validator';
import { Arg, Args, ArgsType, Ctx, Field, FieldResolver, ID, Info, Int, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { Action, ANY_CLUSTER, authorize, clusterScope, collegeScope, requireViewer, type Scope } from '../auth/permissions.js';
import { Cluster } from '../membership/cluster.entity.js';
import { College } from '../membership/college.entity.js';
import { Organisation } from '../membership/organisation.entity.js';
import type { Context } from './finance.services.js';
import { NotFoundError } from '../shared/errors.js';
import { uuidArg } from '../shared/ids.js';
import { LocalDate } from '../shared/scalars.js';
import { loadChildren, loadReference, type Loadable } from '../shared/loaders.js';
import { ConnectionType, PageArgs, selectsField } from '../shared/pagination.js';
import {
  CreateFunderInput,
  CreateProgrammeInput,
  FreezeSubsidyInput,
  MonthlyOutgoingInput,
  RecordReceiptInput,
  RecordSubsidyInput,
  ReleaseSubsidyInput,
  ReverseEntryInput,
  TransitionSubsidyInput,
  TreasuryFilterInput,
} from './finance.inputs.js';
import { Funder, Laureate, Programme } from './funder.entity.js';
import { LedgerEntry, LedgerKind } from './ledger-entry.entity.js';
import { MoneyScalar } from './money.js';
import { EXPECTING, SubsidyState } from './subsidy-state.js';
import { FinancingShare, Instalment, Subsidy, SubsidyAllocation, SubsidyEvent, SubsidyFreeze } from './subsidy.entity.js';

@ObjectType({ description: 'The funder, as recorded.' })
class FunderPayload {
  @Field(() => Funder, { description: 'The funder.' })
  funder!: Funder;
}

@ObjectType({ description: 'The programme, as recorded.' })
class ProgrammePayload {
  @Field(() => Programme, { description: 'The programme, with its laureates.' })
  programme!: Programme;
}

@ObjectType({ description: 'The subsidy as it now stands.' })
class SubsidyPayload {
  @Field(() => Subsidy, { description: 'The subsidy.' })
  subsidy!: Subsidy;
}

@ObjectType({ description: 'A receipt, and the subsidy after it.' })
class ReceiptPayload {
  @Field(() => LedgerEntry, { description: 'The RECEIPT entry (the first one, when the bank reference was already recorded).' })
  entry!: LedgerEntry;

  @Field(() => Subsidy, { description: 'The subsidy after the receipt.' })
  subsidy!: Subsidy;

  @Field({
    description: 'True when this bank reference was already recorded on the subsidy: nothing was written, the first entry is returned.',
  })
  alreadyRecorded!: boolean;
}

@ObjectType({ description: 'A reversal, and the subsidy after it.' })
class ReversalPayload {
  @Field(() => LedgerEntry, { description: 'The REVERSAL entry.' })
  entry!: LedgerEntry;

  @Field(() => Subsidy, { description: 'The subsidy after the reversal.' })
  subsidy!: Subsidy;
}

@ObjectType({ description: 'What the ledger says of one subsidy, in cents.' })
class SubsidyBalanceType {
  @Field(() => MoneyScalar, { description: 'Net awarded: AWARD entries, less clawbacks and reversals.' })
  awarded!: bigint;

  @Field(() => MoneyScalar, { description: 'Net received: RECEIPT entries, less clawbacks and reversals.' })
  received!: bigint;

  @Field(() => MoneyScalar, {
    description:
      'Still expected: awarded − received while the state expects money (AWARDED, ACTIVE, FROZEN, PARTLY_RECEIVED, JUSTIFIED), else 0.',
  })
  outstanding!: bigint;
}

@ObjectType({ description: 'An instalment not (fully) paid yet.' })
class InstalmentDueType {
  @Field(() => ID, { description: 'The subsidy.' })
  subsidyId!: string;

  @Field(() => ID, { description: 'The instalment.' })
  instalmentId!: string;

  @Field({ description: 'The subsidy’s purpose.' })
  purpose!: string;

  @Field({ description: 'The funder’s name.' })
  funderName!: string;

  @Field(() => Int, { description: 'Its position in the payment order.' })
  position!: number;

  @Field({ description: 'ADVANCE, INTERIM or BALANCE.' })
  kind!: string;

  @Field({ description: 'Due date (ISO date).' })
  dueOn!: string;

  @Field(() => MoneyScalar, { description: 'The instalment’s amount, in cents.' })
  amount!: bigint;

  @Field(() => MoneyScalar, { description: 'What is still unpaid of it, in cents (receipts pay instalments in order).' })
  unpaid!: bigint;
}

@ObjectType({ description: 'A justification deadline of a subsidy.' })
class JustificationDeadlineType {
  @Field(() => ID, { description: 'The subsidy.' })
  subsidyId!: string;

  @Field({ description: 'The subsidy’s purpose.' })
  purpose!: string;

  @Field({ description: 'The funder’s name.' })
  funderName!: string;

  @Field({ description: 'Last day to justify (ISO date).' })
  deadline!: string;

  @Field(() => SubsidyState, { description: 'The subsidy’s state (not yet JUSTIFIED).' })
  state!: SubsidyState;
}

@ObjectType({ description: 'One funder’s share of a treasury report, in cents.' })
class FunderTotalsType {
  @Field(() => ID, { description: 'The funder.' })
  funderId!: string;

  @Field({ description: 'Its name.' })
  funderName!: string;

  @Field(() => Int, { description: 'Subsidies counted.' })
  subsidies!: number;

  @Field(() => MoneyScalar, { description: 'Awarded.' })
  awarded!: bigint;

  @Field(() => MoneyScalar, { description: 'Received.' })
  received!: bigint;

  @Field(() => MoneyScalar, { description: 'Outstanding.' })
  outstanding!: bigint;

  @Field(() => MoneyScalar, { description: 'Frozen (part of outstanding).' })
  frozen!: bigint;
}

@ObjectType({
  description:
    'A cluster’s subsidies in figures (cents), computed in SQL from the ledger. Per subsidy: outstanding = awarded − received while money is still expected; forgone = what an ended subsidy never received; overpaid = received beyond awarded; hence awarded − received = outstanding + forgone − overpaid.',
})
class TreasuryReportType {
  @Field(() => ID, { description: 'The cluster.' })
  clusterId!: string;

  @Field({ description: 'The day the report is computed for (today, or the `asOf` day; ISO date).' })
  asOf!: string;

  @Field(() => Int, { description: 'Subsidies counted (any state).' })
  subsidies!: number;

  @Field(() => MoneyScalar, { description: 'Net awarded.' })
  awarded!: bigint;

  @Field(() => MoneyScalar, { description: 'Net received.' })
  received!: bigint;

  @Field(() => MoneyScalar, { description: 'Still expected.' })
  outstanding!: bigint;

  @Field(() => MoneyScalar, { description: 'Part of outstanding that is frozen now (freezes past their end date no longer count).' })
  frozen!: bigint;

  @Field(() => MoneyScalar, { description: 'Never to be received: the unpaid balance of closed, cancelled or clawed-back subsidies.' })
  forgone!: bigint;

  @Field(() => MoneyScalar, { description: 'Received beyond the award (recorded as overpayments).' })
  overpaid!: bigint;

  @Field(() => MoneyScalar, { description: 'Unpaid parts of instalments past their due date (frozen subsidies excluded).' })
  overdue!: bigint;

  @Field(() => MoneyScalar, { description: 'Unpaid parts of instalments due in the next 90 days (frozen subsidies excluded).' })
  dueNext90Days!: bigint;

  @Field(() => [InstalmentDueType], { description: 'The overdue instalments, oldest first.' })
  overdueInstalments!: InstalmentDueType[];

  @Field(() => [InstalmentDueType], { description: 'Instalments due in the next 90 days, soonest first.' })
  instalmentsDueNext90Days!: InstalmentDueType[];

  @Field(() => [JustificationDeadlineType], { description: 'Justification deadlines in the next 90 days of subsidies not yet justified.' })
  justificationsUpcoming!: JustificationDeadlineType[];

  @Field(() => [JustificationDeadlineType], { description: 'Justification deadlines passed without a justification.' })
  justificationsMissed!: JustificationDeadlineType[];

  @Field(() => [FunderTotalsType], { description: 'The same figures per funder, by name.' })
  byFunder!: FunderTotalsType[];
}

@ObjectType({ description: 'One month of a working-capital forecast, in cents.' })
class ForecastMonthType {
  @Field({ description: 'The month, YYYY-MM.' })
  month!: string;

  @Field(() => MoneyScalar, { description: 'Cash at the start of the month.' })
  opening!: bigint;

  @Field(() => MoneyScalar, { description: 'Instalments expected that month (unpaid parts; frozen ones left out).' })
  inflows!: bigint;

  @Field(() => MoneyScalar, { description: 'Planned outgoings.' })
  outgoings!: bigint;

  @Field(() => MoneyScalar, { description: 'Cash at the end of the month.' })
  closing!: bigint;
}

@ObjectType({ description: 'The lowest projected cash balance.' })
class LowestPointType {
  @Field({ description: 'The month it is reached (YYYY-MM).' })
  month!: string;

  @Field(() => MoneyScalar, { description: 'The balance, in cents (negative: a cash shortfall).' })
  balance!: bigint;
}

@ObjectType({ description: 'Month-by-month projected cash and the working capital (fonds de roulement) the cluster must secure.' })
class WorkingCapitalForecastType {
  @Field(() => ID, { description: 'The cluster.' })
  clusterId!: string;

  @Field(() => [ForecastMonthType], { description: 'Each month, in order.' })
  months!: ForecastMonthType[];

  @Field(() => LowestPointType, { description: 'The lowest point.' })
  lowest!: LowestPointType;

  @Field(() => MoneyScalar, { description: 'max(0, −lowest balance): what the cluster must secure so its cash never goes below zero.' })
  workingCapitalNeed!: bigint;

  @Field(() => MoneyScalar, {
    description:
      'Unpaid instalments already overdue today (due before today; frozen ones excepted): counted in the first month only with includeOverdue.',
  })
  overdue!: bigint;

  @Field(() => MoneyScalar, { description: 'Instalments of the period left out because their subsidy is frozen at their due date.' })
  frozenExcluded!: bigint;
}

const SubsidyConnection = ConnectionType(Subsidy);
type SubsidyConnection = InstanceType<typeof SubsidyConnection>;

@ArgsType()
class SubsidiesArgs extends PageArgs {
  @Field(() => ID, { description: 'The beneficiary cluster.' })
  @IsUUID()
  clusterId!: string;

  @Field(() => ID, {
    nullable: true,
    description:
      'Only the subsidies allocated to this collège, or to a collège whose members moved into it by fusion (see `College.successor`): what its representatives may read.',
  })
  @IsOptional()
  @IsUUID()
  collegeId?: string;

  @Field(() => [SubsidyState], { nullable: true, description: 'Only these states.' })
  @IsOptional()
  @IsEnum(SubsidyState, { each: true })
  states?: SubsidyState[];
}

/** Who may read a subsidy: readers of its cluster, and the representatives of the collèges it is allocated to or of their successors. */
async function subsidyScopes(ctx: Context, subsidy: Subsidy): Promise<Scope[]> {
  const collegeIds = await ctx.services.subsidies.allocatedCollegeIds(subsidy.id);
  return [clusterScope(subsidy.cluster.id), ...collegeIds.map((id) => collegeScope(subsidy.cluster.id, id))];
}

/** The subsidy a write names, once the viewer is known to be its cluster's TREASURER. */
async function subsidyToManage(ctx: Context, subsidyId: string): Promise<Subsidy> {
  requireViewer(ctx.viewer);
  const subsidy = await ctx.services.subsidies.getSubsidy(subsidyId);
  authorize(ctx.viewer, Action.ManageSubsidies, clusterScope(subsidy.cluster.id));
  return subsidy;
}

@Resolver()
export class FinanceResolver {
  @Query(() => [Funder], { description: 'Every funder, by name. Public.' })
  funders(@Ctx() ctx: Context): Promise<Funder[]> {
    return ctx.em.find(Funder, {}, { orderBy: { name: 'asc', id: 'asc' } });
  }

  @Query(() => [Programme], { description: 'Programmes and calls for projects, by name; of one funder when given. Public.' })
  programmes(
    @Ctx() ctx: Context,
    @Arg('funderId', () => ID, { nullable: true, description: 'Only this funder’s.' }) funderId?: string,
  ): Promise<Programme[]> {
    return ctx.em.find(Programme, funderId ? { funder: uuidArg('funderId', funderId) } : {}, { orderBy: { name: 'asc', id: 'asc' } });
  }

  @Mutation(() => FunderPayload, {
    description: 'Registers a funder (names are unique, whatever the case). A TREASURER of any cluster, or ADMIN.',
  })
  async createFunder(
    @Ctx() ctx: Context,
    @Arg('input', () => CreateFunderInput, { description: 'The funder.' }) input: CreateFunderInput,
  ): Promise<FunderPayload> {
    authorize(ctx.viewer, Action.ManageFunders, ANY_CLUSTER);
    return { funder: await ctx.services.funders.createFunder(input) };
  }

  @Mutation(() => ProgrammePayload, {
    description: 'Registers a programme or call for projects with its laureates. A TREASURER of any cluster, or ADMIN.',
  })
  async createProgramme(
    @Ctx() ctx: Context,
    @Arg('input', () => CreateProgrammeInput, { description: 'The programme.' }) input: CreateProgrammeInput,
  ): Promise<ProgrammePayload> {
    authorize(ctx.viewer, Action.ManageFunders, ANY_CLUSTER);
    return { programme: await ctx.services.funders.createProgramme(input) };
  }

  @Mutation(() => SubsidyPayload, {
    description:
      'Records a subsidy (REQUESTED, or AWARDED with an AWARD ledger entry), with its financing plan, instalments and collège allocations, all checked to add up exactly. The cluster’s TREASURER.',
  })
  async recordSubsidy(
    @Ctx() ctx: Context,
    @Arg('input', () => RecordSubsidyInput, { description: 'The subsidy.' }) input: RecordSubsidyInput,
  ): Promise<SubsidyPayload> {
    authorize(ctx.viewer, Action.ManageSubsidies, clusterScope(input.clusterId));
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
    await subsidyToManage(ctx, input.subsidyId);
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
    const subsidy = await subsidyToManage(ctx, uuidArg('subsidyId', subsidyId));
    return { subsidy: await ctx.services.subsidies.recordFunderTransferAgreement(subsidy.id, agreement.slice(0, 500)) };
  }

  @Mutation(() => SubsidyPayload, {
    description:
      'Freezes an AWARDED, ACTIVE, PARTLY_RECEIVED or JUSTIFIED subsidy: with a reason, until a date, or until a fusion proposal is executed (its execution releases it). Receipts are then refused unless recorded with an explicit exception. The cluster’s TREASURER.',
  })
  async freezeSubsidy(
    @Ctx() ctx: Context,
    @Arg('input', () => FreezeSubsidyInput, { description: 'Which, why, until when.' }) input: FreezeSubsidyInput,
  ): Promise<SubsidyPayload> {
    await subsidyToManage(ctx, input.subsidyId);
    return { subsidy: await ctx.services.subsidies.freeze(input) };
  }

  @Mutation(() => SubsidyPayload, {
    description: 'Lifts a freeze: the subsidy returns to the state it had (RELEASE marker in the ledger). The cluster’s TREASURER.',
  })
  async releaseSubsidy(
    @Ctx() ctx: Context,
    @Arg('input', () => ReleaseSubsidyInput, { description: 'Which, and why.' }) input: ReleaseSubsidyInput,
  ): Promise<SubsidyPayload> {
    await subsidyToManage(ctx, input.subsidyId);
    return { subsidy: await ctx.services.subsidies.release(input) };
  }

  @Mutation(() => ReceiptPayload, {
    description:
      'Records money received. Idempotent on (subsidy, bank reference): the same transfer sent twice, even at once, is recorded once. Refused on a FROZEN subsidy without `frozenException`, beyond what is still due without `overpaymentReason`, and in REQUESTED, REFUSED, CANCELLED, CLOSED or CLAWED_BACK. Moves the subsidy to PARTLY_RECEIVED or RECEIVED. The cluster’s TREASURER.',
  })
  async recordReceipt(
    @Ctx() ctx: Context,
    @Arg('input', () => RecordReceiptInput, { description: 'The transfer.' }) input: RecordReceiptInput,
  ): Promise<ReceiptPayload> {
    await subsidyToManage(ctx, input.subsidyId);
    return ctx.services.subsidies.recordReceipt(input);
  }

  @Mutation(() => ReversalPayload, {
    description:
      'Corrects a RECEIPT or CLAWBACK entry with a REVERSAL of the opposite amount (entries are never edited; each is reversed at most once). The cluster’s TREASURER.',
  })
  async reverseEntry(
    @Ctx() ctx: Context,
    @Arg('input', () => ReverseEntryInput, { description: 'Which entry, and why.' }) input: ReverseEntryInput,
  ): Promise<ReversalPayload> {
    requireViewer(ctx.viewer);
    const entry = await ctx.services.subsidies.getEntry(input.entryId);
    authorize(ctx.viewer, Action.ManageSubsidies, clusterScope(entry.subsidy.cluster.id));
    return ctx.services.subsidies.reverseEntry(input);
  }

  @Query(() => SubsidyConnection, {
    description:
      'A cluster’s subsidies, newest first. The cluster’s TREASURER, CLUSTER_ADMIN and BOARD_MEMBERs, and ADMIN; with `collegeId`, also that collège’s representatives.',
  })
  async subsidies(
    @Ctx() ctx: Context,
    @Args(() => SubsidiesArgs) args: SubsidiesArgs,
    @Info() info: GraphQLResolveInfo,
  ): Promise<SubsidyConnection> {
    let scope: Scope = clusterScope(args.clusterId);
    if (args.collegeId) {
      const college = await ctx.em.findOne(College, { id: args.collegeId, cluster: args.clusterId });
      if (!college) throw new NotFoundError('College', args.collegeId);
      scope = collegeScope(args.clusterId, college.id);
    }
    authorize(ctx.viewer, Action.ReadSubsidies, scope);
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
  async subsidy(@Ctx() ctx: Context, @Arg('id', () => ID, { description: 'The subsidy.' }) id: string): Promise<Subsidy> {
    requireViewer(ctx.viewer);
    const subsidy = await ctx.services.subsidies.getSubsidy(uuidArg('id', id));
    authorize(ctx.viewer, Action.ReadSubsidies, ...(await subsidyScopes(ctx, subsidy)));
    return subsidy;
  }

  @Query(() => TreasuryReportType, {
    description: 'A cluster’s treasury report, computed in SQL. The cluster’s TREASURER, CLUSTER_ADMIN and BOARD_MEMBERs, and ADMIN.',
  })
  async treasuryReport(
    @Ctx() ctx: Context,
    @Arg('clusterId', () => ID, { description: 'The cluster.' }) clusterId: string,
    @Arg('filter', () => TreasuryFilterInput, { nullable: true, description: 'Restrict to a collège, a funder, a programme, a year.' })
    filter?: TreasuryFilterInput,
    @Arg('asOf', () => LocalDate, {
      nullable: true,
      description:
        'The report as it stood at the end of this past day: the subsidies the cluster was then the beneficiary of (a fusion moves them later), their state then, the entries valued by then (default: today).',
    })
    asOf?: string,
  ): Promise<TreasuryReportType> {
    authorize(ctx.viewer, Action.ReadTreasury, clusterScope(uuidArg('clusterId', clusterId)));
    return ctx.services.treasury.report(clusterId, filter ?? {}, asOf) as Promise<TreasuryReportType>;
  }

  @Query(() => WorkingCapitalForecastType, {
    description:
      'Projects the cluster’s cash month by month from an opening balance, the expected instalments (frozen ones left out) and the planned outgoings, and gives the lowest point: the working capital to secure. Writes nothing. The cluster’s TREASURER, CLUSTER_ADMIN and BOARD_MEMBERs, and ADMIN.',
  })
  async workingCapitalForecast(
    @Ctx() ctx: Context,
    @Arg('clusterId', () => ID, { description: 'The cluster.' }) clusterId: string,
    @Arg('openingBalance', () => MoneyScalar, { description: 'Cash at the start of the first month, in cents (may be negative).' })
    openingBalance: bigint,
    @Arg('fromMonth', { nullable: true, description: 'First month, YYYY-MM (default: this month).' }) fromMonth?: string,
    @Arg('months', () => Int, { nullable: true, description: 'How many months (1–60, default 12).' }) months?: number,
    @Arg('monthlyOutgoings', () => MoneyScalar, { nullable: true, description: 'Planned outgoings of every month, in cents (default 0).' })
    monthlyOutgoings?: bigint,
    @Arg('outgoings', () => [MonthlyOutgoingInput], {
      nullable: true,
      description: 'Planned outgoings of particular months (override `monthlyOutgoings`).',
    })
    outgoings?: MonthlyOutgoingInput[],
    @Arg('includeOverdue', {
      nullable: true,
      description: 'Count overdue instalments as coming in the first month (default false: prudent).',
    })
    includeOverdue?: boolean,
  ): Promise<WorkingCapitalForecastType> {
    authorize(ctx.viewer, Action.ReadTreasury, clusterScope(uuidArg('clusterId', clusterId)));
    return ctx.services.treasury.forecast({ clusterId, openingBalance, fromMonth, months, monthlyOutgoings, outgoings, includeOverdue });
  }
}

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
  async balance(@Ctx() ctx: Context, @Root() subsidy: Subsidy): Promise<SubsidyBalanceType> {
    const { awarded, received } = await ctx.services.subsidies.balance(subsidy.id);
    const outstanding = EXPECTING.includes(subsidy.state) && awarded > received ? awarded - received : 0n;
    return { awarded, received, outstanding };
  }
}

@Resolver(() => Programme)
export class ProgrammeFieldsResolver {
  @FieldResolver(() => Funder, { description: 'The funder running it.' })
  funder(@Root() programme: Programme): Loadable<Funder> {
    return loadReference(programme.funder);
  }

  @FieldResolver(() => [Laureate], { description: 'Its laureates.' })
  laureates(@Ctx() ctx: Context, @Root() programme: Programme): Promise<Laureate[]> {
    return loadChildren(ctx.em, Laureate, 'programme', programme.id, { createdAt: 'asc', id: 'asc' });
  }
}

@Resolver(() => Laureate)
export class LaureateFieldsResolver {
  @FieldResolver(() => Organisation, { description: 'The organisation selected.' })
  organisation(@Root() laureate: Laureate): Loadable<Organisation> {
    return loadReference(laureate.organisation);
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

@Resolver(() => LedgerEntry)
export class LedgerEntryFieldsResolver {
  @FieldResolver(() => ID, { description: 'The subsidy.' })
  subsidyId(@Root() entry: LedgerEntry): string {
    return entry.subsidy.id;
  }

  @FieldResolver(() => ID, { description: 'The beneficiary cluster when the entry was written.' })
  clusterId(@Root() entry: LedgerEntry): string {
    return entry.cluster.id;
  }

  @FieldResolver(() => ID, { nullable: true, description: 'The entry this one reverses.' })
  reversesId(@Root() entry: LedgerEntry): string | null {
    return entry.reverses?.id ?? null;
  }

  @FieldResolver(() => ID, { nullable: true, description: 'For a TRANSFER: the cluster the subsidy passed to.' })
  counterpartClusterId(@Root() entry: LedgerEntry): string | null {
    return entry.counterpartCluster?.id ?? null;
  }
}
