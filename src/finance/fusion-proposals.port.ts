import type { EntityManager } from '@mikro-orm/postgresql';

/** What finance needs to know of a proposal a subsidy is frozen until. */
export interface ProposalStanding {
  /** The proposal's kind, as governance names it (FUSION, PARTNERSHIP, RESOLUTION). */
  kind: string;
  /** Its state, as governance names it (DRAFT, VOTING, ADOPTED, EXECUTED…). */
  state: string;
  /** True for a fusion still to be executed: neither cancelled, rejected nor executed. */
  pendingFusion: boolean;
}

/**
 * The port through which finance asks governance about a fusion proposal, without reading
 * governance's tables: governance implements it (src/governance/fusion-proposals.ts) and the
 * composition root passes it to `financeServices`.
 */
export interface FusionProposals {
  /** The proposal `proposalId` as seen in `em` (the caller's transaction), or null when there is none. */
  standing(em: EntityManager, proposalId: string): Promise<ProposalStanding | null>;
}
