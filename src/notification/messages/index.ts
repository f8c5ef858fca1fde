import { NotificationKind } from '../notification-kind.js';
import * as finance from './finance-messages.js';
import * as governance from './governance-messages.js';
import * as meetings from './meeting-messages.js';
import type { RenderedMessage } from './layout.js';
import * as membership from './membership-messages.js';
import type { RenderContext } from './render-context.js';
import * as security from './security-messages.js';

export type { RenderedMessage } from './layout.js';
export type { RenderContext } from './render-context.js';

type Renderer = (payload: never, ctx: RenderContext) => RenderedMessage;

/** The one renderer of each kind (the compiler checks none is missing). */
const RENDERERS: Record<NotificationKind, Renderer> = {
  [NotificationKind.APPLICATION_SUBMITTED]: membership.applicationSubmitted,
  [NotificationKind.APPLICATION_DECIDED]: membership.applicationDecided,
  [NotificationKind.CHARTER_TO_SIGN]: membership.charterToSign,
  [NotificationKind.ACT_REQUEST_RECEIVED]: membership.actRequestReceived,
  [NotificationKind.ACT_REQUEST_DECIDED]: membership.actRequestDecided,
  [NotificationKind.VOTE_OPENED]: governance.voteOpened,
  [NotificationKind.VOTE_CLOSING_SOON]: governance.voteClosingSoon,
  [NotificationKind.PROXY_RECEIVED]: governance.proxyReceived,
  [NotificationKind.MANDATE_ENDING]: governance.mandateEnding,
  [NotificationKind.MEETING_CONVENED]: meetings.meetingConvened,
  [NotificationKind.MEETING_CANCELLED]: meetings.meetingCancelled,
  [NotificationKind.INSTALMENT_OVERDUE]: finance.instalmentOverdue,
  [NotificationKind.JUSTIFICATION_DUE]: finance.justificationDue,
  [NotificationKind.PASSWORD_RESET]: security.passwordReset,
  [NotificationKind.EMAIL_VERIFICATION]: security.emailVerification,
  [NotificationKind.REGISTRATION_ATTEMPT]: security.registrationAttempt,
};

/** The subject, text and HTML of a queued message. */
export function render(kind: NotificationKind, payload: Record<string, unknown>, ctx: RenderContext): RenderedMessage {
  return RENDERERS[kind](payload as never, ctx);
}
