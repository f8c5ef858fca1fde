import { LockMode, UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import DataLoader from 'dataloader';
import { auditSnapshot } from '../audit/audit.service.js';
import { Account } from '../auth/account.entity.js';
import { DomainService, type ServiceScope } from '../auth/domain-service.js';
import { Action, clusterScope, withinCluster, type Scope } from '../auth/permissions.js';
import { BadUserInputError, NotFoundError, UnauthenticatedError } from '../shared/errors.js';
import { loadReference } from '../shared/loaders.js';
import { paginate, type ConnectionShape, type PageArgs } from '../shared/pagination.js';
import type { GivePouvoirInput, RecordArrivalInput, RecordDepartureInput } from './attendance.inputs.js';
import { Attendance, AttendanceMode, Meeting, MeetingState, Pouvoir, PouvoirState, type QuorumCount } from './meeting.entity.js';
import { MeetingReason, refuseMeeting } from './meeting.reasons.js';
import { liveQuorum, liveQuorums } from './quorum.js';
import { BodyStatutes } from './statutes.entity.js';
import { VotingBody } from './voting-body.entity.js';

/** States after which a meeting's record no longer changes. */
const OVER: ReadonlySet<MeetingState> = new Set([MeetingState.CLOSED, MeetingState.ADJOURNED_NO_QUORUM, MeetingState.CANCELLED]);

/** A meeting loaded (and locked) for a change, with the cluster scope its rights are checked on. */
interface Locked {
  meeting: Meeting;
  scope: Scope;
}

/** What the pouvoir check reads, in one statement, under the meeting's lock. */
interface PouvoirFacts {
  principal_convened: boolean;
  holder_convened: boolean;
  principal_present: boolean;
  principal_standing: boolean;
  holder_represented: boolean;
  principal_holds: boolean;
  held: number;
}

export interface OpeningOutcome {
  meeting: Meeting;
  quorum: QuorumCount;
  opened: boolean;
}

export interface ArrivalOutcome {
  attendance: Attendance;
  cancelledPouvoir: Pouvoir | null;
}

function notConvened(state: MeetingState, what: string): Error {
  return refuseMeeting(MeetingReason.MEETING_NOT_CONVENED, `${what} needs a convened meeting that has not opened; this one is ${state}.`, {
    currentState: state,
  });
}

function over(state: MeetingState): Error {
  return refuseMeeting(MeetingReason.MEETING_OVER, `This meeting is ${state}: its attendance sheet no longer changes.`, {
    currentState: state,
  });
}

/**
 * A meeting's attendance sheet (arrivals and departures, in person or remote), its pouvoirs, and
 * its session (opening on the quorum, closing). Every change locks the meeting row first: the
 * checks (state, cap per holder, presence) and the write see the same sheet, and an opening sees
 * every arrival and pouvoir committed before it and none after. Arrivals and departures take the
 * lock shared (they run side by side; the database's one-open-stint index keeps a member counted
 * once); pouvoirs, opening and closing take it exclusively.
 */
export class AttendanceService extends DomainService {
  private convenedLoader?: DataLoader<string, boolean>;
  private quorumLoader?: DataLoader<string, QuorumCount | null>;

  constructor(scope: ServiceScope) {
    super(scope);
  }

  private viewerId(): string {
    this.requireSignedIn();
    if (!this.actor.accountId) throw new UnauthenticatedError();
    return this.actor.accountId;
  }

  /** The meeting locked in `tx` (NOT_FOUND if unknown), with its cluster's scope. */
  private async lock(tx: EntityManager, meetingId: string, mode: LockMode): Promise<Locked> {
    // Signed in first: looking the meeting up must not tell an anonymous caller whether it exists.
    this.requireSignedIn();
    const meeting = await tx.findOne(Meeting, { id: meetingId }, { lockMode: mode, refresh: true });
    if (!meeting) throw new NotFoundError('Meeting', meetingId);
    const body = await tx.findOneOrFail(VotingBody, { id: meeting.body.id }, { populate: ['cluster'] });
    return { meeting, scope: clusterScope(body.cluster.id, body.cluster.name) };
  }

  /**
   * The account a sheet change is for: the viewer themself, or — named by `accountId` — anyone,
   * when the viewer is one of `officers` of the meeting or holds ManageMeetings on its cluster.
   */
  private actingFor({ meeting, scope }: Locked, accountId: string | undefined, officers: ('chair' | 'secretary')[]): string {
    if (this.scope.trusted && accountId) return accountId;
    const viewer = this.viewerId();
    if (!accountId || accountId === viewer) return viewer;
    if (!officers.some((officer) => meeting[officer]?.id === viewer)) this.authorize(Action.ManageMeetings, scope);
    return accountId;
  }

  /** Refuses unless the viewer chairs the meeting or holds ManageMeetings on its cluster. */
  private requireChairOrManager({ meeting, scope }: Locked): void {
    if (this.scope.trusted) return;
    const viewer = this.viewerId();
    if (meeting.chair?.id !== viewer) this.authorize(Action.ManageMeetings, scope);
  }

  private async isConvened(tx: EntityManager, meetingId: string, accountId: string): Promise<boolean> {
    const [row] = await tx.execute<{ convened: boolean }[]>(
      `select exists (select 1 from convocation_recipient where meeting_id = ? and voter_id = ?) as convened`,
      [meetingId, accountId],
    );
    return row.convened;
  }

  private notOnList(accountId: string, who: string): Error {
    return refuseMeeting(MeetingReason.NOT_CONVENED, `${who} is not on this meeting’s convocation list.`, { accountId });
  }

  /**
   * A pouvoir for a convened meeting: the principal (the viewer, or — `principalAccountId` — a
   * member whose paper pouvoir the secretary or an administrator records) lets another convened
   * member represent them. The holder's standing pouvoirs are counted under the meeting's
   * exclusive lock, so two pouvoirs racing for a holder's last place cannot both be given.
   */
  async givePouvoir(input: GivePouvoirInput): Promise<Pouvoir> {
    try {
      return await this.em.transactional(async (tx) => {
        const locked = await this.lock(tx, input.meetingId, LockMode.PESSIMISTIC_WRITE);
        const principal = this.actingFor(locked, input.principalAccountId, ['secretary']);
        const { meeting } = locked;
        if (principal === input.holderAccountId)
          throw BadUserInputError.field('input.holderAccountId', 'is the principal: a pouvoir goes to another member');
        if (meeting.state !== MeetingState.CONVENED) throw notConvened(meeting.state, 'Giving a pouvoir');
        const statutes = await tx.findOneOrFail(BodyStatutes, { id: meeting.statutes!.id });
        const [facts] = await tx.execute<PouvoirFacts[]>(
          `select exists (select 1 from convocation_recipient where meeting_id = m.id and voter_id = m.principal) as principal_convened,
                  exists (select 1 from convocation_recipient where meeting_id = m.id and voter_id = m.holder) as holder_convened,
                  exists (select 1 from attendance where meeting_id = m.id and voter_id = m.principal and left_at is null) as principal_present,
                  exists (select 1 from pouvoir where meeting_id = m.id and principal_id = m.principal and state = 'ACTIVE') as principal_standing,
                  exists (select 1 from pouvoir where meeting_id = m.id and principal_id = m.holder and state = 'ACTIVE') as holder_represented,
                  exists (select 1 from pouvoir where meeting_id = m.id and holder_id = m.principal and state = 'ACTIVE') as principal_holds,
                  (select count(*) from pouvoir where meeting_id = m.id and holder_id = m.holder and state = 'ACTIVE')::int as held
             from (select ?::uuid as id, ?::uuid as principal, ?::uuid as holder) m`,
          [meeting.id, principal, input.holderAccountId],
        );
        if (!facts.principal_convened) throw this.notOnList(principal, 'The principal');
        if (!facts.holder_convened) throw this.notOnList(input.holderAccountId, 'The holder');
        if (statutes.pouvoirsPerHolder === 0) {
          throw refuseMeeting(MeetingReason.POUVOIRS_NOT_ALLOWED, 'The statutes of this body allow no pouvoirs.');
        }
        if (facts.principal_present) {
          throw refuseMeeting(MeetingReason.PRINCIPAL_PRESENT, 'The principal has signed the attendance sheet: they take part themself.');
        }
        if (facts.principal_standing) {
          throw refuseMeeting(
            MeetingReason.POUVOIR_STANDING,
            'The principal already gave a standing pouvoir for this meeting: revoke it first.',
          );
        }
        if (facts.holder_represented) {
          throw refuseMeeting(
            MeetingReason.POUVOIR_HOLDER_REPRESENTED,
            'The holder gave their own pouvoir for this meeting: choose a member who attends.',
          );
        }
        if (facts.principal_holds) {
          throw refuseMeeting(
            MeetingReason.POUVOIR_PRINCIPAL_HOLDS,
            'The principal holds pouvoirs of others for this meeting: they attend to use them (a pouvoir is not passed on).',
          );
        }
        if (facts.held >= statutes.pouvoirsPerHolder) {
          throw refuseMeeting(
            MeetingReason.POUVOIR_LIMIT_REACHED,
            `The holder already holds ${facts.held} pouvoir(s), the most the statutes allow: give yours to another member.`,
            { limit: statutes.pouvoirsPerHolder },
          );
        }
        const now = this.clock();
        const pouvoir = tx.create(Pouvoir, {
          meeting,
          principal: tx.getReference(Account, principal),
          holder: tx.getReference(Account, input.holderAccountId),
          createdAt: now,
          updatedAt: now,
        });
        await tx.flush();
        await this.recordChange(tx, 'pouvoir.give', pouvoir);
        return pouvoir;
      });
    } catch (error) {
      // The partial unique index: one standing pouvoir per principal and meeting.
      if (error instanceof UniqueConstraintViolationException) {
        throw refuseMeeting(MeetingReason.POUVOIR_STANDING, 'The principal already gave a standing pouvoir for this meeting.');
      }
      throw error;
    }
  }

  /** Revokes a standing pouvoir, by its principal or an administrator of the cluster, until the meeting opens. */
  async revokePouvoir(pouvoirId: string): Promise<Pouvoir> {
    this.requireSignedIn();
    return this.em.transactional(async (tx) => {
      const found = await tx.findOne(Pouvoir, { id: pouvoirId });
      if (!found) throw new NotFoundError('Pouvoir', pouvoirId);
      // The meeting first (as every change of its sheet), then the pouvoir as it stands under it.
      const locked = await this.lock(tx, found.meeting.id, LockMode.PESSIMISTIC_WRITE);
      const pouvoir = await tx.findOneOrFail(Pouvoir, { id: pouvoirId }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
      if (!this.scope.trusted && this.viewerId() !== pouvoir.principal.id) this.authorize(Action.ManageMeetings, locked.scope);
      if (pouvoir.state !== PouvoirState.ACTIVE) {
        throw refuseMeeting(MeetingReason.POUVOIR_NOT_STANDING, `This pouvoir is ${pouvoir.state}: only a standing pouvoir is revoked.`, {
          currentState: pouvoir.state,
        });
      }
      if (locked.meeting.state !== MeetingState.CONVENED) {
        throw refuseMeeting(
          MeetingReason.POUVOIR_NOT_STANDING,
          `The meeting is ${locked.meeting.state}: a pouvoir is revocable only until the meeting opens.`,
          { currentState: locked.meeting.state },
        );
      }
      const before = auditSnapshot(pouvoir);
      pouvoir.state = PouvoirState.REVOKED;
      pouvoir.endedAt = this.clock();
      await tx.flush();
      await this.recordChange(tx, 'pouvoir.revoke', pouvoir, before);
      return pouvoir;
    });
  }

  /**
   * A convened member signs the attendance sheet (or the chair, the secretary or an administrator
   * records their arrival), while the meeting is convened or open. Their standing pouvoir, if
   * any, is cancelled in the same transaction: they take part themself.
   */
  async recordArrival(input: RecordArrivalInput): Promise<ArrivalOutcome> {
    try {
      return await this.em.transactional(async (tx) => {
        const locked = await this.lock(tx, input.meetingId, LockMode.PESSIMISTIC_READ);
        const voter = this.actingFor(locked, input.accountId, ['chair', 'secretary']);
        const { meeting } = locked;
        if (OVER.has(meeting.state)) throw over(meeting.state);
        if (meeting.state === MeetingState.DRAFT) throw notConvened(meeting.state, 'Signing the attendance sheet');
        const [facts] = await tx.execute<{ convened: boolean; present: boolean }[]>(
          `select exists (select 1 from convocation_recipient where meeting_id = ? and voter_id = ?) as convened,
                  exists (select 1 from attendance where meeting_id = ? and voter_id = ? and left_at is null) as present`,
          [meeting.id, voter, meeting.id, voter],
        );
        if (!facts.convened) throw this.notOnList(voter, 'This member');
        if (input.mode === AttendanceMode.REMOTE && !meeting.remoteAllowed) {
          throw refuseMeeting(MeetingReason.REMOTE_NOT_ALLOWED, 'This meeting was convened without remote participation.');
        }
        if (facts.present) throw alreadyPresent();
        const now = this.clock();
        const attendance = tx.create(Attendance, {
          meeting,
          voter: tx.getReference(Account, voter),
          mode: input.mode,
          arrivedAt: now,
          createdAt: now,
          updatedAt: now,
        });
        await tx.flush();
        await this.recordChange(tx, 'attendance.arrive', attendance);
        const pouvoir = await tx.findOne(
          Pouvoir,
          { meeting, principal: voter, state: PouvoirState.ACTIVE },
          { lockMode: LockMode.PESSIMISTIC_WRITE },
        );
        if (pouvoir) {
          const before = auditSnapshot(pouvoir);
          pouvoir.state = PouvoirState.CANCELLED_BY_ARRIVAL;
          pouvoir.endedAt = now;
          await tx.flush();
          await this.recordChange(tx, 'pouvoir.cancel-by-arrival', pouvoir, before, { attendance: attendance.id });
        }
        return { attendance, cancelledPouvoir: pouvoir };
      });
    } catch (error) {
      // Two signatures racing: the one-open-stint index lets one through.
      if (error instanceof UniqueConstraintViolationException) throw alreadyPresent();
      throw error;
    }
  }

  /** A present member leaves (their open stint ends now), while the meeting is convened or open. */
  async recordDeparture(input: RecordDepartureInput): Promise<Attendance> {
    return this.em.transactional(async (tx) => {
      const locked = await this.lock(tx, input.meetingId, LockMode.PESSIMISTIC_READ);
      const voter = this.actingFor(locked, input.accountId, ['chair', 'secretary']);
      const { meeting } = locked;
      if (OVER.has(meeting.state)) throw over(meeting.state);
      if (meeting.state === MeetingState.DRAFT) throw notConvened(meeting.state, 'Leaving');
      if (!(await this.isConvened(tx, meeting.id, voter))) throw this.notOnList(voter, 'This member');
      const stint = await tx.findOne(Attendance, { meeting, voter, leftAt: null }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!stint) throw refuseMeeting(MeetingReason.NOT_PRESENT, 'This member is not present: they never arrived, or already left.');
      const before = auditSnapshot(stint);
      stint.leftAt = this.clock();
      await tx.flush();
      await this.recordChange(tx, 'attendance.leave', stint, before);
      return stint;
    });
  }

  /**
   * Opens a convened meeting: its chair or an administrator, with chair and secretary designated.
   * The quorum is counted from the attendance sheet under the meeting's lock and kept with it:
   * met, the meeting is OPEN; not met, it is ADJOURNED_NO_QUORUM — an outcome, not a refusal.
   */
  async openMeeting(meetingId: string): Promise<OpeningOutcome> {
    return this.em.transactional(async (tx) => {
      const locked = await this.lock(tx, meetingId, LockMode.PESSIMISTIC_WRITE);
      this.requireChairOrManager(locked);
      const { meeting } = locked;
      if (OVER.has(meeting.state)) throw over(meeting.state);
      if (meeting.state !== MeetingState.CONVENED) throw notConvened(meeting.state, 'Opening');
      if (!meeting.chair || !meeting.secretary) {
        throw refuseMeeting(MeetingReason.OFFICERS_MISSING, 'Designate the chair and the secretary of the meeting before opening it.');
      }
      const quorum = await liveQuorum(tx, meeting.id);
      const before = auditSnapshot(meeting);
      meeting.state = quorum.met ? MeetingState.OPEN : MeetingState.ADJOURNED_NO_QUORUM;
      meeting.openedAt = this.clock();
      meeting.quorum = quorum;
      await tx.flush();
      await this.recordChange(tx, quorum.met ? 'meeting.open' : 'meeting.adjourn-no-quorum', meeting, before);
      return { meeting, quorum, opened: quorum.met };
    });
  }

  /** Closes an open meeting: its chair or an administrator. */
  async closeMeeting(meetingId: string): Promise<Meeting> {
    return this.em.transactional(async (tx) => {
      const locked = await this.lock(tx, meetingId, LockMode.PESSIMISTIC_WRITE);
      this.requireChairOrManager(locked);
      const { meeting } = locked;
      if (OVER.has(meeting.state)) throw over(meeting.state);
      if (meeting.state !== MeetingState.OPEN) {
        throw refuseMeeting(MeetingReason.MEETING_NOT_OPEN, `Only a meeting in session is closed; this one is ${meeting.state}.`, {
          currentState: meeting.state,
        });
      }
      // A deliberation belongs to its session: the votes opened on the agenda close first.
      const open = await tx.execute<{ proposal_id: string; title: string }[]>(
        `select pr.id as proposal_id, pr.title
           from proposal_party pp join agenda_item ai on ai.id = pp.agenda_item_id join proposal pr on pr.id = pp.proposal_id
          where ai.meeting_id = ? and pp.state = 'VOTING' and (pr.closes_at is null or pr.closes_at > ?)
          order by ai.position, pr.title`,
        [meeting.id, this.clock()],
      );
      if (open.length) {
        throw refuseMeeting(
          MeetingReason.VOTES_STILL_OPEN,
          `Close the votes opened in this meeting first: ${open.map((row) => `"${row.title}"`).join(', ')}.`,
          { proposalIds: open.map((row) => row.proposal_id) },
        );
      }
      const before = auditSnapshot(meeting);
      meeting.state = MeetingState.CLOSED;
      meeting.closedAt = this.clock();
      await tx.flush();
      await this.recordChange(tx, 'meeting.close', meeting, before);
      return meeting;
    });
  }

  // Reads (field resolvers of Meeting): batched per request, never per attendee.

  /** The cluster of a meeting (its body through the ORM's dataloader). */
  private async clusterOf(meeting: Meeting): Promise<string> {
    const body = await loadReference(meeting.body);
    return body!.cluster.id;
  }

  /**
   * Refuses unless the viewer may read the meeting's attendance sheet and pouvoirs: its chair or
   * secretary, a member convened to it, or an administrator of its cluster.
   */
  private async requireSheetReader(meeting: Meeting): Promise<void> {
    if (this.scope.trusted) return;
    const viewer = this.viewerId();
    if (meeting.chair?.id === viewer || meeting.secretary?.id === viewer) return;
    if (this.may(Action.ManageMeetings, clusterScope(await this.clusterOf(meeting)))) return;
    this.convenedLoader ??= new DataLoader(async (meetingIds: readonly string[]) => {
      const rows = await this.em.execute<{ meeting_id: string }[]>(
        `select meeting_id from convocation_recipient where voter_id = ? and meeting_id = any(?::uuid[])`,
        [viewer, `{${meetingIds.join(',')}}`],
      );
      const convened = new Set(rows.map((row) => row.meeting_id));
      return meetingIds.map((id) => convened.has(id));
    });
    if (!(await this.convenedLoader.load(meeting.id))) {
      throw refuseMeeting(
        MeetingReason.NOT_CONVENED,
        'The attendance sheet and the pouvoirs of a meeting are read by its convened members, its chair and secretary, and the cluster’s administrators.',
      );
    }
  }

  /** A page of the meeting's attendance sheet, in order of arrival, with each member. */
  async attendanceOf(meeting: Meeting, args: PageArgs, includeCount: boolean): Promise<ConnectionShape<Attendance>> {
    await this.requireSheetReader(meeting);
    return paginate(this.em, Attendance, { meeting: meeting.id }, { arrivedAt: 'asc', id: 'asc' }, args, ['voter'], includeCount);
  }

  /** A page of the meeting's pouvoirs (standing or not), in the order they were given, with principal and holder. */
  async pouvoirsOf(meeting: Meeting, args: PageArgs, includeCount: boolean): Promise<ConnectionShape<Pouvoir>> {
    await this.requireSheetReader(meeting);
    return paginate(
      this.em,
      Pouvoir,
      { meeting: meeting.id },
      { createdAt: 'asc', id: 'asc' },
      args,
      ['principal', 'holder'],
      includeCount,
    );
  }

  /**
   * The quorum as it stands now (ReadMeetings on the meeting's cluster): null unless the meeting
   * is convened or open. The meetings of one request are counted in one statement.
   */
  async liveQuorumOf(meeting: Meeting): Promise<QuorumCount | null> {
    if (meeting.state !== MeetingState.CONVENED && meeting.state !== MeetingState.OPEN) return null;
    this.authorize(Action.ReadMeetings, withinCluster(await this.clusterOf(meeting)));
    this.quorumLoader ??= new DataLoader(
      async (meetingIds: readonly string[]) => {
        const counts = await liveQuorums(this.em, meetingIds);
        return meetingIds.map((id) => counts.get(id) ?? null);
      },
      { cache: false },
    );
    return this.quorumLoader.load(meeting.id);
  }
}

function alreadyPresent(): Error {
  return refuseMeeting(MeetingReason.ALREADY_PRESENT, 'This member is already present: they are counted once.');
}
