import { BigIntType, type Rel } from '@mikro-orm/core';
import { Check, Entity, Enum, Index, ManyToOne, Property, Unique } from '@mikro-orm/decorators/legacy';
import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Account } from '../auth/account.entity.js';
import { Cluster } from '../membership/cluster.entity.js';
import { College } from '../membership/college.entity.js';
import { BaseEntity } from '../shared/base.entity.js';
import { Funder, Programme } from './funder.entity.js';
import { MoneyScalar } from './money.js';
import { SubsidyState } from './subsidy-state.js';

export enum InstalmentKind {
  ADVANCE = 'ADVANCE',
  INTERIM = 'INTERIM',
  BALANCE = 'BALANCE',
}

registerEnumType(InstalmentKind, {
  name: 'InstalmentKind',
  description: 'Which payment of a subsidy an instalment is.',
  valuesConfig: {
    ADVANCE: { description: 'Paid at the start (avance); at most one, first.' },
    INTERIM: { description: 'Paid along the way (acompte).' },
    BALANCE: { description: 'Paid at the end, usually after justification (solde); at most one, last.' },
  },
});

export enum ShareKind {
  EU_ERDF = 'EU_ERDF',
  REGION = 'REGION',
  DEPARTMENT = 'DEPARTMENT',
  METROPOLIS = 'METROPOLIS',
  STATE = 'STATE',
  PRIVATE = 'PRIVATE',
  OWN_FUNDS = 'OWN_FUNDS',
  OTHER = 'OTHER',
}

registerEnumType(ShareKind, {
  name: 'ShareKind',
  description: 'Who pays a share of a financing plan.',
  valuesConfig: {
    EU_ERDF: { description: 'FEDER.' },
    REGION: { description: 'The Region.' },
    DEPARTMENT: { description: 'A departmental council.' },
    METROPOLIS: { description: 'A metropolis.' },
    STATE: { description: 'The State.' },
    PRIVATE: { description: 'Private co-financers.' },
    OWN_FUNDS: { description: 'The beneficiary’s own funds (autofinancement).' },
    OTHER: { description: 'Anyone else.' },
  },
});

/**
 * A subsidy to a cluster: who awards it, for what, how much (integer cents), how it is paid and
 * financed. Its money movements are ledger entries; its state changes are SubsidyEvents.
 */
@ObjectType({ description: 'A public (or private) subsidy to a cluster: award, financing plan, instalments, state, freezes, ledger.' })
@Entity()
@Check({ name: 'subsidy_amount_positive', expression: 'amount_awarded > 0' })
@Check({ name: 'subsidy_eligible_cost', expression: 'eligible_cost is null or eligible_cost >= amount_awarded' })
@Check({ name: 'subsidy_awarded_has_decision', expression: `state in ('REQUESTED', 'REFUSED', 'CANCELLED') or decision_date is not null` })
@Check({
  name: 'subsidy_deadline_after_decision',
  expression: 'justification_deadline is null or decision_date is null or justification_deadline >= decision_date',
})
export class Subsidy extends BaseEntity<
  | 'programme'
  | 'decisionReference'
  | 'decisionDate'
  | 'eligibleCost'
  | 'justificationDeadline'
  | 'state'
  | 'transferRequiresFunderAgreement'
  | 'funderTransferAgreement'
