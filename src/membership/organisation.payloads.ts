import { Field, ObjectType } from 'type-graphql';
import { Organisation } from './organisation.entity.js';
import { Person } from './person.entity.js';

@ObjectType({
  description:
    'Result of createOrganisation: the new organisation, or — when organisations with a close name are already registered and `notADuplicate` was not true — those organisations, and nothing created.',
})
export class CreateOrganisationPayload {
  @Field(() => Organisation, {
    nullable: true,
    description:
      'The new organisation; null when `possibleDuplicates` is not empty: nothing was created. Ask to act for one of them (`requestToActFor`), or send the input again with `notADuplicate: true`.',
  })
  organisation!: Organisation | null;

  @Field(() => [Organisation], {
    description:
      'Organisations already registered under a close name, closest first, at most 10: the same name once accents, case, punctuation, legal forms (SAS, SARL, SA, EURL, SCOP, GIE, association…) and articles ("l\'", "the") are set aside, or a trigram similarity of 0.6 or more ("Telecom Valey" for "Telecom Valley"). One with a SIREN other than the one given is another legal entity and is not listed. Empty when the organisation was created.',
  })
  possibleDuplicates!: Organisation[];
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
