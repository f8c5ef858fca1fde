import type { Rel } from '@mikro-orm/core';
import { Check, Entity, Enum, ManyToOne, Property, Unique } from '@mikro-orm/decorators/legacy';
import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Account } from '../auth/account.entity.js';
import { BaseEntity } from '../shared/base.entity.js';
import { BodyKind, VotingBody } from './voting-body.entity.js';
import { Majority } from './voting-rules.js';

export enum QuorumBasis {
  PRESENT = 'PRESENT',
  PRESENT_OR_REPRESENTED = 'PRESENT_OR_REPRESENTED',
}

registerEnumType(QuorumBasis, {
  name: 'QuorumBasis',
  description: 'Whom a meeting’s quorum counts, as the statutes say.',
  valuesConfig: {
    PRESENT: { description: 'Those present (in person, or remotely where the statutes count remote participation as presence).' },
    PRESENT_OR_REPRESENTED: { description: 'Those present and those represented by a pouvoir held by someone present.' },
  },
});

/**
 * One version of the statutory rules of a body's meetings: how long before a meeting it must be
 * convened, its quorum at first and second convocation, how pouvoirs work, and the conditions of
 * the association's dissolution — which a fusion deliberation must use (décret du 16 août 1901,
 * art. 15-3: a fusion is decided "dans les conditions requises par les statuts pour la
 * dissolution"). Setting the rules adds a version; versions are never changed, and each meeting
 * keeps the version it was convened under.
 */
@ObjectType({
  description:
    'One version of a body’s statutory meeting rules (notice, quorum, pouvoirs, dissolution conditions). Versions are immutable; the highest is in force; each meeting keeps the version it was convened under.',
})
@Entity()
@Unique({ properties: ['body', 'version'] })
@Check({ name: 'body_statutes_version_positive', expression: 'version > 0' })
@Check({ name: 'body_statutes_notice_days', expression: 'notice_days >= 0 and notice_days <= 366' })
@Check({ name: 'body_statutes_quorum_first', expression: 'quorum_first_basis_points >= 0 and quorum_first_basis_points <= 10000' })
@Check({
  name: 'body_statutes_quorum_second',
  expression: 'quorum_second_basis_points is null or quorum_second_basis_points >= 0 and quorum_second_basis_points <= 10000',
})
@Check({ name: 'body_statutes_pouvoirs', expression: 'pouvoirs_per_holder >= 0 and pouvoirs_per_holder <= 1000' })
@Check({
  name: 'body_statutes_dissolution_quorum',
  expression: 'dissolution_quorum_basis_points >= 0 and dissolution_quorum_basis_points <= 10000',
})
export class BodyStatutes extends BaseEntity<'note' | 'createdBy' | 'quorumSecondBasisPoints'> {
  @ManyToOne(() => VotingBody, { deleteRule: 'restrict', index: true })
  body!: Rel<VotingBody>;

  @Field(() => Int, { description: 'Version number within the body: 1, 2, 3…' })
  @Property({ type: 'integer' })
  version!: number;

  @Field(() => Int, {
    description:
      'Days between sending the convocation and the meeting, at least (no legal minimum for an association: its statutes decide; 15 to 21 days is usual).',
  })
  @Property({ type: 'integer' })
  noticeDays!: number;

  @Field(() => Int, { description: 'Quorum at a first convocation, in basis points of the convened electorate (5 000 = half; 0 = none).' })
  @Property({ type: 'integer' })
  quorumFirstBasisPoints!: number;

  @Field(() => Int, {
    nullable: true,
    description: 'Quorum at a second convocation (same agenda, after a first one without quorum), in basis points; null: none.',
  })
  @Property({ type: 'integer', nullable: true })
  quorumSecondBasisPoints?: number | null;

  @Field(() => QuorumBasis, { description: 'Whom the quorum counts.' })
  @Enum({ items: () => QuorumBasis, nativeEnumName: 'quorum_basis' })
  quorumBasis!: QuorumBasis;

  @Field({ description: 'Whether a member taking part remotely counts as present (for the quorum and the vote).' })
  @Property()
  remoteCountsAsPresent!: boolean;

  @Field(() => Int, { description: 'Pouvoirs one present member may hold for a meeting (0: no representation).' })
  @Property({ type: 'integer' })
  pouvoirsPerHolder!: number;

  @Field(() => BodyKind, { description: 'Dissolution conditions: the body that decides a dissolution (and so a fusion).' })
  @Enum({ items: () => BodyKind, nativeEnumName: 'body_kind' })
  dissolutionBody!: BodyKind;

  @Field(() => Int, { description: 'Dissolution conditions: the quorum of that deliberation, in basis points.' })
  @Property({ type: 'integer' })
  dissolutionQuorumBasisPoints!: number;

  @Field(() => Majority, { description: 'Dissolution conditions: the majority that deliberation needs.' })
  @Enum({ items: () => Majority, nativeEnumName: 'majority' })
  dissolutionMajority!: Majority;

  @Field(() => String, {
    nullable: true,
    description: 'Where these rules come from (e.g. "Statuts, art. 12, modifiés par l’AGE du 2 juin 2025").',
  })
  @Property({ type: 'text', nullable: true })
  note?: string | null;

  @ManyToOne(() => Account, { deleteRule: 'restrict', nullable: true })
  createdBy?: Rel<Account> | null;
}
