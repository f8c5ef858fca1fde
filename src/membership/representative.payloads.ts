import { Field, ObjectType } from 'type-graphql';
import { RepresentativeMandate } from './representative-mandate.entity.js';

@ObjectType({ description: 'Result of appointRepresentative and endRepresentativeMandate.' })
export class RepresentativeMandatePayload {
  @Field(() => RepresentativeMandate, { description: 'The mandate.' })
  mandate!: RepresentativeMandate;
}
