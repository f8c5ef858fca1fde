import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from './membership.services.js';
import { uuidArg } from '../shared/ids.js';
import { loadChildren, loadCollection, loadReference, type Loadable } from '../shared/loaders.js';
import { Cluster } from './cluster.entity.js';
import { ClusterFilter, CreateClusterInput, CreateCollegeInput, UpdateClusterInput, UpdateCollegeInput } from './cluster.inputs.js';
import { CreateClusterPayload, CreateCollegePayload, UpdateClusterPayload, UpdateCollegePayload } from './cluster.payloads.js';
import { College } from './college.entity.js';

@Resolver(() => Cluster)
export class ClusterResolver {
  @Query(() => [Cluster], {
    description:
      'Every cluster, federation and association, by name, merged and dissolved ones included (a federation counts about a hundred). Public.',
  })
  clusters(
    @Ctx() ctx: Context,
    @Arg('filter', () => ClusterFilter, { nullable: true, description: 'Restrict the list.' }) filter?: ClusterFilter,
  ): Promise<Cluster[]> {
    return ctx.services.clusters.listClusters(filter);
  }

  @Query(() => Cluster, { nullable: true, description: 'One cluster by id or by slug; null when there is none. Public.' })
  cluster(
    @Ctx() ctx: Context,
    @Arg('id', () => ID, { nullable: true, description: 'The cluster id.' }) id?: string,
    @Arg('slug', () => String, { nullable: true, description: 'The cluster slug, e.g. "frenchsouth-digital".' }) slug?: string,
  ): Promise<Cluster | null> {
    return ctx.services.clusters.findCluster({ id: uuidArg('id', id), slug });
  }

  @Mutation(() => CreateClusterPayload, { description: 'Creates a cluster, federation or association. ADMIN only.' })
  async createCluster(
    @Ctx() ctx: Context,
    @Arg('input', () => CreateClusterInput, { description: 'The new cluster.' }) input: CreateClusterInput,
  ): Promise<CreateClusterPayload> {
    return { cluster: await ctx.services.clusters.createCluster(input) };
  }

  @Mutation(() => UpdateClusterPayload, { description: "Changes a cluster's descriptive fields. ADMIN, or CLUSTER_ADMIN of that cluster." })
  async updateCluster(
    @Ctx() ctx: Context,
    @Arg('input', () => UpdateClusterInput, { description: 'What to change.' }) input: UpdateClusterInput,
  ): Promise<UpdateClusterPayload> {
    return { cluster: await ctx.services.clusters.updateCluster(input) };
  }

  @FieldResolver(() => Cluster, { nullable: true, description: 'The federation this cluster belongs to.' })
  parent(@Root() cluster: Cluster): Loadable<Cluster> {
    return loadReference(cluster.parent);
  }

  @FieldResolver(() => [Cluster], {
    description: 'The clusters this one absorbed by fusion (MERGED, with this one as successor), oldest merger first.',
  })
  predecessors(@Ctx() ctx: Context, @Root() cluster: Cluster): Promise<Cluster[]> {
    return loadChildren(ctx.em, Cluster, 'successor', cluster.id, { mergedAt: 'asc', id: 'asc' });
  }

  @FieldResolver(() => Cluster, { nullable: true, description: 'The cluster that absorbed this one (when MERGED).' })
  successor(@Root() cluster: Cluster): Loadable<Cluster> {
    return loadReference(cluster.successor);
  }

  @FieldResolver(() => [College], { description: 'The collèges of this cluster, by name.' })
  colleges(@Root() cluster: Cluster): Promise<College[]> {
    return loadCollection(cluster.colleges);
  }
}

@Resolver(() => College)
export class CollegeResolver {
  @Query(() => College, {
    nullable: true,
    description: 'One collège, by id or by cluster slug and collège slug; null when there is none. Public.',
  })
  college(
    @Ctx() ctx: Context,
    @Arg('id', () => ID, { nullable: true, description: 'The collège id.' }) id?: string,
    @Arg('clusterSlug', () => String, { nullable: true, description: "The cluster's slug (with `slug`)." }) clusterSlug?: string,
    @Arg('slug', () => String, { nullable: true, description: "The collège's slug within its cluster (with `clusterSlug`)." })
    slug?: string,
  ): Promise<College | null> {
    return ctx.services.clusters.findCollege({ id: uuidArg('id', id), clusterSlug, slug });
  }

  @Mutation(() => CreateCollegePayload, { description: 'Creates a collège in an active cluster. ADMIN, or CLUSTER_ADMIN of that cluster.' })
  async createCollege(
    @Ctx() ctx: Context,
    @Arg('input', () => CreateCollegeInput, { description: 'The new collège.' }) input: CreateCollegeInput,
  ): Promise<CreateCollegePayload> {
    return { college: await ctx.services.clusters.createCollege(input) };
  }

  @Mutation(() => UpdateCollegePayload, { description: "Changes a collège's descriptive fields. ADMIN, or CLUSTER_ADMIN of its cluster." })
  async updateCollege(
    @Ctx() ctx: Context,
    @Arg('input', () => UpdateCollegeInput, { description: 'What to change.' }) input: UpdateCollegeInput,
  ): Promise<UpdateCollegePayload> {
    return { college: await ctx.services.clusters.updateCollege(input) };
  }

  @FieldResolver(() => Cluster, { description: 'The cluster this collège belongs to.' })
  async cluster(@Root() college: College): Promise<Cluster> {
    return (await loadReference(college.cluster)) as Cluster;
  }

  @FieldResolver(() => College, {
    nullable: true,
    description:
      'The collège of the absorbing cluster this one’s members moved to when a fusion absorbed its cluster; null otherwise. Its representatives also read what was allocated to this collège (subsidies).',
  })
  successor(@Root() college: College): Loadable<College> {
    return loadReference(college.successor);
  }

  @FieldResolver(() => [College], {
    description: 'The collèges of absorbed clusters whose members moved into this one by fusion, by name.',
  })
  predecessors(@Ctx() ctx: Context, @Root() college: College): Promise<College[]> {
    return loadChildren(ctx.em, College, 'successor', college.id, { name: 'asc', id: 'asc' });
  }
}
