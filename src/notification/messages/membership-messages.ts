import { compose, OPTIONAL_FOOTER, type RenderedMessage } from './layout.js';
import type { RenderContext } from './render-context.js';

export interface ApplicationSubmittedPayload {
  applicationId: string;
  organisationName: string;
  collegeName: string;
  clusterName: string;
}

export function applicationSubmitted(p: ApplicationSubmittedPayload, ctx: RenderContext): RenderedMessage {
  return compose({
    subject: `Nouvelle candidature : ${p.organisationName} au collège ${p.collegeName}`,
    fr: [
      'Bonjour,',
      `${p.organisationName} demande à adhérer au collège ${p.collegeName} de ${p.clusterName}. En tant que représentant du collège, il vous revient d'examiner sa candidature et de la décider.`,
    ],
    en: [
      `${p.organisationName} applied to join the collège ${p.collegeName} of ${p.clusterName}. As one of its representatives, you review and decide the application.`,
    ],
    action: { url: ctx.link(`applications/${p.applicationId}`), fr: 'Examiner la candidature', en: 'Review the application' },
    footer: OPTIONAL_FOOTER,
  });
}

export interface ApplicationDecidedPayload {
  applicationId: string;
  organisationName: string;
  collegeName: string;
  clusterName: string;
  /** The application's state after the decision (APPROVED, REJECTED…). */
  state: string;
  /** The reason given with a refusal, if any. */
  reason?: string | null;
}

const DECISION_FR: Record<string, string> = { APPROVED: 'acceptée', REJECTED: 'refusée' };
const DECISION_EN: Record<string, string> = { APPROVED: 'approved', REJECTED: 'refused' };

export function applicationDecided(p: ApplicationDecidedPayload, ctx: RenderContext): RenderedMessage {
  const fr = DECISION_FR[p.state] ?? 'décidée';
  const en = DECISION_EN[p.state] ?? 'decided';
  const admitted = p.state === 'APPROVED';
  return compose({
    subject: `Votre candidature au collège ${p.collegeName} est ${fr}`,
    fr: [
      'Bonjour,',
      `La candidature de ${p.organisationName} au collège ${p.collegeName} de ${p.clusterName} a été ${fr}.`,
      ...(p.reason ? [`Motif : ${p.reason}`] : []),
      ...(admitted ? ["Vos contacts ont désormais accès à l'annuaire des membres et aux propositions soumises au collège."] : []),
    ],
    en: [
      `The application of ${p.organisationName} to the collège ${p.collegeName} of ${p.clusterName} was ${en}.`,
      ...(p.reason ? [`Reason: ${p.reason}`] : []),
      ...(admitted ? ["Your contacts can now read the members' directory and the proposals put to the collège."] : []),
    ],
    action: { url: ctx.link(`applications/${p.applicationId}`), fr: 'Voir la candidature', en: 'See the application' },
    footer: OPTIONAL_FOOTER,
  });
}

export interface CharterToSignPayload {
  applicationId: string;
  organisationName: string;
  collegeName: string;
  charterTitle: string;
}

export function charterToSign(p: CharterToSignPayload, ctx: RenderContext): RenderedMessage {
  return compose({
    subject: `Charte à signer pour votre candidature au collège ${p.collegeName}`,
    fr: [
      'Bonjour,',
      `Pour que la candidature de ${p.organisationName} au collège ${p.collegeName} puisse être acceptée, la charte « ${p.charterTitle} » doit être signée au nom de l'organisation.`,
    ],
    en: [
      `For the application of ${p.organisationName} to the collège ${p.collegeName} to be approved, the charter "${p.charterTitle}" must be signed on its behalf.`,
    ],
    action: { url: ctx.link(`applications/${p.applicationId}`), fr: 'Signer la charte', en: 'Sign the charter' },
    footer: OPTIONAL_FOOTER,
  });
}

export interface ActRequestReceivedPayload {
  requestId: string;
  organisationName: string;
  requesterName: string;
}

export function actRequestReceived(p: ActRequestReceivedPayload, ctx: RenderContext): RenderedMessage {
  return compose({
    subject: `${p.requesterName} demande à agir pour ${p.organisationName}`,
    fr: [
      'Bonjour,',
      `${p.requesterName} demande à pouvoir agir au nom de ${p.organisationName} dans Collegia. Vous pouvez accepter ou refuser cette demande.`,
    ],
    en: [`${p.requesterName} asks to act for ${p.organisationName} in Collegia. You may approve or refuse the request.`],
    action: { url: ctx.link(`act-requests/${p.requestId}`), fr: 'Répondre à la demande', en: 'Answer the request' },
    footer: OPTIONAL_FOOTER,
  });
}

export interface ActRequestDecidedPayload {
  requestId: string;
  organisationName: string;
  /** APPROVED or REFUSED. */
  state: string;
  reason?: string | null;
}

export function actRequestDecided(p: ActRequestDecidedPayload, ctx: RenderContext): RenderedMessage {
  const approved = p.state === 'APPROVED';
  return compose({
    subject: `Votre demande pour agir au nom de ${p.organisationName} est ${approved ? 'acceptée' : 'refusée'}`,
    fr: [
      'Bonjour,',
      approved
        ? `Vous pouvez désormais agir au nom de ${p.organisationName} dans Collegia.`
        : `Votre demande pour agir au nom de ${p.organisationName} a été refusée.`,
      ...(p.reason ? [`Motif : ${p.reason}`] : []),
    ],
    en: [
      approved ? `You can now act for ${p.organisationName} in Collegia.` : `Your request to act for ${p.organisationName} was refused.`,
      ...(p.reason ? [`Reason: ${p.reason}`] : []),
    ],
    action: { url: ctx.link(`act-requests/${p.requestId}`), fr: 'Voir la demande', en: 'See the request' },
    footer: OPTIONAL_FOOTER,
  });
}
