import { Arg, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import { Cluster } from '../membership/cluster.entity.js';
import { uuidArg } from '../shared/ids.js';
import { loadChildren, loadReference, type Loadable } from '../shared/loaders.js';
import { Convention, ConventionParty } from './convention.entity.js';
import type { Context } from './governance.services.js';
import { Proposal } from './proposal.entity.js';

/** Partnership conventions and the clusters they bind. */
@Resolver()
export class ConventionResolver {
  @Query(() => [Convention], {
    description: 'The partnership conventions binding a cluster (signed, or carried over by a fusion), newest first. Its people and ADMIN.',
  })
  conventions(@Ctx() ctx: Context, @Arg('clusterId', () => ID, { description: 'The cluster.' }) clusterId: string): Promise<Convention[]> {
    return ctx.services.conventions.binding(uuidArg('clusterId', clusterId));
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
