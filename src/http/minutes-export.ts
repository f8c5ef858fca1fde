import type { MikroORM } from '@mikro-orm/postgresql';
import express, { type Router } from 'express';
import { trustedScope } from '../auth/domain-service.js';
import { Action, authorize, withinCluster } from '../auth/permissions.js';
import type { AppDeps } from '../services.js';
import { authenticatedDownload } from './download.js';
import { NotFoundError } from '../shared/errors.js';
import { uuidArg } from '../shared/ids.js';
import { renderMinutes } from '../governance/minutes.js';
import { Proposal, ProposalParty } from '../governance/proposal.entity.js';
import { VotingService } from '../governance/voting.service.js';

/**
 * GET /exports/proposals/:proposalId/minutes.md — the procès-verbal of a closed vote as a
 * Markdown download (UTF-8), for the same readers as the `proposal` query.
 */
export function minutesExportRouter(orm: MikroORM, deps: AppDeps): Router {
  const router = express.Router();
  router.get(
    '/exports/proposals/:proposalId/minutes.md',
    authenticatedDownload(orm, deps, async (em, viewer, params) => {
      const proposalId = uuidArg('proposalId', params.proposalId);
      const parties = await em.find(ProposalParty, { proposal: proposalId });
      if (!parties.length) throw new NotFoundError('Proposal', proposalId);
      authorize(viewer, Action.ReadProposals, ...parties.map((p) => withinCluster(p.cluster.id)));
      await new VotingService(trustedScope(em, deps.audit, deps.clock)).closeIfDue(proposalId);
      const proposal = await em.fork().findOneOrFail(Proposal, { id: proposalId });
      return {
        filename: `minutes-${proposalId}.md`,
        contentType: 'text/markdown; charset=utf-8',
        body: await renderMinutes(em.fork(), proposal),
      };
    }),
  );
  return router;
}
