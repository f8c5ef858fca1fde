import { ArrayMaxSize, IsEnum, IsInt, IsOptional, IsString, IsUUID, Length, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { Field, ID, InputType, Int } from 'type-graphql';
import { LocalDate } from '../shared/scalars.js';
import { FunderKind, LaureateKind, ProgrammeKind } from './funder.entity.js';
import { MoneyScalar } from './money.js';
import { InstalmentKind, ShareKind } from './subsidy.entity.js';
import { SubsidyState } from './subsidy-state.js';

@InputType({ description: 'A new funder.' })
export class CreateFunderInput {
  @Field({ description: 'Name, unique (1–200 characters), e.g. "Région Occitanie".' })
  @Length(1, 200)
  name!: string;

  @Field(() => FunderKind, { description: 'Who it is.' })
  @IsEnum(FunderKind)
  kind!: FunderKind;

  @Field({ nullable: true, description: 'Region it acts in.' })
  @IsOptional()
  @MaxLength(200)
  region?: string;

  @Field({ nullable: true, description: 'Public website.' })
  @IsOptional()
  @MaxLength(500)
  website?: string;
}

@InputType({ description: 'A laureate of a programme.' })
export class LaureateInput {
  @Field(() => ID, { description: 'The organisation selected.' })
  @IsUUID()
  organisationId!: string;

  @Field({ description: 'The project (1–500 characters).' })
  @Length(1, 500)
  project!: string;

  @Field(() => LaureateKind, { description: 'Creation, extension…' })
  @IsEnum(LaureateKind)
  kind!: LaureateKind;

  @Field(() => MoneyScalar, { nullable: true, description: 'Amount granted to the project, in cents (more than 0).' })
  @IsOptional()
  amount?: bigint;
}

@InputType({ description: 'A new programme or call for projects, with its laureates.' })
export class CreateProgrammeInput {
  @Field(() => ID, { description: 'The funder running it.' })
  @IsUUID()
  funderId!: string;

  @Field({ description: 'Name, unique per funder (1–200 characters), e.g. "Fab Région".' })
  @Length(1, 200)
  name!: string;

  @Field(() => ProgrammeKind, { description: 'What kind of programme.' })
  @IsEnum(ProgrammeKind)
  kind!: ProgrammeKind;

  @Field({ nullable: true, description: 'The funder’s reference.' })
  @IsOptional()
  @MaxLength(200)
  reference?: string;

  @Field(() => MoneyScalar, { nullable: true, description: 'Total budget, in cents (more than 0).' })
  @IsOptional()
  budget?: bigint;

  @Field(() => LocalDate, { nullable: true, description: 'Opening day.' })
  @IsOptional()
  opensOn?: string;

  @Field(() => LocalDate, { nullable: true, description: 'Closing day; not before the opening day.' })
  @IsOptional()
  closesOn?: string;

  @Field({ nullable: true, description: 'What it funds.' })
  @IsOptional()
  @MaxLength(5000)
  description?: string;

  @Field(() => [LaureateInput], { nullable: true, description: 'Its laureates (at most 500).' })
  @IsOptional()
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  laureates?: LaureateInput[];
}

@InputType({ description: 'One scheduled payment.' })
export class InstalmentInput {
  @Field(() => InstalmentKind, { description: 'Advance (first), interim or balance (last).' })
  @IsEnum(InstalmentKind)
  kind!: InstalmentKind;

  @Field(() => MoneyScalar, { description: 'Amount in cents (more than 0).' })
  amount!: bigint;

  @Field(() => LocalDate, { description: 'Due date: not before the decision date, and in payment order.' })
  dueOn!: string;
}

@InputType({ description: 'One co-financer’s share of the financing plan.' })
export class FinancingShareInput {
  @Field(() => ShareKind, { description: 'Who pays it.' })
  @IsEnum(ShareKind)
  kind!: ShareKind;

  @Field({ description: 'How the plan names it (1–200 characters).' })
  @Length(1, 200)
  label!: string;

  @Field(() => ID, { nullable: true, description: 'The funder, when it is a registered one.' })
  @IsOptional()
  @IsUUID()
  funderId?: string;

  @Field(() => MoneyScalar, { description: 'Amount in cents (more than 0).' })
  amount!: bigint;
}

@InputType({ description: 'A collège’s share of the subsidy.' })
export class AllocationInput {
  @Field(() => ID, { description: 'A collège of the beneficiary cluster.' })
  @IsUUID()
  collegeId!: string;

  @Field(() => Int, { description: 'Share in basis points (1–10 000; 10 000 = 100 %). The shares add up to 10 000.' })
  @IsInt()
  @Min(1)
  @Max(10_000)
  shareBasisPoints!: number;
}

@InputType({ description: 'A subsidy to record.' })
export class RecordSubsidyInput {
  @Field(() => ID, { description: 'The beneficiary cluster.' })
  @IsUUID()
  clusterId!: string;

  @Field(() => ID, { description: 'The funder.' })
  @IsUUID()
  funderId!: string;

  @Field(() => ID, { nullable: true, description: 'The programme or call for projects (of that funder).' })
  @IsOptional()
  @IsUUID()
  programmeId?: string;

  @Field({ description: 'What it pays for (1–2 000 characters).' })
  @Length(1, 2000)
  purpose!: string;

  @Field(() => SubsidyState, {
    nullable: true,
    description: 'REQUESTED (asked for, not decided) or AWARDED (default: decided; needs `decisionDate`).',
  })
  @IsOptional()
  @IsEnum(SubsidyState)
  state?: SubsidyState;

  @Field({ nullable: true, description: 'The funder’s decision reference.' })
  @IsOptional()
  @MaxLength(200)
  decisionReference?: string;

  @Field(() => LocalDate, { nullable: true, description: 'Date of the decision; required when AWARDED, not in the future.' })
  @IsOptional()
  decisionDate?: string;

  @Field(() => MoneyScalar, { description: 'Amount awarded (or requested) in cents, more than 0.' })
  amountAwarded!: bigint;

  @Field(() => MoneyScalar, { nullable: true, description: 'Eligible cost of the financing plan in cents; required with `financingPlan`.' })
  @IsOptional()
  eligibleCost?: bigint;

  @Field(() => [FinancingShareInput], {
    nullable: true,
    description: 'The financing plan: shares that add up to `eligibleCost` exactly (at most 20).',
  })
  @IsOptional()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  financingPlan?: FinancingShareInput[];

  @Field(() => [InstalmentInput], {
    nullable: true,
    description: 'The payment schedule: amounts that add up to the award exactly, in due-date order (at most 50).',
  })
  @IsOptional()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  instalments?: InstalmentInput[];

  @Field(() => [AllocationInput], { nullable: true, description: 'Shares for collèges of the cluster, adding up to 100 % (at most 50).' })
  @IsOptional()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  allocations?: AllocationInput[];

  @Field(() => LocalDate, { nullable: true, description: 'Last day to justify the spending; not before the decision.' })
  @IsOptional()
  justificationDeadline?: string;

  @Field({ nullable: true, description: 'Whether the funder must agree before the subsidy passes to another beneficiary (default false).' })
  @IsOptional()
  transferRequiresFunderAgreement?: boolean;
}

@InputType({ description: 'A change of state.' })
export class TransitionSubsidyInput {
  @Field(() => ID, { description: 'The subsidy.' })
  @IsUUID()
  subsidyId!: string;

  @Field(() => SubsidyState, {
    description:
      'The new state: AWARDED, REFUSED, ACTIVE, CANCELLED, JUSTIFIED, CLOSED or CLAWED_BACK (the others follow from receipts, freezes and releases).',
  })
  @IsEnum(SubsidyState)
  to!: SubsidyState;

  @Field({ nullable: true, description: 'Why (required for REFUSED, CANCELLED and CLAWED_BACK).' })
  @IsOptional()
  @MaxLength(2000)
  reason?: string;

  @Field(() => LocalDate, { nullable: true, description: 'For AWARDED: the decision date, when not recorded yet.' })
  @IsOptional()
  decisionDate?: string;

  @Field({ nullable: true, description: 'For AWARDED: the decision reference.' })
  @IsOptional()
  @MaxLength(200)
  decisionReference?: string;

  @Field(() => MoneyScalar, {
    nullable: true,
    description: 'For CLAWED_BACK: the amount reclaimed in cents (more than 0, at most what was received).',
  })
  @IsOptional()
  clawbackAmount?: bigint;

  @Field(() => LocalDate, { nullable: true, description: 'For CLAWED_BACK: when the money went back (default today).' })
  @IsOptional()
  valueDate?: string;
}

@InputType({ description: 'A freeze: why, and until when or until which fusion.' })
export class FreezeSubsidyInput {
  @Field(() => ID, { description: 'The subsidy.' })
  @IsUUID()
  subsidyId!: string;

  @Field({ description: 'Why (1–2 000 characters), e.g. "frozen by the regional council until the merger".' })
  @Length(1, 2000)
  reason!: string;

  @Field(() => LocalDate, { nullable: true, description: 'Frozen until this day (after today).' })
  @IsOptional()
  until?: string;

  @Field(() => ID, { nullable: true, description: 'Frozen until this fusion proposal is executed (its execution releases it).' })
  @IsOptional()
  @IsUUID()
  untilProposalId?: string;
}

@InputType({ description: 'Lifting a freeze.' })
export class ReleaseSubsidyInput {
  @Field(() => ID, { description: 'The subsidy.' })
  @IsUUID()
  subsidyId!: string;

  @Field({ description: 'Why (1–2 000 characters).' })
  @Length(1, 2000)
  reason!: string;
}

@InputType({ description: 'Money received from the funder.' })
export class RecordReceiptInput {
  @Field(() => ID, { description: 'The subsidy.' })
  @IsUUID()
  subsidyId!: string;

  @Field(() => MoneyScalar, { description: 'Amount received in cents (more than 0).' })
  amount!: bigint;

  @Field(() => LocalDate, { description: 'Value date of the transfer; not in the future.' })
  valueDate!: string;

  @Field({
    description:
      'Bank reference of the transfer (1–200 characters). The same reference on the same subsidy is recorded once: sending it again returns the first entry.',
  })
  @Length(1, 200)
  bankReference!: string;

  @Field({ nullable: true, description: 'Required to record a receipt on a FROZEN subsidy: the treasurer’s explicit exception.' })
  @IsOptional()
  @MaxLength(2000)
  frozenException?: string;

  @Field({ nullable: true, description: 'Required to record more than is still due: why.' })
  @IsOptional()
  @MaxLength(2000)
  overpaymentReason?: string;
}

@InputType({ description: 'A correction: an entry cancelled by its opposite.' })
export class ReverseEntryInput {
  @Field(() => ID, { description: 'The RECEIPT or CLAWBACK entry to reverse.' })
  @IsUUID()
  entryId!: string;

  @Field({ description: 'Why (1–2 000 characters).' })
  @Length(1, 2000)
  reason!: string;

  @Field(() => LocalDate, { nullable: true, description: 'Value date of the reversal (default today).' })
  @IsOptional()
  valueDate?: string;
}

@InputType({ description: 'Which subsidies a treasury report covers.' })
export class TreasuryFilterInput {
  @Field(() => ID, {
    nullable: true,
    description:
      'Only subsidies allocating a share to this collège, or to a collège whose members moved into it by fusion (see `College.successor`); whole amounts.',
  })
  @IsOptional()
  @IsUUID()
  collegeId?: string;

  @Field(() => ID, { nullable: true, description: 'Only this funder’s.' })
  @IsOptional()
  @IsUUID()
  funderId?: string;

  @Field(() => ID, { nullable: true, description: 'Only this programme’s.' })
  @IsOptional()
  @IsUUID()
  programmeId?: string;

  @Field(() => Int, { nullable: true, description: 'Only subsidies decided (or, while requested, recorded) this year.' })
  @IsOptional()
  @IsInt()
  @Min(1900)
  @Max(2200)
  year?: number;
}

@InputType({ description: 'Planned outgoings of one month.' })
export class MonthlyOutgoingInput {
  @Field({ description: 'The month, `YYYY-MM`.' })
  @IsString()
  month!: string;

  @Field(() => MoneyScalar, { description: 'What the cluster plans to spend that month, in cents (0 or more).' })
  amount!: bigint;
}
