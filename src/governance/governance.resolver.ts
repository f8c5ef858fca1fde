import { IsEnum, IsOptional, IsUUID } from 'class-validator';
import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, ArgsType, Ctx, Field, FieldResolver, ID, Info, Int, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { Account } from '../auth/account.entity.js';
import { Action, authorize, clusterScope, organisationScope, requireViewer, withinCluster } from '../auth/permissions.js';
import { Cluster } from '../membership/cluster.entity.js';
import { College } from '../membership/college.entity.js';
import { Organisation } from '../membership/organisation.entity.js';
import type { Context } from './governance.services.js';
import { uuidArg } from '../shared/ids.js';
import { loadChildren, loadReference, type Loadable } from '../shared/loaders.js';
import { ConnectionType, PageArgs, paginate, selectsField } from '../shared/pagination.js';
import { LocalDate } from '../shared/scalars.js';
import {
  AppointBoardMemberInput,
  CancelProposalInput,
  CastVoteInput,
  CloseVotingInput,
  ConfigureVotingBodyInput,
  CreateProposalInput,
  DesignateDelegateInput,
  GrantProxyInput,
  OpenVotingInput,
} from './governance.inputs.js';
import { renderMinutes } from './minutes.js';
import { Convention, ConventionParty } from './convention.entity.js';
import {
  Choice,
  Participation,
  PartyVoteState,
  PendingApplications,
  Proposal,
  ProposalParty,
  ProposalState,
  Proxy,
} from './proposal.entity.js';
import { TallyType } from './tally-record.js';
import { AssemblyDelegate, BodyKind, BoardMandate, VotingBody } from './voting-body.entity.js';
import { VotingRules } from './voting-rules.js';

@ObjectType({ description: 'Seats of one collège on a board.' })
class SeatCountType {
  @Field(() => ID, { description: 'The collège.' })
  collegeId!: string;

  @Field(() => Int, { description: 'Seats.' })
  seats!: number;
}

@ObjectType({ description: 'Where the members of one collège of an absorbed cluster go.' })
class CollegeMoveType {
  @Field(() => ID, { description: 'The absorbed cluster’s collège.' })
  fromCollegeId!: string;

  @Field(() => ID, { description: 'The absorbing cluster’s collège.' })
  toCollegeId!: string;
}

@ObjectType({ description: 'One absorbed cluster of a fusion plan.' })
class AbsorbedClusterType {
  @Field(() => ID, { description: 'The absorbed cluster.' })
  clusterId!: string;

  @Field(() => ID, { nullable: true, description: 'Where members of collèges not in `collegeMoves` go.' })
  targetCollegeId!: string | null;

  @Field(() => [CollegeMoveType], { description: 'Per collège, where its members go.' })
  collegeMoves!: CollegeMoveType[];

  @Field(() => PendingApplications, { description: 'What happens to its pending applications.' })
  pendingApplications!: PendingApplications;
}

@ObjectType({ description: 'A validated fusion plan.' })
class FusionPlanType {
  @Field(() => ID, { description: 'The absorbing cluster.' })
  absorbingClusterId!: string;

  @Field(() => LocalDate, { description: 'When the fusion takes effect.' })
  effectiveDate!: string;

  @Field(() => [AbsorbedClusterType], { description: 'The absorbed clusters.' })
  absorbed!: AbsorbedClusterType[];
}

@ObjectType({ description: 'A counted ballot as published after the close: anyone in the body can recount.' })
class PublishedBallotType {
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
class CastVotePayload {
  @Field({
    description: 'Your receipt: with verifyReceipt it tells you whether and how your ballot was counted. Only its SHA-256 is stored.',
  })
  receipt!: string;

  @Field(() => Proposal, { description: 'The proposal.' })
  proposal!: Proposal;
}

@ObjectType({ description: 'What a receipt says.' })
class ReceiptCheckType {
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

@ObjectType({ description: 'The voting body, as configured.' })
class VotingBodyPayload {
  @Field(() => VotingBody, { description: 'The body.' })
  body!: VotingBody;
}

@ObjectType({ description: 'The board mandate.' })
class BoardMandatePayload {
  @Field(() => BoardMandate, { description: 'The mandate.' })
  mandate!: BoardMandate;
}

@ObjectType({ description: 'The delegate.' })
class DelegatePayload {
  @Field(() => AssemblyDelegate, { description: 'The designation.' })
  delegate!: AssemblyDelegate;
}

@ObjectType({ description: 'The proposal as it now stands.' })
class ProposalPayload {
  @Field(() => Proposal, { description: 'The proposal.' })
  proposal!: Proposal;
}

@ObjectType({ description: 'The proxy as it now stands.' })
class ProxyPayload {
  @Field(() => Proxy, { description: 'The proxy.' })
  proxy!: Proxy;
}

const ProposalConnection = ConnectionType(Proposal);
type ProposalConnection = InstanceType<typeof ProposalConnection>;

@ArgsType()
class ProposalsArgs extends PageArgs {
  @Field(() => ID, { description: 'Proposals this cluster is party to.' })
  @IsUUID()
  clusterId!: string;

