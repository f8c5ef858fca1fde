import { Arg, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import type { Context } from './membership.services.js';
import { loadReference } from '../shared/loaders.js';
import { Charter, CharterSignature } from './charter.entity.js';
import { PublishCharterInput, SignCharterInput } from './charter.inputs.js';
import { Cluster } from './cluster.entity.js';
import { Organisation } from './organisation.entity.js';
import { PublishCharterPayload, SignCharterPayload } from './charter.payloads.js';

@Resolver(() => Charter)
export class CharterResolver {
  @Mutation(() => PublishCharterPayload, {
    description: "Publishes a new version of a cluster's charter; signatures of earlier versions no longer count. CLUSTER_ADMIN or ADMIN.",
  })
  async publishCharter(
    @Ctx() ctx: Context,
    @Arg('input', () => PublishCharterInput, { description: 'The charter.' }) input: PublishCharterInput,
  ): Promise<PublishCharterPayload> {
    return { charter: await ctx.services.charters.publish(input) };
  }

  @Mutation(() => SignCharterPayload, {
    description: "Signs a cluster's current charter for an organisation the caller acts for; its pending applications are re-judged.",
  })
  async signCharter(
    @Ctx() ctx: Context,
    @Arg('input', () => SignCharterInput, { description: 'Who signs which charter.' }) input: SignCharterInput,
  ): Promise<SignCharterPayload> {
    return { signature: await ctx.services.charters.sign(input) };
  }

  @FieldResolver(() => Cluster, { description: 'The cluster.' })
  async cluster(@Root() charter: Charter): Promise<Cluster> {
    return (await loadReference(charter.cluster))!;
  }
}

@Resolver(() => CharterSignature)
export class CharterSignatureResolver {
  @FieldResolver(() => Charter, { description: 'The charter version signed.' })
  async charter(@Root() signature: CharterSignature): Promise<Charter> {
    return (await loadReference(signature.charter))!;
  }

  @FieldResolver(() => Organisation, { description: 'The signing organisation.' })
  async organisation(@Root() signature: CharterSignature): Promise<Organisation> {
    return (await loadReference(signature.organisation))!;
  }

  @FieldResolver(() => Date, { description: 'When it was signed.' })
  signedAt(@Root() signature: CharterSignature): Date {
    return signature.createdAt;
  }
}

@Resolver(() => Cluster)
export class ClusterCharterResolver {
  @FieldResolver(() => Charter, {
    nullable: true,
    description: "The cluster's charter of good practices in force (null before any is published).",
  })
  charter(@Ctx() ctx: Context, @Root() cluster: Cluster): Promise<Charter | null> {
    return ctx.services.charters.currentCharter(cluster.id);
  }
}
