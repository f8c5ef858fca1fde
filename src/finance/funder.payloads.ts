import { Field, ObjectType } from 'type-graphql';
import { Funder, Programme } from './funder.entity.js';

@ObjectType({ description: 'The funder, as recorded.' })
export class FunderPayload {
  @Field(() => Funder, { description: 'The funder.' })
  funder!: Funder;
}

@ObjectType({ description: 'The programme, as recorded.' })
export class ProgrammePayload {
  @Field(() => Programme, { description: 'The programme, with its laureates.' })
  programme!: Programme;
}
