import { OptionalProps, type Rel } from '@mikro-orm/core';
import { Check, Entity, Enum, Index, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/decorators/legacy';
import { randomUUID } from 'node:crypto';
import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Account } from '../auth/account.entity.js';
import { Cluster } from '../membership/cluster.entity.js';
import { College } from '../membership/college.entity.js';
import { BaseEntity } from '../shared/base.entity.js';
import type { StoredTally } from './tally-record.js';
import { AgendaItem } from './meeting.entity.js';
import { VotingBody } from './voting-body.entity.js';
import type { VotingRules } from './voting-rules.js';

export enum ProposalKind {
  FUSION = 'FUSION',
  PARTNERSHIP = 'PARTNERSHIP',
  RESOLUTION = 'RESOLUTION',
}

export enum ProposalState {
  DRAFT = 'DRAFT',
  VOTING = 'VOTING',
  CLOSED = 'CLOSED',
  ADOPTED = 'ADOPTED',
  REJECTED = 'REJECTED',
  CANCELLED = 'CANCELLED',
  EXECUTED = 'EXECUTED',
}

export enum PartyVoteState {
  PENDING = 'PENDING',
  VOTING = 'VOTING',
  CLOSED = 'CLOSED',
  CANCELLED = 'CANCELLED',
}

export enum Choice {
  FOR = 'FOR',
  AGAINST = 'AGAINST',
  ABSTAIN = 'ABSTAIN',
}

export enum ProxyState {
  ACTIVE = 'ACTIVE',
  USED = 'USED',
  REVOKED = 'REVOKED',
}

export enum PendingApplications {
  MOVE = 'MOVE',
  CLOSE = 'CLOSE',
}

registerEnumType(ProposalKind, {
  name: 'ProposalKind',
  description: 'What a proposal is about.',
  valuesConfig: {
    FUSION: { description: 'A merger by absorption, with its plan.' },
    PARTNERSHIP: { description: 'A partnership convention between the parties, with its axes.' },
    RESOLUTION: { description: 'Any other decision.' },
  },
});
registerEnumType(ProposalState, {
  name: 'ProposalState',
  description: 'DRAFT → VOTING → CLOSED → ADOPTED | REJECTED (→ EXECUTED), or CANCELLED before closing.',
  valuesConfig: {
    DRAFT: { description: 'Being written; its text can still change.' },
    VOTING: { description: 'Voting is open (text frozen) until `closesAt` or until closed.' },
    CLOSED: { description: 'Every party’s vote is closed; the outcome follows at once.' },
    ADOPTED: { description: 'Adopted by every party’s body.' },
    REJECTED: { description: 'Rejected by at least one party’s body.' },
    CANCELLED: { description: 'Withdrawn before closing.' },
    EXECUTED: { description: 'Adopted and carried out.' },
  },
});
registerEnumType(PartyVoteState, {
  name: 'PartyVoteState',
  description: 'Where one party’s vote stands.',
  valuesConfig: {
    PENDING: { description: 'Voting has not opened.' },
    VOTING: { description: 'Open.' },
    CLOSED: { description: 'Closed and tallied.' },
    CANCELLED: { description: 'The proposal was cancelled.' },
  },
});
registerEnumType(Choice, {
  name: 'Choice',
  description: 'A ballot’s choice.',
  valuesConfig: { FOR: { description: 'For.' }, AGAINST: { description: 'Against.' }, ABSTAIN: { description: 'Abstention.' } },
});
registerEnumType(ProxyState, {
  name: 'ProxyState',
  description: 'Where a proxy stands.',
  valuesConfig: {
    ACTIVE: { description: 'Standing: the holder may vote for the principal, who may not vote.' },
    USED: { description: 'The holder voted with it; it can no longer be revoked.' },
    REVOKED: { description: 'Revoked by the principal before use.' },
  },
});
registerEnumType(PendingApplications, {
  name: 'PendingApplications',
  description: 'What a fusion does with the pending applications of an absorbed cluster.',
  valuesConfig: {
    MOVE: { description: 'Move them to the mapped collège of the absorbing cluster.' },
    CLOSE: { description: 'Close them, with the fusion as the reason.' },
  },
});

/** A fusion plan as stored on the proposal. */
export interface FusionPlan {
  absorbingClusterId: string;
  effectiveDate: string;
  absorbed: {
    clusterId: string;
    /** Where the members of collèges not listed in `collegeMoves` go. */
    targetCollegeId: string | null;
    collegeMoves: { fromCollegeId: string; toCollegeId: string }[];
    pendingApplications: PendingApplications;
  }[];
}