  @Field(() => [ProposalState], { nullable: true, description: 'Only these states.' })
  @IsOptional()
  @IsEnum(ProposalState, { each: true })
  states?: ProposalState[];
}

/** Authorizes `action` on the clusters party to a proposal (a grantee in any of them will do). */
async function authorizeOnParties(ctx: Context, proposalId: string, action: Action): Promise<void> {
  requireViewer(ctx.viewer);
  const parties = await ctx.services.proposals.parties((await ctx.services.proposals.getProposal(proposalId)).id);
  authorize(ctx.viewer, action, ...parties.map((p) => clusterScope(p.cluster.id)));
}

/** Reading a proposal: the body members and administrators of any party cluster. Closes it first if its time is up. */
async function readableProposal(ctx: Context, id: string): Promise<Proposal> {
  requireViewer(ctx.viewer);
  const proposal = await ctx.services.proposals.getProposal(uuidArg('id', id));
  const parties = await ctx.services.proposals.parties(proposal.id);
  authorize(ctx.viewer, Action.ReadProposals, ...parties.map((p) => withinCluster(p.cluster.id)));
  await ctx.services.systemVoting.closeIfDue(proposal.id);
  return ctx.em.refresh(proposal).then((fresh) => fresh ?? proposal);
}

@Resolver()
export class GovernanceResolver {
  @Mutation(() => VotingBodyPayload, {
    description:
      'Creates a cluster’s BOARD or GENERAL_ASSEMBLY, or replaces its statutory rules (open votes keep the rules they copied). CLUSTER_ADMIN or ADMIN.',
  })
  async configureVotingBody(
    @Ctx() ctx: Context,
    @Arg('input', () => ConfigureVotingBodyInput, { description: 'The body and its rules.' }) input: ConfigureVotingBodyInput,
  ): Promise<VotingBodyPayload> {
    authorize(ctx.viewer, Action.ConfigureVotingBody, clusterScope(input.clusterId));
    return { body: await ctx.services.bodies.configure(input) };
  }

  @Query(() => VotingBody, { nullable: true, description: 'A cluster’s board or general assembly, with its rules and seats. Public.' })
  votingBody(
    @Ctx() ctx: Context,
    @Arg('clusterId', () => ID, { description: 'The cluster.' }) clusterId: string,
    @Arg('kind', () => BodyKind, { description: 'Which body.' }) kind: BodyKind,
  ): Promise<VotingBody | null> {
    return ctx.em.findOne(VotingBody, { cluster: uuidArg('clusterId', clusterId), kind });
  }

  @Mutation(() => BoardMandatePayload, {
    description:
      'Gives a board seat of a collège to an account for a period (seats per collège are respected); the BOARD_MEMBER right follows the mandate. CLUSTER_ADMIN or ADMIN.',
  })
  async appointBoardMember(
    @Ctx() ctx: Context,
    @Arg('input', () => AppointBoardMemberInput, { description: 'Who, which seat, when.' }) input: AppointBoardMemberInput,
  ): Promise<BoardMandatePayload> {
    authorize(ctx.viewer, Action.ManageBoard, clusterScope(input.clusterId));
    return { mandate: await ctx.services.bodies.appoint(input) };
  }

  @Mutation(() => BoardMandatePayload, {
    description: 'Ends a board mandate now; the BOARD_MEMBER right ends with it. CLUSTER_ADMIN or ADMIN.',
  })
  async endBoardMandate(
    @Ctx() ctx: Context,
    @Arg('mandateId', () => ID, { description: 'The mandate.' }) mandateId: string,
    @Arg('reason', { nullable: true, description: 'Why it ends early.' }) reason?: string,
  ): Promise<BoardMandatePayload> {
    requireViewer(ctx.viewer);
    const mandate = await ctx.services.bodies.getMandate(uuidArg('mandateId', mandateId));
    authorize(ctx.viewer, Action.ManageBoard, clusterScope(mandate.body.cluster.id));
    return { mandate: await ctx.services.bodies.endMandate(mandate.id, reason) };
  }

