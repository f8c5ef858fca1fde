import { ErrorCode, refusalsOf, type ReasonTable } from '../shared/errors.js';

/**
 * Why the finance layer refuses: the closed list a client can switch on (`extensions.reason`).
 * Every value is described in the table below, which also fixes the code it is sent with.
 */
export enum FinanceReason {
  SUBSIDY_FROZEN = 'SUBSIDY_FROZEN',
}

export const FINANCE_REASONS: ReasonTable<FinanceReason> = {
  [FinanceReason.SUBSIDY_FROZEN]: {
    code: ErrorCode.CONFLICT,
    description: 'The subsidy is frozen: a receipt needs an explicit `frozenException`, or the freeze released first.',
  },
};

/** `throw refuse(FinanceReason.X, 'plain words', { details })`: a refusal with its code and reason. */
export const refuse = refusalsOf(FINANCE_REASONS);
