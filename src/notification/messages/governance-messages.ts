import { englishDay as englishDayOf, englishMoment, frenchDay as frenchDayOf, frenchMoment } from './format.js';
import { compose, OPTIONAL_FOOTER, type RenderedMessage } from './layout.js';
import type { RenderContext } from './render-context.js';

/** What a vote's messages say: never how anyone voted. */
export interface VotePayload {
  proposalId: string;
  title: string;
  /** The voting body (the board, a general assembly…). */
  bodyName: string;
  /** ISO instant. */
  closesAt: string;
}

export function voteOpened(p: VotePayload, ctx: RenderContext): RenderedMessage {
  return compose({
    subject: `Vote ouvert : ${p.title}`,
    fr: [
      'Bonjour,',
      `Le vote « ${p.title} » est ouvert (${p.bodyName}). Vous faites partie des votants. Le scrutin se clôt le ${frenchMoment(p.closesAt)}.`,
    ],
    en: [`The vote "${p.title}" is open (${p.bodyName}). You are one of its electors. It closes on ${englishMoment(p.closesAt)}.`],
    action: { url: ctx.link(`proposals/${p.proposalId}`), fr: 'Voter', en: 'Vote' },
    footer: OPTIONAL_FOOTER,
  });
}

export function voteClosingSoon(p: VotePayload, ctx: RenderContext): RenderedMessage {
  return compose({
    subject: `Rappel : le vote « ${p.title} » se clôt dans moins de 24 heures`,
    fr: ['Bonjour,', `Vous n'avez pas encore voté sur « ${p.title} » (${p.bodyName}). Le scrutin se clôt le ${frenchMoment(p.closesAt)}.`],
    en: [`You have not voted yet on "${p.title}" (${p.bodyName}). It closes on ${englishMoment(p.closesAt)}.`],
    action: { url: ctx.link(`proposals/${p.proposalId}`), fr: 'Voter', en: 'Vote' },
    footer: OPTIONAL_FOOTER,
  });
}

export interface ProxyReceivedPayload extends VotePayload {
  /** Who gave the proxy. */
  grantorName: string;
}

export function proxyReceived(p: ProxyReceivedPayload, ctx: RenderContext): RenderedMessage {
  return compose({
    subject: `Procuration reçue de ${p.grantorName} : ${p.title}`,
    fr: [
      'Bonjour,',
      `${p.grantorName} vous a donné procuration pour le vote « ${p.title} » (${p.bodyName}). Vous pourrez voter en son nom jusqu'au ${frenchMoment(p.closesAt)}.`,
    ],
    en: [
      `${p.grantorName} gave you their proxy for the vote "${p.title}" (${p.bodyName}). You may vote on their behalf until ${englishMoment(p.closesAt)}.`,
    ],
    action: { url: ctx.link(`proposals/${p.proposalId}`), fr: 'Voir le vote', en: 'See the vote' },
    footer: OPTIONAL_FOOTER,
  });
}

export interface MandateEndingPayload {
  mandateId: string;
  personName: string;
  /** REPRESENTATIVE (of a collège) or BOARD (a seat on a voting body). */
  mandate: 'REPRESENTATIVE' | 'BOARD';
  /** The collège or voting body. */
  scopeName: string;
  clusterName: string;
  /** ISO date. */
  endsOn: string;
}

export function mandateEnding(p: MandateEndingPayload, ctx: RenderContext): RenderedMessage {
  const fr = p.mandate === 'REPRESENTATIVE' ? `représentant du collège ${p.scopeName}` : `membre de ${p.scopeName}`;
  const en = p.mandate === 'REPRESENTATIVE' ? `representative of the collège ${p.scopeName}` : `member of ${p.scopeName}`;
  return compose({
    subject: `Fin de mandat le ${frenchDayOf(p.endsOn)} : ${p.personName}, ${fr}`,
    fr: [
      'Bonjour,',
      `Le mandat de ${p.personName}, ${fr} (${p.clusterName}), prend fin le ${frenchDayOf(p.endsOn)}. Pensez à organiser son renouvellement ou l'élection de son successeur.`,
    ],
    en: [
      `The mandate of ${p.personName}, ${en} (${p.clusterName}), ends on ${englishDayOf(p.endsOn)}. Plan its renewal or the election of a successor.`,
    ],
    action: { url: ctx.link(`clusters`), fr: 'Voir les mandats', en: 'See the mandates' },
    footer: OPTIONAL_FOOTER,
  });
}
