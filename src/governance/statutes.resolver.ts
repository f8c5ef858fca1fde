import { Arg, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import { loadReference, type Loadable } from '../shared/loaders.js';
import type { Context } from './governance.services.js';
import { SetBodyStatutesInput } from './statutes.inputs.js';
import { BodyStatutesPayload } from './statutes.payloads.js';
import { BodyStatutes } from './statutes.entity.js';
import { VotingBody } from './voting-body.entity.js';

/** A body's statutory meeting rules: versions added, never changed. */
@Resolver()
export class StatutesResolver {
  @Mutation(() => BodyStatutesPayload, {
    description:
      'Records a new version of a body’s statutory meeting rules (notice delay, quorum at first and second convocation, pouvoirs, dissolution conditions); it is in force from now, earlier versions stay on record and meetings already convened keep theirs. Every field is checked (INVALID_INPUT names each bad one in `extensions.fields`); the cluster must be ACTIVE (VOTING_CLUSTER_NOT_ACTIVE). CLUSTER_ADMIN of the body’s cluster, or ADMIN.',
  })
  async setBodyStatutes(
    @Ctx() ctx: Context,
    @Arg('input', () => SetBodyStatutesInput, { description: 'The body and its rules.' }) input: SetBodyStatutesInput,
  ): Promise<BodyStatutesPayload> {
    return { statutes: await ctx.services.statutes.set(input) };
  }
}

@Resolver(() => VotingBody)
export class VotingBodyStatutesResolver {
  @FieldResolver(() => BodyStatutes, {
    nullable: true,
    description:
      'The statutory meeting rules in force (the highest version), or null when none were recorded. The cluster’s people (board members, members, administrators) and ADMIN.',
  })
  statutes(@Ctx() ctx: Context, @Root() body: VotingBody): Promise<BodyStatutes | null> {
    return ctx.services.statutes.inForce(body);
  }

  @FieldResolver(() => [BodyStatutes], {
    description: 'Every version of the statutory meeting rules, oldest first. The cluster’s people and ADMIN.',
  })
  statutesHistory(@Ctx() ctx: Context, @Root() body: VotingBody): Promise<BodyStatutes[]> {
    return ctx.services.statutes.history(body);
  }
}

@Resolver(() => BodyStatutes)
export class BodyStatutesFieldsResolver {
  @FieldResolver(() => VotingBody, { description: 'The body these rules govern.' })
  body(@Root() statutes: BodyStatutes): Loadable<VotingBody> {
    return loadReference(statutes.body);
  }
}
