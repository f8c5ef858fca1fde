import { BigIntType, type Rel } from '@mikro-orm/core';
import { Check, Entity, Enum, Index, ManyToOne, OneToOne, Property, Trigger, Unique } from '@mikro-orm/decorators/legacy';
import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Account } from '../auth/account.entity.js';
import { Cluster } from '../membership/cluster.entity.js';
import { BaseEntity } from '../shared/base.entity.js';
import { MoneyScalar } from './money.js';
import { Subsidy } from './subsidy.entity.js';

export enum LedgerKind {
  AWARD = 'AWARD',
  RECEIPT = 'RECEIPT',
  REVERSAL = 'REVERSAL',
  CLAWBACK = 'CLAWBACK',
  TRANSFER = 'TRANSFER',
  FREEZE = 'FREEZE',
  RELEASE = 'RELEASE',
}

registerEnumType(LedgerKind, {
  name: 'LedgerKind',
  description: 'What a ledger entry records. Amounts are signed cents.',
  valuesConfig: {
    AWARD: { description: 'The funder’s commitment (positive): adds to `awarded`.' },
    RECEIPT: { description: 'Money received (positive), with its bank reference: adds to `received`.' },
    REVERSAL: { description: 'Cancels one earlier entry with the opposite amount (`reverses`); corrections are never edits.' },
    CLAWBACK: { description: 'Money the funder reclaimed (negative): lowers both `awarded` and `received`.' },
    TRANSFER: {
      description: 'The subsidy passed to another beneficiary cluster (in a fusion); amount 0, `counterpartCluster` says which.',
    },
    FREEZE: { description: 'Marker (amount 0): the subsidy was frozen.' },
    RELEASE: { description: 'Marker (amount 0): the subsidy was released.' },
  },
});

const REFUSE_CHANGE = `raise exception 'the ledger is append-only: % on ledger_entry is refused', tg_op using errcode = 'insufficient_privilege';`;

/**
 * One money movement, immutable: the database refuses UPDATE and DELETE (trigger below) and
 * TRUNCATE (hand-written in the finance migration). A correction is a REVERSAL entry. A receipt is
 * unique per (subsidy, bank reference, correction): the same transfer recorded twice counts once,
 * and once reversed it may be recorded again (correction + 1).
 */
@ObjectType({ description: 'An immutable ledger entry: one money movement (or marker) of a subsidy. Corrections are reversing entries.' })
@Entity()
@Trigger({ name: 'ledger_entry_no_update_delete', timing: 'before', events: ['update', 'delete'], forEach: 'row', body: REFUSE_CHANGE })
@Unique({ name: 'ledger_receipt_once', properties: ['subsidy', 'bankReference', 'correction'], where: `kind = 'RECEIPT'` })
@Index({ properties: ['cluster', 'valueDate'] })
@Check({ name: 'ledger_award_positive', expression: `kind <> 'AWARD' or amount > 0` })
@Check({ name: 'ledger_receipt_positive', expression: `kind <> 'RECEIPT' or (amount > 0 and bank_reference is not null)` })
@Check({ name: 'ledger_clawback_negative', expression: `kind <> 'CLAWBACK' or amount < 0` })
@Check({ name: 'ledger_marker_zero', expression: `(kind <> 'FREEZE' and kind <> 'RELEASE' and kind <> 'TRANSFER') or amount = 0` })
@Check({ name: 'ledger_reversal_target', expression: `(kind = 'REVERSAL') = (reverses_id is not null)` })
@Check({ name: 'ledger_transfer_counterpart', expression: `(kind = 'TRANSFER') = (counterpart_cluster_id is not null)` })
export class LedgerEntry extends BaseEntity<
  'bankReference' | 'reason' | 'correction' | 'reverses' | 'frozenException' | 'overpaymentReason' | 'actor' | 'counterpartCluster'
> {
  @ManyToOne(() => Subsidy, { deleteRule: 'restrict', index: true })
  subsidy!: Rel<Subsidy>;

  /** The beneficiary when the entry was written (a TRANSFER is written on the cluster that gives the subsidy up). */
  @ManyToOne(() => Cluster, { deleteRule: 'restrict' })
  cluster!: Rel<Cluster>;

  @Field(() => LedgerKind, { description: 'What it records.' })
  @Enum({ items: () => LedgerKind, nativeEnumName: 'ledger_kind' })
  kind!: LedgerKind;

  @Field(() => MoneyScalar, { description: 'Signed amount in cents (see LedgerKind).' })
  @Property({ type: new BigIntType('bigint') })
  amount!: bigint;

  @Field({ description: 'Value date (ISO date): when the money moved, or the decision for an AWARD.' })
  @Property({ type: 'date' })
  valueDate!: string;

  @Field(() => String, { nullable: true, description: 'Bank reference of the transfer (required for a RECEIPT).' })
  @Property({ type: 'text', nullable: true })
  bankReference?: string | null;

  @Field(() => String, { nullable: true, description: 'Why, as recorded.' })
  @Property({ type: 'text', nullable: true })
  reason?: string | null;

  @Field(() => Int, {
    description:
      'For a RECEIPT: how many earlier receipts with the same bank reference were reversed (0 normally). A reversed receipt can be recorded again, corrected, under its real bank reference.',
  })
  @Property({ type: 'smallint' })
  correction: number = 0;

  /** The entry this one reverses; an entry is reversed at most once. */
  @OneToOne(() => LedgerEntry, { deleteRule: 'restrict', nullable: true, owner: true, unique: true })
  reverses?: Rel<LedgerEntry> | null;

  @Field(() => String, { nullable: true, description: 'For a receipt on a FROZEN subsidy: the treasurer’s recorded exception.' })
  @Property({ type: 'text', nullable: true })
  frozenException?: string | null;

  @Field(() => String, { nullable: true, description: 'For a receipt beyond what was still due: why it was accepted.' })
  @Property({ type: 'text', nullable: true })
  overpaymentReason?: string | null;

  @ManyToOne(() => Account, { deleteRule: 'restrict', nullable: true })
  actor?: Rel<Account> | null;

  /** For a TRANSFER: the cluster the subsidy passed to. */
  @ManyToOne(() => Cluster, { deleteRule: 'restrict', nullable: true })
  counterpartCluster?: Rel<Cluster> | null;
}
