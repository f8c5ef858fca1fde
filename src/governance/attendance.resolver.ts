import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Ctx, FieldResolver, ID, Info, Mutation, Resolver, Root } from 'type-graphql';
import { Account } from '../auth/account.entity.js';
import { uuidArg } from '../shared/ids.js';
import { loadReference, type Loadable } from '../shared/loaders.js';
import { PageArgs, selectsField, type ConnectionShape } from '../shared/pagination.js';
import { GivePouvoirInput, RecordArrivalInput, RecordDepartureInput } from './attendance.inputs.js';
import {
  AttendanceConnection,
  AttendancePayload,
  CloseMeetingPayload,
  MeetingQuorum,
  OpenMeetingPayload,
  PouvoirConnection,
  PouvoirPayload,
} from './attendance.payloads.js';
import type { Context } from './governance.services.js';
import { Attendance, Meeting, Pouvoir } from './meeting.entity.js';

/** A meeting's attendance sheet, its pouvoirs and its session (opening on the quorum, closing). */
@Resolver()
export class AttendanceResolver {
  @Mutation(() => PouvoirPayload, {
    description:
      'Gives a pouvoir for a convened meeting (before it opens) to another convened member, at most `pouvoirsPerHolder` standing per holder (statutes). Yourself, or — with `principalAccountId` — a pouvoir received on paper, recorded by the meeting’s secretary, CLUSTER_ADMIN or ADMIN.',
  })
  async givePouvoir(
    @Ctx() ctx: Context,
    @Arg('input', () => GivePouvoirInput, { description: 'Who represents whom, at which meeting.' }) input: GivePouvoirInput,
  ): Promise<PouvoirPayload> {
    return { pouvoir: await ctx.services.attendance.givePouvoir(input) };
  }

  @Mutation(() => PouvoirPayload, {
    description: 'Revokes a standing pouvoir until the meeting opens. Its principal, CLUSTER_ADMIN or ADMIN.',
  })
  async revokePouvoir(
    @Ctx() ctx: Context,
    @Arg('pouvoirId', () => ID, { description: 'The pouvoir.' }) pouvoirId: string,
  ): Promise<PouvoirPayload> {
    return { pouvoir: await ctx.services.attendance.revokePouvoir(uuidArg('pouvoirId', pouvoirId)) };
  }

  @Mutation(() => AttendancePayload, {
    description:
      'Signs the attendance sheet of a convened or open meeting, in person or remotely (where allowed); cancels the member’s standing pouvoir. A convened member for themself, or the meeting’s chair or secretary, CLUSTER_ADMIN or ADMIN for any convened member (`accountId`).',
  })
  async recordArrival(
    @Ctx() ctx: Context,
    @Arg('input', () => RecordArrivalInput, { description: 'Who arrives, how.' }) input: RecordArrivalInput,
  ): Promise<AttendancePayload> {
    return ctx.services.attendance.recordArrival(input);
  }

  @Mutation(() => AttendancePayload, {
    description:
      'Records that a present member leaves a convened or open meeting (their stint ends now). A convened member for themself, or the meeting’s chair or secretary, CLUSTER_ADMIN or ADMIN (`accountId`).',
  })
  async recordDeparture(
    @Ctx() ctx: Context,
    @Arg('input', () => RecordDepartureInput, { description: 'Who leaves.' }) input: RecordDepartureInput,
  ): Promise<AttendancePayload> {
    return { attendance: await ctx.services.attendance.recordDeparture(input), cancelledPouvoir: null };
  }

  @Mutation(() => OpenMeetingPayload, {
    description:
      'Opens a convened meeting with its chair and secretary designated: the quorum is counted from the attendance sheet and kept. Met: OPEN. Not met: ADJOURNED_NO_QUORUM (`opened` false) — an outcome, not an error. The meeting’s chair, CLUSTER_ADMIN or ADMIN.',
  })
  async openMeeting(
    @Ctx() ctx: Context,
    @Arg('meetingId', () => ID, { description: 'The meeting.' }) meetingId: string,
  ): Promise<OpenMeetingPayload> {
    return ctx.services.attendance.openMeeting(uuidArg('meetingId', meetingId));
  }

