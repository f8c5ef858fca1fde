import { Field, ObjectType } from 'type-graphql';
import { Organisation } from './organisation.entity.js';
import { Person } from './person.entity.js';

@ObjectType({ description: 'Result of createOrganisation.' })
export class CreateOrganisationPayload {
  @Field(() => Organisation, { description: 'The new organisation.' })
  organisation!: Organisation;
}

@ObjectType({ description: 'Result of updateOrganisation.' })
export class UpdateOrganisationPayload {
  @Field(() => Organisation, { description: 'The organisation as it now stands.' })
  organisation!: Organisation;
}

@ObjectType({ description: 'Result of addPerson.' })
export class AddPersonPayload {
  @Field(() => Person, { description: 'The new person.' })
  person!: Person;
}
