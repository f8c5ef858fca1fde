import { ErrorCode, refusalsOf, type ReasonTable } from '../shared/errors.js';

/**
 * Why the fusion layer refuses: the closed list a client can switch on (`extensions.reason`).
 * Every value is described in the table below, which also fixes the code it is sent with.
 */
export enum FusionReason {
  FUSION_NOT_YET_EFFECTIVE = 'FUSION_NOT_YET_EFFECTIVE',
}

export const FUSION_REASONS: ReasonTable<FusionReason> = {
  [FusionReason.FUSION_NOT_YET_EFFECTIVE]: {
    code: ErrorCode.CONFLICT,
    description: 'The fusion takes effect on a later date: execute it then, or (ADMIN) force it with a reason.',
  },
};

/** `throw refuse(FusionReason.X, 'plain words', { details })`: a refusal with its code and reason. */
export const refuse = refusalsOf(FUSION_REASONS);
