import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Ctx, FieldResolver, ID, Info, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Account } from '../auth/account.entity.js';
import { College } from '../membership/college.entity.js';
import { Organisation } from '../membership/organisation.entity.js';
import { uuidArg } from '../shared/ids.js';
import { loadChildren, loadReference, type Loadable } from '../shared/loaders.js';
import { PageArgs, selectsField } from '../shared/pagination.js';
import type { Context } from './governance.services.js';
import { recipientsCountOf } from './meeting-reads.js';
import { AgendaItem, ConvocationRecipient, Meeting } from './meeting.entity.js';
import {
  AddAgendaItemInput,
  CreateMeetingInput,
  CreateSecondConvocationInput,
  MeetingsArgs,
  UpdateAgendaItemInput,
  UpdateMeetingInput,
} from './meeting.inputs.js';
import {
  AgendaItemPayload,
  ConvocationChannel,
  ConvocationRecipientConnection,
  MeetingConnection,
  MeetingPayload,
} from './meeting.payloads.js';
import { BodyStatutes } from './statutes.entity.js';
import { VotingBody } from './voting-body.entity.js';

const MANAGERS = 'CLUSTER_ADMIN of the body’s cluster, or ADMIN.';

/** Meetings: preparing, convening, cancelling, a second convocation; reading one. */
@Resolver()
export class MeetingResolver {
  @Mutation(() => MeetingPayload, {
    description: `Prepares a meeting of a body (DRAFT): kind matching the body (MEETING_KIND_MISMATCH), title, a future date, place, remote participation, optional chair and secretary among the body's members now (OFFICER_OUTSIDE_BODY; two different people). ${MANAGERS}`,
  })
  async createMeeting(
    @Ctx() ctx: Context,
    @Arg('input', () => CreateMeetingInput, { description: 'The meeting.' }) input: CreateMeetingInput,
  ): Promise<MeetingPayload> {
    return { meeting: await ctx.services.meetings.create({ ...input, bodyId: uuidArg('input.bodyId', input.bodyId) }) };
  }

  @Mutation(() => MeetingPayload, {
    description: `Changes a DRAFT meeting (MEETING_NOT_DRAFT once convened): only the fields given. ${MANAGERS}`,
  })
  async updateMeeting(
    @Ctx() ctx: Context,
    @Arg('input', () => UpdateMeetingInput, { description: 'What changes.' }) input: UpdateMeetingInput,
  ): Promise<MeetingPayload> {
    return { meeting: await ctx.services.meetings.update(input) };
  }

  @Mutation(() => AgendaItemPayload, {
    description: `Adds an item to a DRAFT meeting's agenda (AGENDA_FROZEN once convened, and on a second convocation, which keeps the first one's agenda); positions stay 1..n. ${MANAGERS}`,
  })
  async addAgendaItem(
    @Ctx() ctx: Context,
    @Arg('input', () => AddAgendaItemInput, { description: 'The item.' }) input: AddAgendaItemInput,
  ): Promise<AgendaItemPayload> {
    const item = await ctx.services.meetings.addAgendaItem(input);
    return { item, meeting: item.meeting };
  }

  @Mutation(() => AgendaItemPayload, {
    description: `Changes or moves an item of a DRAFT meeting's agenda (AGENDA_FROZEN once convened); the others close up around it. ${MANAGERS}`,
  })
  async updateAgendaItem(
    @Ctx() ctx: Context,
    @Arg('input', () => UpdateAgendaItemInput, { description: 'What changes.' }) input: UpdateAgendaItemInput,
  ): Promise<AgendaItemPayload> {
    const item = await ctx.services.meetings.updateAgendaItem(input);
    return { item, meeting: item.meeting };
  }

  @Mutation(() => MeetingPayload, {
    description: `Removes an item from a DRAFT meeting's agenda (AGENDA_FROZEN once convened); the items after it move up one. ${MANAGERS}`,
  })
  async removeAgendaItem(
    @Ctx() ctx: Context,
    @Arg('itemId', () => ID, { description: 'The agenda item.' }) itemId: string,
  ): Promise<MeetingPayload> {
    return { meeting: await ctx.services.meetings.removeAgendaItem(uuidArg('itemId', itemId)) };
  }

