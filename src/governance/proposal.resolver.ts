import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Ctx, FieldResolver, ID, Info, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Account } from '../auth/account.entity.js';
import { Cluster } from '../membership/cluster.entity.js';
import { uuidArg } from '../shared/ids.js';
import { loadChildren, loadReference, type Loadable } from '../shared/loaders.js';
import { selectsField } from '../shared/pagination.js';
import { PublishedBallotType } from './ballot.payloads.js';
import { CancelProposalInput, CreateProposalInput, OpenVotingInput, ProposalsArgs } from './governance.inputs.js';
import type { Context } from './governance.services.js';
import { electorateOf, participantsOf, participationOf, publishedBallotsOfParty } from './party-reads.js';
import { PartyVoteState, Proposal, ProposalParty } from './proposal.entity.js';
import { FusionPlanType, ProposalConnection, ProposalPayload } from './proposal.payloads.js';
import { TallyType } from './tally-record.js';
import { VotingBody } from './voting-body.entity.js';
import { VotingRules } from './voting-rules.js';

/** Proposals: drafting, opening, cancelling, reading one or a cluster's list, the minutes. */
@Resolver()
export class ProposalResolver {
  @Mutation(() => ProposalPayload, {
    description:
      'Drafts a proposal. A FUSION’s plan is validated now (clusters exist and are ACTIVE, none twice, none absorbing itself, target collèges of the absorbing cluster, every absorbed collège mapped); its parties are the absorbing and absorbed clusters. A CLUSTER_ADMIN of one of the parties (or ADMIN); every party needs the chosen body configured.',
  })
  async createProposal(
    @Ctx() ctx: Context,
    @Arg('input', () => CreateProposalInput, { description: 'The proposal.' }) input: CreateProposalInput,
  ): Promise<ProposalPayload> {
    return { proposal: await ctx.services.proposals.create(input) };
  }

  @Mutation(() => ProposalPayload, {
    description:
      'Opens the vote of every party until `closesAt`: each body’s rules are copied and its electorate snapshotted (voter, collège, weight); the text is frozen; the electorate is mailed (VOTE_OPENED, and VOTE_CLOSING_SOON a day before the close to those who have not voted). A CLUSTER_ADMIN of one of the parties (or ADMIN). A party named in `agendaItems` votes in a meeting: a binding item of an OPEN meeting of its body, the quorum re-checked from the live attendance sheet, its electorate the members present then and those they represent (a later arrival does not vote on it); the chair of that meeting may open it too, when every party votes in a meeting they chair.',
  })
  async openVoting(
    @Ctx() ctx: Context,
    @Arg('input', () => OpenVotingInput, { description: 'Which, until when.' }) input: OpenVotingInput,
  ): Promise<ProposalPayload> {
    return { proposal: await ctx.services.proposals.open(input) };
  }

  @Mutation(() => ProposalPayload, {
    description:
      'Cancels a DRAFT or an open vote (before any party closes; a vote past its closing time is closed, not cancelled). A CLUSTER_ADMIN of one of the parties (or ADMIN).',
  })
  async cancelProposal(
    @Ctx() ctx: Context,
    @Arg('input', () => CancelProposalInput, { description: 'Which, and why.' }) input: CancelProposalInput,
  ): Promise<ProposalPayload> {
    return { proposal: await ctx.services.proposals.cancel(input) };
  }

  @Query(() => Proposal, {
    description:
      'One proposal (its vote closed first if its closing time has passed). Board members, members and administrators of a party cluster, and ADMIN.',
  })
  proposal(@Ctx() ctx: Context, @Arg('id', () => ID, { description: 'The proposal.' }) id: string): Promise<Proposal> {
    return ctx.services.proposals.read(uuidArg('id', id));
  }

