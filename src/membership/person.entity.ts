import type { Rel } from '@mikro-orm/core';
import { Entity, ManyToOne, Property, Unique } from '@mikro-orm/decorators/legacy';
import { Field, ObjectType } from 'type-graphql';
import { Account } from '../auth/account.entity.js';
import { BaseEntity } from '../shared/base.entity.js';
import { Organisation } from './organisation.entity.js';

/** Someone acting for an organisation (its contact, director, delegate), possibly with an account. */
@ObjectType({ description: 'A person acting for an organisation, possibly linked to a user account.' })
@Entity()
@Unique({ properties: ['organisation', 'account'] })
export class Person extends BaseEntity<'email' | 'roleInOrganisation' | 'account'> {
  @ManyToOne(() => Organisation, { deleteRule: 'restrict', index: true })
  organisation!: Rel<Organisation>;

  @Field({ description: 'Full name.' })
  @Property({ length: 200 })
  fullName!: string;

  @Field(() => String, { nullable: true, description: 'Contact email.' })
  @Property({ length: 320, nullable: true })
  email?: string | null;

  @Field(() => String, { nullable: true, description: 'Role in the organisation, e.g. "CEO", "director".' })
  @Property({ length: 200, nullable: true })
  roleInOrganisation?: string | null;

  /** The account this person signs in with, if any. */
  @ManyToOne(() => Account, { deleteRule: 'restrict', nullable: true, index: true })
  account?: Rel<Account> | null;
}