  @Mutation(() => DelegatePayload, {
    description:
      'Names the account through which a member organisation votes in the general assembly (replacing the previous one). The organisation’s contacts, CLUSTER_ADMIN or ADMIN.',
  })
  async designateDelegate(
    @Ctx() ctx: Context,
    @Arg('input', () => DesignateDelegateInput, { description: 'Which organisation, whom.' }) input: DesignateDelegateInput,
  ): Promise<DelegatePayload> {
    authorize(ctx.viewer, Action.DesignateDelegate, organisationScope(input.organisationId), clusterScope(input.clusterId));
    return { delegate: await ctx.services.bodies.designateDelegate(input) };
  }

  @Mutation(() => ProposalPayload, {
    description:
      'Drafts a proposal. A FUSION’s plan is validated now (clusters exist and are ACTIVE, none twice, none absorbing itself, target collèges of the absorbing cluster, every absorbed collège mapped); its parties are the absorbing and absorbed clusters. A CLUSTER_ADMIN of one of the parties (or ADMIN); every party needs the chosen body configured.',
  })
  async createProposal(
    @Ctx() ctx: Context,
    @Arg('input', () => CreateProposalInput, { description: 'The proposal.' }) input: CreateProposalInput,
  ): Promise<ProposalPayload> {
    const parties = ctx.services.proposals.partyClusterIds(input);
    authorize(ctx.viewer, Action.CreateProposal, ...parties.map((id) => clusterScope(id)));
    return { proposal: await ctx.services.proposals.create(input) };
  }

  @Mutation(() => ProposalPayload, {
    description:
      'Opens the vote of every party until `closesAt`: each body’s rules are copied and its electorate snapshotted (voter, collège, weight); the text is frozen. A CLUSTER_ADMIN of one of the parties (or ADMIN).',
  })
  async openVoting(
    @Ctx() ctx: Context,
    @Arg('input', () => OpenVotingInput, { description: 'Which, until when.' }) input: OpenVotingInput,
  ): Promise<ProposalPayload> {
    await authorizeOnParties(ctx, input.proposalId, Action.ManageVoting);
    return { proposal: await ctx.services.proposals.open(input) };
  }

  @Mutation(() => CastVotePayload, {
    description:
      'Casts a ballot — final — for yourself or, with `onBehalfOf`, for a principal whose standing proxy you hold. Only voters of the electorate snapshotted at opening; one ballot per voter, enforced by the database; none after the closing time, even one racing the close. Returns a receipt, shown once.',
  })
  async castVote(
    @Ctx() ctx: Context,
    @Arg('input', () => CastVoteInput, { description: 'The ballot.' }) input: CastVoteInput,
  ): Promise<CastVotePayload> {
    requireViewer(ctx.viewer);
    const { receipt, proposal } = await ctx.services.voting.cast(input);
    return { receipt, proposal };
  }

  @Mutation(() => ProxyPayload, {
    description:
      'Gives your vote on this proposal to another voter of the same body (of your collège if the statutes say so), at most `proxyLimit` per holder. While it stands you cannot vote; revocable until used.',
  })
  async grantProxy(
    @Ctx() ctx: Context,
    @Arg('input', () => GrantProxyInput, { description: 'To whom.' }) input: GrantProxyInput,
  ): Promise<ProxyPayload> {
    requireViewer(ctx.viewer);
    return { proxy: await ctx.services.voting.grantProxy(input) };
  }

  @Mutation(() => ProxyPayload, { description: 'Revokes a standing proxy you gave (not once used).' })
  async revokeProxy(@Ctx() ctx: Context, @Arg('proxyId', () => ID, { description: 'The proxy.' }) proxyId: string): Promise<ProxyPayload> {
    requireViewer(ctx.viewer);
    return { proxy: await ctx.services.voting.revokeProxy(uuidArg('proxyId', proxyId)) };
  }

  @Mutation(() => ProposalPayload, {
    description:
      'Closes one party’s vote now and tallies it; when every party has closed, the proposal is ADOPTED if every party adopted it, else REJECTED. A CLUSTER_ADMIN of that party (or ADMIN). Votes also close by themselves at `closesAt`.',
  })
  async closeVoting(
    @Ctx() ctx: Context,
    @Arg('input', () => CloseVotingInput, { description: 'Which vote.' }) input: CloseVotingInput,
  ): Promise<ProposalPayload> {
    requireViewer(ctx.viewer);
    const party = await ctx.services.voting.partyToClose(input);
    authorize(ctx.viewer, Action.ManageVoting, clusterScope(party.cluster.id));
    return { proposal: await ctx.services.voting.close(party.id) };
  }

