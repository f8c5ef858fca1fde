import type { Rel } from '@mikro-orm/core';
import { Check, Entity, ManyToOne, OneToOne, Property } from '@mikro-orm/decorators/legacy';
import { Field, ObjectType } from 'type-graphql';
import { Account } from '../auth/account.entity.js';
import { RoleAssignment } from '../auth/role-assignment.entity.js';
import { BaseEntity } from '../shared/base.entity.js';
import { College } from './college.entity.js';

/**
 * An elected representative's mandate over a collège. The COLLEGE_REPRESENTATIVE right is the
 * linked role assignment, whose validity is the mandate's: it ends when the mandate ends.
 */
@ObjectType({ description: "A representative's mandate over a collège, after the collège's election." })
@Entity()
@Check({ name: 'representative_mandate_period', expression: 'ends_at is null or ends_at > starts_at' })
export class RepresentativeMandate extends BaseEntity<'endsAt' | 'endedEarlyReason'> {
  @ManyToOne(() => College, { deleteRule: 'restrict', index: true })
  college!: Rel<College>;

  @ManyToOne(() => Account, { deleteRule: 'restrict', index: true })
  representative!: Rel<Account>;

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
