import { Field, ID, Int, ObjectType } from 'type-graphql';
import { MoneyScalar } from './money.js';
import { SubsidyState } from './subsidy-state.js';

/** What the treasury service answers: the GraphQL types of the treasury report and the working-capital forecast. */

@ObjectType({ description: 'An instalment not (fully) paid yet.' })
export class InstalmentDueType {
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
export class JustificationDeadlineType {
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
export class FunderTotalsType {
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
export class TreasuryReportType {
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
export class ForecastMonthType {
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
export class LowestPointType {
  @Field({ description: 'The month it is reached (YYYY-MM).' })
  month!: string;

  @Field(() => MoneyScalar, { description: 'The balance, in cents (negative: a cash shortfall).' })
  balance!: bigint;
}

@ObjectType({ description: 'Month-by-month projected cash and the working capital (fonds de roulement) the cluster must secure.' })
export class WorkingCapitalForecastType {
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
