import { Field, ObjectType } from 'type-graphql';
import { AccountDisablement } from './account-disablement.entity.js';
import { Account } from './account.entity.js';

@ObjectType({ description: 'Result of disableAccount.' })
export class DisableAccountPayload {
  @Field(() => Account, { description: 'The account, now disabled.' })
  account!: Account;

  @Field(() => AccountDisablement, { description: 'The period of disablement it opened, with the number of sessions signed out.' })
  disablement!: AccountDisablement;
}

@ObjectType({ description: 'Result of enableAccount.' })
export class EnableAccountPayload {
  @Field(() => Account, { description: 'The account, enabled again: it signs in again (its old sessions stay signed out).' })
  account!: Account;

  @Field(() => AccountDisablement, {
    nullable: true,
    description: 'The period of disablement it closed; null for an account disabled before such periods were recorded.',
  })
  disablement!: AccountDisablement | null;
}
