import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { auditSnapshot } from '../audit/audit.service.js';
import { Account } from '../auth/account.entity.js';
import { DomainService, type ServiceScope } from '../auth/domain-service.js';
import { Action, clusterScope, GLOBAL, withinCluster, type Scope } from '../auth/permissions.js';
import { ClusterStatus } from '../membership/cluster.entity.js';
import { BadUserInputError, NotFoundError, type FieldProblem } from '../shared/errors.js';
import { paginate, type ConnectionShape, type PageArgs } from '../shared/pagination.js';
import { GovernanceReason, refuse } from './governance.reasons.js';
import { agendaOf, copyAgenda, placed, renumber } from './meeting-agenda.js';
import { queueMeetingCancelled, queueMeetingConvened } from './meeting-mail.js';
import { checkKind, checkOfficers, freezeRecipients, noticeDaysLeft, officerProblems, scheduleProblems } from './meeting-rules.js';
import { AgendaItem, ConvocationRecipient, Meeting, MeetingState } from './meeting.entity.js';
import type {
  AddAgendaItemInput,
  CreateMeetingInput,
  CreateSecondConvocationInput,
  UpdateAgendaItemInput,
  UpdateMeetingInput,
} from './meeting.inputs.js';
import { MeetingReason, refuseMeeting } from './meeting.reasons.js';
import { StatutesService } from './statutes.service.js';
import { VotingBody } from './voting-body.entity.js';

/** A meeting loaded and locked for a change, with its body and the cluster scope its rights are checked on. */
interface Locked {
  meeting: Meeting;
  body: VotingBody;
  scope: Scope;
}

/**
 * Meetings of the voting bodies (issue 15, items 1 and 3): preparing them (DRAFT: date, place,
 * officers, agenda), convening them (statutes in force, notice delay, the recipient list frozen
 * and mailed), cancelling them, a second convocation after a first without quorum; and reading
 * them. Each change loads and locks the meeting (or the body), authorizes on its cluster, and
 * writes in one transaction, audited; a refusal writes nothing.
 */
export class MeetingService extends DomainService {
  private readonly statutes: StatutesService;

  constructor(scope: ServiceScope) {
    super(scope);
    this.statutes = new StatutesService(scope);
  }

  /** Prepares a meeting (DRAFT): the cluster's administrators, or ADMIN. */
  async create(input: CreateMeetingInput): Promise<Meeting> {
    const now = this.clock();
    return this.em.transactional(async (tx) => {
      const body = await tx.findOne(VotingBody, { id: input.bodyId }, { populate: ['cluster'], lockMode: LockMode.PESSIMISTIC_READ });
      this.authorize(Action.ManageMeetings, body ? clusterScope(body.cluster.id, body.cluster.name) : GLOBAL);
      if (!body) throw new NotFoundError('VotingBody', input.bodyId);
      this.requireActive(body);
      checkKind(body, input.kind);
      const problems = scheduleProblems('input.scheduledAt', input.scheduledAt, now);
      officerProblems(problems, input.chairId ?? null, input.secretaryId ?? null);
      if (problems.length) throw BadUserInputError.of(problems);
      await checkOfficers(tx, body, now, input.chairId ?? null, input.secretaryId ?? null);
      const meeting = tx.create(Meeting, {
        body,
        kind: input.kind,
        title: input.title.trim(),
        convocation: 1,
        scheduledAt: input.scheduledAt,
        place: input.place?.trim() ?? '',
        remoteAllowed: input.remoteAllowed ?? false,
        chair: input.chairId ? tx.getReference(Account, input.chairId) : null,
        secretary: input.secretaryId ? tx.getReference(Account, input.secretaryId) : null,
      });
      await tx.flush();
      await this.recordChange(tx, 'meeting.create', meeting, null, { bodyId: body.id });
      return meeting;
    });
  }

