import type { EntityManager } from '@mikro-orm/postgresql';
import { BadUserInputError, type FieldProblem } from '../shared/errors.js';
import { electorateOfBody } from './electorate.js';
import { MeetingKind, type Meeting } from './meeting.entity.js';
import { MeetingReason, refuseMeeting } from './meeting.reasons.js';
import { BodyKind, type VotingBody } from './voting-body.entity.js';

/** The rules a meeting's preparation and convocation check (MeetingService applies them). */

/** The meeting kinds each body holds. */
const KINDS_OF: Record<BodyKind, readonly MeetingKind[]> = {
  [BodyKind.BOARD]: [MeetingKind.BOARD],
  [BodyKind.GENERAL_ASSEMBLY]: [MeetingKind.ORDINARY_GENERAL_ASSEMBLY, MeetingKind.EXTRAORDINARY_GENERAL_ASSEMBLY],
};

const DAY_MS = 86_400_000;
const PARIS_DAY = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit' });

/** The Europe/Paris calendar day of an instant, as a day number. */
function parisDay(instant: Date): number {
  return Date.parse(`${PARIS_DAY.format(instant)}T00:00:00Z`) / DAY_MS;
}

/** Whole Europe/Paris calendar days from `now` to `scheduledAt` (the meeting's day counts, today does not). */
export function noticeDaysLeft(now: Date, scheduledAt: Date): number {
  return parisDay(scheduledAt) - parisDay(now);
}

/** A board holds BOARD meetings; a general assembly ordinary or extraordinary ones (MEETING_KIND_MISMATCH). */
export function checkKind(body: VotingBody, kind: MeetingKind): void {
  if (!KINDS_OF[body.kind].includes(kind))
    throw BadUserInputError.field(
      'input.kind',
      `a ${body.kind} holds ${KINDS_OF[body.kind].join(' or ')} meetings`,
      MeetingReason.MEETING_KIND_MISMATCH,
    );
}

/** A meeting's date: in the future, within three years. */
export function scheduleProblems(field: string, scheduledAt: Date, now: Date): FieldProblem[] {
  if (Number.isNaN(scheduledAt.getTime())) return [{ field, messages: ['is not a date'] }];
  if (scheduledAt <= now) return [{ field, messages: ['must be in the future'] }];
  if (scheduledAt.getTime() - now.getTime() > 3 * 366 * DAY_MS) return [{ field, messages: ['must be within three years'] }];
  return [];
}

/** The chair and the secretary are two people. */
export function officerProblems(problems: FieldProblem[], chairId: string | null, secretaryId: string | null): void {
  if (chairId && chairId === secretaryId)
    problems.push({ field: 'input.secretaryId', messages: ['must not be the chair: two people preside and take the minutes'] });
}

/** The officers named must be in the body's electorate now (OFFICER_OUTSIDE_BODY): one statement for both. */
export async function checkOfficers(tx: EntityManager, body: VotingBody, now: Date, ...ids: (string | null)[]): Promise<void> {
  const named = ids.filter((id): id is string => !!id);
  if (!named.length) return;
  const electorate = electorateOfBody(body, body.cluster.id, now);
  const rows = await tx.execute<{ voter_id: string }[]>(`select e.voter_id from (${electorate.sql}) e where e.voter_id = any(?::uuid[])`, [
    ...electorate.params,
    `{${named.join(',')}}`,
  ]);
  const outside = named.filter((id) => !rows.some((r) => r.voter_id === id));
  if (outside.length) {
    throw refuseMeeting(
      MeetingReason.OFFICER_OUTSIDE_BODY,
      `The chair and the secretary are chosen among the members of ${body.name}; ${outside.length === 1 ? 'one named is' : 'those named are'} not.`,
      { accountIds: outside },
    );
  }
}

/**
 * Writes the body's electorate as of `now` as the meeting's recipient list (voter, organisation
 * for a general assembly, collège): ONE statement whatever their number. Returns how many.
 */
export async function freezeRecipients(tx: EntityManager, meeting: Meeting, body: VotingBody, now: Date): Promise<number> {
  const electorate = electorateOfBody(body, body.cluster.id, now);
  const rows = await tx.execute<{ recipients: number }[]>(
    `with frozen as (
       insert into convocation_recipient (id, created_at, updated_at, meeting_id, voter_id, organisation_id, college_id)
       select gen_random_uuid(), ?, ?, ?, e.voter_id, e.organisation_id, e.college_id from (${electorate.sql}) e
       returning 1)
     select count(*)::int as recipients from frozen`,
    [now, now, meeting.id, ...electorate.params],
  );
  return rows[0]?.recipients ?? 0;
}