> {
  /** The beneficiary: after a fusion, the absorbing cluster (TRANSFER entries keep the history). */
  @ManyToOne(() => Cluster, { deleteRule: 'restrict', index: true })
  cluster!: Rel<Cluster>;

  @ManyToOne(() => Funder, { deleteRule: 'restrict', index: true })
  funder!: Rel<Funder>;

  @ManyToOne(() => Programme, { deleteRule: 'restrict', nullable: true, index: true })
  programme?: Rel<Programme> | null;

  @Field({ description: 'What it pays for.' })
  @Property({ type: 'text' })
  purpose!: string;

  @Field(() => String, { nullable: true, description: 'The funder’s decision reference (délibération, arrêté…).' })
  @Property({ type: 'text', nullable: true })
  decisionReference?: string | null;

  @Field(() => String, { nullable: true, description: 'Date of the funder’s decision (ISO date); required once AWARDED.' })
  @Property({ type: 'date', nullable: true })
  decisionDate?: string | null;

  @Field(() => MoneyScalar, { description: 'Amount awarded, in cents (while REQUESTED: the amount requested).' })
  @Property({ type: new BigIntType('bigint') })
  amountAwarded!: bigint;

  @Field(() => MoneyScalar, {
    nullable: true,
    description: 'Eligible cost of the financing plan, in cents; its shares add up to it exactly.',
  })
  @Property({ type: new BigIntType('bigint'), nullable: true })
  eligibleCost?: bigint | null;

  @Field(() => String, { nullable: true, description: 'Last day to justify the spending to the funder (ISO date).' })
  @Property({ type: 'date', nullable: true })
  justificationDeadline?: string | null;

  @Field(() => SubsidyState, { description: 'Where the subsidy stands.' })
  @Enum({ items: () => SubsidyState, nativeEnumName: 'subsidy_state' })
  @Index()
  state: SubsidyState = SubsidyState.REQUESTED;

  @Field({ description: 'Whether the funder must agree before the subsidy passes to another beneficiary (e.g. in a fusion).' })
  @Property()
  transferRequiresFunderAgreement: boolean = false;

  @Field(() => String, {
    nullable: true,
    description: 'The funder’s recorded agreement to a transfer (reference of the letter or decision).',
  })
  @Property({ type: 'text', nullable: true })
  funderTransferAgreement?: string | null;
}

/** One scheduled payment of a subsidy. */
@ObjectType({ description: 'A scheduled payment of a subsidy. The instalments of a subsidy add up to its award.' })
@Entity()
@Unique({ properties: ['subsidy', 'position'] })
@Check({ name: 'instalment_amount_positive', expression: 'amount > 0' })
export class Instalment extends BaseEntity {
  @ManyToOne(() => Subsidy, { deleteRule: 'restrict', index: true })
  subsidy!: Rel<Subsidy>;

  @Field(() => Int, { description: 'Order of payment (1, 2, 3…); receipts pay instalments in this order.' })
  @Property()
  position!: number;

  @Field(() => InstalmentKind, { description: 'Advance, interim or balance.' })
  @Enum({ items: () => InstalmentKind, nativeEnumName: 'instalment_kind' })
  kind!: InstalmentKind;

  @Field(() => MoneyScalar, { description: 'Amount, in cents.' })
  @Property({ type: new BigIntType('bigint') })
  amount!: bigint;

  @Field({ description: 'When it is due (ISO date).' })
  @Property({ type: 'date' })
  dueOn!: string;
}

/** One line of a financing plan. */
@ObjectType({ description: 'One co-financer’s share of a financing plan.' })
@Entity()
@Unique({ properties: ['subsidy', 'position'] })
@Check({ name: 'financing_share_positive', expression: 'amount > 0' })
export class FinancingShare extends BaseEntity<'funder'> {
  @ManyToOne(() => Subsidy, { deleteRule: 'restrict', index: true })
  subsidy!: Rel<Subsidy>;

  @Field(() => Int, { description: 'Order in the plan.' })
  @Property()
  position!: number;

  @Field(() => ShareKind, { description: 'Who pays it.' })
  @Enum({ items: () => ShareKind, nativeEnumName: 'share_kind' })
  kind!: ShareKind;

  @Field({ description: 'How the plan names the co-financer, e.g. "FEDER", "Région Occitanie", "Autofinancement".' })
  @Property({ length: 200 })
  label!: string;

  @ManyToOne(() => Funder, { deleteRule: 'restrict', nullable: true })
  funder?: Rel<Funder> | null;

  @Field(() => MoneyScalar, { description: 'Amount, in cents.' })
  @Property({ type: new BigIntType('bigint') })
  amount!: bigint;
}

