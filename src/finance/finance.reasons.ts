import { ErrorCode, refusalsOf, type ReasonTable } from '../shared/errors.js';

/**
 * Why the finance layer refuses: the closed list a client can switch on (`extensions.reason`).
 * Every value is described in the table below, which also fixes the code it is sent with.
 * Input that is merely malformed keeps the common INVALID_INPUT (with `extensions.fields`).
 */
export enum FinanceReason {
  FUNDER_EXISTS = 'FUNDER_EXISTS',
  PROGRAMME_EXISTS = 'PROGRAMME_EXISTS',
  LAUREATE_LISTED_TWICE = 'LAUREATE_LISTED_TWICE',
  BENEFICIARY_NOT_ACTIVE = 'BENEFICIARY_NOT_ACTIVE',
  SUBSIDY_TRANSITION_NOT_ALLOWED = 'SUBSIDY_TRANSITION_NOT_ALLOWED',
  SUBSIDY_MONEY_RECEIVED = 'SUBSIDY_MONEY_RECEIVED',
  CLAWBACK_EXCEEDS_RECLAIMABLE = 'CLAWBACK_EXCEEDS_RECLAIMABLE',
  FUNDER_AGREEMENT_RECORDED = 'FUNDER_AGREEMENT_RECORDED',
  SUBSIDY_NOT_FREEZABLE = 'SUBSIDY_NOT_FREEZABLE',
  PROPOSAL_NOT_PENDING_FUSION = 'PROPOSAL_NOT_PENDING_FUSION',
  SUBSIDY_NOT_FROZEN = 'SUBSIDY_NOT_FROZEN',
  SUBSIDY_FROZEN = 'SUBSIDY_FROZEN',
  SUBSIDY_NOT_RECEIVABLE = 'SUBSIDY_NOT_RECEIVABLE',
  BANK_REFERENCE_CLASH = 'BANK_REFERENCE_CLASH',
  OVERPAYMENT_UNEXPLAINED = 'OVERPAYMENT_UNEXPLAINED',
  ENTRY_NOT_REVERSIBLE = 'ENTRY_NOT_REVERSIBLE',
  ENTRY_ALREADY_REVERSED = 'ENTRY_ALREADY_REVERSED',
  RECEIPT_CLAWED_BACK = 'RECEIPT_CLAWED_BACK',
}

export const FINANCE_REASONS: ReasonTable<FinanceReason> = {
  [FinanceReason.FUNDER_EXISTS]: {
    code: ErrorCode.CONFLICT,
    description: 'A funder of that name is already registered (names are compared whatever the case): use it, or choose another name.',
  },
  [FinanceReason.PROGRAMME_EXISTS]: {
    code: ErrorCode.CONFLICT,
    description: 'The funder already has a programme of that name: use it, or choose another name.',
  },
  [FinanceReason.LAUREATE_LISTED_TWICE]: {
    code: ErrorCode.CONFLICT,
    description: 'The same organisation and project are listed twice among the laureates: list each laureate project once.',
  },
  [FinanceReason.BENEFICIARY_NOT_ACTIVE]: {
    code: ErrorCode.CONFLICT,
    description:
      'The cluster is no longer active (merged or dissolved): it receives no new subsidy. Record it on the cluster that absorbed it.',
  },
  [FinanceReason.SUBSIDY_TRANSITION_NOT_ALLOWED]: {
    code: ErrorCode.CONFLICT,
    description:
      'The subsidy cannot move to that state from the one it is in (`extensions.currentState`); see `transitionSubsidy` for the allowed moves.',
  },
  [FinanceReason.SUBSIDY_MONEY_RECEIVED]: {
    code: ErrorCode.CONFLICT,
    description: 'Money already came in on this subsidy, so it cannot be cancelled: claw it back (CLAWED_BACK) instead.',
  },
  [FinanceReason.CLAWBACK_EXCEEDS_RECLAIMABLE]: {
    code: ErrorCode.BAD_USER_INPUT,
    description: 'A clawback takes back money both awarded and received: the amount given is more than that. Give a smaller amount.',
  },
  [FinanceReason.FUNDER_AGREEMENT_RECORDED]: {
    code: ErrorCode.CONFLICT,
    description: 'The funder’s agreement to a transfer is already recorded on this subsidy; it is recorded once.',
  },
  [FinanceReason.SUBSIDY_NOT_FREEZABLE]: {
    code: ErrorCode.CONFLICT,
    description:
      'Only an AWARDED, ACTIVE, PARTLY_RECEIVED or JUSTIFIED subsidy can be frozen; this one is in another state (`extensions.currentState`).',
  },
  [FinanceReason.PROPOSAL_NOT_PENDING_FUSION]: {
    code: ErrorCode.BAD_USER_INPUT,
    description:
      'A subsidy is frozen until a fusion proposal still to be executed; the proposal named is not a fusion, or was cancelled, rejected or executed.',
  },
  [FinanceReason.SUBSIDY_NOT_FROZEN]: {
    code: ErrorCode.CONFLICT,
    description: 'The subsidy is not frozen, so there is nothing to release (`extensions.currentState`).',
  },
  [FinanceReason.SUBSIDY_FROZEN]: {
    code: ErrorCode.CONFLICT,
    description: 'The subsidy is frozen: a receipt needs an explicit `frozenException`, or the freeze released first.',
  },
  [FinanceReason.SUBSIDY_NOT_RECEIVABLE]: {
    code: ErrorCode.CONFLICT,
    description:
      'The subsidy accepts no money in its state (REQUESTED, REFUSED, CANCELLED, CLOSED or CLAWED_BACK; `extensions.currentState`).',
  },
  [FinanceReason.BANK_REFERENCE_CLASH]: {
    code: ErrorCode.CONFLICT,
    description:
      'This bank reference is already recorded on the subsidy with another amount or value date (`extensions.entryId`): reverse that entry to correct it.',
  },
  [FinanceReason.OVERPAYMENT_UNEXPLAINED]: {
    code: ErrorCode.BAD_USER_INPUT,
    description: 'The receipt is more than what is still due: give an `overpaymentReason` to record it anyway.',
  },
  [FinanceReason.ENTRY_NOT_REVERSIBLE]: {
    code: ErrorCode.BAD_USER_INPUT,
    description: 'Only RECEIPT and CLAWBACK entries are reversed; an award is reversed by cancelling the subsidy.',
  },
  [FinanceReason.ENTRY_ALREADY_REVERSED]: {
    code: ErrorCode.CONFLICT,
    description: 'This ledger entry is already reversed; an entry is reversed at most once (`extensions.entryId`).',
  },
  [FinanceReason.RECEIPT_CLAWED_BACK]: {
    code: ErrorCode.CONFLICT,
    description: 'Part of this receipt’s money was clawed back since: reverse the clawback first, then the receipt.',
  },
};

/** `throw refuse(FinanceReason.X, 'plain words', { details })`: a refusal with its code and reason. */
export const refuse = refusalsOf(FINANCE_REASONS);
