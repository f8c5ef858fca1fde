import type { MikroORM } from '@mikro-orm/postgresql';
import express, { type Router } from 'express';
import type { AppDeps } from '../services.js';
import { uuidArg } from '../shared/ids.js';
import { authenticatedDownload } from './download.js';

/**
 * GET /exports/proposals/:proposalId/minutes.md — the procès-verbal of a closed vote as a
 * Markdown download (UTF-8): `ProposalService.minutes`, as the `minutes` query (the same readers
 * as the `proposal` query; a vote past its closing time is closed first).
 */
export function minutesExportRouter(orm: MikroORM, deps: AppDeps): Router {
  const router = express.Router();
  router.get(
    '/exports/proposals/:proposalId/minutes.md',
    authenticatedDownload(orm, deps, async (services, params) => {
      const proposalId = uuidArg('proposalId', params.proposalId);
      return {
        filename: `minutes-${proposalId}.md`,
        contentType: 'text/markdown; charset=utf-8',
        body: await services.proposals.minutes(proposalId),
      };
    }),
  );
  return router;
}
