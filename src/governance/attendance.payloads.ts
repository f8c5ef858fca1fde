import { Field, Int, ObjectType } from 'type-graphql';
import { ConnectionType } from '../shared/pagination.js';
import { Attendance, Meeting, Pouvoir, type QuorumCount } from './meeting.entity.js';

@ObjectType({ description: 'A meeting’s quorum: who is counted, against what the statutes require.' })
export class MeetingQuorum implements QuorumCount {
  @Field(() => Int, { description: 'The convened electorate: the members on the frozen convocation list.' })
  electorate!: number;

  @Field(() => Int, {
    description: 'Members present (an open stint on the attendance sheet); remote ones only where the statutes count them as present.',
  })
  present!: number;

  @Field(() => Int, { description: 'Members absent but represented by a standing pouvoir whose holder is counted present.' })
  represented!: number;

  @Field(() => Int, { description: 'What the statutes’ quorum basis counts: present, or present and represented.' })
  counted!: number;

  @Field(() => Int, {
    description:
      'What the quorum requires: the electorate times the statutes’ quorum (first or second convocation), rounded up to a whole member.',
  })
  required!: number;

  @Field({ description: 'Whether `counted` reaches `required`.' })
  met!: boolean;
}

@ObjectType({ description: 'The pouvoir given, or revoked.' })
export class PouvoirPayload {
  @Field(() => Pouvoir, { description: 'The pouvoir.' })
  pouvoir!: Pouvoir;
}

@ObjectType({ description: 'The attendance sheet as this signature left it.' })
export class AttendancePayload {
  @Field(() => Attendance, { description: 'The stint of presence (open after an arrival, ended after a departure).' })
  attendance!: Attendance;

  @Field(() => Pouvoir, {
    nullable: true,
    description: 'The member’s standing pouvoir that their arrival cancelled (CANCELLED_BY_ARRIVAL); null when there was none.',
  })
  cancelledPouvoir!: Pouvoir | null;
}

@ObjectType({
  description:
    'The outcome of opening a meeting: opened (quorum met), or adjourned for lack of quorum — an outcome, not an error; the quorum says why.',
})
export class OpenMeetingPayload {
  @Field(() => Meeting, { description: 'The meeting, OPEN or ADJOURNED_NO_QUORUM.' })
  meeting!: Meeting;

  @Field(() => MeetingQuorum, { description: 'The quorum as counted at opening (kept with the meeting).' })
  quorum!: MeetingQuorum;

  @Field({ description: 'True when the quorum was met and the meeting is in session; false when it was adjourned (ADJOURNED_NO_QUORUM).' })
  opened!: boolean;
}

@ObjectType({ description: 'The meeting closed.' })
export class CloseMeetingPayload {
  @Field(() => Meeting, { description: 'The meeting, CLOSED.' })
  meeting!: Meeting;
}

export const AttendanceConnection = ConnectionType(Attendance);
export const PouvoirConnection = ConnectionType(Pouvoir);
