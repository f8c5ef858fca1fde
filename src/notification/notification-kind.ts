import { registerEnumType } from 'type-graphql';

/**
 * What a message is about. Each kind has one renderer (src/notification/messages/) and is sent by
 * the layer that owns the event, in the transaction of the change (the outbox).
 */
export enum NotificationKind {
  APPLICATION_SUBMITTED = 'APPLICATION_SUBMITTED',
  APPLICATION_DECIDED = 'APPLICATION_DECIDED',
  CHARTER_TO_SIGN = 'CHARTER_TO_SIGN',
  ACT_REQUEST_RECEIVED = 'ACT_REQUEST_RECEIVED',
  ACT_REQUEST_DECIDED = 'ACT_REQUEST_DECIDED',
  VOTE_OPENED = 'VOTE_OPENED',
  VOTE_CLOSING_SOON = 'VOTE_CLOSING_SOON',
  PROXY_RECEIVED = 'PROXY_RECEIVED',
  MEETING_CONVENED = 'MEETING_CONVENED',
  MEETING_CANCELLED = 'MEETING_CANCELLED',
  INSTALMENT_OVERDUE = 'INSTALMENT_OVERDUE',
  JUSTIFICATION_DUE = 'JUSTIFICATION_DUE',
  MANDATE_ENDING = 'MANDATE_ENDING',
  PASSWORD_RESET = 'PASSWORD_RESET',
  EMAIL_VERIFICATION = 'EMAIL_VERIFICATION',
  REGISTRATION_ATTEMPT = 'REGISTRATION_ATTEMPT',
}

/** Who receives each kind and when; security mail cannot be turned off. */
export const NOTIFICATION_KINDS: Record<NotificationKind, { security: boolean; description: string }> = {
  [NotificationKind.APPLICATION_SUBMITTED]: {
    security: false,
    description: "An organisation applied to a collège: sent to the collège's representatives, who decide.",
  },
  [NotificationKind.APPLICATION_DECIDED]: {
    security: false,
    description: "A collège decided an application (admitted, refused, sent back): sent to the applicant's contacts.",
  },
  [NotificationKind.CHARTER_TO_SIGN]: {
    security: false,
    description: "The collège's charter must be signed before the application can be admitted: sent to the applicant's contacts.",
  },
  [NotificationKind.ACT_REQUEST_RECEIVED]: {
    security: false,
    description:
      "Someone asks to act for an organisation: sent to those who may approve — its contacts with an account; without any, the representatives of the collèges where it is a member and their clusters' administrators; without those, the platform administrators.",
  },
  [NotificationKind.ACT_REQUEST_DECIDED]: {
    security: false,
    description: 'A request to act for an organisation was approved or refused: sent to the person who asked.',
  },
  [NotificationKind.VOTE_OPENED]: {
    security: false,
    description: 'A vote opened: sent to its electorate, with the closing time. Never says how anyone voted.',
  },
  [NotificationKind.VOTE_CLOSING_SOON]: {
    security: false,
    description:
      'A vote closes within 24 hours: sent to the electors who have not voted yet (a ballot cast by their proxy counts; an elector whose proxy stands is not reminded), once; votes open for less than 24 hours get no reminder (the opening message gave the closing time).',
  },
  [NotificationKind.PROXY_RECEIVED]: {
    security: false,
    description: 'An elector gave their proxy: sent to its holder.',
  },
  [NotificationKind.MEETING_CONVENED]: {
    security: true,
    description:
      'A meeting was convened: sent to every member of its frozen convocation list, with its date and local time, place, remote participation, numbered agenda and quorum. A statutory convocation: cannot be turned off (a member not convened can have the resolutions annulled).',
  },
  [NotificationKind.MEETING_CANCELLED]: {
    security: true,
    description:
      'A convened meeting was cancelled: sent to its convocation list, with the reason. Cannot be turned off, as the convocation it withdraws.',
  },
  [NotificationKind.INSTALMENT_OVERDUE]: {
    security: false,
    description: "A subsidy's instalment is past due and not fully received: sent to the cluster's treasurers.",
  },
  [NotificationKind.JUSTIFICATION_DUE]: {
    security: false,
    description: "A subsidy's spending must be justified to its funder within 30 days: sent to the cluster's treasurers.",
  },
  [NotificationKind.MANDATE_ENDING]: {
    security: false,
    description: "A representative's or board member's mandate ends within 60 days: sent to the cluster's administrators.",
  },
  [NotificationKind.PASSWORD_RESET]: {
    security: true,
    description: 'A link to choose a new password (single use, valid one hour). Security mail: cannot be turned off.',
  },
  [NotificationKind.EMAIL_VERIFICATION]: {
    security: true,
    description: 'A link to confirm the email of a new account. Security mail: cannot be turned off.',
  },
  [NotificationKind.REGISTRATION_ATTEMPT]: {
    security: true,
    description: 'Someone tried to register an account with this email (or one that looks like it). Security mail: cannot be turned off.',
  },
};

export function isSecurityKind(kind: NotificationKind): boolean {
  return NOTIFICATION_KINDS[kind].security;
}

registerEnumType(NotificationKind, {
  name: 'NotificationKind',
  description: 'What a notification is about; each person may turn off each kind except security mail.',
  valuesConfig: Object.fromEntries(Object.entries(NOTIFICATION_KINDS).map(([kind, { description }]) => [kind, { description }])),
});

/** Where a message of the outbox stands. */
export enum NotificationStatus {
  PENDING = 'PENDING',
  SENT = 'SENT',
  FAILED = 'FAILED',
}

registerEnumType(NotificationStatus, {
  name: 'NotificationStatus',
  description: 'Where a message of the outbox stands.',
  valuesConfig: {
    PENDING: { description: 'Waiting to be delivered (or to be tried again after a failure, see nextAttemptAt).' },
    SENT: { description: 'Handed over to the mail server (or written to the local mailbox).' },
    FAILED: { description: 'Given up after the last attempt; lastError says why.' },
  },
});