  /** Changes a DRAFT meeting (only the fields given): the cluster's administrators, or ADMIN. */
  async update(input: UpdateMeetingInput): Promise<Meeting> {
    const now = this.clock();
    return this.em.transactional(async (tx) => {
      const { meeting, body } = await this.lockedForChange(tx, input.meetingId);
      this.requireDraft(meeting);
      if (input.kind != null) checkKind(body, input.kind);
      const problems: FieldProblem[] = [];
      if (input.scheduledAt != null) {
        problems.push(...scheduleProblems('input.scheduledAt', input.scheduledAt, now));
        if (!problems.length && meeting.firstConvocation) {
          const first = await tx.findOneOrFail(Meeting, { id: meeting.firstConvocation.id });
          if (input.scheduledAt <= first.scheduledAt)
            problems.push({ field: 'input.scheduledAt', messages: ['must be after the first convocation’s date'] });
        }
      }
      const chairId = input.chairId === undefined ? (meeting.chair?.id ?? null) : input.chairId;
      const secretaryId = input.secretaryId === undefined ? (meeting.secretary?.id ?? null) : input.secretaryId;
      officerProblems(problems, chairId, secretaryId);
      if (problems.length) throw BadUserInputError.of(problems);
      await checkOfficers(tx, body, now, input.chairId ?? null, input.secretaryId ?? null);
      const before = auditSnapshot(meeting);
      if (input.kind != null) meeting.kind = input.kind;
      if (input.title != null) meeting.title = input.title.trim();
      if (input.scheduledAt != null) meeting.scheduledAt = input.scheduledAt;
      if (input.place != null) meeting.place = input.place.trim();
      if (input.remoteAllowed != null) meeting.remoteAllowed = input.remoteAllowed;
      meeting.chair = chairId ? tx.getReference(Account, chairId) : null;
      meeting.secretary = secretaryId ? tx.getReference(Account, secretaryId) : null;
      await tx.flush();
      await this.recordChange(tx, 'meeting.update', meeting, before);
      return meeting;
    });
  }

  /** Adds an item to a DRAFT meeting's agenda (at `position`, else last). */
  async addAgendaItem(input: AddAgendaItemInput): Promise<AgendaItem> {
    return this.em.transactional(async (tx) => {
      const { meeting } = await this.lockedForChange(tx, input.meetingId);
      this.requireAgendaOpen(meeting);
      const items = await agendaOf(tx, meeting);
      const item = tx.create(AgendaItem, {
        meeting,
        position: items.length + 1,
        title: input.title.trim(),
        description: input.description?.trim() ?? '',
        binding: input.binding ?? true,
      });
      await tx.flush();
      await renumber(tx, placed([...items, item], item, input.position));
      await this.recordChange(tx, 'meeting.agenda.add', item, null, { meetingId: meeting.id });
      return item;
    });
  }

  /** Changes an item of a DRAFT meeting's agenda, or moves it. */
  async updateAgendaItem(input: UpdateAgendaItemInput): Promise<AgendaItem> {
    return this.em.transactional(async (tx) => {
      const { meeting, item } = await this.lockedItem(tx, input.itemId);
      this.requireAgendaOpen(meeting);
      const before = auditSnapshot(item);
      if (input.title != null) item.title = input.title.trim();
      if (input.description != null) item.description = input.description.trim();
      if (input.binding != null) item.binding = input.binding;
      await tx.flush();
      if (input.position != null) await renumber(tx, placed(await agendaOf(tx, meeting), item, input.position));
      await this.recordChange(tx, 'meeting.agenda.update', item, before, { meetingId: meeting.id });
      return item;
    });
  }

  /** Removes an item from a DRAFT meeting's agenda; the items after it move up one. Returns the meeting. */
  async removeAgendaItem(itemId: string): Promise<Meeting> {
    return this.em.transactional(async (tx) => {
      const { meeting, item } = await this.lockedItem(tx, itemId);
      this.requireAgendaOpen(meeting);
      const before = auditSnapshot(item);
      tx.remove(item);
      await tx.flush();
      await renumber(tx, await agendaOf(tx, meeting));
      await this.recordChange(tx, 'meeting.agenda.remove', item, before, { meetingId: meeting.id });
      return meeting;
    });
  }

