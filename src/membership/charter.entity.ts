import type { Rel } from '@mikro-orm/core';
import { Check, Entity, ManyToOne, Property, Unique } from '@mikro-orm/decorators/legacy';
import { Field, Int, ObjectType } from 'type-graphql';
import { Account } from '../auth/account.entity.js';
import { BaseEntity } from '../shared/base.entity.js';
import { Cluster } from './cluster.entity.js';
import { Organisation } from './organisation.entity.js';
import { Person } from './person.entity.js';

/** One version of a cluster's charter of good practices; the highest version is current. */
@ObjectType({ description: "One version of a cluster's charter of good practices. The highest version is in force." })
@Entity()
@Unique({ properties: ['cluster', 'version'] })
@Check({ name: 'charter_version_positive', expression: 'version > 0' })
export class Charter extends BaseEntity {
  @ManyToOne(() => Cluster, { deleteRule: 'restrict', index: true })
  cluster!: Rel<Cluster>;

  @Field(() => Int, { description: 'Version number: 1, 2, 3…' })
  @Property({ type: 'integer' })
  version!: number;

  @Field({ description: 'Title, e.g. "Charte des bonnes pratiques".' })
  @Property({ length: 200 })
  title!: string;

  @Field({ description: 'The full text signatories commit to.' })
  @Property({ type: 'text' })
  text!: string;
}

/** An organisation's signature of one charter version, by a person acting for it. */
@ObjectType({ description: "An organisation's signature of one charter version." })
@Entity()
@Unique({ properties: ['charter', 'organisation'] })
export class CharterSignature extends BaseEntity {
  @ManyToOne(() => Charter, { deleteRule: 'restrict', index: true })
  charter!: Rel<Charter>;

  @ManyToOne(() => Organisation, { deleteRule: 'restrict', index: true })
  organisation!: Rel<Organisation>;

  @ManyToOne(() => Person, { deleteRule: 'restrict' })
  signedBy!: Rel<Person>;

  @ManyToOne(() => Account, { deleteRule: 'restrict' })
  account!: Rel<Account>;
}