  @Mutation(() => ProposalPayload, {
    description: 'Cancels a DRAFT or an open vote (before any party closes). A CLUSTER_ADMIN of one of the parties (or ADMIN).',
  })
  async cancelProposal(
    @Ctx() ctx: Context,
    @Arg('input', () => CancelProposalInput, { description: 'Which, and why.' }) input: CancelProposalInput,
  ): Promise<ProposalPayload> {
    await authorizeOnParties(ctx, input.proposalId, Action.ManageVoting);
    return { proposal: await ctx.services.proposals.cancel(input) };
  }

  @Query(() => [Convention], {
    description: 'The partnership conventions binding a cluster (signed, or carried over by a fusion), newest first. Its people and ADMIN.',
  })
  async conventions(
    @Ctx() ctx: Context,
    @Arg('clusterId', () => ID, { description: 'The cluster.' }) clusterId: string,
  ): Promise<Convention[]> {
    authorize(ctx.viewer, Action.ReadProposals, withinCluster(uuidArg('clusterId', clusterId)));
    const bound = await ctx.em.find(ConventionParty, { cluster: clusterId }, { fields: ['convention'] });
    return ctx.em.find(Convention, { id: { $in: bound.map((b) => b.convention.id) } }, { orderBy: { signedOn: 'desc', id: 'asc' } });
  }

  @Query(() => Proposal, { description: 'One proposal. Board members, members and administrators of a party cluster, and ADMIN.' })
  proposal(@Ctx() ctx: Context, @Arg('id', () => ID, { description: 'The proposal.' }) id: string): Promise<Proposal> {
    return readableProposal(ctx, id);
  }

  @Query(() => ProposalConnection, {
    description: 'Proposals a cluster is party to, newest first. Its board members, members and administrators, and ADMIN.',
  })
  async proposals(
    @Ctx() ctx: Context,
    @Args(() => ProposalsArgs) args: ProposalsArgs,
    @Info() info: GraphQLResolveInfo,
  ): Promise<ProposalConnection> {
    authorize(ctx.viewer, Action.ReadProposals, withinCluster(args.clusterId));
    const partyOf = await ctx.em.find(ProposalParty, { cluster: args.clusterId }, { fields: ['proposal'] });
    return paginate(
      ctx.em,
      Proposal,
      { id: { $in: partyOf.map((p) => p.proposal.id) }, ...(args.states?.length ? { state: { $in: args.states } } : {}) },
      { createdAt: 'desc', id: 'desc' },
      args,
      [],
      selectsField(info, 'totalCount'),
    );
  }

  @Query(() => ReceiptCheckType, {
    description: 'Tells the holder of a receipt whether that ballot exists, how it counts, and whether it was counted. Signed-in callers.',
  })
  verifyReceipt(
    @Ctx() ctx: Context,
    @Arg('receipt', { description: 'The receipt castVote returned.' }) receipt: string,
  ): Promise<ReceiptCheckType> {
    requireViewer(ctx.viewer);
    return ctx.services.voting.verifyReceipt(receipt.trim());
  }

  @Query(() => String, {
    description:
      'The minutes (procès-verbal) of a closed vote, in Markdown; also `GET /exports/proposals/<id>/minutes.md`. Same readers as `proposal`.',
  })
  async minutes(@Ctx() ctx: Context, @Arg('proposalId', () => ID, { description: 'The proposal.' }) proposalId: string): Promise<string> {
    const proposal = await readableProposal(ctx, proposalId);
    return renderMinutes(ctx.em, proposal);
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
  async electorate(@Ctx() ctx: Context, @Root() party: ProposalParty): Promise<number> {
    const [{ count }] = await ctx.em.execute<{ count: number }[]>('select count(*)::int as count from elector where party_id = ?', [
      party.id,
    ]);
    return count;
  }

  @FieldResolver(() => Int, { description: 'Ballots cast so far (by proxy included).' })
  async participation(@Ctx() ctx: Context, @Root() party: ProposalParty): Promise<number> {
    const [{ count }] = await ctx.em.execute<{ count: number }[]>('select count(*)::int as count from participation where party_id = ?', [
      party.id,
    ]);
    return count;
  }

  @FieldResolver(() => [PublishedBallotType], {
    description:
      'Once closed, the counted ballots (receipt digest, choice, collège, weight) by digest: anyone in the body can recount; empty before.',
  })
  async ballots(@Ctx() ctx: Context, @Root() party: ProposalParty): Promise<PublishedBallotType[]> {
    if (party.state !== PartyVoteState.CLOSED) return [];
    return ctx.services.voting.publishedBallots(party.id);
  }

  @FieldResolver(() => [Account], { description: 'Once closed, who took part (for a SECRET vote, never how).' })
  async participants(@Ctx() ctx: Context, @Root() party: ProposalParty): Promise<Account[]> {
    if (party.state !== PartyVoteState.CLOSED) return [];
    const rows = await ctx.em.find(Participation, { party }, { populate: ['voter'] });
    return rows.map((r) => r.voter).sort((a, b) => a.displayName.localeCompare(b.displayName));
  }
}

@Resolver(() => VotingBody)
export class VotingBodyFieldsResolver {
  @FieldResolver(() => Cluster, { description: 'Its cluster.' })
  cluster(@Root() body: VotingBody): Loadable<Cluster> {
    return loadReference(body.cluster);
  }