  /**
   * Convenes a DRAFT meeting: statutes in force recorded on it, agenda frozen, notice delay
   * checked (Europe/Paris calendar days; short only when an ADMIN forces it with a reason), the
   * body's electorate as of now written as the recipient list in ONE statement, and each
   * recipient mailed (MEETING_CONVENED) in ONE statement.
   */
  async convene(meetingId: string, forceShortNotice?: string | null): Promise<Meeting> {
    const now = this.clock();
    const reason = forceShortNotice?.trim() ?? null;
    if (forceShortNotice != null && !reason) throw BadUserInputError.field('forceShortNotice', 'must say why the notice is short');
    return this.em.transactional(async (tx) => {
      const { meeting, body, scope } = await this.lockedForChange(tx, meetingId);
      this.requireDraft(meeting);
      this.requireActive(body);
      const statutes = await this.statutes.latest(tx, body.id);
      if (!statutes)
        throw refuseMeeting(MeetingReason.STATUTES_MISSING, `${body.name} has no statutory meeting rules yet: set them (setBodyStatutes).`);
      if (!(await tx.count(AgendaItem, { meeting })))
        throw refuseMeeting(MeetingReason.AGENDA_EMPTY, 'A meeting is convened with its agenda: add at least one item first.');
      const daysLeft = noticeDaysLeft(now, meeting.scheduledAt);
      const short = daysLeft < statutes.noticeDays;
      if (short && (!reason || meeting.scheduledAt <= now)) {
        throw refuseMeeting(
          MeetingReason.NOTICE_TOO_SHORT,
          meeting.scheduledAt <= now
            ? 'This meeting’s date has passed: move it (updateMeeting) before convening it.'
            : `The statutes require ${statutes.noticeDays} days of notice; ${daysLeft} remain before the meeting. Move it, or have an administrator convene it anyway with a reason.`,
          { noticeDays: statutes.noticeDays, daysLeft },
        );
      }
      if (short) this.authorize(Action.ForceShortNotice, scope);
      const recipients = await freezeRecipients(tx, meeting, body, now);
      if (!recipients)
        throw refuse(GovernanceReason.ELECTORATE_EMPTY, `${body.name} has nobody to convene (no seat holder or delegate in office).`);
      const before = auditSnapshot(meeting);
      meeting.state = MeetingState.CONVENED;
      meeting.statutes = statutes;
      meeting.convenedAt = now;
      meeting.convenedBy = this.actorAccount(tx);
      meeting.noticeForcedReason = short ? reason : null;
      await tx.flush();
      // In this transaction: a refused or failed convocation mails nobody.
      const mailed = await queueMeetingConvened(tx, now, meeting.id);
      await this.recordChange(tx, 'meeting.convene', meeting, before, {
        recipients,
        mailed,
        statutesVersion: statutes.version,
        noticeDays: statutes.noticeDays,
        daysLeft,
      });
      return meeting;
    });
  }

