import type { Rel } from '@mikro-orm/core';
import { Entity, Enum, ManyToOne, Property } from '@mikro-orm/decorators/legacy';
import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { Account } from '../auth/account.entity.js';
import { BaseEntity } from '../shared/base.entity.js';
import { Membership } from './membership.entity.js';

export enum MembershipEventKind {
  STARTED = 'STARTED',
  SUSPENDED = 'SUSPENDED',
  REINSTATED = 'REINSTATED',
  RESIGNED = 'RESIGNED',
  EXCLUDED = 'EXCLUDED',
  TRANSFERRED = 'TRANSFERRED',
  MERGED = 'MERGED',
}

registerEnumType(MembershipEventKind, {
  name: 'MembershipEventKind',
  description: 'Something that happened to a membership.',
  valuesConfig: {
    STARTED: { description: 'The membership began (approval, transfer in, merger).' },
    SUSPENDED: { description: 'Suspended.' },
    REINSTATED: { description: 'Reinstated after a suspension.' },
    RESIGNED: { description: 'The member resigned.' },
    EXCLUDED: { description: 'The member was excluded.' },
    TRANSFERRED: { description: 'Moved to another collège of the same cluster.' },
    MERGED: { description: 'Continued in the absorbing cluster after a fusion.' },
  },
});

/** One step of a membership's life, appended, never changed: the full history with reasons. */
@ObjectType({ description: "One step in a membership's life: when, what, why, by whom." })
@Entity()
export class MembershipEvent extends BaseEntity<'reason' | 'actor'> {
  @ManyToOne(() => Membership, { deleteRule: 'restrict', index: true })
  membership!: Rel<Membership>;

  @Field(() => MembershipEventKind, { description: 'What happened.' })
  @Enum({ items: () => MembershipEventKind, nativeEnumName: 'membership_event_kind' })
  kind!: MembershipEventKind;

  @Field({ description: 'The day it took effect (ISO date).' })
  @Property({ type: 'date' })
  effectiveOn!: string;

  @Field(() => String, { nullable: true, description: 'The reason recorded.' })
  @Property({ type: 'text', nullable: true })
  reason?: string | null;

  @ManyToOne(() => Account, { deleteRule: 'restrict', nullable: true })
  actor?: Rel<Account> | null;
}
