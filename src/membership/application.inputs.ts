import { IsEnum, IsOptional, IsUUID, MaxLength } from 'class-validator';
import { Field, ID, InputType, registerEnumType } from 'type-graphql';
import { Decision } from './admission.service.js';

registerEnumType(Decision, {
  name: 'Decision',
  description: "A representative's decision on an application.",
  valuesConfig: {
    APPROVE: { description: 'Admit: a membership starts today.' },
    REJECT: { description: 'Refuse, with a reason.' },
  },
});

@InputType({ description: 'An organisation and a collège.' })
export class ApplicationTargetInput {
  @Field(() => ID, { description: 'The applying organisation.' })
  @IsUUID()
  organisationId!: string;

  @Field(() => ID, { description: 'The collège applied to.' })
  @IsUUID()
  collegeId!: string;
}

@InputType({ description: 'Backing an application as an active member of the same collège.' })
export class SponsorApplicationInput {
  @Field(() => ID, { description: 'The application.' })
  @IsUUID()
  applicationId!: string;

  @Field(() => ID, { description: 'The sponsoring member organisation; the caller must act for it.' })
  @IsUUID()
  sponsorOrganisationId!: string;
}

@InputType({ description: "A representative's decision." })
export class DecideApplicationInput {
  @Field(() => ID, { description: 'The application.' })
  @IsUUID()
  applicationId!: string;

  @Field(() => Decision, { description: 'Approve or reject.' })
  @IsEnum(Decision)
  decision!: Decision;

  @Field({ nullable: true, description: 'The reason: required to reject, optional to approve.' })
  @IsOptional()
  @MaxLength(2000)
  reason?: string;

  @Field({ nullable: true, description: 'To approve although a criterion is not met: why (recorded with the decision).' })
  @IsOptional()
  @MaxLength(2000)
  overrideReason?: string;
}

@InputType({ description: 'Which application.' })
export class ApplicationIdInput {
  @Field(() => ID, { description: 'The application.' })
  @IsUUID()
  applicationId!: string;
}