/** A proposal put to the vote of the bodies of the clusters party to it. */
@ObjectType({ description: 'A proposal (fusion, partnership, resolution) voted by the body of each cluster party to it.' })
@Entity()
export class Proposal extends BaseEntity<
  | 'state'
  | 'opensAt'
  | 'closesAt'
  | 'closedAt'
  | 'cancelledAt'
  | 'cancelReason'
  | 'plan'
  | 'partnershipAxes'
  | 'executedAt'
  | 'executionReport'
> {
  @Field(() => ProposalKind, { description: 'Fusion, partnership or resolution.' })
  @Enum({ items: () => ProposalKind, nativeEnumName: 'proposal_kind' })
  kind!: ProposalKind;

  @Field({ description: 'Title.' })
  @Property({ length: 300 })
  title!: string;

  @Field({ description: 'The text put to the vote; frozen once voting opens.' })
  @Property({ type: 'text' })
  text!: string;

  @ManyToOne(() => Account, { deleteRule: 'restrict' })
  author!: Rel<Account>;

  @Field(() => ProposalState, { description: 'Where it stands.' })
  @Enum({ items: () => ProposalState, nativeEnumName: 'proposal_state' })
  @Index()
  state: ProposalState = ProposalState.DRAFT;

  @Field(() => Date, { nullable: true, description: 'When voting opened.' })
  @Property({ type: 'timestamptz', nullable: true })
  opensAt?: Date | null;

  @Field(() => Date, { nullable: true, description: 'When voting closes: no ballot is accepted from then on.' })
  @Property({ type: 'timestamptz', nullable: true })
  closesAt?: Date | null;

  @Field(() => Date, { nullable: true, description: 'When the last party’s vote closed.' })
  @Property({ type: 'timestamptz', nullable: true })
  closedAt?: Date | null;

  @Field(() => Date, { nullable: true, description: 'When it was cancelled.' })
  @Property({ type: 'timestamptz', nullable: true })
  cancelledAt?: Date | null;

  @Field(() => String, { nullable: true, description: 'Why it was cancelled.' })
  @Property({ type: 'text', nullable: true })
  cancelReason?: string | null;

  /** FUSION: the validated plan. */
  @Property({ type: 'jsonb', nullable: true })
  plan?: FusionPlan | null;

  @Field(() => [String], { description: 'PARTNERSHIP: the axes of the convention (e.g. "innovation", "international").' })
  @Property({ type: 'text[]' })
  partnershipAxes: string[] = [];

  @Field(() => Date, { nullable: true, description: 'When it was executed (fusions and partnerships).' })
  @Property({ type: 'timestamptz', nullable: true })
  executedAt?: Date | null;

  /** What the execution did (ExecutionReport), kept with the proposal. */
  @Property({ type: 'jsonb', nullable: true })
  executionReport?: Record<string, unknown> | null;
}

/** One cluster party to a proposal, and its body's vote on it. */
@ObjectType({ description: 'A cluster party to a proposal and its body’s vote: rules applied, state, tally and outcome.' })
@Entity()
@Unique({ properties: ['proposal', 'cluster'] })
export class ProposalParty extends BaseEntity<'state' | 'rules' | 'tally' | 'adopted' | 'closedAt' | 'ballotsDigest' | 'agendaItem'> {
  @ManyToOne(() => Proposal, { deleteRule: 'restrict', index: true })
  proposal!: Rel<Proposal>;

  @ManyToOne(() => Cluster, { deleteRule: 'restrict', index: true })
  cluster!: Rel<Cluster>;

  @ManyToOne(() => VotingBody, { deleteRule: 'restrict' })
  body!: Rel<VotingBody>;

  /** The agenda item of the meeting where this party's body votes it; null for a vote outside a meeting. */
  @ManyToOne(() => AgendaItem, { deleteRule: 'restrict', nullable: true, index: true })
  agendaItem?: Rel<AgendaItem> | null;

  @Field(() => PartyVoteState, { description: 'Where this party’s vote stands.' })
  @Enum({ items: () => PartyVoteState, nativeEnumName: 'party_vote_state' })
  state: PartyVoteState = PartyVoteState.PENDING;

  /** The body's rules, copied when voting opened. */
  @Property({ type: 'jsonb', nullable: true })
  rules?: VotingRules | null;

  /** The tally stored at close. */
  @Property({ type: 'jsonb', nullable: true })
  tally?: StoredTally | null;

  @Field(() => Boolean, { nullable: true, description: 'Whether this party’s body adopted it (null until closed).' })
  @Property({ type: 'boolean', nullable: true })
  adopted?: boolean | null;

  @Field(() => Date, { nullable: true, description: 'When this party’s vote closed.' })
  @Property({ type: 'timestamptz', nullable: true })
  closedAt?: Date | null;

