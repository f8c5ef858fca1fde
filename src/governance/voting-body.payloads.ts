import { Field, ID, Int, ObjectType } from 'type-graphql';
import { AssemblyDelegate, BoardMandate, VotingBody } from './voting-body.entity.js';

@ObjectType({ description: 'Seats of one collège on a board.' })
export class SeatCountType {
  @Field(() => ID, { description: 'The collège.' })
  collegeId!: string;

  @Field(() => Int, { description: 'Seats.' })
  seats!: number;
}

@ObjectType({ description: 'The voting body, as configured.' })
export class VotingBodyPayload {
  @Field(() => VotingBody, { description: 'The body.' })
  body!: VotingBody;
}

@ObjectType({ description: 'The board mandate.' })
export class BoardMandatePayload {
  @Field(() => BoardMandate, { description: 'The mandate.' })
  mandate!: BoardMandate;
}

@ObjectType({ description: 'The delegate.' })
export class DelegatePayload {
  @Field(() => AssemblyDelegate, { description: 'The designation.' })
  delegate!: AssemblyDelegate;
}
