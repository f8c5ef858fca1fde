import { IsDate, IsOptional, IsUUID, MaxLength } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';

@InputType({ description: "An elected representative's mandate, after the collège's election." })
export class AppointRepresentativeInput {
  @Field(() => ID, { description: 'The collège.' })
  @IsUUID()
  collegeId!: string;

  @Field(() => ID, { description: "The representative's account." })
  @IsUUID()
  accountId!: string;

  @Field({ nullable: true, description: 'Start of the mandate (default: now).' })
  @IsOptional()
  @IsDate()
  startsAt?: Date;

  @Field({ nullable: true, description: 'End of the mandate, exclusive (default: open-ended).' })
  @IsOptional()
  @IsDate()
  endsAt?: Date;
}

@InputType({ description: 'Ending a mandate before its term.' })
export class EndRepresentativeMandateInput {
  @Field(() => ID, { description: 'The mandate.' })
  @IsUUID()
  mandateId!: string;

  @Field({ nullable: true, description: 'Why it ends early.' })
  @IsOptional()
  @MaxLength(2000)
  reason?: string;
}
