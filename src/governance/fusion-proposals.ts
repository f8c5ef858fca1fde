import type { EntityManager } from '@mikro-orm/postgresql';
import type { FusionProposals, ProposalStanding } from '../finance/fusion-proposals.port.js';
import { Proposal, ProposalKind, ProposalState } from './proposal.entity.js';

/** States after which a fusion will never be executed (again). */
const SETTLED: readonly ProposalState[] = [ProposalState.CANCELLED, ProposalState.REJECTED, ProposalState.EXECUTED];

/** Governance's answer to finance's FusionProposals port: reads the proposal through the ORM. */
export const fusionProposals: FusionProposals = {
  async standing(em: EntityManager, proposalId: string): Promise<ProposalStanding | null> {
    const proposal = await em.findOne(Proposal, { id: proposalId }, { fields: ['kind', 'state'] });
    if (!proposal) return null;
    return {
      kind: proposal.kind,
      state: proposal.state,
      pendingFusion: proposal.kind === ProposalKind.FUSION && !SETTLED.includes(proposal.state),
    };
  },
};
