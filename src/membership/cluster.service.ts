import { LockMode, type FilterQuery } from '@mikro-orm/core';
import { auditSnapshot } from '../audit/audit.service.js';
import { DomainService, type ServiceScope } from '../auth/domain-service.js';
import { Action, GLOBAL, clusterScope } from '../auth/permissions.js';
import { BadUserInputError, CommonReason, NotFoundError } from '../shared/errors.js';
import { queryPrepared } from '../shared/sql-script.js';
import { Cluster, ClusterKind, ClusterStatus } from './cluster.entity.js';
import type { ClusterFilter, CreateClusterInput, CreateCollegeInput, UpdateClusterInput, UpdateCollegeInput } from './cluster.inputs.js';
import { College } from './college.entity.js';
import { MembershipReason, refuse } from './membership.reasons.js';

/** The refusal for a change to a merged or dissolved cluster (or its collèges). */
export function clusterNotActive(cluster: Cluster, consequence: string) {
  return refuse(MembershipReason.CLUSTER_NOT_ACTIVE, `Cluster ${cluster.slug} is ${cluster.status}${consequence}`, {
    status: cluster.status,
  });
}

/** Clusters and their collèges: the structure every other domain hangs from. */
export class ClusterService extends DomainService {
  constructor(scope: ServiceScope) {
    super(scope);
  }

  async findCluster(by: { id?: string; slug?: string }): Promise<Cluster | null> {
    if (by.id) return this.em.findOne(Cluster, { id: by.id });
    if (by.slug) return this.em.findOne(Cluster, { slug: by.slug });
    throw new BadUserInputError('Give an id or a slug.', [{ field: 'id', messages: ['id or slug is required'] }]);
  }

  listClusters(filter: ClusterFilter = {}): Promise<Cluster[]> {
    const where: FilterQuery<Cluster> = {};
    if (filter.kind) where.kind = filter.kind;
    if (filter.status) where.status = filter.status;
    if (filter.parentId) where.parent = filter.parentId;
    return this.em.find(Cluster, where, { orderBy: { name: 'asc', id: 'asc' } });
  }

  /** Creates a cluster, federation or association (ADMIN). */
  async createCluster(input: CreateClusterInput): Promise<Cluster> {
    this.authorize(Action.CreateCluster, GLOBAL);
    return this.em.transactional(async (tx) => {
      const parent = input.parentId ? await tx.findOne(Cluster, { id: input.parentId }) : null;
      if (input.parentId && !parent) throw BadUserInputError.field('input.parentId', 'no such cluster', CommonReason.REFERENCE_MISSING);
      if (parent && parent.kind !== ClusterKind.FEDERATION) {
        throw BadUserInputError.field('input.parentId', 'a parent must be a federation', MembershipReason.PARENT_NOT_FEDERATION);
      }
      if (await tx.count(Cluster, { slug: input.slug })) {
        throw refuse(MembershipReason.CLUSTER_SLUG_TAKEN, `A cluster with slug "${input.slug}" already exists.`, { field: 'input.slug' });
      }
      const cluster = tx.create(Cluster, {
        name: input.name.trim(),
        slug: input.slug,
        kind: input.kind,
        parent,
        region: input.region ?? null,
        description: input.description ?? null,
        website: input.website ?? null,
      });
      await tx.flush();
      await this.recordChange(tx, 'cluster.create', cluster);
      return cluster;
    });
  }

  /** Changes a cluster's descriptive fields (its administrators, ADMIN). */
  async updateCluster(input: UpdateClusterInput): Promise<Cluster> {
    this.requireSignedIn();
    return this.em.transactional(async (tx) => {
      const cluster = await tx.findOne(Cluster, { id: input.id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!cluster) throw new NotFoundError('Cluster', input.id);
      this.authorize(Action.UpdateCluster, clusterScope(cluster.id, cluster.name));
      if (cluster.status !== ClusterStatus.ACTIVE) throw clusterNotActive(cluster, '; its record is kept as it was.');
      const before = auditSnapshot(cluster);
      if (input.name !== undefined) cluster.name = input.name.trim();
      if (input.region !== undefined) cluster.region = input.region;
      if (input.description !== undefined) cluster.description = input.description;
      if (input.website !== undefined) cluster.website = input.website;
      await tx.flush();
      await this.recordChange(tx, 'cluster.update', cluster, before);
      return cluster;
    });
  }

  async findCollege(by: { id?: string; clusterSlug?: string; slug?: string }): Promise<College | null> {
    if (by.id) {
      // The `college(id)` query, before every directory page: one prepared statement (planned once
      // per connection) hydrated as the ORM would, instead of the ORM's query building each time.
      // Inside a transaction (none calls it so today), the ORM's own lookup.
      if (this.em.isInTransaction()) return this.em.findOne(College, { id: by.id });
      const [row] = await queryPrepared(this.em, { sql: 'select * from college where id = ?::uuid', params: [by.id] });
      return row ? this.em.map(College, row) : null;
    }
    if (by.clusterSlug && by.slug) return this.em.findOne(College, { slug: by.slug, cluster: { slug: by.clusterSlug } });
    throw new BadUserInputError('Give an id, or a clusterSlug and a slug.', [
      { field: 'id', messages: ['id, or clusterSlug and slug, are required'] },
    ]);
  }

  /** Creates a collège in an active cluster (its administrators, ADMIN). */
  async createCollege(input: CreateCollegeInput): Promise<College> {
    this.requireSignedIn();
    return this.em.transactional(async (tx) => {
      const cluster = await tx.findOne(Cluster, { id: input.clusterId });
      if (!cluster) throw new NotFoundError('Cluster', input.clusterId);
      this.authorize(Action.CreateCollege, clusterScope(cluster.id, cluster.name));
      if (cluster.status !== ClusterStatus.ACTIVE) throw clusterNotActive(cluster, ': it can no longer get collèges.');
      if (await tx.count(College, { cluster, slug: input.slug })) {
        throw refuse(MembershipReason.COLLEGE_SLUG_TAKEN, `Cluster ${cluster.slug} already has a collège "${input.slug}".`, {
          field: 'input.slug',
        });
      }
      const college = tx.create(College, {
        cluster,
        name: input.name.trim(),
        slug: input.slug,
        theme: input.theme.trim(),
        description: input.description ?? null,
      });
      await tx.flush();
      await this.recordChange(tx, 'college.create', college);
      return college;
    });
  }

  /** Changes a collège's descriptive fields (its cluster's administrators, ADMIN). */
  async updateCollege(input: UpdateCollegeInput): Promise<College> {
    // Signed-in first: looking the collège up must not tell an anonymous caller whether it exists.
    this.requireSignedIn();
    return this.em.transactional(async (tx) => {
      const college = await tx.findOne(College, { id: input.id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!college) throw new NotFoundError('College', input.id);
      const cluster = await tx.findOneOrFail(Cluster, college.cluster.id);
      this.authorize(Action.UpdateCollege, clusterScope(cluster.id, cluster.name));
      // As updateCluster: a merged or dissolved cluster is kept as it was, collèges included.
      if (cluster.status !== ClusterStatus.ACTIVE) throw clusterNotActive(cluster, '; its collèges are kept as they were.');
      const before = auditSnapshot(college);
      if (input.name !== undefined) college.name = input.name.trim();
      if (input.theme !== undefined) college.theme = input.theme.trim();
      if (input.description !== undefined) college.description = input.description;
      await tx.flush();
      await this.recordChange(tx, 'college.update', college, before);
      return college;
    });
  }
}
