import { NotBlank } from '../shared/validation.js';
import { IsUUID, Length } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';

@InputType({ description: 'A new version of a cluster’s charter of good practices.' })
export class PublishCharterInput {
  @Field(() => ID, { description: 'The cluster.' })
  @IsUUID()
  clusterId!: string;

  @Field({ description: 'Title (1–200 characters).' })
  @NotBlank()
  @Length(1, 200)
  title!: string;

  @Field({ description: 'The full text (1–100 000 characters).' })
  @NotBlank()
  @Length(1, 100_000)
  text!: string;
}

@InputType({ description: "Signing a cluster's current charter for an organisation." })
export class SignCharterInput {
  @Field(() => ID, { description: 'The organisation; the caller must act for it.' })
  @IsUUID()
  organisationId!: string;

  @Field(() => ID, { description: 'The cluster whose current charter is signed.' })
  @IsUUID()
  clusterId!: string;
}