/** A collège's share of a subsidy. */
@ObjectType({ description: 'The share of a subsidy allocated to one collège. A subsidy’s allocations add up to 100 %.' })
@Entity()
@Unique({ properties: ['subsidy', 'college'] })
@Check({ name: 'allocation_share_range', expression: 'share_basis_points >= 1 and share_basis_points <= 10000' })
export class SubsidyAllocation extends BaseEntity {
  @ManyToOne(() => Subsidy, { deleteRule: 'restrict', index: true })
  subsidy!: Rel<Subsidy>;

  @ManyToOne(() => College, { deleteRule: 'restrict', index: true })
  college!: Rel<College>;

  @Field(() => Int, { description: 'Share in basis points: 10 000 = 100 %, 2 550 = 25.5 %.' })
  @Property()
  shareBasisPoints!: number;
}

/** A freeze of a subsidy: why, until when or until which fusion, and when it was released. */
@ObjectType({
  description: 'A freeze of a subsidy: why, until a date or until a fusion proposal is executed, and its release. Kept after release.',
})
@Entity()
@Unique({ name: 'subsidy_freeze_one_open', properties: ['subsidy'], where: 'released_at is null' })
@Check({ name: 'subsidy_freeze_release_complete', expression: '(released_at is null) = (release_reason is null)' })
export class SubsidyFreeze extends BaseEntity<'until' | 'untilProposalId' | 'releasedAt' | 'releaseReason' | 'frozenBy' | 'releasedBy'> {
  @ManyToOne(() => Subsidy, { deleteRule: 'restrict', index: true })
  subsidy!: Rel<Subsidy>;

  @Field({ description: 'Why it was frozen.' })
  @Property({ type: 'text' })
  reason!: string;

  @Field({ description: 'When it was frozen.' })
  @Property({ type: 'timestamptz' })
  frozenAt!: Date;

  @Field(() => String, {
    nullable: true,
    description: 'Frozen until this day (ISO date): from then on it no longer counts as frozen, and the next receipt releases it.',
  })
  @Property({ type: 'date', nullable: true })
  until?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Frozen until this fusion proposal is executed: its execution releases the subsidy.',
  })
  @Property({ type: 'uuid', nullable: true })
  @Index()
  untilProposalId?: string | null;

  @Field(() => SubsidyState, { description: 'The state the subsidy returns to when released.' })
  @Enum({ items: () => SubsidyState, nativeEnumName: 'subsidy_state' })
  stateBefore!: SubsidyState;

  @ManyToOne(() => Account, { deleteRule: 'restrict', nullable: true })
  frozenBy?: Rel<Account> | null;

  @Field(() => Date, { nullable: true, description: 'When it was released; null while in force.' })
  @Property({ type: 'timestamptz', nullable: true })
  releasedAt?: Date | null;

  @Field(() => String, { nullable: true, description: 'Why it was released.' })
  @Property({ type: 'text', nullable: true })
  releaseReason?: string | null;

  @ManyToOne(() => Account, { deleteRule: 'restrict', nullable: true })
  releasedBy?: Rel<Account> | null;
}

/** One change of state of a subsidy: its history, never overwritten. */
@ObjectType({ description: 'One change of state of a subsidy, with who, when and why.' })
@Entity()
export class SubsidyEvent extends BaseEntity<'fromState' | 'reason' | 'actor'> {
  @ManyToOne(() => Subsidy, { deleteRule: 'restrict', index: true })
  subsidy!: Rel<Subsidy>;

  @Field(() => SubsidyState, { nullable: true, description: 'The state before (null when recorded).' })
  @Enum({ items: () => SubsidyState, nativeEnumName: 'subsidy_state', nullable: true })
  fromState?: SubsidyState | null;

  @Field(() => SubsidyState, { description: 'The state after.' })
  @Enum({ items: () => SubsidyState, nativeEnumName: 'subsidy_state' })
  toState!: SubsidyState;

  @Field(() => String, { nullable: true, description: 'Why, as recorded.' })
  @Property({ type: 'text', nullable: true })
  reason?: string | null;

  @Field({ description: 'When.' })
  @Property({ type: 'timestamptz' })
  occurredAt!: Date;

  @ManyToOne(() => Account, { deleteRule: 'restrict', nullable: true })
  actor?: Rel<Account> | null;
}
