import { IsDate, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';

@InputType({ description: "An elected representative's mandate, after the collège's election." })
export class AppointRepresentativeInput {
  @Field(() => ID, { description: 'The collège.' })
  @IsUUID()
  collegeId!: string;

  @Field(() => ID, {
    nullable: true,
    description: "The representative's account. Give it or `accountEmail`, exactly one of the two (else INVALID_INPUT).",
  })
  @IsOptional()
  @IsUUID()
  accountId?: string;

  @Field(() => String, {
    nullable: true,
    description:
      "The representative's account, by its sign-in email instead of its id, in any case (compared as stored: Unicode NFKC, trimmed, lower-cased). An email no account signs in with is ACCOUNT_EMAIL_UNKNOWN (NOT_FOUND), said only to a caller allowed to appoint here.",
  })
  @IsOptional()
  @IsString()
  @MaxLength(320)
  accountEmail?: string;

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
