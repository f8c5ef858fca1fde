import { createHash, createHmac } from 'node:crypto';
import { defaultAuditAnchor } from '../audit/audit-anchor.js';

/**
 * The secrets of single-use links (password reset, email verification). A link's secret is an
 * HMAC of its id under a key derived from the audit key — kept outside the database — and only the
 * SHA-256 of the secret is stored. So the database (and its backups) hold neither the secret nor
 * what would recompute it, and the outbox row of the mail carries only the id: the delivery worker
 * derives the secret when it writes the message.
 */
export class LinkTokens {
  constructor(private readonly key: Buffer) {}

  /** The process's link key, derived from the audit key the environment names. */
  static fromEnvironment(): LinkTokens {
    return new LinkTokens(defaultAuditAnchor().key.derive('collegia-link-tokens-v1'));
  }

  /** The secret put in the link of token `tokenId` (43 characters, base64url). */
  secretOf(tokenId: string): string {
    return createHmac('sha256', this.key).update(tokenId).digest('base64url');
  }

  /** What the database stores of a secret. */
  static hashOf(secret: string): string {
    return createHash('sha256').update(secret, 'utf8').digest('hex');
  }
}
