import { IsEnum, IsOptional, IsUUID } from 'class-validator';
import { ArgsType, Field, ID, ObjectType } from 'type-graphql';
import { ConnectionType, PageArgs } from '../shared/pagination.js';
import { MoneyScalar } from './money.js';
import { SubsidyState } from './subsidy-state.js';
import { Subsidy } from './subsidy.entity.js';

@ObjectType({ description: 'The subsidy as it now stands.' })
export class SubsidyPayload {
  @Field(() => Subsidy, { description: 'The subsidy.' })
  subsidy!: Subsidy;
}

@ObjectType({ description: 'What the ledger says of one subsidy, in cents.' })
export class SubsidyBalanceType {
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

export const SubsidyConnection = ConnectionType(Subsidy);
export type SubsidyConnection = InstanceType<typeof SubsidyConnection>;

@ArgsType()
export class SubsidiesArgs extends PageArgs {
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