  @Mutation(() => CloseMeetingPayload, { description: 'Closes an open meeting. The meeting’s chair, CLUSTER_ADMIN or ADMIN.' })
  async closeMeeting(
    @Ctx() ctx: Context,
    @Arg('meetingId', () => ID, { description: 'The meeting.' }) meetingId: string,
  ): Promise<CloseMeetingPayload> {
    return { meeting: await ctx.services.attendance.closeMeeting(uuidArg('meetingId', meetingId)) };
  }
}

@Resolver(() => Meeting)
export class MeetingAttendanceFieldsResolver {
  @FieldResolver(() => MeetingQuorum, {
    nullable: true,
    description: 'The quorum as counted at opening (kept with the meeting, whether it opened or was adjourned); null before.',
  })
  quorum(@Root() meeting: Meeting): MeetingQuorum | null {
    return meeting.quorum ?? null;
  }

  @FieldResolver(() => MeetingQuorum, {
    nullable: true,
    description:
      'The quorum as the attendance sheet stands now (convened or open meetings; null otherwise). The cluster’s people (ReadMeetings).',
  })
  liveQuorum(@Ctx() ctx: Context, @Root() meeting: Meeting): Promise<MeetingQuorum | null> {
    return ctx.services.attendance.liveQuorumOf(meeting);
  }

  @FieldResolver(() => AttendanceConnection, {
    nullable: true,
    description:
      'The attendance sheet: each stint of presence, in order of arrival. The members convened, the chair and the secretary, CLUSTER_ADMIN and ADMIN (null with a NOT_CONVENED error for anyone else).',
  })
  attendance(
    @Ctx() ctx: Context,
    @Root() meeting: Meeting,
    @Args(() => PageArgs) page: PageArgs,
    @Info() info: GraphQLResolveInfo,
  ): Promise<ConnectionShape<Attendance>> {
    return ctx.services.attendance.attendanceOf(meeting, page, selectsField(info, 'totalCount'));
  }

  @FieldResolver(() => PouvoirConnection, {
    nullable: true,
    description:
      'The pouvoirs given for this meeting (standing, revoked or cancelled by arrival), in the order given. The members convened, the chair and the secretary, CLUSTER_ADMIN and ADMIN (null with a NOT_CONVENED error for anyone else).',
  })
  pouvoirs(
    @Ctx() ctx: Context,
    @Root() meeting: Meeting,
    @Args(() => PageArgs) page: PageArgs,
    @Info() info: GraphQLResolveInfo,
  ): Promise<ConnectionShape<Pouvoir>> {
    return ctx.services.attendance.pouvoirsOf(meeting, page, selectsField(info, 'totalCount'));
  }
}

@Resolver(() => Attendance)
export class AttendanceFieldsResolver {
  @FieldResolver(() => Account, { description: 'The member (their name as shown to others).' })
  voter(@Root() attendance: Attendance): Loadable<Account> {
    return loadReference(attendance.voter);
  }

  @FieldResolver(() => Meeting, { description: 'The meeting.' })
  meeting(@Root() attendance: Attendance): Loadable<Meeting> {
    return loadReference(attendance.meeting);
  }
}

@Resolver(() => Pouvoir)
export class PouvoirFieldsResolver {
  @FieldResolver(() => Account, { description: 'The member represented.' })
  principal(@Root() pouvoir: Pouvoir): Loadable<Account> {
    return loadReference(pouvoir.principal);
  }

  @FieldResolver(() => Account, { description: 'The member who represents them.' })
  holder(@Root() pouvoir: Pouvoir): Loadable<Account> {
    return loadReference(pouvoir.holder);
  }

  @FieldResolver(() => Meeting, { description: 'The meeting.' })
  meeting(@Root() pouvoir: Pouvoir): Loadable<Meeting> {
    return loadReference(pouvoir.meeting);
  }
}