  @Mutation(() => MeetingPayload, {
    description: `Convenes a DRAFT meeting: the statutes in force are recorded on it (STATUTES_MISSING), its agenda (AGENDA_EMPTY) is frozen, the notice delay is checked in Europe/Paris calendar days (NOTICE_TOO_SHORT with \`noticeDays\` and \`daysLeft\`), the body's electorate as of now becomes its recipient list (ELECTORATE_EMPTY) and each recipient is mailed. ${MANAGERS} Convening with less notice than the statutes require needs \`forceShortNotice\` and an ADMIN.`,
  })
  async conveneMeeting(
    @Ctx() ctx: Context,
    @Arg('meetingId', () => ID, { description: 'The meeting.' }) meetingId: string,
    @Arg('forceShortNotice', () => String, {
      nullable: true,
      description:
        'Why the meeting is convened with less notice than the statutes require (recorded on it). ADMIN only; ignored when the notice is met.',
    })
    forceShortNotice?: string | null,
  ): Promise<MeetingPayload> {
    return { meeting: await ctx.services.meetings.convene(uuidArg('meetingId', meetingId), forceShortNotice) };
  }

  @Mutation(() => MeetingPayload, {
    description: `Cancels a DRAFT or CONVENED meeting (MEETING_NOT_CONVENED once open, MEETING_OVER after); its convocation list stays on record and, once convened, its recipients are told. ${MANAGERS}`,
  })
  async cancelMeeting(
    @Ctx() ctx: Context,
    @Arg('meetingId', () => ID, { description: 'The meeting.' }) meetingId: string,
    @Arg('reason', { description: 'Why (recorded, and mailed to the recipients).' }) reason: string,
  ): Promise<MeetingPayload> {
    return { meeting: await ctx.services.meetings.cancel(uuidArg('meetingId', meetingId), reason) };
  }

  @Mutation(() => MeetingPayload, {
    description: `A second convocation (DRAFT) of a first one adjourned for lack of quorum, once (SECOND_CONVOCATION_NOT_ALLOWED otherwise): same body, kind, officers and remote participation, the agenda copied verbatim; its quorum is the statutes' second-convocation one. ${MANAGERS}`,
  })
  async createSecondConvocation(
    @Ctx() ctx: Context,
    @Arg('input', () => CreateSecondConvocationInput, { description: 'Which meeting, when, where.' }) input: CreateSecondConvocationInput,
  ): Promise<MeetingPayload> {
    return { meeting: await ctx.services.meetings.createSecondConvocation(input) };
  }

  @Query(() => Meeting, { description: 'One meeting. Board members, members and administrators of its cluster, and ADMIN.' })
  meeting(@Ctx() ctx: Context, @Arg('id', () => ID, { description: 'The meeting.' }) id: string): Promise<Meeting> {
    return ctx.services.meetings.read(uuidArg('id', id));
  }
}

@Resolver(() => VotingBody)
export class VotingBodyMeetingsResolver {
  @FieldResolver(() => MeetingConnection, {
    description:
      'The body’s meetings, the latest scheduled first. The cluster’s people (board members, members, administrators) and ADMIN.',
  })
  meetings(
    @Ctx() ctx: Context,
    @Root() body: VotingBody,
    @Args(() => MeetingsArgs) args: MeetingsArgs,
    @Info() info: GraphQLResolveInfo,
  ): Promise<MeetingConnection> {
    return ctx.services.meetings.listOf(body, args.states, args, selectsField(info, 'totalCount'));
  }
}

/** A meeting's fields, as read through `meeting` or a body's `meetings` (whose reading was authorized); lists batched per request. */
@Resolver(() => Meeting)
export class MeetingFieldsResolver {
  @FieldResolver(() => VotingBody, { description: 'The body that meets.' })
  body(@Root() meeting: Meeting): Loadable<VotingBody> {
    return loadReference(meeting.body);
  }

