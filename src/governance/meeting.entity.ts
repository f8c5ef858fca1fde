import type { Rel } from '@mikro-orm/core';
import { Check, Entity, Enum, Index, ManyToOne, Property, Unique } from '@mikro-orm/decorators/legacy';
import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Account } from '../auth/account.entity.js';
import { College } from '../membership/college.entity.js';
import { Organisation } from '../membership/organisation.entity.js';
import { BaseEntity } from '../shared/base.entity.js';
import { BodyStatutes } from './statutes.entity.js';
import { VotingBody } from './voting-body.entity.js';

export enum MeetingKind {
  BOARD = 'BOARD',
  ORDINARY_GENERAL_ASSEMBLY = 'ORDINARY_GENERAL_ASSEMBLY',
  EXTRAORDINARY_GENERAL_ASSEMBLY = 'EXTRAORDINARY_GENERAL_ASSEMBLY',
}

export enum MeetingState {
  DRAFT = 'DRAFT',
  CONVENED = 'CONVENED',
  OPEN = 'OPEN',
  CLOSED = 'CLOSED',
  ADJOURNED_NO_QUORUM = 'ADJOURNED_NO_QUORUM',
  CANCELLED = 'CANCELLED',
}

export enum AttendanceMode {
  IN_PERSON = 'IN_PERSON',
  REMOTE = 'REMOTE',
}

export enum PouvoirState {
  ACTIVE = 'ACTIVE',
  REVOKED = 'REVOKED',
  CANCELLED_BY_ARRIVAL = 'CANCELLED_BY_ARRIVAL',
}

registerEnumType(MeetingKind, {
  name: 'MeetingKind',
  description: 'Which meeting of which body.',
  valuesConfig: {
    BOARD: { description: 'A meeting of the board (conseil d’administration).' },
    ORDINARY_GENERAL_ASSEMBLY: { description: 'An ordinary general assembly (assemblée générale ordinaire).' },
    EXTRAORDINARY_GENERAL_ASSEMBLY: {
      description: 'An extraordinary general assembly (assemblée générale extraordinaire): statutes, dissolution, fusion.',
    },
  },
});
registerEnumType(MeetingState, {
  name: 'MeetingState',
  description: 'DRAFT → CONVENED → OPEN → CLOSED; or ADJOURNED_NO_QUORUM at opening; or CANCELLED before opening.',
  valuesConfig: {
    DRAFT: { description: 'Being prepared: date, place and agenda can change; nobody is convened yet.' },
    CONVENED: { description: 'Convocation sent: agenda and recipients frozen.' },
    OPEN: { description: 'In session: the quorum was met at opening.' },
    CLOSED: { description: 'Closed by its chair; the minutes can be drawn up.' },
    ADJOURNED_NO_QUORUM: { description: 'The quorum was not met at opening: nothing was deliberated; a second convocation may follow.' },
    CANCELLED: { description: 'Called off before opening; the convocation stays on record.' },
  },
});
registerEnumType(AttendanceMode, {
  name: 'AttendanceMode',
  description: 'How a member takes part in a meeting.',
  valuesConfig: {
    IN_PERSON: { description: 'In the room.' },
    REMOTE: { description: 'Remotely (where the meeting allows it); counts as present only where the statutes say so.' },
  },
});
registerEnumType(PouvoirState, {
  name: 'PouvoirState',
  description: 'Where a pouvoir (proxy for a meeting) stands.',
  valuesConfig: {
    ACTIVE: { description: 'Standing: its holder represents the principal in the meeting.' },
    REVOKED: { description: 'Revoked by the principal before the meeting opened.' },
    CANCELLED_BY_ARRIVAL: { description: 'The principal arrived: they take part themself.' },
  },
});

/** What the quorum came to, computed at opening (and kept with the meeting). */
export interface QuorumCount {
  /** The convened electorate (the frozen recipient list). */
  electorate: number;
  present: number;
  represented: number;
  /** What the statutes' basis counts: present, or present + represented. */
  counted: number;
  required: number;
  met: boolean;
}

/**
 * A meeting of a voting body: a board meeting, or an ordinary or extraordinary general assembly,
 * at first or second convocation. Its history is never overwritten: a cancelled meeting keeps
 * its convocation, an adjourned one its quorum count.
 */
