import type { Rel } from '@mikro-orm/core';
import { Check, Entity, Enum, ManyToOne, Property, Unique } from '@mikro-orm/decorators/legacy';
import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Account } from '../auth/account.entity.js';
import { BaseEntity } from '../shared/base.entity.js';
import type { AdmissionCriteria } from './admission-criteria.js';
import { College } from './college.entity.js';

export enum DecisionMode {
  AUTOMATIC = 'AUTOMATIC',
  REPRESENTATIVE = 'REPRESENTATIVE',
}

registerEnumType(DecisionMode, {
  name: 'DecisionMode',
  description: 'Who decides on an application.',
  valuesConfig: {
    AUTOMATIC: { description: 'An eligible application is admitted at once; others wait for a representative.' },
    REPRESENTATIVE: { description: 'A representative of the collège with a current mandate decides.' },
  },
});

/**
 * One version of a collège's admission rules. Setting rules adds a version; versions are never
 * changed, so every application keeps the rules it was judged on.
 */
@Entity()
@Unique({ properties: ['college', 'version'] })
@Check({ name: 'admission_rule_set_version_positive', expression: 'version > 0' })
@ObjectType({ description: "One version of a collège's admission rules. Versions are immutable; the highest is in force." })
export class AdmissionRuleSet extends BaseEntity<'createdBy' | 'note'> {
  @ManyToOne(() => College, { deleteRule: 'restrict', index: true })
  college!: Rel<College>;

  @Field(() => Int, { description: 'Version number within the collège: 1, 2, 3…' })
  @Property({ type: 'integer' })
  version!: number;

  /** The criteria, as data (see AdmissionCriteria). */
  @Property({ type: 'jsonb' })
  criteria!: AdmissionCriteria;

  @Field(() => DecisionMode, { description: 'Who decides.' })
  @Enum({ items: () => DecisionMode, nativeEnumName: 'decision_mode' })
  decisionMode!: DecisionMode;

  @Field(() => String, { nullable: true, description: 'Why these rules (e.g. "adopted by the collège on 2026-10-02").' })
  @Property({ type: 'text', nullable: true })
  note?: string | null;

  @ManyToOne(() => Account, { deleteRule: 'restrict', nullable: true })
  createdBy?: Rel<Account> | null;
}