  /**
   * Cancels a DRAFT or CONVENED meeting; the convocation list stays on record, and a convened
   * meeting's recipients are told (MEETING_CANCELLED).
   */
  async cancel(meetingId: string, reason: string): Promise<Meeting> {
    const why = reason.trim();
    if (!why) throw BadUserInputError.field('reason', 'must say why the meeting is cancelled');
    return this.em.transactional(async (tx) => {
      const { meeting } = await this.lockedForChange(tx, meetingId);
      if (meeting.state !== MeetingState.DRAFT && meeting.state !== MeetingState.CONVENED) {
        throw meeting.state === MeetingState.OPEN
          ? refuseMeeting(MeetingReason.MEETING_NOT_CONVENED, 'This meeting is in session: it is closed, not cancelled.', {
              currentState: meeting.state,
            })
          : refuseMeeting(MeetingReason.MEETING_OVER, `This meeting is ${meeting.state}: its record no longer changes.`, {
              currentState: meeting.state,
            });
      }
      const now = this.clock();
      const wasConvened = meeting.state === MeetingState.CONVENED;
      const before = auditSnapshot(meeting);
      meeting.state = MeetingState.CANCELLED;
      meeting.cancelledAt = now;
      meeting.cancelReason = why;
      await tx.flush();
      const mailed = wasConvened ? await queueMeetingCancelled(tx, now, meeting.id) : 0;
      await this.recordChange(tx, 'meeting.cancel', meeting, before, { mailed });
      return meeting;
    });
  }

  /**
   * A second convocation of a first one adjourned for lack of quorum (once): same body, kind,
   * officers and remote participation, the agenda copied verbatim in ONE statement; a DRAFT,
   * convened like any meeting, with the statutes' second-convocation quorum.
   */
  async createSecondConvocation(input: CreateSecondConvocationInput): Promise<Meeting> {
    const now = this.clock();
    return this.em.transactional(async (tx) => {
      const { meeting: first, body } = await this.lockedForChange(tx, input.firstMeetingId);
      const second = await tx.count(Meeting, { firstConvocation: first });
      if (first.state !== MeetingState.ADJOURNED_NO_QUORUM || first.convocation !== 1 || second) {
        throw refuseMeeting(
          MeetingReason.SECOND_CONVOCATION_NOT_ALLOWED,
          second
            ? 'This meeting already has its second convocation.'
            : first.convocation !== 1
              ? 'This meeting is itself a second convocation.'
              : `A second convocation follows a first one adjourned for lack of quorum; this one is ${first.state}.`,
          { currentState: first.state },
        );
      }
      this.requireActive(body);
      const problems = scheduleProblems('input.scheduledAt', input.scheduledAt, now);
      if (!problems.length && input.scheduledAt <= first.scheduledAt)
        problems.push({ field: 'input.scheduledAt', messages: ['must be after the first convocation’s date'] });
      if (problems.length) throw BadUserInputError.of(problems);
      const meeting = tx.create(Meeting, {
        body,
        kind: first.kind,
        title: input.title?.trim() || `${first.title} (seconde convocation)`.slice(0, 300),
        convocation: 2,
        firstConvocation: first,
        scheduledAt: input.scheduledAt,
        place: input.place?.trim() ?? first.place,
        remoteAllowed: first.remoteAllowed,
        chair: first.chair ?? null,
        secretary: first.secretary ?? null,
      });
      await tx.flush();
      const copied = await copyAgenda(tx, first.id, meeting.id, now);
      await this.recordChange(tx, 'meeting.second-convocation', meeting, null, { firstMeetingId: first.id, agendaItems: copied });
      return meeting;
    });
  }

  /** One meeting, for the cluster's people (board members, members, administrators) and ADMIN. */
  async read(id: string): Promise<Meeting> {
    this.requireSignedIn();
    const meeting = await this.em.findOne(Meeting, { id }, { populate: ['body.cluster'] });
    this.authorize(Action.ReadMeetings, meeting ? withinCluster(meeting.body.cluster.id, meeting.body.cluster.name) : GLOBAL);
    if (!meeting) throw new NotFoundError('Meeting', id);
    return meeting;
  }

  /** A body's meetings, the latest scheduled first, for the cluster's people and ADMIN. */
  listOf(
    body: VotingBody,
    states: readonly MeetingState[] | undefined,
    page: PageArgs,
    withTotal: boolean,
  ): Promise<ConnectionShape<Meeting>> {
    this.requireSignedIn();
    this.authorize(Action.ReadMeetings, withinCluster(body.cluster.id, body.cluster.name));
    return paginate(
      this.em,
      Meeting,
      { body: body.id, ...(states?.length ? { state: { $in: [...states] } } : {}) },
      { scheduledAt: 'desc', id: 'desc' },
      page,
      [],
      withTotal,
    );
  }

