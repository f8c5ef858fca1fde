import type { Rel } from '@mikro-orm/core';
import { Check, Entity, Index, ManyToOne, Property } from '@mikro-orm/decorators/legacy';
import { Field, Int, ObjectType } from 'type-graphql';
import { BaseEntity } from '../shared/base.entity.js';
import { Account } from './account.entity.js';

/**
 * One period during which an account was disabled, with who disabled it and why, and who
 * enabled it again. Never deleted: enabling closes the period (`enabledAt`), so an account's
 * history of disablements stays answerable. At most one period is open per account (the
 * partial unique index), and it is open exactly while `account.disabled` is true (both are
 * written in one transaction by AccountAdminService).
 */
@ObjectType({ description: 'A period during which an account was disabled: when, by whom, why, and when it was enabled again.' })
@Entity()
@Index({
  name: 'account_disablement_one_open',
  expression: 'create unique index "account_disablement_one_open" on "account_disablement" ("account_id") where "enabled_at" is null',
})
@Check({ name: 'account_disablement_period', expression: 'enabled_at is null or enabled_at >= disabled_at' })
@Check({ name: 'account_disablement_reason', expression: 'length(btrim(reason)) >= 1 and length(btrim(reason)) <= 2000' })
export class AccountDisablement extends BaseEntity<'disabledBy' | 'enabledAt' | 'enabledBy'> {
  @ManyToOne(() => Account, { deleteRule: 'restrict', index: true })
  account!: Rel<Account>;

  @Field({ description: 'When the account was disabled.' })
  @Property({ type: 'timestamptz' })
  disabledAt!: Date;

  @Field({ description: 'Why, in the words of the administrator who disabled it.' })
  @Property({ type: 'text' })
  reason!: string;

  /** Null when the system disabled it (a trusted command). */
  @ManyToOne(() => Account, { deleteRule: 'restrict', nullable: true })
  disabledBy?: Rel<Account> | null;

  @Field(() => Date, { nullable: true, description: 'When the account was enabled again; null while it stays disabled.' })
  @Property({ type: 'timestamptz', nullable: true })
  enabledAt?: Date | null;

  @ManyToOne(() => Account, { deleteRule: 'restrict', nullable: true })
  enabledBy?: Rel<Account> | null;

  /** How many open sessions disabling it signed out. */
  @Field(() => Int, { description: 'How many open sessions of the account were signed out when it was disabled.' })
  @Property({ type: 'integer' })
  sessionsRevoked!: number;
}
