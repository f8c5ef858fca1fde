import { ErrorCode, refusalsOf, type ReasonTable } from '../shared/errors.js';

/**
 * Why the membership layer refuses: the closed list a client can switch on (`extensions.reason`).
 * Every value is described in the table below, which also fixes the code it is sent with.
 */
export enum MembershipReason {
  APPLICATION_ALREADY_DECIDED = 'APPLICATION_ALREADY_DECIDED',
}

export const MEMBERSHIP_REASONS: ReasonTable<MembershipReason> = {
  [MembershipReason.APPLICATION_ALREADY_DECIDED]: {
    code: ErrorCode.CONFLICT,
    description: 'The application was already approved, rejected or withdrawn: the first decision stands (`extensions.currentState`).',
  },
};

/** `throw refuse(MembershipReason.X, 'plain words', { details })`: a refusal with its code and reason. */
export const refuse = refusalsOf(MEMBERSHIP_REASONS);
