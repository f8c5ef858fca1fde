import { IsString, IsUUID, Length } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';

@InputType({ description: 'An account to disable, and why.' })
export class DisableAccountInput {
  @Field(() => ID, { description: 'The account.' })
  @IsUUID()
  accountId!: string;

  @Field({ description: 'Why it is disabled (1–2000 characters): kept with the account’s history and in the audit trail.' })
  @IsString()
  @Length(1, 2000)
  reason!: string;
}

@InputType({ description: 'A disabled account to enable again.' })
export class EnableAccountInput {
  @Field(() => ID, { description: 'The account.' })
  @IsUUID()
  accountId!: string;
}
