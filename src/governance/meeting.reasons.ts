import { ErrorCode, refusalsOf, type ReasonTable } from '../shared/errors.js';

/**
 * Why a meeting, its convocation, its attendance sheet or its pouvoirs refuse: part of the
 * governance layer's closed list (`extensions.reason`), in a table of its own.
 */
export enum MeetingReason {
  STATUTES_MISSING = 'STATUTES_MISSING',
  MEETING_KIND_MISMATCH = 'MEETING_KIND_MISMATCH',
  MEETING_NOT_DRAFT = 'MEETING_NOT_DRAFT',
  MEETING_NOT_CONVENED = 'MEETING_NOT_CONVENED',
  MEETING_NOT_OPEN = 'MEETING_NOT_OPEN',
  MEETING_OVER = 'MEETING_OVER',
  NOTICE_TOO_SHORT = 'NOTICE_TOO_SHORT',
  AGENDA_EMPTY = 'AGENDA_EMPTY',
  AGENDA_FROZEN = 'AGENDA_FROZEN',
  AGENDA_ITEM_NOT_BINDING = 'AGENDA_ITEM_NOT_BINDING',
  SECOND_CONVOCATION_NOT_ALLOWED = 'SECOND_CONVOCATION_NOT_ALLOWED',
  OFFICER_OUTSIDE_BODY = 'OFFICER_OUTSIDE_BODY',
  OFFICERS_MISSING = 'OFFICERS_MISSING',
  NOT_CONVENED = 'NOT_CONVENED',
  ALREADY_PRESENT = 'ALREADY_PRESENT',
  NOT_PRESENT = 'NOT_PRESENT',
  REMOTE_NOT_ALLOWED = 'REMOTE_NOT_ALLOWED',
  POUVOIRS_NOT_ALLOWED = 'POUVOIRS_NOT_ALLOWED',
  POUVOIR_LIMIT_REACHED = 'POUVOIR_LIMIT_REACHED',
  POUVOIR_STANDING = 'POUVOIR_STANDING',
  POUVOIR_NOT_STANDING = 'POUVOIR_NOT_STANDING',
  POUVOIR_HOLDER_REPRESENTED = 'POUVOIR_HOLDER_REPRESENTED',
  POUVOIR_PRINCIPAL_HOLDS = 'POUVOIR_PRINCIPAL_HOLDS',
  PRINCIPAL_PRESENT = 'PRINCIPAL_PRESENT',
  QUORUM_NOT_MET = 'QUORUM_NOT_MET',
  VOTES_STILL_OPEN = 'VOTES_STILL_OPEN',
  MEETING_NOT_CLOSED = 'MEETING_NOT_CLOSED',
  MINUTES_SIGNER_NOT_DESIGNATED = 'MINUTES_SIGNER_NOT_DESIGNATED',
  MINUTES_ALREADY_SIGNED = 'MINUTES_ALREADY_SIGNED',
  MINUTES_VERSION_SUPERSEDED = 'MINUTES_VERSION_SUPERSEDED',
  MINUTES_NOT_SIGNED = 'MINUTES_NOT_SIGNED',
}

