import type { Rel } from '@mikro-orm/core';
import { Check, Entity, ManyToOne } from '@mikro-orm/decorators/legacy';
import { ObjectType } from 'type-graphql';
import { Account } from '../auth/account.entity.js';
import { MandateEntity } from '../auth/mandate.entity.js';
import { College } from './college.entity.js';

/**
 * An elected representative's mandate over a collège. The COLLEGE_REPRESENTATIVE right is the
 * linked role assignment, whose validity is the mandate's: it ends when the mandate ends.
 */
@ObjectType({ description: "A representative's mandate over a collège, after the collège's election." })
@Entity()
@Check({ name: 'representative_mandate_period', expression: 'ends_at is null or ends_at > starts_at' })
export class RepresentativeMandate extends MandateEntity {
  @ManyToOne(() => College, { deleteRule: 'restrict', index: true })
  college!: Rel<College>;

  @ManyToOne(() => Account, { deleteRule: 'restrict', index: true })
  representative!: Rel<Account>;
}
