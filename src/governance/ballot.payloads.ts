import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Choice, Proposal, Proxy } from './proposal.entity.js';

@ObjectType({ description: 'A counted ballot as published after the close: anyone in the body can recount.' })
export class PublishedBallotType {
  @Field({ description: 'SHA-256 (hex) of the voter’s receipt: the voter finds their own ballot by it.' })
  receiptDigest!: string;

  @Field(() => Choice, { description: 'FOR, AGAINST or ABSTAIN.' })
  choice!: Choice;

  @Field(() => ID, { nullable: true, description: 'The voter’s collège.' })
  collegeId!: string | null;

  @Field(() => Int, { description: 'Raw weight (collège weights apply at the tally).' })
  weight!: number;
}

@ObjectType({ description: 'The vote was recorded. Keep the receipt: it is shown only now.' })
export class CastVotePayload {
  @Field({
    description: 'Your receipt: with verifyReceipt it tells you whether and how your ballot was counted. Only its SHA-256 is stored.',
  })
  receipt!: string;

  @Field(() => Proposal, { description: 'The proposal.' })
  proposal!: Proposal;
}

@ObjectType({ description: 'What a receipt says.' })
export class ReceiptCheckType {
  @Field({ description: 'Whether a ballot with this receipt exists.' })
  found!: boolean;

  @Field(() => ID, { nullable: true, description: 'Its proposal.' })
  proposalId!: string | null;

  @Field(() => ID, { nullable: true, description: 'The party (cluster) whose body it was cast in.' })
  clusterId!: string | null;

  @Field(() => Choice, { nullable: true, description: 'Its choice.' })
  choice!: Choice | null;

  @Field(() => ID, { nullable: true, description: 'Its collège.' })
  collegeId!: string | null;

  @Field(() => Int, { nullable: true, description: 'Its raw weight.' })
  weight!: number | null;

  @Field({ description: 'Whether the vote is closed and the ballot in the counted, published list.' })
  counted!: boolean;
}

@ObjectType({ description: 'The proxy as it now stands.' })
export class ProxyPayload {
  @Field(() => Proxy, { description: 'The proxy.' })
  proxy!: Proxy;
}
