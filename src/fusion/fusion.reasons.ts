import { ErrorCode, refusalsOf, type ReasonTable } from '../shared/errors.js';

/**
 * Why the fusion layer refuses: the closed list a client can switch on (`extensions.reason`).
 * Every value is described in the table below, which also fixes the code it is sent with.
 */
export enum FusionReason {
  FUSION_NOT_YET_EFFECTIVE = 'FUSION_NOT_YET_EFFECTIVE',
  PROPOSAL_ALREADY_EXECUTED = 'PROPOSAL_ALREADY_EXECUTED',
  PROPOSAL_NOT_ADOPTED = 'PROPOSAL_NOT_ADOPTED',
  NOTHING_TO_EXECUTE = 'NOTHING_TO_EXECUTE',
  PLAN_CLUSTER_NOT_ACTIVE = 'PLAN_CLUSTER_NOT_ACTIVE',
  PLAN_COLLEGE_UNMAPPED = 'PLAN_COLLEGE_UNMAPPED',
  FUNDER_AGREEMENT_MISSING = 'FUNDER_AGREEMENT_MISSING',
}

export const FUSION_REASONS: ReasonTable<FusionReason> = {
  [FusionReason.FUSION_NOT_YET_EFFECTIVE]: {
    code: ErrorCode.CONFLICT,
    description: 'The fusion takes effect on a later date: execute it then, or (ADMIN) force it with a reason.',
  },
  [FusionReason.PROPOSAL_ALREADY_EXECUTED]: {
    code: ErrorCode.CONFLICT,
    description: 'This proposal has already been executed: its `executionReport` says what was done. Nothing was written.',
  },
  [FusionReason.PROPOSAL_NOT_ADOPTED]: {
    code: ErrorCode.CONFLICT,
    description:
      'Only an ADOPTED proposal is executed; `extensions.currentState` says where this one stands (a dry run reports on any state).',
  },
  [FusionReason.NOTHING_TO_EXECUTE]: {
    code: ErrorCode.CONFLICT,
    description: 'A RESOLUTION is a decision only: there is nothing to execute.',
  },
  [FusionReason.PLAN_CLUSTER_NOT_ACTIVE]: {
    code: ErrorCode.CONFLICT,
    description:
      'A cluster the fusion plan names is no longer ACTIVE (merged or dissolved since the plan was drafted): the plan cannot be executed as is; draft a new one.',
  },
  [FusionReason.PLAN_COLLEGE_UNMAPPED]: {
    code: ErrorCode.CONFLICT,
    description: 'An absorbed cluster has a collège the plan gives nowhere to go (created after the plan was drafted): draft a new plan.',
  },
  [FusionReason.FUNDER_AGREEMENT_MISSING]: {
    code: ErrorCode.CONFLICT,
    description:
      'Subsidies of an absorbed cluster need their funder’s agreement to the transfer, not recorded yet (`extensions.subsidyIds`): record it, then execute.',
  },
};

/** `throw refuse(FusionReason.X, 'plain words', { details })`: a refusal with its code and reason. */
export const refuse = refusalsOf(FUSION_REASONS);
