import type { Rel } from '@mikro-orm/core';
import { Check, Entity, Enum, ManyToOne, Property } from '@mikro-orm/decorators/legacy';
import { Field, ObjectType } from 'type-graphql';
import { BaseEntity } from '../shared/base.entity.js';
import { Account } from './account.entity.js';
import { Role } from './role.js';
import { scopeEntity } from './scope-directory.js';

/** A scope row as auth sees it: membership owns the class (auth sits below membership). */
interface ScopeRow {
  id: string;
}

/**
 * A role held by an account over a scope, from a date and possibly until one. Assignments are
 * never deleted: revoking one sets `validTo`, so who could do what, when, stays answerable.
 */
@ObjectType({ description: 'A role an account holds over a scope (a cluster or a collège), for a period.' })
@Entity()
@Check({
  name: 'role_assignment_scope',
  expression: `case role
    when 'ADMIN' then cluster_id is null and college_id is null
    when 'COLLEGE_REPRESENTATIVE' then cluster_id is not null and college_id is not null
    when 'MEMBER' then cluster_id is not null
    else cluster_id is not null and college_id is null end`,
})
@Check({ name: 'role_assignment_period', expression: 'valid_to is null or valid_to > valid_from' })
export class RoleAssignment extends BaseEntity<'cluster' | 'college' | 'validTo' | 'grantedBy'> {
  @ManyToOne(() => Account, { deleteRule: 'restrict', index: true })
  account!: Rel<Account>;

  @Field(() => Role, { description: 'The right held.' })
  @Enum({ items: () => Role, nativeEnumName: 'role' })
  role!: Role;

  /** Cluster scope; for a collège-scoped role, the collège's cluster. */
  @ManyToOne(() => scopeEntity('cluster'), { deleteRule: 'restrict', nullable: true, index: true })
  cluster?: ScopeRow | null;

  /** Collège scope, for collège-level roles. */
  @ManyToOne(() => scopeEntity('college'), { deleteRule: 'restrict', nullable: true, index: true })
  college?: ScopeRow | null;

  @Field({ description: 'Start of validity.' })
  @Property({ type: 'timestamptz' })
  validFrom!: Date;

  @Field(() => Date, { nullable: true, description: 'End of validity (exclusive); null while open-ended.' })
  @Property({ type: 'timestamptz', nullable: true })
  validTo?: Date | null;

  @ManyToOne(() => Account, { deleteRule: 'restrict', nullable: true })
  grantedBy?: Rel<Account> | null;

  /** Whether the assignment is in force at `at`. */
  isValidAt(at: Date): boolean {
    return this.validFrom <= at && (!this.validTo || this.validTo > at);
  }
}
