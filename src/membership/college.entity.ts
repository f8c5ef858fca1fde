import type { Rel } from '@mikro-orm/core';
import { Check, Entity, ManyToOne, Property, Unique } from '@mikro-orm/decorators/legacy';
import { Field, ObjectType } from 'type-graphql';
import { BaseEntity } from '../shared/base.entity.js';
import { Cluster } from './cluster.entity.js';

/** A thematic, autonomous group inside a cluster (start-ups, higher education & research, cloud…). */
@ObjectType({ description: 'A collège: a thematic, autonomous group of members inside a cluster, with its own admission rules.' })
@Entity()
@Unique({ properties: ['cluster', 'slug'] })
@Check({ name: 'college_not_own_successor', expression: 'successor_id is null or successor_id <> id' })
export class College extends BaseEntity<'description' | 'successor'> {
  @ManyToOne(() => Cluster, { deleteRule: 'restrict', index: true })
  cluster!: Rel<Cluster>;

  @Field({ description: 'Name, e.g. "Start-ups & Entrepreneurs".' })
  @Property({ length: 200 })
  name!: string;

  @Field({ description: 'URL-friendly key, unique within the cluster.' })
  @Property({ length: 80 })
  slug!: string;

  @Field({ description: 'The trade or theme the collège gathers, e.g. "cloud", "digital creation".' })
  @Property({ length: 200 })
  theme!: string;

  @Field(() => String, { nullable: true, description: 'What the collège is for and who belongs in it.' })
  @Property({ type: 'text', nullable: true })
  description?: string | null;

  /**
   * The collège of the absorbing cluster this one's members moved to, set when a fusion that
   * absorbed its cluster was executed. What was allocated to this collège (subsidies) is then
   * read by the successor's representatives too.
   */
  @ManyToOne(() => College, { deleteRule: 'restrict', nullable: true, index: true })
  successor?: Rel<College> | null;
}
