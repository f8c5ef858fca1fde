/**
 * Every message has the same shape: a French part first, then the same in English; plain text
 * and HTML carrying the same words; at most one link to act on. Nothing here reads the database.
 */
export interface RenderedMessage {
  subject: string;
  text: string;
  html: string;
}

export interface MessageParts {
  /** The subject, in French. */
  subject: string;
  /** Paragraphs in French. */
  fr: string[];
  /** The same in English. */
  en: string[];
  /** The one thing to do, if any. */
  action?: { url: string; fr: string; en: string };
  /** Why they receive it, and how to stop (none for security mail). */
  footer: { fr: string; en: string };
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export function compose(parts: MessageParts): RenderedMessage {
  const { action } = parts;
  const text = [
    ...parts.fr,
    ...(action ? [`${action.fr} : ${action.url}`] : []),
    parts.footer.fr,
    '— English —',
    ...parts.en,
    ...(action ? [`${action.en}: ${action.url}`] : []),
    parts.footer.en,
  ].join('\n\n');
  const paragraphs = (lines: string[]) => lines.map((line) => `<p>${escapeHtml(line)}</p>`).join('\n');
  const button = (label: string) =>
    action ? `<p><a href="${escapeHtml(action.url)}" style="font-weight:bold">${escapeHtml(label)}</a></p>` : '';
  const html = `<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><title>${escapeHtml(parts.subject)}</title></head>
<body style="font-family:sans-serif;max-width:40em">
${paragraphs(parts.fr)}
${button(action?.fr ?? '')}
<p style="color:#555;font-size:small">${escapeHtml(parts.footer.fr)}</p>
<hr>
<div lang="en">
${paragraphs(parts.en)}
${button(action?.en ?? '')}
<p style="color:#555;font-size:small">${escapeHtml(parts.footer.en)}</p>
</div>
</body></html>
`;
  return { subject: parts.subject, text: `${text}\n`, html };
}

/** The footer of messages a person may turn off. */
export const OPTIONAL_FOOTER = {
  fr: 'Vous recevez ce message parce que vous y êtes concerné dans Collegia. Vous pouvez désactiver ce type de message dans vos préférences (setNotificationPreference).',
  en: 'You receive this message because it concerns you in Collegia. You can turn this kind of message off in your preferences (setNotificationPreference).',
};

/** The footer of security mail, which cannot be turned off. */
export const SECURITY_FOOTER = {
  fr: "Message de sécurité : il ne peut pas être désactivé. Si vous n'êtes pas à l'origine de cette demande, ignorez-le.",
  en: 'Security message: it cannot be turned off. If you did not ask for this, ignore it.',
};
