import type { Rel } from '@mikro-orm/core';
import { Check, Entity, Enum, ManyToOne, Property, Unique } from '@mikro-orm/decorators/legacy';
import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { Account } from '../auth/account.entity.js';
import { MandateEntity } from '../auth/mandate.entity.js';
import { Cluster } from '../membership/cluster.entity.js';
import { College } from '../membership/college.entity.js';
import { Organisation } from '../membership/organisation.entity.js';
import { BaseEntity } from '../shared/base.entity.js';
import type { VotingRules } from './voting-rules.js';

export enum BodyKind {
  BOARD = 'BOARD',
  GENERAL_ASSEMBLY = 'GENERAL_ASSEMBLY',
}

registerEnumType(BodyKind, {
  name: 'BodyKind',
  description: 'Which body of a cluster votes.',
  valuesConfig: {
    BOARD: { description: 'The board (conseil d’administration): seat holders with a mandate in force, seats per collège.' },
    GENERAL_ASSEMBLY: { description: 'The general assembly: each active member organisation votes through its designated delegate.' },
  },
});

/** A seat count of one collège on a board. */
export interface SeatCount {
  collegeId: string;
  seats: number;
}

/** A cluster's board or general assembly, with its statutory voting rules. */
@ObjectType({ description: 'A voting body of a cluster (its board or its general assembly) with its statutory voting rules.' })
@Entity()
@Unique({ properties: ['cluster', 'kind'] })
export class VotingBody extends BaseEntity {
  @ManyToOne(() => Cluster, { deleteRule: 'restrict', index: true })
  cluster!: Rel<Cluster>;

  @Field(() => BodyKind, { description: 'Board or general assembly.' })
  @Enum({ items: () => BodyKind, nativeEnumName: 'body_kind' })
  kind!: BodyKind;

  @Field({ description: 'Name, e.g. "Conseil d’administration de FrenchSouth.digital".' })
  @Property({ length: 200 })
  name!: string;

  /** The statutes' rules (VotingRules), as set last. */
  @Property({ type: 'jsonb' })
  rules!: VotingRules;

  /** BOARD: seats per collège. */
  @Property({ type: 'jsonb' })
  seats!: SeatCount[];
}

/** A board seat holder's mandate: the BOARD_MEMBER right follows it (the linked role assignment). */
@ObjectType({ description: 'A board member’s mandate: a seat of a collège, held by an account for a period.' })
@Entity()
@Check({ name: 'board_mandate_period', expression: 'ends_at is null or ends_at > starts_at' })
export class BoardMandate extends MandateEntity {
  @ManyToOne(() => VotingBody, { deleteRule: 'restrict', index: true })
  body!: Rel<VotingBody>;

  @ManyToOne(() => College, { deleteRule: 'restrict', index: true })
  college!: Rel<College>;

  @ManyToOne(() => Account, { deleteRule: 'restrict', index: true })
  holder!: Rel<Account>;
}

/** The account through which a member organisation votes in a general assembly. */
@ObjectType({ description: 'The delegate through whom a member organisation votes in a general assembly.' })
@Entity()
@Unique({ name: 'assembly_delegate_one_current', properties: ['body', 'organisation'], where: 'replaced_at is null' })
export class AssemblyDelegate extends BaseEntity<'replacedAt'> {
  @ManyToOne(() => VotingBody, { deleteRule: 'restrict', index: true })
  body!: Rel<VotingBody>;

  @ManyToOne(() => Organisation, { deleteRule: 'restrict', index: true })
  organisation!: Rel<Organisation>;

  @ManyToOne(() => Account, { deleteRule: 'restrict', index: true })
  delegate!: Rel<Account>;

  @Field(() => Date, { nullable: true, description: 'When another delegate replaced this one.' })
  @Property({ type: 'timestamptz', nullable: true })
  replacedAt?: Date | null;
}
