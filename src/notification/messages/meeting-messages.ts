import { englishMoment, frenchMoment } from './format.js';
import { compose, type RenderedMessage } from './layout.js';
import type { RenderContext } from './render-context.js';

/** One item of a convened meeting's agenda, as the convocation lists it. */
export interface ConvocationAgendaItem {
  position: number;
  title: string;
  description: string;
  /** False: "questions diverses", under which nothing binding is decided. */
  binding: boolean;
}

/** What a convocation says: the meeting, its agenda and the quorum its statutes require. */
export interface MeetingConvenedPayload {
  meetingId: string;
  title: string;
  /** The body convened (its name). */
  bodyName: string;
  /** BOARD, ORDINARY_GENERAL_ASSEMBLY or EXTRAORDINARY_GENERAL_ASSEMBLY. */
  kind: string;
  /** 1 or 2. */
  convocation: number;
  /** ISO instant. */
  scheduledAt: string;
  place: string;
  remoteAllowed: boolean;
  agenda: ConvocationAgendaItem[];
  /** The statutes' quorum for this convocation, in basis points; null: none. */
  quorumBasisPoints: number | null;
  /** PRESENT or PRESENT_OR_REPRESENTED. */
  quorumBasis: string;
}

/** What a cancellation says. */
export interface MeetingCancelledPayload {
  meetingId: string;
  title: string;
  bodyName: string;
  /** ISO instant. */
  scheduledAt: string;
  place: string;
  reason: string;
}

/** The footer of a meeting's statutory messages: every convened member receives them. */
const MEETING_FOOTER = {
  fr: 'Vous recevez ce message parce que vous êtes convoqué(e) à cette réunion dans Collegia. Les convocations et leurs annulations ne peuvent pas être désactivées : chaque membre doit être convoqué.',
  en: 'You receive this message because you are convened to this meeting in Collegia. Convocations and their cancellations cannot be turned off: every member must be convened.',
};

const KIND_FR: Record<string, string> = {
  BOARD: 'Réunion du conseil d’administration',
  ORDINARY_GENERAL_ASSEMBLY: 'Assemblée générale ordinaire',
  EXTRAORDINARY_GENERAL_ASSEMBLY: 'Assemblée générale extraordinaire',
};
const KIND_EN: Record<string, string> = {
  BOARD: 'Board meeting',
  ORDINARY_GENERAL_ASSEMBLY: 'Ordinary general assembly',
  EXTRAORDINARY_GENERAL_ASSEMBLY: 'Extraordinary general assembly',
};

/** "50 %" or "33,33 %" (French) from basis points. */
function frenchPercent(basisPoints: number): string {
  const text = (basisPoints / 100)
    .toFixed(2)
    .replace(/\.?0+$/, '')
    .replace('.', ',');
  return `${text}\u00a0%`;
}

function englishPercent(basisPoints: number): string {
  return `${(basisPoints / 100).toFixed(2).replace(/\.?0+$/, '')}%`;
}

function quorumFr(p: MeetingConvenedPayload): string {
  if (!p.quorumBasisPoints) return 'Quorum : aucun quorum n’est requis.';
  const counted = p.quorumBasis === 'PRESENT' ? 'présents' : 'présents ou représentés';
  return `Quorum : ${frenchPercent(p.quorumBasisPoints)} des membres convoqués, en comptant les membres ${counted}.`;
}

function quorumEn(p: MeetingConvenedPayload): string {
  if (!p.quorumBasisPoints) return 'Quorum: none is required.';
  const counted = p.quorumBasis === 'PRESENT' ? 'present' : 'present or represented';
  return `Quorum: ${englishPercent(p.quorumBasisPoints)} of the members convened, counting those ${counted}.`;
}

export function meetingConvened(p: MeetingConvenedPayload, ctx: RenderContext): RenderedMessage {
  const second = p.convocation === 2;
  const kindFr = KIND_FR[p.kind] ?? p.kind;
  const kindEn = KIND_EN[p.kind] ?? p.kind;
  const agendaFr = p.agenda.map(
    (item) =>
      `${item.position}. ${item.title}${item.binding ? '' : ' (questions diverses : aucune décision)'}${item.description ? ` — ${item.description}` : ''}`,
  );
  const agendaEn = p.agenda.map(
    (item) =>
      `${item.position}. ${item.title}${item.binding ? '' : ' (any other business: no decision)'}${item.description ? ` — ${item.description}` : ''}`,
  );
  return compose({
    subject: `Convocation${second ? ' (seconde convocation)' : ''} : ${p.title} — ${frenchMoment(p.scheduledAt)}`,
    fr: [
      'Bonjour,',
      `Vous êtes convoqué(e) à la réunion « ${p.title} » (${kindFr}, ${p.bodyName})${second ? ', sur seconde convocation, la première n’ayant pas réuni le quorum' : ''}.`,
      `Date : le ${frenchMoment(p.scheduledAt)}.`,
      `Lieu : ${p.place || 'à préciser'}.`,
      p.remoteAllowed ? 'Participation à distance : autorisée.' : 'Participation à distance : non autorisée (présence sur place).',
      'Ordre du jour :',
      ...agendaFr,
      quorumFr(p),
    ],
    en: [
      `You are convened to the meeting "${p.title}" (${kindEn}, ${p.bodyName})${second ? ', at a second convocation, the first one having lacked a quorum' : ''}.`,
      `Date: ${englishMoment(p.scheduledAt)}.`,
      `Place: ${p.place || 'to be announced'}.`,
      p.remoteAllowed ? 'Remote participation: allowed.' : 'Remote participation: not allowed (in person only).',
      'Agenda:',
      ...agendaEn,
      quorumEn(p),
    ],
    action: { url: ctx.link(`meetings/${p.meetingId}`), fr: 'Voir la réunion', en: 'See the meeting' },
    footer: MEETING_FOOTER,
  });
}

export function meetingCancelled(p: MeetingCancelledPayload, ctx: RenderContext): RenderedMessage {
  return compose({
    subject: `Réunion annulée : ${p.title} — ${frenchMoment(p.scheduledAt)}`,
    fr: [
      'Bonjour,',
      `La réunion « ${p.title} » (${p.bodyName}) prévue le ${frenchMoment(p.scheduledAt)}${p.place ? ` (${p.place})` : ''} est annulée.`,
      `Motif : ${p.reason}`,
    ],
    en: [
      `The meeting "${p.title}" (${p.bodyName}) planned for ${englishMoment(p.scheduledAt)}${p.place ? ` (${p.place})` : ''} is cancelled.`,
      `Reason: ${p.reason}`,
    ],
    action: { url: ctx.link(`meetings/${p.meetingId}`), fr: 'Voir la réunion', en: 'See the meeting' },
    footer: MEETING_FOOTER,
  });
}