@ObjectType({ description: 'A meeting of a board or a general assembly, from its convocation to its minutes.' })
@Entity()
@Check({ name: 'meeting_convocation_number', expression: 'convocation in (1, 2)' })
@Check({ name: 'meeting_second_links_first', expression: '(convocation = 2) = (first_convocation_id is not null)' })
@Check({ name: 'meeting_chair_not_secretary', expression: 'chair_id is null or secretary_id is null or chair_id <> secretary_id' })
@Unique({ name: 'meeting_one_second_convocation', properties: ['firstConvocation'] })
export class Meeting extends BaseEntity<
  | 'state'
  | 'place'
  | 'remoteAllowed'
  | 'chair'
  | 'secretary'
  | 'statutes'
  | 'firstConvocation'
  | 'convenedAt'
  | 'convenedBy'
  | 'noticeForcedReason'
  | 'openedAt'
  | 'closedAt'
  | 'quorum'
  | 'cancelledAt'
  | 'cancelReason'
> {
  @ManyToOne(() => VotingBody, { deleteRule: 'restrict', index: true })
  body!: Rel<VotingBody>;

  @Field(() => MeetingKind, { description: 'Board meeting, ordinary or extraordinary general assembly.' })
  @Enum({ items: () => MeetingKind, nativeEnumName: 'meeting_kind' })
  kind!: MeetingKind;

  @Field({ description: 'Title, e.g. "Assemblée générale extraordinaire du 12 mars 2027".' })
  @Property({ length: 300 })
  title!: string;

  @Field(() => Int, { description: '1 for a first convocation, 2 for a second one (same agenda, second-convocation quorum).' })
  @Property({ type: 'smallint' })
  convocation: number = 1;

  /** A second convocation: the first one, whose agenda it copies. */
  @ManyToOne(() => Meeting, { deleteRule: 'restrict', nullable: true })
  firstConvocation?: Rel<Meeting> | null;

  @Field({ description: 'When it is held.' })
  @Property({ type: 'timestamptz' })
  @Index()
  scheduledAt!: Date;

  @Field({ description: 'Where it is held (address, room).' })
  @Property({ type: 'text' })
  place: string = '';

  @Field({ description: 'Whether members may take part remotely.' })
  @Property()
  remoteAllowed: boolean = false;

  @ManyToOne(() => Account, { deleteRule: 'restrict', nullable: true })
  chair?: Rel<Account> | null;

  @ManyToOne(() => Account, { deleteRule: 'restrict', nullable: true })
  secretary?: Rel<Account> | null;

  @Field(() => MeetingState, { description: 'Where it stands.' })
  @Enum({ items: () => MeetingState, nativeEnumName: 'meeting_state' })
  @Index()
  state: MeetingState = MeetingState.DRAFT;

  /** The statutes version it was convened under (set at convocation). */
  @ManyToOne(() => BodyStatutes, { deleteRule: 'restrict', nullable: true })
  statutes?: Rel<BodyStatutes> | null;

  @Field(() => Date, { nullable: true, description: 'When the convocation was sent.' })
  @Property({ type: 'timestamptz', nullable: true })
  convenedAt?: Date | null;

  @ManyToOne(() => Account, { deleteRule: 'restrict', nullable: true })
  convenedBy?: Rel<Account> | null;

  @Field(() => String, {
    nullable: true,
    description: 'Why an administrator convened it with less notice than the statutes require (null when the notice was met).',
  })
  @Property({ type: 'text', nullable: true })
  noticeForcedReason?: string | null;

  @Field(() => Date, { nullable: true, description: 'When it was opened (quorum met) or found without quorum.' })
  @Property({ type: 'timestamptz', nullable: true })
  openedAt?: Date | null;

  @Field(() => Date, { nullable: true, description: 'When it was closed.' })
  @Property({ type: 'timestamptz', nullable: true })
  closedAt?: Date | null;

  /** The quorum computed at opening (QuorumCount). */
  @Property({ type: 'jsonb', nullable: true })
  quorum?: QuorumCount | null;

  @Field(() => Date, { nullable: true, description: 'When it was cancelled.' })
  @Property({ type: 'timestamptz', nullable: true })
  cancelledAt?: Date | null;

  @Field(() => String, { nullable: true, description: 'Why it was cancelled.' })
  @Property({ type: 'text', nullable: true })
  cancelReason?: string | null;
}

/**
 * An item of a meeting's agenda: frozen at convocation (the agenda binds the meeting). A binding
 * resolution sits on a binding item; "questions diverses" is an item that is not binding.
 */
@ObjectType({ description: 'An item of a meeting’s agenda, frozen once the meeting is convened.' })
@Entity()
@Unique({ properties: ['meeting', 'position'] })
@Check({ name: 'agenda_item_position_positive', expression: 'position > 0' })
export class AgendaItem extends BaseEntity<'description' | 'binding'> {
  @ManyToOne(() => Meeting, { deleteRule: 'restrict', index: true })
  meeting!: Rel<Meeting>;

