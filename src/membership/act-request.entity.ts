import type { Rel } from '@mikro-orm/core';
import { Check, Entity, Enum, ManyToOne, Property, Unique } from '@mikro-orm/decorators/legacy';
import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { Account } from '../auth/account.entity.js';
import { BaseEntity } from '../shared/base.entity.js';
import { Organisation } from './organisation.entity.js';
import { Person } from './person.entity.js';

export enum ActRequestStatus {
  PENDING = 'PENDING',
  APPROVED = 'APPROVED',
  REFUSED = 'REFUSED',
  WITHDRAWN = 'WITHDRAWN',
}

registerEnumType(ActRequestStatus, {
  name: 'ActRequestStatus',
  description: 'PENDING → APPROVED | REFUSED | WITHDRAWN; a settled request stays as it was settled.',
  valuesConfig: {
    PENDING: { description: 'Awaiting a decision.' },
    APPROVED: { description: 'Approved: the requester now acts for the organisation (a person linked to their account).' },
    REFUSED: { description: 'Refused, with a reason.' },
    WITHDRAWN: { description: 'Withdrawn by the requester before a decision.' },
  },
});

/**
 * An account asking to act for an organisation that is already registered (its SIREN was taken,
 * or its name found). Kept whatever the outcome: a new request is a new row.
 */
@ObjectType({
  description:
    'A request to act for an organisation: who asks, as whom, and what became of it. Read by the requester and by those who may decide it.',
})
@Entity()
@Unique({ name: 'act_request_one_pending', properties: ['organisation', 'requester'], where: `status = 'PENDING'` })
@Check({ name: 'act_request_settled_when', expression: `(status = 'PENDING') = (decided_at is null)` })
@Check({ name: 'act_request_refusal_has_reason', expression: `status <> 'REFUSED' or reason is not null` })
@Check({ name: 'act_request_approval_has_person', expression: `(status = 'APPROVED') = (person_id is not null)` })
export class ActRequest extends BaseEntity<'status' | 'message' | 'decidedAt' | 'decidedBy' | 'reason' | 'person'> {
  @ManyToOne(() => Organisation, { deleteRule: 'restrict', index: true })
  organisation!: Rel<Organisation>;

  @ManyToOne(() => Account, { deleteRule: 'restrict', index: true })
  requester!: Rel<Account>;

  @Field({ description: 'The requester’s full name, as the organisation knows them.' })
  @Property({ length: 200 })
  fullName!: string;

  @Field({ description: 'Their role in the organisation, e.g. "CTO".' })
  @Property({ length: 200 })
  roleInOrganisation!: string;

  @Field(() => String, { nullable: true, description: 'What the requester wrote to those who decide.' })
  @Property({ type: 'text', nullable: true })
  message?: string | null;

  @Field(() => ActRequestStatus, { description: 'Where the request stands.' })
  @Enum({ items: () => ActRequestStatus, nativeEnumName: 'act_request_status' })
  status: ActRequestStatus = ActRequestStatus.PENDING;

  @Field(() => Date, { nullable: true, description: 'When it was approved, refused or withdrawn.' })
  @Property({ type: 'timestamptz', nullable: true })
  decidedAt?: Date | null;

  /** Who approved or refused it (the requester, for a withdrawal; null for the system). */
  @ManyToOne(() => Account, { deleteRule: 'restrict', nullable: true })
  decidedBy?: Rel<Account> | null;

  @Field(() => String, { nullable: true, description: 'The reason given with the decision (required to refuse).' })
  @Property({ type: 'text', nullable: true })
  reason?: string | null;

  /** The person linked to the requester's account by the approval. */
  @ManyToOne(() => Person, { deleteRule: 'restrict', nullable: true })
  person?: Rel<Person> | null;
}
