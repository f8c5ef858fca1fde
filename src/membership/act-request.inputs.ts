import { IsEnum, IsOptional, IsUUID, Length, MaxLength } from 'class-validator';
import { Field, ID, InputType, registerEnumType } from 'type-graphql';
import { NotBlank } from '../shared/validation.js';

/** What those who may decide answer a request to act for an organisation. */
export enum ActRequestDecision {
  APPROVE = 'APPROVE',
  REFUSE = 'REFUSE',
}

registerEnumType(ActRequestDecision, {
  name: 'ActRequestDecision',
  description: 'The answer to a request to act for an organisation.',
  valuesConfig: {
    APPROVE: { description: 'The requester acts for the organisation from now on (a person linked to their account).' },
    REFUSE: { description: 'Refused, with a reason the requester reads.' },
  },
});

@InputType({ description: 'Asking to act for an organisation already registered.' })
export class RequestToActForInput {
  @Field(() => ID, { description: 'The organisation (found with `organisations(search)`, or named by SIREN_TAKEN).' })
  @IsUUID()
  organisationId!: string;

  @Field({ description: 'Your full name, as the organisation knows you (1–200 characters).' })
  @NotBlank()
  @Length(1, 200)
  fullName!: string;

  @Field({ description: 'Your role in the organisation, e.g. "CTO" (1–200 characters).' })
  @NotBlank()
  @Length(1, 200)
  roleInOrganisation!: string;

  @Field({ nullable: true, description: 'A word to those who decide (at most 2000 characters).' })
  @IsOptional()
  @MaxLength(2000)
  message?: string;
}

@InputType({ description: 'A decision on a request to act for an organisation.' })
export class DecideActRequestInput {
  @Field(() => ID, { description: 'The request.' })
  @IsUUID()
  requestId!: string;

  @Field(() => ActRequestDecision, { description: 'Approve or refuse.' })
  @IsEnum(ActRequestDecision)
  decision!: ActRequestDecision;

  @Field({ nullable: true, description: 'Why: required to refuse, optional to approve (at most 2000 characters).' })
  @IsOptional()
  @MaxLength(2000)
  reason?: string;
}

@InputType({ description: 'Which request to act for an organisation.' })
export class ActRequestIdInput {
  @Field(() => ID, { description: 'The request.' })
  @IsUUID()
  requestId!: string;
}