export const MEETING_REASONS: ReasonTable<MeetingReason> = {
  [MeetingReason.STATUTES_MISSING]: {
    code: ErrorCode.CONFLICT,
    description: 'The body has no statutory meeting rules yet (notice, quorum, pouvoirs): set them first (`setBodyStatutes`).',
  },
  [MeetingReason.MEETING_KIND_MISMATCH]: {
    code: ErrorCode.BAD_USER_INPUT,
    description: 'A board holds BOARD meetings; a general assembly holds ORDINARY or EXTRAORDINARY general assemblies.',
  },
  [MeetingReason.MEETING_NOT_DRAFT]: {
    code: ErrorCode.CONFLICT,
    description: 'Only a DRAFT meeting’s date, place, officers or agenda change: this one was convened (or is over).',
  },
  [MeetingReason.MEETING_NOT_CONVENED]: {
    code: ErrorCode.CONFLICT,
    description: 'This needs a convened meeting that has not opened yet (`extensions.currentState` says where it stands).',
  },
  [MeetingReason.MEETING_NOT_OPEN]: {
    code: ErrorCode.CONFLICT,
    description: 'This needs a meeting in session (OPEN): `extensions.currentState` says where it stands.',
  },
  [MeetingReason.MEETING_OVER]: {
    code: ErrorCode.CONFLICT,
    description: 'The meeting is closed, adjourned for lack of quorum or cancelled: its record no longer changes.',
  },
  [MeetingReason.NOTICE_TOO_SHORT]: {
    code: ErrorCode.CONFLICT,
    description:
      'Fewer days remain before the meeting than the statutes’ notice delay (`extensions.noticeDays`, `extensions.daysLeft`): move the meeting, or an administrator convenes it anyway with a recorded reason (`forceShortNotice`).',
  },
  [MeetingReason.AGENDA_EMPTY]: {
    code: ErrorCode.CONFLICT,
    description: 'A meeting is convened with its agenda: add at least one item first.',
  },
  [MeetingReason.AGENDA_FROZEN]: {
    code: ErrorCode.CONFLICT,
    description:
      'The agenda was frozen when the meeting was convened: nothing is added, changed or removed (a new meeting carries new items).',
  },
  [MeetingReason.AGENDA_ITEM_NOT_BINDING]: {
    code: ErrorCode.CONFLICT,
    description: 'Nothing binding is decided under a non-binding item ("questions diverses"): put the resolution on an item of its own.',
  },
  [MeetingReason.SECOND_CONVOCATION_NOT_ALLOWED]: {
    code: ErrorCode.CONFLICT,
    description:
      'A second convocation follows a first one adjourned for lack of quorum, once (not a second one’s, not a meeting that was held or cancelled).',
  },
  [MeetingReason.OFFICER_OUTSIDE_BODY]: {
    code: ErrorCode.CONFLICT,
    description: 'The chair and the secretary are chosen among the body’s members (board seat holders, or the assembly’s delegates).',
  },
  [MeetingReason.OFFICERS_MISSING]: {
    code: ErrorCode.CONFLICT,
    description: 'A meeting opens with its chair and its secretary (two different people): designate them first.',
  },
  [MeetingReason.NOT_CONVENED]: {
    code: ErrorCode.FORBIDDEN,
    description:
      'This account is not on the meeting’s convocation list (frozen when it was convened): it neither attends, represents nor votes.',
  },
  [MeetingReason.ALREADY_PRESENT]: {
    code: ErrorCode.CONFLICT,
    description: 'This member already signed the attendance sheet and has not left: they are counted once.',
  },
  [MeetingReason.NOT_PRESENT]: {
    code: ErrorCode.CONFLICT,
    description: 'This member is not present (never arrived, or already left).',
  },
  [MeetingReason.REMOTE_NOT_ALLOWED]: {
    code: ErrorCode.CONFLICT,
    description: 'This meeting was convened without remote participation: members attend in person.',
  },
  [MeetingReason.POUVOIRS_NOT_ALLOWED]: {
    code: ErrorCode.CONFLICT,
    description: 'The statutes of this body allow no representation (`pouvoirsPerHolder` is 0).',
  },
  [MeetingReason.POUVOIR_LIMIT_REACHED]: {
    code: ErrorCode.CONFLICT,
    description: 'The holder already holds as many pouvoirs as the statutes allow (`extensions.limit`): give yours to another member.',
  },
  [MeetingReason.POUVOIR_STANDING]: {
    code: ErrorCode.CONFLICT,
    description: 'This member already gave a standing pouvoir for this meeting: revoke it first to give another one.',
  },
  [MeetingReason.POUVOIR_NOT_STANDING]: {
    code: ErrorCode.CONFLICT,
    description:
      'This pouvoir is no longer standing (revoked, or cancelled when its principal arrived), or the meeting has opened: it no longer changes.',
  },
  [MeetingReason.POUVOIR_HOLDER_REPRESENTED]: {
    code: ErrorCode.CONFLICT,
    description: 'The chosen holder has given their own pouvoir for this meeting: a pouvoir goes to someone who attends.',
  },
  [MeetingReason.POUVOIR_PRINCIPAL_HOLDS]: {
    code: ErrorCode.CONFLICT,
    description:
      'This member holds standing pouvoirs of others for this meeting: they attend to use them, and give none of their own (a pouvoir is not passed on; its principal may revoke it and choose another holder).',
  },
  [MeetingReason.PRINCIPAL_PRESENT]: {
    code: ErrorCode.CONFLICT,
    description: 'This member is present: they take part themself and give no pouvoir.',
  },
  [MeetingReason.VOTES_STILL_OPEN]: {
    code: ErrorCode.CONFLICT,
    description:
      'Votes opened on this meeting’s agenda are still open (`extensions.proposalIds`): close them (`closeVoting`) before closing the meeting — a deliberation belongs to its session.',
  },
  [MeetingReason.QUORUM_NOT_MET]: {
    code: ErrorCode.CONFLICT,
    description:
      'The quorum is not met now (`extensions.quorum`: counted, required, electorate): the vote cannot open. The quorum is a condition of every deliberation, held for the whole meeting.',
  },
  [MeetingReason.MEETING_NOT_CLOSED]: {
    code: ErrorCode.CONFLICT,
    description:
      'The procès-verbal is drawn up once the meeting is over: CLOSED, or ADJOURNED_NO_QUORUM (its minutes record the failed quorum); `extensions.currentState` says where it stands.',
  },
  [MeetingReason.MINUTES_SIGNER_NOT_DESIGNATED]: {
    code: ErrorCode.FORBIDDEN,
    description:
      'Only the meeting’s chair (président de séance) and its secretary (secrétaire de séance) sign its procès-verbal, each in their role.',
  },
  [MeetingReason.MINUTES_ALREADY_SIGNED]: {
    code: ErrorCode.CONFLICT,
    description: 'This version of the procès-verbal is already signed in this role (`extensions.role`): a role signs a version once.',
  },
  [MeetingReason.MINUTES_VERSION_SUPERSEDED]: {
    code: ErrorCode.CONFLICT,
    description:
      'A newer version of this procès-verbal exists (`extensions.latestVersion`): only the latest version is signed; signatures of an older one stay with it.',
  },
  [MeetingReason.MINUTES_NOT_SIGNED]: {
    code: ErrorCode.CONFLICT,
    description:
      'A certified extract is drawn from a version signed by every default signatory (président and secrétaire de séance): `extensions.missingRoles` says who has not signed.',
  },
};

/** `throw refuse(MeetingReason.X, 'plain words', { details })`: a refusal with its code and reason. */
export const refuseMeeting = refusalsOf(MEETING_REASONS);
