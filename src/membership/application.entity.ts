import type { Rel } from '@mikro-orm/core';
import { Check, Entity, Enum, Index, ManyToOne, Property, Unique } from '@mikro-orm/decorators/legacy';
import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { Account } from '../auth/account.entity.js';
import { BaseEntity } from '../shared/base.entity.js';
import type { CriterionResult } from './admission-criteria.js';
import { AdmissionRuleSet } from './admission-rule-set.entity.js';
import { College } from './college.entity.js';
import { Organisation } from './organisation.entity.js';

export enum ApplicationState {
  SUBMITTED = 'SUBMITTED',
  UNDER_REVIEW = 'UNDER_REVIEW',
  APPROVED = 'APPROVED',
  REJECTED = 'REJECTED',
  WITHDRAWN = 'WITHDRAWN',
}

/** States in which an application still awaits a decision. */
export const PENDING_STATES = [ApplicationState.SUBMITTED, ApplicationState.UNDER_REVIEW] as const;

registerEnumType(ApplicationState, {
  name: 'ApplicationState',
  description: 'SUBMITTED → UNDER_REVIEW → APPROVED | REJECTED | WITHDRAWN.',
  valuesConfig: {
    SUBMITTED: { description: 'Received, not yet looked at by a representative.' },
    UNDER_REVIEW: { description: 'A representative has started reviewing it (reviewApplication).' },
    APPROVED: { description: 'Admitted: a membership was created.' },
    REJECTED: { description: 'Refused, with a reason.' },
    WITHDRAWN: { description: 'Withdrawn by the applicant before a decision.' },
  },
});

/** An organisation's request to join a collège, judged against the rule version in force. */
@ObjectType({
  description: "An organisation's application to a collège, with the rule version it is judged on and each criterion's outcome.",
})
@Entity()
@Unique({ name: 'application_one_pending', properties: ['organisation', 'college'], where: `state in ('SUBMITTED', 'UNDER_REVIEW')` })
@Check({ name: 'application_rejection_has_reason', expression: `state <> 'REJECTED' or decision_reason is not null` })
@Check({ name: 'application_decision_complete', expression: `(state in ('APPROVED', 'REJECTED')) = (decided_at is not null)` })
export class Application extends BaseEntity<
  'state' | 'decidedAt' | 'decidedBy' | 'decisionReason' | 'overrideReason' | 'withdrawnAt' | 'submittedBy'
> {
  @ManyToOne(() => Organisation, { deleteRule: 'restrict', index: true })
  organisation!: Rel<Organisation>;

  @ManyToOne(() => College, { deleteRule: 'restrict', index: true })
  college!: Rel<College>;

  /** The rule version the application was judged on (kept even when rules change later). */
  @ManyToOne(() => AdmissionRuleSet, { deleteRule: 'restrict' })
  ruleSet!: Rel<AdmissionRuleSet>;

  @Field(() => ApplicationState, { description: 'Where the application stands.' })
  @Enum({ items: () => ApplicationState, nativeEnumName: 'application_state' })
  @Index()
  state: ApplicationState = ApplicationState.SUBMITTED;

  /** Each criterion's outcome at the last evaluation (submission, sponsorship, charter signature). */
  @Property({ type: 'jsonb' })
  criteriaResults!: CriterionResult[];

  @ManyToOne(() => Account, { deleteRule: 'restrict', nullable: true })
  submittedBy?: Rel<Account> | null;

  @Field(() => Date, { nullable: true, description: 'When it was approved or rejected.' })
  @Property({ type: 'timestamptz', nullable: true })
  decidedAt?: Date | null;

  @ManyToOne(() => Account, { deleteRule: 'restrict', nullable: true })
  decidedBy?: Rel<Account> | null;

  @Field(() => String, { nullable: true, description: 'The reason given with the decision (required for a rejection).' })
  @Property({ type: 'text', nullable: true })
  decisionReason?: string | null;

  @Field(() => String, { nullable: true, description: 'Set when a representative approved despite a failing criterion: why.' })
  @Property({ type: 'text', nullable: true })
  overrideReason?: string | null;

  @Field(() => Date, { nullable: true, description: 'When the applicant withdrew it.' })
  @Property({ type: 'timestamptz', nullable: true })
  withdrawnAt?: Date | null;
}
