import type { MikroORM } from '@mikro-orm/postgresql';
import express, { type Router } from 'express';
import { Action, authorize, collegeScope } from '../auth/permissions.js';
import type { AppDeps } from '../services.js';
import { csvDownload } from './download.js';
import { NotFoundError } from '../shared/errors.js';
import { uuidArg } from '../shared/ids.js';
import { College } from '../membership/college.entity.js';

const COLUMNS = [
  'organisation_id',
  'organisation_name',
  'kind',
  'siren',
  'siret',
  'headcount',
  'size_class',
  'departement',
  'region',
  'status',
  'member_since',
  'started_on',
] as const;

/**
 * GET /exports/colleges/:collegeId/members.csv — a collège's current members (ACTIVE and
 * SUSPENDED) as UTF-8 CSV with a header row, CRLF line ends, ISO dates. Same bearer token and
 * authorization as the API (the collège's representatives, CLUSTER_ADMIN, ADMIN); refusals are
 * JSON errors with the usual codes and HTTP statuses.
 */
export function membersExportRouter(orm: MikroORM, deps: AppDeps): Router {
  const router = express.Router();
  router.get(
    '/exports/colleges/:collegeId/members.csv',
    csvDownload(orm, deps, async (em, viewer, params) => {
      const collegeId = uuidArg('collegeId', params.collegeId);
      const college = await em.findOne(College, { id: collegeId }, { populate: ['cluster'] });
      if (!college) throw new NotFoundError('College', collegeId);
      authorize(viewer, Action.ExportMembers, collegeScope(college.cluster.id, college.id));
      const rows = await em.execute<Record<(typeof COLUMNS)[number], string | number | null>[]>(
        `select o.id as organisation_id, o.name as organisation_name, o.kind, o.siren, o.siret, o.headcount, o.size_class,
                o.departement, o.region, m.status, to_char(m.member_since, 'YYYY-MM-DD') as member_since,
                to_char(m.started_on, 'YYYY-MM-DD') as started_on
           from membership m join organisation o on o.id = m.organisation_id
          where m.college_id = ? and m.ended_on is null
          order by o.name, m.id`,
        [college.id],
      );
      return {
        filename: `${college.cluster.slug}-${college.slug}-members.csv`,
        columns: COLUMNS,
        rows: rows.map((row) => COLUMNS.map((column) => row[column])),
      };
    }),
  );
  return router;
}
