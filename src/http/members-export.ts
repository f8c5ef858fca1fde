import type { MikroORM } from '@mikro-orm/postgresql';
import express, { type Router } from 'express';
import { MEMBER_EXPORT_COLUMNS } from '../membership/directory.service.js';
import type { AppDeps } from '../services.js';
import { uuidArg } from '../shared/ids.js';
import { csvDownload } from './download.js';

/**
 * GET /exports/colleges/:collegeId/members.csv — a collège's current members (ACTIVE and
 * SUSPENDED) as UTF-8 CSV with a header row, CRLF line ends, ISO dates. Same bearer token and
 * authorization as the API (`DirectoryService.exportMembers`: the collège's representatives,
 * CLUSTER_ADMIN, ADMIN); refusals are JSON errors with the usual codes and HTTP statuses.
 */
export function membersExportRouter(orm: MikroORM, deps: AppDeps): Router {
  const router = express.Router();
  router.get(
    '/exports/colleges/:collegeId/members.csv',
    csvDownload(orm, deps, async (services, params) => {
      const { college, rows } = await services.directory.exportMembers(uuidArg('collegeId', params.collegeId));
      return {
        filename: `${college.cluster.slug}-${college.slug}-members.csv`,
        columns: MEMBER_EXPORT_COLUMNS,
        rows: rows.map((row) => MEMBER_EXPORT_COLUMNS.map((column) => row[column])),
      };
    }),
  );
  return router;
}
