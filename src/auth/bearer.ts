import { AuthReason, refuse } from './auth.reasons.js';
import type { AuthService } from './auth.service.js';
import type { Viewer } from './permissions.js';

const BEARER = /^Bearer ([A-Za-z0-9_-]{16,200})$/;

/**
 * The viewer an `Authorization` header designates: null without a header; an
 * UNAUTHENTICATED refusal for a malformed header or a bad, expired or revoked token. Presenting a
 * bad token is an error, never anonymity. Used by GraphQL and by the HTTP downloads alike.
 */
export async function viewerFromAuthorization(header: string | undefined, auth: AuthService): Promise<Viewer | null> {
  if (header === undefined || header === '') return null;
  const match = BEARER.exec(header);
  if (!match) throw refuse(AuthReason.AUTHORIZATION_HEADER_MALFORMED, 'The Authorization header must be "Bearer <token>".');
  return auth.authenticate(match[1]);
}
