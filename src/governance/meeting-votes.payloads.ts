import { Field, Int, ObjectType } from 'type-graphql';
import { Account } from '../auth/account.entity.js';

@ObjectType({
  description:
    'Where a vote stands while it runs, for its meeting’s chair and secretary and the cluster’s administrators: who may vote, how many did, who has not yet — never what anyone voted (read from participation rows only, so a SECRET vote shows it too).',
})
export class LiveParticipation {
  @Field(() => Int, { description: 'Voters in the vote’s electorate (for a meeting’s vote: present and represented when it opened).' })
  electorate!: number;

  @Field(() => Int, { description: 'Voters who have voted (by themselves or by proxy).' })
  voted!: number;

  @Field(() => [Account], {
    description:
      'The electors who have not voted yet, by name (a represented member counts as not voted until their holder votes for them). Bounded by the electorate.',
  })
  notYetVoted!: Account[];
}
