import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Account } from '../auth/account.entity.js';
import { Cluster } from '../membership/cluster.entity.js';
import { College } from '../membership/college.entity.js';
import { Organisation } from '../membership/organisation.entity.js';
import { uuidArg } from '../shared/ids.js';
import { loadReference, type Loadable } from '../shared/loaders.js';
import { AppointBoardMemberInput, ConfigureVotingBodyInput, DesignateDelegateInput } from './governance.inputs.js';
import type { Context } from './governance.services.js';
import { AssemblyDelegate, BodyKind, BoardMandate, VotingBody } from './voting-body.entity.js';
import { BoardMandatePayload, DelegatePayload, SeatCountType, VotingBodyPayload } from './voting-body.payloads.js';
import { VotingRules } from './voting-rules.js';

/** Voting bodies and who sits in them: boards (seats, mandates) and general assemblies (delegates). */
@Resolver()
export class VotingBodyResolver {
  @Mutation(() => VotingBodyPayload, {
    description:
      'Creates a cluster’s BOARD or GENERAL_ASSEMBLY, or replaces its statutory rules (open votes keep the rules they copied). CLUSTER_ADMIN or ADMIN.',
  })
  async configureVotingBody(
    @Ctx() ctx: Context,
    @Arg('input', () => ConfigureVotingBodyInput, { description: 'The body and its rules.' }) input: ConfigureVotingBodyInput,
  ): Promise<VotingBodyPayload> {
    return { body: await ctx.services.bodies.configure(input) };
  }

  @Query(() => VotingBody, { nullable: true, description: 'A cluster’s board or general assembly, with its rules and seats. Public.' })
  votingBody(
    @Ctx() ctx: Context,
    @Arg('clusterId', () => ID, { description: 'The cluster.' }) clusterId: string,
    @Arg('kind', () => BodyKind, { description: 'Which body.' }) kind: BodyKind,
  ): Promise<VotingBody | null> {
    return ctx.services.bodies.find(uuidArg('clusterId', clusterId), kind);
  }

  @Mutation(() => BoardMandatePayload, {
    description:
      'Gives a board seat of a collège to an account for a period (seats per collège are respected); the BOARD_MEMBER right follows the mandate. The account is named by its id or by its sign-in email (`accountEmail`; an unknown one is ACCOUNT_EMAIL_UNKNOWN, said only to a caller allowed to appoint). CLUSTER_ADMIN or ADMIN.',
  })
  async appointBoardMember(
    @Ctx() ctx: Context,
    @Arg('input', () => AppointBoardMemberInput, { description: 'Who, which seat, when.' }) input: AppointBoardMemberInput,
  ): Promise<BoardMandatePayload> {
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
    return { mandate: await ctx.services.bodies.endMandate(uuidArg('mandateId', mandateId), reason) };
  }

  @Mutation(() => DelegatePayload, {
    description:
      'Names the account through which a member organisation votes in the general assembly (replacing the previous one). The organisation’s contacts, CLUSTER_ADMIN or ADMIN.',
  })
  async designateDelegate(
    @Ctx() ctx: Context,
    @Arg('input', () => DesignateDelegateInput, { description: 'Which organisation, whom.' }) input: DesignateDelegateInput,
  ): Promise<DelegatePayload> {
    return { delegate: await ctx.services.bodies.designateDelegate(input) };
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
    return ctx.services.bodies.mandatesOf(body);
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
