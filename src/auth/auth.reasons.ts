import { ErrorCode, refusalsOf, type ReasonTable } from '../shared/errors.js';

/**
 * Why the auth layer refuses: the closed list a client can switch on (`extensions.reason`).
 * Every value is described in the table below, which also fixes the code it is sent with.
 */
export enum AuthReason {
  INVALID_CREDENTIALS = 'INVALID_CREDENTIALS',
  ACCOUNT_DISABLED = 'ACCOUNT_DISABLED',
  EMAIL_TAKEN = 'EMAIL_TAKEN',
  PASSWORD_LENGTH = 'PASSWORD_LENGTH',
  AUTHORIZATION_HEADER_MALFORMED = 'AUTHORIZATION_HEADER_MALFORMED',
  TOKEN_INVALID = 'TOKEN_INVALID',
  SESSION_REVOKED = 'SESSION_REVOKED',
  SESSION_EXPIRED = 'SESSION_EXPIRED',
  SESSION_ACCOUNT_DISABLED = 'SESSION_ACCOUNT_DISABLED',
  ROLE_NEEDS_MANDATE = 'ROLE_NEEDS_MANDATE',
  ROLE_SCOPE_MISMATCH = 'ROLE_SCOPE_MISMATCH',
  ROLE_CLUSTER_NOT_ACTIVE = 'ROLE_CLUSTER_NOT_ACTIVE',
  ROLE_ALREADY_HELD = 'ROLE_ALREADY_HELD',
  ROLE_ALREADY_ENDED = 'ROLE_ALREADY_ENDED',
  ROLE_FOLLOWS_MANDATE = 'ROLE_FOLLOWS_MANDATE',
  MANDATE_ALREADY_ENDED = 'MANDATE_ALREADY_ENDED',
}

export const AUTH_REASONS: ReasonTable<AuthReason> = {
  [AuthReason.INVALID_CREDENTIALS]: {
    code: ErrorCode.UNAUTHENTICATED,
    description: 'The email or the password is wrong (the answer does not say which).',
  },
  [AuthReason.ACCOUNT_DISABLED]: {
    code: ErrorCode.FORBIDDEN,
    description: 'The password is right but the account is disabled: no session is opened. A platform administrator can say why.',
  },
  [AuthReason.EMAIL_TAKEN]: {
    code: ErrorCode.CONFLICT,
    description: 'An account with this email (whatever its case) already exists: sign in with it instead (`extensions.field`).',
  },
  [AuthReason.PASSWORD_LENGTH]: {
    code: ErrorCode.BAD_USER_INPUT,
    description: 'The password is shorter or longer than the policy allows (12 to 256 characters); nothing was written.',
  },
  [AuthReason.AUTHORIZATION_HEADER_MALFORMED]: {
    code: ErrorCode.UNAUTHENTICATED,
    description: 'The `Authorization` header is not `Bearer <token>`: send the token from `login` exactly so, or no header at all.',
  },
  [AuthReason.TOKEN_INVALID]: {
    code: ErrorCode.UNAUTHENTICATED,
    description: 'The bearer token belongs to no session (mistyped, or from another server): sign in again.',
  },
  [AuthReason.SESSION_REVOKED]: {
    code: ErrorCode.UNAUTHENTICATED,
    description: 'The token’s session was signed out (`logout`): sign in again.',
  },
  [AuthReason.SESSION_EXPIRED]: {
    code: ErrorCode.UNAUTHENTICATED,
    description: 'The token’s session has expired: sign in again.',
  },
  [AuthReason.SESSION_ACCOUNT_DISABLED]: {
    code: ErrorCode.UNAUTHENTICATED,
    description: 'The token’s account was disabled since it signed in: its sessions no longer work.',
  },
  [AuthReason.ROLE_NEEDS_MANDATE]: {
    code: ErrorCode.BAD_USER_INPUT,
    description:
      'COLLEGE_REPRESENTATIVE is never granted on its own: appoint the representative (`appointRepresentative`), the right follows the mandate.',
  },
  [AuthReason.ROLE_SCOPE_MISMATCH]: {
    code: ErrorCode.BAD_USER_INPUT,
    description:
      'The scope given does not suit the role: ADMIN takes none, cluster roles a `clusterId`, collège roles a `collegeId` (of that cluster). `extensions.fields` says which.',
  },
  [AuthReason.ROLE_CLUSTER_NOT_ACTIVE]: {
    code: ErrorCode.CONFLICT,
    description: 'The cluster was merged or dissolved: no new role is granted in it (its history stays readable).',
  },
  [AuthReason.ROLE_ALREADY_HELD]: {
    code: ErrorCode.CONFLICT,
    description:
      'The account already holds this role on this scope for part of the period asked: end that assignment first, or pick another period.',
  },
  [AuthReason.ROLE_ALREADY_ENDED]: {
    code: ErrorCode.CONFLICT,
    description: 'The role assignment has already ended: nothing to revoke.',
  },
  [AuthReason.ROLE_FOLLOWS_MANDATE]: {
    code: ErrorCode.CONFLICT,
    description: 'This right follows a mandate (a representative’s, a board seat’s): end the mandate instead, and the right ends with it.',
  },
  [AuthReason.MANDATE_ALREADY_ENDED]: {
    code: ErrorCode.CONFLICT,
    description: 'The mandate has already ended (at its term, or earlier): nothing to end.',
  },
};

/** `throw refuse(AuthReason.X, 'plain words', { details })`: a refusal with its code and reason. */
export const refuse = refusalsOf(AUTH_REASONS);
