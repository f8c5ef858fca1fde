import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Account } from '../auth/account.entity.js';
import { uuidArg } from '../shared/ids.js';
import { loadReference, type Loadable } from '../shared/loaders.js';
import { CastVotePayload, ProxyPayload, ReceiptCheckType } from './ballot.payloads.js';
import { CastVoteInput, CloseVotingInput, GrantProxyInput } from './governance.inputs.js';
import type { Context } from './governance.services.js';
import { Proxy } from './proposal.entity.js';
import { ProposalPayload } from './proposal.payloads.js';

/** The ballot box: ballots, proxies, closing a vote, receipts. */
@Resolver()
export class BallotResolver {
  @Mutation(() => CastVotePayload, {
    description:
      'Casts a ballot — final — for yourself or, with `onBehalfOf`, for a principal whose standing proxy you hold. Only voters of the electorate snapshotted at opening; one ballot per voter, enforced by the database; none after the closing time, even one racing the close. Returns a receipt, shown once.',
  })
  async castVote(
    @Ctx() ctx: Context,
    @Arg('input', () => CastVoteInput, { description: 'The ballot.' }) input: CastVoteInput,
  ): Promise<CastVotePayload> {
    const { receipt, proposal } = await ctx.services.voting.cast(input);
    return { receipt, proposal };
  }

  @Mutation(() => ProxyPayload, {
    description:
      'Gives your vote on this proposal to another voter of the same body (of your collège if the statutes say so), at most `proxyLimit` per holder. While it stands you cannot vote; revocable until used. The holder is mailed (PROXY_RECEIVED).',
  })
  async grantProxy(
    @Ctx() ctx: Context,
    @Arg('input', () => GrantProxyInput, { description: 'To whom.' }) input: GrantProxyInput,
  ): Promise<ProxyPayload> {
    return { proxy: await ctx.services.voting.grantProxy(input) };
  }

  @Mutation(() => ProxyPayload, { description: 'Revokes a standing proxy you gave (not once used).' })
  async revokeProxy(@Ctx() ctx: Context, @Arg('proxyId', () => ID, { description: 'The proxy.' }) proxyId: string): Promise<ProxyPayload> {
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
    return { proposal: await ctx.services.voting.closeVoting(input) };
  }

  @Query(() => ReceiptCheckType, {
    description: 'Tells the holder of a receipt whether that ballot exists, how it counts, and whether it was counted. Signed-in callers.',
  })
  verifyReceipt(
    @Ctx() ctx: Context,
    @Arg('receipt', { description: 'The receipt castVote returned.' }) receipt: string,
  ): Promise<ReceiptCheckType> {
    return ctx.services.voting.verifyReceipt(receipt.trim());
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
