import { englishMoment, frenchMoment } from './format.js';
import { compose, SECURITY_FOOTER, type RenderedMessage } from './layout.js';
import type { RenderContext } from './render-context.js';

export interface TokenLinkPayload {
  /** The single-use link's id; its secret is derived at delivery (RenderContext.revealToken). */
  tokenId: string;
  /** ISO instant. */
  expiresAt: string;
}

/** The secret goes after `#`: browsers do not send it to servers or in Referer headers. */
function tokenLink(ctx: RenderContext, page: string, tokenId: string): string {
  return `${ctx.link(page)}#token=${encodeURIComponent(ctx.revealToken(tokenId))}`;
}

export function passwordReset(p: TokenLinkPayload, ctx: RenderContext): RenderedMessage {
  return compose({
    subject: 'Réinitialisation de votre mot de passe Collegia',
    fr: [
      'Bonjour,',
      `Une réinitialisation du mot de passe de votre compte Collegia a été demandée. Ce lien ne sert qu'une fois et expire le ${frenchMoment(p.expiresAt)}.`,
    ],
    en: [`A password reset was asked for your Collegia account. The link works once and expires on ${englishMoment(p.expiresAt)}.`],
    action: { url: tokenLink(ctx, 'reset-password', p.tokenId), fr: 'Choisir un nouveau mot de passe', en: 'Choose a new password' },
    footer: SECURITY_FOOTER,
  });
}

export function emailVerification(p: TokenLinkPayload, ctx: RenderContext): RenderedMessage {
  return compose({
    subject: 'Confirmez votre adresse email pour Collegia',
    fr: [
      'Bonjour,',
      `Pour confirmer que cette adresse est bien la vôtre et activer votre compte Collegia, ouvrez le lien ci-dessous. Il expire le ${frenchMoment(p.expiresAt)}.`,
    ],
    en: [
      `To confirm this address is yours and activate your Collegia account, open the link below. It expires on ${englishMoment(p.expiresAt)}.`,
    ],
    action: { url: tokenLink(ctx, 'verify-email', p.tokenId), fr: 'Confirmer mon adresse', en: 'Confirm my address' },
    footer: SECURITY_FOOTER,
  });
}

export interface RegistrationAttemptPayload {
  /** ISO instant. */
  attemptedAt: string;
}

export function registrationAttempt(p: RegistrationAttemptPayload, ctx: RenderContext): RenderedMessage {
  return compose({
    subject: 'Tentative de création de compte avec votre adresse',
    fr: [
      'Bonjour,',
      `Le ${frenchMoment(p.attemptedAt)}, quelqu'un a tenté de créer un compte Collegia avec votre adresse email (ou une adresse qui lui ressemble). Aucun compte n'a été créé. Si c'était vous, connectez-vous avec votre compte existant ; en cas d'oubli, demandez un nouveau mot de passe.`,
    ],
    en: [
      `On ${englishMoment(p.attemptedAt)}, someone tried to create a Collegia account with your email address (or one that looks like it). No account was created. If it was you, sign in with your existing account, or ask for a new password.`,
    ],
    action: { url: ctx.link('reset-password'), fr: 'Mot de passe oublié', en: 'Forgot my password' },
    footer: SECURITY_FOOTER,
  });
}