  /**
   * A meeting's convocation list, by name: for those who manage the cluster's meetings and for the
   * recipients themselves; anyone else gets an empty page.
   */
  async recipients(meeting: Meeting, page: PageArgs, withTotal: boolean): Promise<ConnectionShape<ConvocationRecipient>> {
    const body = await this.em.findOneOrFail(VotingBody, { id: meeting.body.id }, { populate: ['cluster'] });
    const viewerId = this.scope.viewer?.accountId;
    const allowed =
      this.may(Action.ManageMeetings, clusterScope(body.cluster.id, body.cluster.name)) ||
      (!!viewerId && !!this.scope.viewer?.emailVerified && (await this.em.count(ConvocationRecipient, { meeting, voter: viewerId })) > 0);
    if (!allowed)
      return { edges: [], pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null }, totalCount: 0 };
    return paginate(
      this.em,
      ConvocationRecipient,
      { meeting: meeting.id },
      { voter: { displayName: 'asc' }, id: 'asc' },
      page,
      ['voter', 'organisation', 'college'],
      withTotal,
    );
  }

  /** The meeting locked, its body and cluster; authorized (ManageMeetings) on the cluster. */
  private async lockedForChange(tx: EntityManager, meetingId: string): Promise<Locked> {
    const meeting = await tx.findOne(Meeting, { id: meetingId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    const body = meeting ? await tx.findOneOrFail(VotingBody, { id: meeting.body.id }, { populate: ['cluster'] }) : null;
    const scope = body ? clusterScope(body.cluster.id, body.cluster.name) : GLOBAL;
    this.authorize(Action.ManageMeetings, scope);
    if (!meeting || !body) throw new NotFoundError('Meeting', meetingId);
    return { meeting, body, scope };
  }

  /** An agenda item and its meeting, the meeting locked and the change authorized. */
  private async lockedItem(tx: EntityManager, itemId: string): Promise<Locked & { item: AgendaItem }> {
    const found = await tx.findOne(AgendaItem, { id: itemId }, { fields: ['id', 'meeting'] });
    if (!found) {
      this.authorize(Action.ManageMeetings, GLOBAL);
      throw new NotFoundError('AgendaItem', itemId);
    }
    const locked = await this.lockedForChange(tx, found.meeting.id);
    const item = await tx.findOneOrFail(AgendaItem, { id: itemId }, { refresh: true });
    return { ...locked, item };
  }

  private requireActive(body: VotingBody): void {
    if (body.cluster.status !== ClusterStatus.ACTIVE)
      throw refuse(
        GovernanceReason.VOTING_CLUSTER_NOT_ACTIVE,
        `${body.cluster.name} is ${body.cluster.status}: its bodies no longer meet.`,
      );
  }

  private requireDraft(meeting: Meeting): void {
    if (meeting.state !== MeetingState.DRAFT)
      throw refuseMeeting(MeetingReason.MEETING_NOT_DRAFT, `This meeting is ${meeting.state}: only a DRAFT changes.`, {
        currentState: meeting.state,
      });
  }

  /** The agenda changes only in a DRAFT first convocation: a second one keeps the first one's agenda. */
  private requireAgendaOpen(meeting: Meeting): void {
    if (meeting.state !== MeetingState.DRAFT)
      throw refuseMeeting(MeetingReason.AGENDA_FROZEN, `This meeting is ${meeting.state}: its agenda was frozen when it was convened.`, {
        currentState: meeting.state,
      });
    if (meeting.convocation === 2)
      throw refuseMeeting(MeetingReason.AGENDA_FROZEN, 'A second convocation keeps the agenda of the first one, verbatim.', {
        currentState: meeting.state,
      });
  }
}
