import { englishDay, frenchDay, frenchEuros } from './format.js';
import { compose, OPTIONAL_FOOTER, type RenderedMessage } from './layout.js';
import type { RenderContext } from './render-context.js';

export interface InstalmentOverduePayload {
  subsidyId: string;
  subsidyTitle: string;
  funderName: string;
  clusterName: string;
  /** Which payment (1, 2, …). */
  rank: number;
  /** ISO date. */
  dueOn: string;
  /** What is still to receive of it, in cents (a string: bigint). */
  outstandingCents: string;
}

export function instalmentOverdue(p: InstalmentOverduePayload, ctx: RenderContext): RenderedMessage {
  return compose({
    subject: `Versement en retard : ${p.subsidyTitle} (${p.funderName})`,
    fr: [
      'Bonjour,',
      `Le versement n° ${p.rank} de la subvention « ${p.subsidyTitle} » (${p.funderName}, ${p.clusterName}) était attendu le ${frenchDay(p.dueOn)}. Il reste ${frenchEuros(p.outstandingCents)} à recevoir.`,
      'Vérifiez les encaissements ou relancez le financeur.',
    ],
    en: [
      `Instalment no. ${p.rank} of the subsidy "${p.subsidyTitle}" (${p.funderName}, ${p.clusterName}) was due on ${englishDay(p.dueOn)}; ${frenchEuros(p.outstandingCents)} are still to be received. Check the receipts or remind the funder.`,
    ],
    action: { url: ctx.link(`subsidies/${p.subsidyId}`), fr: 'Voir la subvention', en: 'See the subsidy' },
    footer: OPTIONAL_FOOTER,
  });
}

export interface JustificationDuePayload {
  subsidyId: string;
  subsidyTitle: string;
  funderName: string;
  clusterName: string;
  /** ISO date: the last day to justify the spending. */
  deadline: string;
}

export function justificationDue(p: JustificationDuePayload, ctx: RenderContext): RenderedMessage {
  return compose({
    subject: `Justificatifs à remettre avant le ${frenchDay(p.deadline)} : ${p.subsidyTitle}`,
    fr: [
      'Bonjour,',
      `Les dépenses de la subvention « ${p.subsidyTitle} » (${p.funderName}, ${p.clusterName}) doivent être justifiées auprès du financeur au plus tard le ${frenchDay(p.deadline)}, soit dans moins de 30 jours.`,
    ],
    en: [
      `The spending of the subsidy "${p.subsidyTitle}" (${p.funderName}, ${p.clusterName}) must be justified to the funder by ${englishDay(p.deadline)}, within 30 days.`,
    ],
    action: { url: ctx.link(`subsidies/${p.subsidyId}`), fr: 'Voir la subvention', en: 'See the subsidy' },
    footer: OPTIONAL_FOOTER,
  });
}
