import type { Rel } from '@mikro-orm/core';
import { OneToOne, Property } from '@mikro-orm/decorators/legacy';
import { Field, ObjectType } from 'type-graphql';
import { BaseEntity } from '../shared/base.entity.js';
import { RoleAssignment } from './role-assignment.entity.js';

/**
 * A mandate whose right is a role assignment valid exactly as long as it: a collège
 * representative's, a board seat holder's. Each subclass is a table of its own, with the period
 * checked by a constraint of its own (`ends_at is null or ends_at > starts_at`).
 */
@ObjectType({ description: 'A mandate held for a period, whose right follows it.' })
export abstract class MandateEntity<Optional extends string = never> extends BaseEntity<'endsAt' | 'endedEarlyReason' | Optional> {
  @Field({ description: 'Start of the mandate.' })
  @Property({ type: 'timestamptz' })
  startsAt!: Date;

  @Field(() => Date, { nullable: true, description: 'End of the mandate (exclusive); brought forward when it ends early.' })
  @Property({ type: 'timestamptz', nullable: true })
  endsAt?: Date | null;

  @Field(() => String, { nullable: true, description: 'Why the mandate ended before its term, if it did.' })
  @Property({ type: 'text', nullable: true })
  endedEarlyReason?: string | null;

  /** The right that follows the mandate. */
  @OneToOne(() => RoleAssignment, { deleteRule: 'restrict', owner: true, unique: true })
  roleAssignment!: Rel<RoleAssignment>;
}
