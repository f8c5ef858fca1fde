import { Field, ObjectType } from 'type-graphql';
import { Charter, CharterSignature } from './charter.entity.js';

@ObjectType({ description: 'Result of publishCharter.' })
export class PublishCharterPayload {
  @Field(() => Charter, { description: 'The new version, now in force.' })
  charter!: Charter;
}

@ObjectType({ description: 'Result of signCharter.' })
export class SignCharterPayload {
  @Field(() => CharterSignature, { description: 'The signature.' })
  signature!: CharterSignature;
}
