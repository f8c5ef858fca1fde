import type { Rel } from '@mikro-orm/core';
import { Check, Entity, Enum, Index, ManyToOne, Property, Trigger, Unique } from '@mikro-orm/decorators/legacy';
import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { BaseEntity } from '../shared/base.entity.js';
import { Application } from './application.entity.js';
import { College } from './college.entity.js';
import { Organisation } from './organisation.entity.js';

export enum MembershipStatus {
  ACTIVE = 'ACTIVE',
  SUSPENDED = 'SUSPENDED',
  RESIGNED = 'RESIGNED',
  EXCLUDED = 'EXCLUDED',
  TRANSFERRED = 'TRANSFERRED',
  MERGED = 'MERGED',
}

/**
 * Keeps `membership.sort_name` equal to its organisation's name, whoever writes the row (the ORM,
 * the fusion's set-based steps, seeds, a hand-written INSERT): the value written is ignored and
 * read from `organisation`. The organisation's side (a rename) is `organisation_rename_sorts_memberships`.
 */
const SORT_NAME_FROM_ORGANISATION =
  `if tg_op = 'INSERT' or new.organisation_id is distinct from old.organisation_id or new.sort_name is distinct from old.sort_name ` +
  `then new.sort_name := (select o.name from organisation o where o.id = new.organisation_id); end if; return new;`;

/** Statuses of a membership that has not ended. */
export const CURRENT_STATUSES = [MembershipStatus.ACTIVE, MembershipStatus.SUSPENDED] as const;

registerEnumType(MembershipStatus, {
  name: 'MembershipStatus',
  description: 'Where a membership stands. Ended memberships keep their dates and reason.',
  valuesConfig: {
    ACTIVE: { description: 'A member in good standing.' },
    SUSPENDED: { description: 'Temporarily suspended; can be reinstated.' },
    RESIGNED: { description: 'Ended: the member resigned.' },
    EXCLUDED: { description: 'Ended: the member was excluded, with a reason.' },
    TRANSFERRED: { description: 'Ended: moved to another collège of the same cluster (see the new membership’s origin).' },
    MERGED: { description: 'Ended by a fusion: continued in the absorbing cluster.' },
  },
});

/**
 * An organisation's membership of a collège, from a date, possibly to a date. Never overwritten:
 * a change of collège ends this one and starts a new one whose `origin` points here.
 */
@ObjectType({ description: "An organisation's membership of a collège, with its dates. History is never overwritten." })
@Entity()
@Unique({ name: 'membership_one_current', properties: ['organisation', 'college'], where: `ended_on is null` })
@Check({ name: 'membership_current_has_no_end', expression: `(status in ('ACTIVE', 'SUSPENDED')) = (ended_on is null)` })
@Check({ name: 'membership_period', expression: 'ended_on is null or ended_on >= started_on' })
@Check({ name: 'membership_seniority', expression: 'member_since <= started_on' })
// A collège's directory (current members by organisation name, then id): read from this index in
// order, a page costs its own rows whatever the number of organisations and their names.
@Index({ name: 'membership_directory', properties: ['college', 'sortName', 'id'], where: 'ended_on is null' })
@Trigger({
  name: 'membership_sort_name',
  timing: 'before',
  events: ['insert', 'update'],
  forEach: 'row',
  body: SORT_NAME_FROM_ORGANISATION,
})
export class Membership extends BaseEntity<'status' | 'endedOn' | 'endReason' | 'origin' | 'application' | 'sortName'> {
  @ManyToOne(() => Organisation, { deleteRule: 'restrict', index: true })
  organisation!: Rel<Organisation>;

  @ManyToOne(() => College, { deleteRule: 'restrict', index: true })
  college!: Rel<College>;

  /**
   * The organisation's name, the directory's sort key: copied by the database (trigger
   * `membership_sort_name`, and on a rename `organisation_rename_sorts_memberships`), never written
   * by the application: the default only satisfies the ORM, which reads the trigger's value back
   * after an insert. Not loaded with the entity otherwise.
   */
  @Property({ length: 200, defaultRaw: `''`, lazy: true, hidden: true })
  sortName?: string;

  @Field(() => MembershipStatus, { description: 'Where the membership stands.' })
  @Enum({ items: () => MembershipStatus, nativeEnumName: 'membership_status' })
  @Index()
  status: MembershipStatus = MembershipStatus.ACTIVE;

  @Field({ description: 'First day of this membership (ISO date).' })
  @Property({ type: 'date' })
  startedOn!: string;

  @Field({ description: 'Seniority: first day of the chain of memberships this one continues (kept across transfers and mergers).' })
  @Property({ type: 'date' })
  memberSince!: string;

  @Field(() => String, { nullable: true, description: 'Last day, once ended (ISO date).' })
  @Property({ type: 'date', nullable: true })
  endedOn?: string | null;

  @Field(() => String, { nullable: true, description: 'Why it ended, as recorded (suspension reasons are in `events`).' })
  @Property({ type: 'text', nullable: true })
  endReason?: string | null;

  /** The membership this one continues (after a transfer or a merger). */
  @ManyToOne(() => Membership, { deleteRule: 'restrict', nullable: true, index: true })
  origin?: Rel<Membership> | null;

  /** The approved application that created it, if any. */
  @ManyToOne(() => Application, { deleteRule: 'restrict', nullable: true })
  application?: Rel<Application> | null;
}
