import { ErrorCode, refusalsOf, type ReasonTable } from '../shared/errors.js';

/**
 * Why the governance layer refuses: the closed list a client can switch on (`extensions.reason`).
 * Every value is described in the table below, which also fixes the code it is sent with.
 */
export enum GovernanceReason {
  VOTE_CLOSED = 'VOTE_CLOSED',
}

export const GOVERNANCE_REASONS: ReasonTable<GovernanceReason> = {
  [GovernanceReason.VOTE_CLOSED]: {
    code: ErrorCode.CONFLICT,
    description: 'The vote is closed (by its chair, or because its closing time has passed): no ballot, proxy or change is accepted.',
  },
};

/** `throw refuse(GovernanceReason.X, 'plain words', { details })`: a refusal with its code and reason. */
export const refuse = refusalsOf(GOVERNANCE_REASONS);