  @FieldResolver(() => Meeting, { nullable: true, description: 'A second convocation: the first one, adjourned for lack of quorum.' })
  firstConvocation(@Root() meeting: Meeting): Loadable<Meeting> {
    return loadReference(meeting.firstConvocation);
  }

  @FieldResolver(() => Meeting, {
    nullable: true,
    description: 'A first convocation adjourned for lack of quorum: its second one, if any.',
  })
  async secondConvocation(@Ctx() ctx: Context, @Root() meeting: Meeting): Promise<Meeting | null> {
    return (await loadChildren(ctx.em, Meeting, 'firstConvocation', meeting.id, { id: 'asc' }))[0] ?? null;
  }

  @FieldResolver(() => Account, { nullable: true, description: 'Who presides (display name; details as the account’s readers may see).' })
  chair(@Root() meeting: Meeting): Loadable<Account> {
    return loadReference(meeting.chair);
  }

  @FieldResolver(() => Account, { nullable: true, description: 'Who takes the minutes (secrétaire de séance).' })
  secretary(@Root() meeting: Meeting): Loadable<Account> {
    return loadReference(meeting.secretary);
  }

  @FieldResolver(() => BodyStatutes, { nullable: true, description: 'The statutes version it was convened under (null before).' })
  statutes(@Root() meeting: Meeting): Loadable<BodyStatutes> {
    return loadReference(meeting.statutes);
  }

  @FieldResolver(() => [AgendaItem], { description: 'The agenda, in order (positions 1..n).' })
  agenda(@Ctx() ctx: Context, @Root() meeting: Meeting): Promise<AgendaItem[]> {
    return loadChildren(ctx.em, AgendaItem, 'meeting', meeting.id, { position: 'asc' });
  }

  @FieldResolver(() => ConvocationChannel, { nullable: true, description: 'How the convocation was sent (null before it was).' })
  convocationChannel(@Root() meeting: Meeting): ConvocationChannel | null {
    return meeting.convenedAt ? ConvocationChannel.EMAIL : null;
  }

  @FieldResolver(() => Int, { description: 'How many were convened: the frozen recipient list (0 before the convocation).' })
  recipientsCount(@Ctx() ctx: Context, @Root() meeting: Meeting): Promise<number> {
    return recipientsCountOf(ctx.em, meeting.id);
  }

  @FieldResolver(() => ConvocationRecipientConnection, {
    description:
      'The convocation list, by name: for CLUSTER_ADMIN of the cluster, ADMIN, and the recipients themselves; anyone else gets an empty page. One meeting’s at a time.',
  })
  recipients(
    @Ctx() ctx: Context,
    @Root() meeting: Meeting,
    @Args(() => PageArgs) page: PageArgs,
    @Info() info: GraphQLResolveInfo,
  ): Promise<ConvocationRecipientConnection> {
    return ctx.services.meetings.recipients(meeting, page, selectsField(info, 'totalCount'));
  }
}

@Resolver(() => AgendaItem)
export class AgendaItemFieldsResolver {
  @FieldResolver(() => Meeting, { description: 'Its meeting.' })
  meeting(@Root() item: AgendaItem): Loadable<Meeting> {
    return loadReference(item.meeting);
  }
}

@Resolver(() => ConvocationRecipient)
export class ConvocationRecipientFieldsResolver {
  @FieldResolver(() => Account, { description: 'The member convened (display name).' })
  voter(@Root() recipient: ConvocationRecipient): Loadable<Account> {
    return loadReference(recipient.voter);
  }

  @FieldResolver(() => Organisation, { nullable: true, description: 'A general assembly: the member organisation they vote for.' })
  organisation(@Root() recipient: ConvocationRecipient): Loadable<Organisation> {
    return loadReference(recipient.organisation);
  }

  @FieldResolver(() => College, { nullable: true, description: 'The collège they sit for (board seat, or the member’s collège).' })
  college(@Root() recipient: ConvocationRecipient): Loadable<College> {
    return loadReference(recipient.college);
  }
}