  @Field(() => Int, { description: 'Its number on the agenda: 1, 2, 3…' })
  @Property({ type: 'integer' })
  position!: number;

  @Field({ description: 'Title, e.g. "Approbation du projet de fusion".' })
  @Property({ length: 300 })
  title!: string;

  @Field({ description: 'What is put to the meeting under this item.' })
  @Property({ type: 'text' })
  description: string = '';

  @Field({
    description: 'Whether a resolution may be voted under it. False for "questions diverses", under which nothing binding can be decided.',
  })
  @Property()
  binding: boolean = true;
}

/**
 * One member of the electorate convened to a meeting: the list is written once, when the
 * convocation is sent, from the body's electorate as of that moment, and is the proof that
 * everyone was convened (a member not convened can have the resolutions annulled).
 */
@ObjectType({ description: 'A member of the electorate convened to a meeting (the frozen recipient list).' })
@Entity()
@Unique({ properties: ['meeting', 'voter'] })
export class ConvocationRecipient extends BaseEntity<'organisation' | 'college'> {
  @ManyToOne(() => Meeting, { deleteRule: 'restrict', index: true })
  meeting!: Rel<Meeting>;

  /** The account convened (a board member, or a member organisation's delegate). */
  @ManyToOne(() => Account, { deleteRule: 'restrict', index: true })
  voter!: Rel<Account>;

  /** For a general assembly: the member organisation the delegate votes for. */
  @ManyToOne(() => Organisation, { deleteRule: 'restrict', nullable: true })
  organisation?: Rel<Organisation> | null;

  /** The collège the voter sits for (board seat, or the member's collège). */
  @ManyToOne(() => College, { deleteRule: 'restrict', nullable: true })
  college?: Rel<College> | null;
}

/**
 * A stint of presence of a convened member: from arrival to departure. A member who leaves and
 * comes back has two rows; at most one is open (no departure) at a time.
 */
@ObjectType({ description: 'A convened member’s presence at a meeting, from arrival to departure.' })
@Entity()
@Unique({ name: 'attendance_one_open_stint', properties: ['meeting', 'voter'], where: 'left_at is null' })
@Check({ name: 'attendance_left_after_arrival', expression: 'left_at is null or left_at >= arrived_at' })
export class Attendance extends BaseEntity<'leftAt'> {
  @ManyToOne(() => Meeting, { deleteRule: 'restrict', index: true })
  meeting!: Rel<Meeting>;

  @ManyToOne(() => Account, { deleteRule: 'restrict', index: true })
  voter!: Rel<Account>;

  @Field(() => AttendanceMode, { description: 'In person or remote.' })
  @Enum({ items: () => AttendanceMode, nativeEnumName: 'attendance_mode' })
  mode!: AttendanceMode;

  @Field({ description: 'When they arrived (signed the attendance sheet).' })
  @Property({ type: 'timestamptz' })
  arrivedAt!: Date;

  @Field(() => Date, { nullable: true, description: 'When they left; null while present.' })
  @Property({ type: 'timestamptz', nullable: true })
  leftAt?: Date | null;
}

/**
 * A pouvoir: a convened member lets another one represent them at one meeting. Revocable until
 * the meeting opens; cancelled when the principal arrives; a holder holds at most what the
 * statutes allow.
 */
@ObjectType({ description: 'A pouvoir: a convened member represented at one meeting by another.' })
@Entity()
@Unique({ name: 'pouvoir_one_active', properties: ['meeting', 'principal'], where: `state = 'ACTIVE'` })
@Check({ name: 'pouvoir_not_to_self', expression: 'principal_id <> holder_id' })
export class Pouvoir extends BaseEntity<'state' | 'endedAt'> {
  @ManyToOne(() => Meeting, { deleteRule: 'restrict', index: true })
  meeting!: Rel<Meeting>;

  @ManyToOne(() => Account, { deleteRule: 'restrict', index: true })
  principal!: Rel<Account>;

  @ManyToOne(() => Account, { deleteRule: 'restrict', index: true })
  holder!: Rel<Account>;

  @Field(() => PouvoirState, { description: 'Standing, revoked, or cancelled by the principal’s arrival.' })
  @Enum({ items: () => PouvoirState, nativeEnumName: 'pouvoir_state' })
  state: PouvoirState = PouvoirState.ACTIVE;

  @Field(() => Date, { nullable: true, description: 'When it was revoked or cancelled.' })
  @Property({ type: 'timestamptz', nullable: true })
  endedAt?: Date | null;
}
