import { DomainService, type ServiceScope } from '../auth/domain-service.js';
import type { FilterQuery } from '@mikro-orm/core';

import { auditSnapshot } from '../audit/audit.service.js';
import { BadUserInputError, ConflictError, NotFoundError } from '../shared/errors.js';
import { Cluster, ClusterKind, ClusterStatus } from './cluster.entity.js';
import type { ClusterFilter, CreateClusterInput, CreateCollegeInput, UpdateClusterInput, UpdateCollegeInput } from './cluster.inputs.js';
import { College } from './college.entity.js';

/** Clusters and their collèges: the structure every other domain hangs from. */
export class ClusterService extends DomainService {
  constructor(scope: ServiceScope) {
    super(scope);
  }

  async getCluster(id: string): Promise<Cluster> {
    const cluster = await this.em.findOne(Cluster, { id });
    if (!cluster) throw new NotFoundError('Cluster', id);
    return cluster;
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

  async createCluster(input: CreateClusterInput): Promise<Cluster> {
    return this.em.transactional(async (tx) => {
      const parent = input.parentId ? await tx.findOne(Cluster, { id: input.parentId }) : null;
      if (input.parentId && !parent) throw BadUserInputError.field('input.parentId', 'no such cluster');
      if (parent && parent.kind !== ClusterKind.FEDERATION) {
        throw BadUserInputError.field('input.parentId', 'a parent must be a federation');
      }
      if (await tx.count(Cluster, { slug: input.slug })) {
        throw new ConflictError(`A cluster with slug "${input.slug}" already exists.`, { field: 'input.slug' });
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
      await this.audit.record(tx, this.actor, {
        action: 'cluster.create',
        entityType: 'Cluster',
        entityId: cluster.id,
        after: auditSnapshot(cluster),
      });
      return cluster;
    });
  }

  async updateCluster(input: UpdateClusterInput): Promise<Cluster> {
    return this.em.transactional(async (tx) => {
      const cluster = await tx.findOne(Cluster, { id: input.id });
      if (!cluster) throw new NotFoundError('Cluster', input.id);
      if (cluster.status !== ClusterStatus.ACTIVE) {
        throw new ConflictError(`Cluster ${cluster.slug} is ${cluster.status}; its record is kept as it was.`);
      }
      const before = auditSnapshot(cluster);
      if (input.name !== undefined) cluster.name = input.name.trim();
      if (input.region !== undefined) cluster.region = input.region;
      if (input.description !== undefined) cluster.description = input.description;
      if (input.website !== undefined) cluster.website = input.website;
      await tx.flush();
      await this.audit.record(tx, this.actor, {
        action: 'cluster.update',
        entityType: 'Cluster',
        entityId: cluster.id,
        before,
        after: auditSnapshot(cluster),
      });
      return cluster;
    });
  }

  async getCollege(id: string): Promise<College> {
    const college = await this.em.findOne(College, { id });
    if (!college) throw new NotFoundError('College', id);
    return college;
  }

  async findCollege(by: { id?: string; clusterSlug?: string; slug?: string }): Promise<College | null> {
    if (by.id) return this.em.findOne(College, { id: by.id });
    if (by.clusterSlug && by.slug) return this.em.findOne(College, { slug: by.slug, cluster: { slug: by.clusterSlug } });
    throw new BadUserInputError('Give an id, or a clusterSlug and a slug.', [
      { field: 'id', messages: ['id, or clusterSlug and slug, are required'] },
    ]);
  }

  async createCollege(input: CreateCollegeInput): Promise<College> {
    return this.em.transactional(async (tx) => {
      const cluster = await tx.findOne(Cluster, { id: input.clusterId });
      if (!cluster) throw new NotFoundError('Cluster', input.clusterId);
      if (cluster.status !== ClusterStatus.ACTIVE) {
        throw new ConflictError(`Cluster ${cluster.slug} is ${cluster.status}: it can no longer get collèges.`);
      }
      if (await tx.count(College, { cluster, slug: input.slug })) {
        throw new ConflictError(`Cluster ${cluster.slug} already has a collège "${input.slug}".`, { field: 'input.slug' });
      }
      const college = tx.create(College, {
        cluster,
        name: input.name.trim(),
        slug: input.slug,
        theme: input.theme.trim(),
        description: input.description ?? null,
      });
      await tx.flush();
      await this.audit.record(tx, this.actor, {
        action: 'college.create',
        entityType: 'College',
        entityId: college.id,
        after: auditSnapshot(college),
      });
      return college;
    });
  }

  async updateCollege(input: UpdateCollegeInput): Promise<College> {
    return this.em.transactional(async (tx) => {
      const college = await tx.findOne(College, { id: input.id }, { populate: ['cluster'] });
      if (!college) throw new NotFoundError('College', input.id);
      // As updateCluster: a merged or dissolved cluster is kept as it was, collèges included.
      if (college.cluster.status !== ClusterStatus.ACTIVE) {
        throw new ConflictError(`Cluster ${college.cluster.slug} is ${college.cluster.status}; its collèges are kept as they were.`);
      }
      const before = auditSnapshot(college);
      if (input.name !== undefined) college.name = input.name.trim();
      if (input.theme !== undefined) college.theme = input.theme.trim();
      if (input.description !== undefined) college.description = input.description;
      await tx.flush();
      await this.audit.record(tx, this.actor, {
        action: 'college.update',
        entityType: 'College',
        entityId: college.id,
        before,
        after: auditSnapshot(college),
      });
      return college;
    });
  }
}
