import type { EntityManager } from '@mikro-orm/postgresql';
import type { ScopeCluster, ScopeCollege, ScopeDirectory } from '../auth/scope-directory.js';
import { Cluster } from './cluster.entity.js';
import { College } from './college.entity.js';

/** Auth's view of the clusters and collèges (see ScopeDirectory). */
export const membershipScopeDirectory: ScopeDirectory = {
  async cluster(em: EntityManager, id: string): Promise<ScopeCluster | null> {
    const cluster = await em.findOne(Cluster, { id });
    return cluster && { id: cluster.id, slug: cluster.slug, name: cluster.name, status: cluster.status };
  },
  async college(em: EntityManager, id: string): Promise<ScopeCollege | null> {
    const college = await em.findOne(College, { id });
    return college && { id: college.id, clusterId: college.cluster.id, name: college.name };
  },
};