  @Query(() => ProposalConnection, {
    description:
      'Proposals a cluster is party to, newest first (votes past their closing time closed first). Its board members, members and administrators, and ADMIN.',
  })
  async proposals(
    @Ctx() ctx: Context,
    @Args(() => ProposalsArgs) args: ProposalsArgs,
    @Info() info: GraphQLResolveInfo,
  ): Promise<ProposalConnection> {
    return ctx.services.proposals.list(args.clusterId, args.states, args, selectsField(info, 'totalCount'));
  }

  @Query(() => String, {
    description:
      'The minutes (procès-verbal) of a closed vote, in Markdown; also `GET /exports/proposals/<id>/minutes.md`. Same readers as `proposal`.',
  })
  minutes(@Ctx() ctx: Context, @Arg('proposalId', () => ID, { description: 'The proposal.' }) proposalId: string): Promise<string> {
    return ctx.services.proposals.minutes(uuidArg('proposalId', proposalId));
  }
}

@Resolver(() => Proposal)
export class ProposalFieldsResolver {
  @FieldResolver(() => Account, { description: 'Who drafted it.' })
  author(@Root() proposal: Proposal): Loadable<Account> {
    return loadReference(proposal.author);
  }

  @FieldResolver(() => FusionPlanType, { nullable: true, description: 'FUSION: the validated plan.' })
  plan(@Root() proposal: Proposal): FusionPlanType | null {
    return proposal.plan ?? null;
  }

  @FieldResolver(() => [ProposalParty], { description: 'The clusters party to it and their bodies’ votes.' })
  parties(@Ctx() ctx: Context, @Root() proposal: Proposal): Promise<ProposalParty[]> {
    return loadChildren(ctx.em, ProposalParty, 'proposal', proposal.id, { createdAt: 'asc', id: 'asc' });
  }
}

/** A party's vote, as read through its proposal (whose reading was authorized). Every list field is batched per request. */
@Resolver(() => ProposalParty)
export class ProposalPartyFieldsResolver {
  @FieldResolver(() => Cluster, { description: 'The party cluster.' })
  cluster(@Root() party: ProposalParty): Loadable<Cluster> {
    return loadReference(party.cluster);
  }

  @FieldResolver(() => VotingBody, { description: 'The body that votes for it.' })
  body(@Root() party: ProposalParty): Loadable<VotingBody> {
    return loadReference(party.body);
  }

  @FieldResolver(() => VotingRules, { nullable: true, description: 'The rules applied, as copied when voting opened.' })
  rules(@Root() party: ProposalParty): VotingRules | null {
    return party.rules ?? null;
  }

  @FieldResolver(() => TallyType, { nullable: true, description: 'The tally stored at close.' })
  tally(@Root() party: ProposalParty): TallyType | null {
    return party.tally ?? null;
  }

  @FieldResolver(() => Int, { description: 'Voters in the snapshotted electorate.' })
  electorate(@Ctx() ctx: Context, @Root() party: ProposalParty): Promise<number> {
    return electorateOf(ctx.em, party.id);
  }

  @FieldResolver(() => Int, { description: 'Ballots cast so far (by proxy included).' })
  participation(@Ctx() ctx: Context, @Root() party: ProposalParty): Promise<number> {
    return participationOf(ctx.em, party.id);
  }

  @FieldResolver(() => [PublishedBallotType], {
    description:
      'Once closed, the counted ballots (receipt digest, choice, collège, weight) by digest: anyone in the body can recount; empty before.',
  })
  ballots(@Ctx() ctx: Context, @Root() party: ProposalParty): Promise<PublishedBallotType[]> | PublishedBallotType[] {
    if (party.state !== PartyVoteState.CLOSED) return [];
    return publishedBallotsOfParty(ctx.em, party.id);
  }

  @FieldResolver(() => [Account], { description: 'Once closed, who took part (for a SECRET vote, never how).' })
  participants(@Ctx() ctx: Context, @Root() party: ProposalParty): Promise<Account[]> | Account[] {
    if (party.state !== PartyVoteState.CLOSED) return [];
    return participantsOf(ctx.em, party.id);
  }
}
