import { Field, ObjectType } from 'type-graphql';
import { ActRequest } from './act-request.entity.js';

@ObjectType({ description: 'Result of requestToActFor, decideActRequest and withdrawActRequest.' })
export class ActRequestPayload {
  @Field(() => ActRequest, { description: 'The request as it now stands.' })
  actRequest!: ActRequest;
}
