import { Collection, type Rel } from '@mikro-orm/core';
import { Check, Entity, Enum, Index, ManyToOne, OneToMany, Property, Unique } from '@mikro-orm/decorators/legacy';
import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { BaseEntity } from '../shared/base.entity.js';
import { College } from './college.entity.js';

export enum ClusterKind {
  FEDERATION = 'FEDERATION',
  CLUSTER = 'CLUSTER',
  ASSOCIATION = 'ASSOCIATION',
}

export enum ClusterStatus {
  ACTIVE = 'ACTIVE',
  MERGED = 'MERGED',
  DISSOLVED = 'DISSOLVED',
}

registerEnumType(ClusterKind, {
  name: 'ClusterKind',
  description: 'What sort of association a cluster is.',
  valuesConfig: {
    FEDERATION: { description: 'A federation of clusters (e.g. France Clusters).' },
    CLUSTER: { description: 'A cluster of companies of one industry branch, organised in collèges.' },
    ASSOCIATION: { description: 'A regional association (e.g. a branch association before a merger).' },
  },
});

registerEnumType(ClusterStatus, {
  name: 'ClusterStatus',
  description: 'Lifecycle of a cluster. Nothing is ever deleted: merged and dissolved clusters stay readable.',
  valuesConfig: {
    ACTIVE: { description: 'Operating.' },
    MERGED: { description: 'Absorbed by a fusion; `successor` names the absorbing cluster.' },
    DISSOLVED: { description: 'Wound up without a successor.' },
  },
});

/** An association (loi 1901): a federation, a cluster, or a regional association. */
@ObjectType({ description: 'An association: a federation, a cluster or a regional association.' })
@Entity()
@Check({ name: 'cluster_merged_has_successor', expression: `(status = 'MERGED') = (successor_id is not null)` })
@Check({ name: 'cluster_not_own_parent', expression: 'parent_id is null or parent_id <> id' })
export class Cluster extends BaseEntity<
  'status' | 'region' | 'description' | 'website' | 'parent' | 'successor' | 'mergedAt' | 'colleges'
> {
  @Field({ description: 'Full name, e.g. "FrenchSouth.digital".' })
  @Property({ length: 200 })
  name!: string;

  @Field({ description: 'Stable, URL-friendly key (lowercase letters, digits and dashes), unique.' })
  @Property({ length: 80 })
  @Unique()
  slug!: string;

  @Field(() => ClusterKind, { description: 'What sort of association this is.' })
  @Enum({ items: () => ClusterKind, nativeEnumName: 'cluster_kind' })
  kind!: ClusterKind;

  @Field(() => ClusterStatus, { description: 'Operating, merged into a successor, or dissolved.' })
  @Enum({ items: () => ClusterStatus, nativeEnumName: 'cluster_status' })
  @Index()
  status: ClusterStatus = ClusterStatus.ACTIVE;

  @Field(() => String, { nullable: true, description: 'Administrative region, e.g. "Occitanie".' })
  @Property({ type: 'text', nullable: true })
  region?: string | null;

  @Field(() => String, { nullable: true, description: 'What the association is for.' })
  @Property({ type: 'text', nullable: true })
  description?: string | null;

  @Field(() => String, { nullable: true, description: 'Public website.' })
  @Property({ type: 'text', nullable: true })
  website?: string | null;

  /** The federation this cluster belongs to, if any. */
  @ManyToOne(() => Cluster, { deleteRule: 'restrict', nullable: true, index: true })
  parent?: Rel<Cluster> | null;

  /** The cluster that absorbed this one (status MERGED). */
  @ManyToOne(() => Cluster, { deleteRule: 'restrict', nullable: true, index: true })
  successor?: Rel<Cluster> | null;

  @Field(() => Date, { nullable: true, description: 'When this cluster was merged into its successor.' })
  @Property({ type: 'timestamptz', nullable: true })
  mergedAt?: Date | null;

  /** The cluster's collèges, by name. */
  @OneToMany(() => College, (college) => college.cluster, { orderBy: { name: 'asc' } })
  colleges = new Collection<College>(this);
}