  @FieldResolver(() => VotingRules, { description: 'The statutes’ voting rules.' })
  rules(@Root() body: VotingBody): VotingRules {
    return body.rules;
  }

  @FieldResolver(() => [SeatCountType], { description: 'BOARD: seats per collège.' })
  seats(@Root() body: VotingBody): SeatCountType[] {
    return body.seats;
  }

  @FieldResolver(() => [BoardMandate], {
    description:
      'BOARD: seat holders’ mandates, current and past, newest first. The cluster’s people (board members, members, administrators) and ADMIN.',
  })
  mandates(@Ctx() ctx: Context, @Root() body: VotingBody): Promise<BoardMandate[]> {
    authorize(ctx.viewer, Action.ReadProposals, withinCluster(body.cluster.id));
    return loadChildren(ctx.em, BoardMandate, 'body', body.id, { startsAt: 'desc', id: 'asc' });
  }
}

@Resolver(() => BoardMandate)
export class BoardMandateFieldsResolver {
  @FieldResolver(() => College, { description: 'The collège whose seat it is.' })
  college(@Root() mandate: BoardMandate): Loadable<College> {
    return loadReference(mandate.college);
  }

  @FieldResolver(() => Account, { description: 'The seat holder.' })
  holder(@Root() mandate: BoardMandate): Loadable<Account> {
    return loadReference(mandate.holder);
  }
}

@Resolver(() => AssemblyDelegate)
export class AssemblyDelegateFieldsResolver {
  @FieldResolver(() => Organisation, { description: 'The member organisation.' })
  organisation(@Root() delegate: AssemblyDelegate): Loadable<Organisation> {
    return loadReference(delegate.organisation);
  }

  @FieldResolver(() => Account, { description: 'Its delegate.' })
  delegate(@Root() delegate: AssemblyDelegate): Loadable<Account> {
    return loadReference(delegate.delegate);
  }
}

@Resolver(() => Proxy)
export class ProxyFieldsResolver {
  @FieldResolver(() => Account, { description: 'Who gave it.' })
  principal(@Root() proxy: Proxy): Loadable<Account> {
    return loadReference(proxy.principal);
  }

  @FieldResolver(() => Account, { description: 'Who holds it.' })
  holder(@Root() proxy: Proxy): Loadable<Account> {
    return loadReference(proxy.holder);
  }
}

@Resolver(() => Convention)
export class ConventionFieldsResolver {
  @FieldResolver(() => [ConventionParty], { description: 'The clusters it binds, signatories first.' })
  parties(@Ctx() ctx: Context, @Root() convention: Convention): Promise<ConventionParty[]> {
    return loadChildren(ctx.em, ConventionParty, 'convention', convention.id, { createdAt: 'asc', id: 'asc' });
  }

  @FieldResolver(() => Proposal, { description: 'The proposal it comes from.' })
  proposal(@Root() convention: Convention): Loadable<Proposal> {
    return loadReference(convention.proposal);
  }
}

@Resolver(() => ConventionParty)
export class ConventionPartyFieldsResolver {
  @FieldResolver(() => Cluster, { description: 'The cluster bound.' })
  cluster(@Root() party: ConventionParty): Loadable<Cluster> {
    return loadReference(party.cluster);
  }

  @FieldResolver(() => Cluster, { nullable: true, description: 'When carried over by a fusion: the absorbed cluster whose place it took.' })
  carriedFrom(@Root() party: ConventionParty): Loadable<Cluster> {
    return loadReference(party.carriedFrom);
  }
}
