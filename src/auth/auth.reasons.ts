import { ErrorCode, refusalsOf, type ReasonTable } from '../shared/errors.js';

/**
 * Why the auth layer refuses: the closed list a client can switch on (`extensions.reason`).
 * Every value is described in the table below, which also fixes the code it is sent with.
 */
export enum AuthReason {
  INVALID_CREDENTIALS = 'INVALID_CREDENTIALS',
}

export const AUTH_REASONS: ReasonTable<AuthReason> = {
  [AuthReason.INVALID_CREDENTIALS]: {
    code: ErrorCode.UNAUTHENTICATED,
    description: 'The email or the password is wrong (the answer does not say which).',
  },
};

/** `throw refuse(AuthReason.X, 'plain words', { details })`: a refusal with its code and reason. */
export const refuse = refusalsOf(AUTH_REASONS);
