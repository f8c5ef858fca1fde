import type { Rel } from '@mikro-orm/core';
import { Check, Entity, ManyToOne, OneToOne, Property, Unique } from '@mikro-orm/decorators/legacy';
import { Field, Int, ObjectType } from 'type-graphql';
import { Cluster } from '../membership/cluster.entity.js';
import { BaseEntity } from '../shared/base.entity.js';
import { Proposal } from './proposal.entity.js';

/** A partnership convention, recorded when an adopted PARTNERSHIP proposal is executed. */
@ObjectType({ description: 'A partnership convention between clusters, from an adopted PARTNERSHIP proposal.' })
@Entity()
@Check({ name: 'convention_duration', expression: 'duration_months >= 1 and duration_months <= 600' })
export class Convention extends BaseEntity {
  @OneToOne(() => Proposal, { deleteRule: 'restrict', owner: true, unique: true })
  proposal!: Rel<Proposal>;

  @Field({ description: 'Title (the proposal’s).' })
  @Property({ length: 300 })
  title!: string;

  @Field(() => [String], { description: 'The axes of the convention (innovation, international…).' })
  @Property({ type: 'text[]' })
  axes!: string[];

  @Field({ description: 'Signature date (ISO date).' })
  @Property({ type: 'date' })
  signedOn!: string;

  @Field(() => Int, { description: 'Duration in months.' })
  @Property()
  durationMonths!: number;

  @Field({ description: 'Last day in force (ISO date).' })
  @Property({ type: 'date' })
  endsOn!: string;
}

/** A cluster bound by a convention: a signatory, or the successor that took it over in a fusion. */
@ObjectType({ description: 'A cluster bound by a convention: a signatory, or the absorbing cluster that carried it over in a fusion.' })
@Entity()
@Unique({ properties: ['convention', 'cluster'] })
export class ConventionParty extends BaseEntity<'carriedFrom'> {
  @ManyToOne(() => Convention, { deleteRule: 'restrict', index: true })
  convention!: Rel<Convention>;

  @ManyToOne(() => Cluster, { deleteRule: 'restrict', index: true })
  cluster!: Rel<Cluster>;

  @Field({ description: 'Since when it is bound (ISO date).' })
  @Property({ type: 'date' })
  boundSince!: string;

  /** The absorbed cluster whose place it took, when carried over by a fusion. */
  @ManyToOne(() => Cluster, { deleteRule: 'restrict', nullable: true })
  carriedFrom?: Rel<Cluster> | null;
}
