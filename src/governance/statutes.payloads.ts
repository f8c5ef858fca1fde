import { Field, ObjectType } from 'type-graphql';
import { BodyStatutes } from './statutes.entity.js';

@ObjectType({ description: 'The version of the statutory meeting rules just recorded.' })
export class BodyStatutesPayload {
  @Field(() => BodyStatutes, { description: 'The new version, now in force.' })
  statutes!: BodyStatutes;
}