  @Field(() => String, { nullable: true, description: 'SHA-256 of the published list of counted ballots (see `ballots`), once closed.' })
  @Property({ length: 64, nullable: true })
  ballotsDigest?: string | null;
}

/** A voter of a party's body, as snapshotted when voting opened. */
@ObjectType({ description: 'A voter as the electorate was snapshotted when voting opened.' })
@Entity()
@Unique({ properties: ['party', 'voter'] })
export class Elector extends BaseEntity<'college'> {
  @ManyToOne(() => ProposalParty, { deleteRule: 'restrict', index: true })
  party!: Rel<ProposalParty>;

  @ManyToOne(() => Account, { deleteRule: 'restrict', index: true })
  voter!: Rel<Account>;

  @ManyToOne(() => College, { deleteRule: 'restrict', nullable: true })
  college?: Rel<College> | null;

  @Field(() => Int, { description: 'Weight of this voter (1; collège weights apply at the tally).' })
  @Property()
  weight: number = 1;
}

/** That a voter took part — one per voter per party, enforced by the database. Never says how. */
@ObjectType({ description: 'That a voter took part (by themself or by proxy). For a SECRET vote nothing links it to the ballot.' })
@Entity()
@Unique({ name: 'participation_one_per_voter', properties: ['party', 'voter'] })
export class Participation extends BaseEntity {
  @ManyToOne(() => ProposalParty, { deleteRule: 'restrict', index: true })
  party!: Rel<ProposalParty>;

  @ManyToOne(() => Account, { deleteRule: 'restrict' })
  voter!: Rel<Account>;

  /** The proxy holder, when cast by proxy; the voter otherwise. */
  @ManyToOne(() => Account, { deleteRule: 'restrict' })
  castBy!: Rel<Account>;
}

/**
 * A ballot. No timestamps and a random key: for a SECRET vote nothing ties it to a participation
 * (no voter, no time, no sequence); the closing seals the box by rewriting its ballots in random
 * order. A NAMED ballot names its voter.
 */
@ObjectType({ description: 'A counted ballot: choice, collège and weight, identified by the digest of its receipt.' })
@Entity()
@Check({ name: 'ballot_weight_positive', expression: 'weight > 0' })
export class Ballot {
  [OptionalProps]?: 'id' | 'voter' | 'college';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => ProposalParty, { deleteRule: 'restrict', index: true })
  party!: Rel<ProposalParty>;

  @Field(() => Choice, { description: 'FOR, AGAINST or ABSTAIN.' })
  @Enum({ items: () => Choice, nativeEnumName: 'ballot_choice' })
  choice!: Choice;

  @ManyToOne(() => College, { deleteRule: 'restrict', nullable: true })
  college?: Rel<College> | null;

  @Field(() => Int, { description: 'Raw weight (1).' })
  @Property()
  weight!: number;

  @Field({ description: 'SHA-256 (hex) of the receipt given to the voter.' })
  @Property({ length: 64 })
  @Unique()
  receiptDigest!: string;

  /** NAMED votes only. */
  @ManyToOne(() => Account, { deleteRule: 'restrict', nullable: true })
  voter?: Rel<Account> | null;
}

/** A proxy (pouvoir) given by a principal to a holder for one party's vote. */
@ObjectType({ description: 'A proxy (pouvoir): the principal lets the holder vote for them on this proposal.' })
@Entity()
@Unique({ name: 'proxy_one_standing', properties: ['party', 'principal'], where: `state <> 'REVOKED'` })
@Check({ name: 'proxy_not_to_self', expression: 'principal_id <> holder_id' })
export class Proxy extends BaseEntity<'state' | 'revokedAt' | 'usedAt'> {
  @ManyToOne(() => ProposalParty, { deleteRule: 'restrict', index: true })
  party!: Rel<ProposalParty>;

  @ManyToOne(() => Account, { deleteRule: 'restrict', index: true })
  principal!: Rel<Account>;

  @ManyToOne(() => Account, { deleteRule: 'restrict', index: true })
  holder!: Rel<Account>;

  @Field(() => ProxyState, { description: 'Standing, used or revoked.' })
  @Enum({ items: () => ProxyState, nativeEnumName: 'proxy_state' })
  state: ProxyState = ProxyState.ACTIVE;

  @Field(() => Date, { nullable: true, description: 'When it was revoked.' })
  @Property({ type: 'timestamptz', nullable: true })
  revokedAt?: Date | null;

  @Field(() => Date, { nullable: true, description: 'When the holder voted with it.' })
  @Property({ type: 'timestamptz', nullable: true })
  usedAt?: Date | null;
}
