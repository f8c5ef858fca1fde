import { ErrorCode, refusalsOf, type ReasonTable } from '../shared/errors.js';

/**
 * Why the auth layer refuses: the closed list a client can switch on (`extensions.reason`).
 * Every value is described in the table below, which also fixes the code it is sent with.
 */
export enum AuthReason {
  INVALID_CREDENTIALS = 'INVALID_CREDENTIALS',
  ACCOUNT_DISABLED = 'ACCOUNT_DISABLED',
  EMAIL_TAKEN = 'EMAIL_TAKEN',
  EMAIL_LOOKALIKE = 'EMAIL_LOOKALIKE',
  EMAIL_MIXED_SCRIPTS = 'EMAIL_MIXED_SCRIPTS',
  EMAIL_HIDDEN_CHARACTERS = 'EMAIL_HIDDEN_CHARACTERS',
  REGISTRATIONS_LIMITED = 'REGISTRATIONS_LIMITED',
  SIGN_IN_LOCKED = 'SIGN_IN_LOCKED',
  SIGN_IN_ACCOUNT_CEILING = 'SIGN_IN_ACCOUNT_CEILING',
  SIGN_IN_ADDRESS_CEILING = 'SIGN_IN_ADDRESS_CEILING',
  SIGN_IN_CONGESTED = 'SIGN_IN_CONGESTED',
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
  ROLE_FOLLOWS_MEMBERSHIP = 'ROLE_FOLLOWS_MEMBERSHIP',
  WRONG_PASSWORD = 'WRONG_PASSWORD',
  LINK_INVALID = 'LINK_INVALID',
  LINK_EXPIRED = 'LINK_EXPIRED',
  LINK_USED = 'LINK_USED',
  LINK_SUPERSEDED = 'LINK_SUPERSEDED',
  LINK_ACCOUNT_DISABLED = 'LINK_ACCOUNT_DISABLED',
  PASSWORD_RESETS_LIMITED = 'PASSWORD_RESETS_LIMITED',
  EMAIL_NOT_VERIFIED = 'EMAIL_NOT_VERIFIED',
  EMAIL_ALREADY_VERIFIED = 'EMAIL_ALREADY_VERIFIED',
  VERIFICATION_EMAILS_LIMITED = 'VERIFICATION_EMAILS_LIMITED',
  MANDATE_ALREADY_ENDED = 'MANDATE_ALREADY_ENDED',
  LAST_ADMIN = 'LAST_ADMIN',
  ACCOUNT_ALREADY_DISABLED = 'ACCOUNT_ALREADY_DISABLED',
  ACCOUNT_NOT_DISABLED = 'ACCOUNT_NOT_DISABLED',
  ACCOUNT_EMAIL_UNKNOWN = 'ACCOUNT_EMAIL_UNKNOWN',
  SESSION_ALREADY_REVOKED = 'SESSION_ALREADY_REVOKED',
  SESSION_ALREADY_EXPIRED = 'SESSION_ALREADY_EXPIRED',
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
    description:
      'An account with this email (whatever its case) already exists (`extensions.field`). Only commands such as `admin:create` say so: `registerAccount` answers a known email as it answers a new one.',
  },
  [AuthReason.EMAIL_LOOKALIKE]: {
    code: ErrorCode.CONFLICT,
    description:
      'The email looks like the email of an existing account (letters of another script that look the same, an accent added, "rn" for "m"…) (`extensions.field`). Only commands say so: `registerAccount` answers a look-alike as it answers a new email, and creates nothing.',
  },
  [AuthReason.EMAIL_MIXED_SCRIPTS]: {
    code: ErrorCode.BAD_USER_INPUT,
    description:
      'The email mixes letters of different scripts in its local part or in one label of its domain (e.g. a Cyrillic "а" among Latin letters), as look-alike addresses do; Latin may go with Han and kana, Bopomofo or Hangul. Nothing was written; type the address in one script.',
  },
  [AuthReason.EMAIL_HIDDEN_CHARACTERS]: {
    code: ErrorCode.BAD_USER_INPUT,
    description:
      'The email holds a character that does not show: an invisible one (zero-width, direction control…) or an accent that composes with no letter. Nothing was written; type the address again.',
  },
  [AuthReason.REGISTRATIONS_LIMITED]: {
    code: ErrorCode.RATE_LIMITED,
    description:
      'Too many registrations from this client address (10 within 10 minutes, whatever their outcome): wait `extensions.retryAfterSeconds` (10 minutes, doubling while it goes on, at most 1 h).',
  },
  [AuthReason.SIGN_IN_LOCKED]: {
    code: ErrorCode.RATE_LIMITED,
    description:
      'Too many failed sign-ins on this email from this client address (5 within 15 minutes): wait `extensions.retryAfterSeconds` (30 s, doubling with each new failure, at most 1 h). Only this address is held back: the owner signs in from another.',
  },
  [AuthReason.SIGN_IN_ACCOUNT_CEILING]: {
    code: ErrorCode.RATE_LIMITED,
    description:
      'Too many failed sign-ins on this email from all addresses together (50 within an hour): wait `extensions.retryAfterSeconds` (15 minutes, doubling while it goes on, at most 1 h).',
  },
  [AuthReason.SIGN_IN_ADDRESS_CEILING]: {
    code: ErrorCode.RATE_LIMITED,
    description:
      'Too many failed sign-ins from this client address on any email (20 within 15 minutes): wait `extensions.retryAfterSeconds` (30 s, doubling with each new failure, at most 1 h).',
  },
  [AuthReason.SIGN_IN_CONGESTED]: {
    code: ErrorCode.RATE_LIMITED,
    description:
      'So many sign-in attempts on this email from this address were in progress at once that this one could not be counted within 10 s: try again in `extensions.retryAfterSeconds`.',
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
  [AuthReason.WRONG_PASSWORD]: {
    code: ErrorCode.BAD_USER_INPUT,
    description:
      'changePassword: the current password given is not the account’s; nothing changed. Counted by the login throttle like a failed sign-in (`extensions.field`: input.oldPassword).',
  },
  [AuthReason.LINK_INVALID]: {
    code: ErrorCode.BAD_USER_INPUT,
    description:
      'resetPassword, verifyEmail: the token is not that of a link of this kind (mistyped, cut short, made up, or a link sent for something else) (`extensions.field`: input.token). Nothing was written: ask for a new link.',
  },
  [AuthReason.LINK_EXPIRED]: {
    code: ErrorCode.CONFLICT,
    description:
      'resetPassword, verifyEmail: the link has expired (a reset link lasts 1 hour, a verification link 48 hours; `extensions.expiredAt`). Nothing was written: ask for a new link (requestPasswordReset, resendVerificationEmail).',
  },
  [AuthReason.LINK_USED]: {
    code: ErrorCode.CONFLICT,
    description:
      'resetPassword: the link was already used (`extensions.usedAt`); a link works once. Nothing was written: sign in with the password chosen then, or ask for a new link.',
  },
  [AuthReason.LINK_SUPERSEDED]: {
    code: ErrorCode.CONFLICT,
    description:
      'resetPassword, verifyEmail: a newer link of the same kind was sent since, and only the newest works (`extensions.supersededAt`). Nothing was written: open the latest mail.',
  },
  [AuthReason.LINK_ACCOUNT_DISABLED]: {
    code: ErrorCode.FORBIDDEN,
    description:
      'resetPassword, verifyEmail: the account of the link is disabled (its links stop working the moment it is); nothing was written. A platform administrator can say why.',
  },
  [AuthReason.PASSWORD_RESETS_LIMITED]: {
    code: ErrorCode.RATE_LIMITED,
    description:
      'requestPasswordReset: too many requests for this email (3 within an hour, counted whether or not an account has it, so this says nothing about that) or from this client address (10 within 15 minutes, whatever the emails): wait `extensions.retryAfterSeconds` (15 minutes, doubling while it goes on, at most 1 h). Nothing was sent.',
  },
  [AuthReason.EMAIL_NOT_VERIFIED]: {
    code: ErrorCode.FORBIDDEN,
    description:
      'The account has not confirmed its email yet: until then it may sign in, read `viewer`, change its password, sign out and verify its email (or ask for a new link with resendVerificationEmail), nothing else that needs signing in. Open the link sent to the address at registration.',
  },
  [AuthReason.EMAIL_ALREADY_VERIFIED]: {
    code: ErrorCode.CONFLICT,
    description:
      'verifyEmail, resendVerificationEmail: the account’s email is already verified (`extensions.verifiedAt`); nothing was written or sent.',
  },
  [AuthReason.VERIFICATION_EMAILS_LIMITED]: {
    code: ErrorCode.RATE_LIMITED,
    description:
      'resendVerificationEmail: 3 links within an hour for this account already: wait `extensions.retryAfterSeconds` (15 minutes, doubling while it goes on, at most 1 h). Nothing was sent.',
  },
  [AuthReason.ROLE_FOLLOWS_MEMBERSHIP]: {
    code: ErrorCode.BAD_USER_INPUT,
    description:
      'MEMBER is not granted by hand: the contacts of an organisation hold it on its collège while its membership is ACTIVE (admit it with decideApplication). `extensions.field` names the role.',
  },
  [AuthReason.ROLE_FOLLOWS_MANDATE]: {
    code: ErrorCode.CONFLICT,
    description: 'This right follows a mandate (a representative’s, a board seat’s): end the mandate instead, and the right ends with it.',
  },
  [AuthReason.MANDATE_ALREADY_ENDED]: {
    code: ErrorCode.CONFLICT,
    description: 'The mandate has already ended (at its term, or earlier): nothing to end.',
  },
  [AuthReason.LAST_ADMIN]: {
    code: ErrorCode.CONFLICT,
    description:
      'disableAccount, revokeRole: this would leave no enabled account holding the ADMIN role in force, and nobody could administer the platform any more. Grant ADMIN to another account first. Nothing was written.',
  },
  [AuthReason.ACCOUNT_ALREADY_DISABLED]: {
    code: ErrorCode.CONFLICT,
    description: 'disableAccount: the account is already disabled (`extensions.disabledAt`); nothing was written.',
  },
  [AuthReason.ACCOUNT_NOT_DISABLED]: {
    code: ErrorCode.CONFLICT,
    description: 'enableAccount: the account is not disabled; nothing was written.',
  },
  [AuthReason.ACCOUNT_EMAIL_UNKNOWN]: {
    code: ErrorCode.NOT_FOUND,
    description:
      'No account signs in with the email given (`extensions.field`), compared as stored (Unicode NFKC, trimmed, lower-cased). Said only to a caller allowed to make the appointment or grant: check the address, or ask the person to register first.',
  },
  [AuthReason.SESSION_ALREADY_REVOKED]: {
    code: ErrorCode.CONFLICT,
    description: 'revokeSession: the session was already signed out (`extensions.revokedAt`); nothing was written.',
  },
  [AuthReason.SESSION_ALREADY_EXPIRED]: {
    code: ErrorCode.CONFLICT,
    description: 'revokeSession: the session has already expired (`extensions.expiresAt`): its token no longer works; nothing was written.',
  },
};

/** `throw refuse(AuthReason.X, 'plain words', { details })`: a refusal with its code and reason. */
export const refuse = refusalsOf(AUTH_REASONS);
