import type { MikroORM } from '@mikro-orm/postgresql';
import express, { type Router } from 'express';
import { viewerFromAuthorization } from '../auth/bearer.js';
import { Action, authorize, collegeScope } from '../auth/permissions.js';
import type { AppDeps } from '../services.js';
import { AppError, ErrorCode, UnauthenticatedError } from '../shared/errors.js';
import { uuidArg } from '../shared/ids.js';
import { College } from './college.entity.js';

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

const HTTP_STATUS: Partial<Record<ErrorCode, number>> = {
  [ErrorCode.UNAUTHENTICATED]: 401,
  [ErrorCode.FORBIDDEN]: 403,
  [ErrorCode.NOT_FOUND]: 404,
  [ErrorCode.BAD_USER_INPUT]: 400,
};

/**
 * One CSV cell (RFC 4180): quoted when it holds a comma, a quote or a line break, quotes
 * doubled. A text starting with = + - @ (or a tab or carriage return) gets a leading apostrophe
 * so that a spreadsheet does not run it as a formula (OWASP "CSV injection").
 */
export function csvCell(value: string | number | boolean | Date | null | undefined): string {
  if (value === null || value === undefined) return '';
  let text = value instanceof Date ? value.toISOString().slice(0, 10) : String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(values: readonly (string | number | boolean | Date | null | undefined)[]): string {
  return `${values.map(csvCell).join(',')}\r\n`;
}

/**
 * GET /exports/colleges/:collegeId/members.csv — a collège's current members (ACTIVE and
 * SUSPENDED) as UTF-8 CSV with a header row, CRLF line ends, ISO dates. Same bearer token and
 * authorization as the API (the collège's representatives, CLUSTER_ADMIN, ADMIN); refusals are
 * JSON errors with the usual codes and HTTP statuses.
 */
export function membersExportRouter(orm: MikroORM, deps: AppDeps): Router {
  const router = express.Router();
  router.get('/exports/colleges/:collegeId/members.csv', async (req, res, next) => {
    const em = orm.em.fork();
    try {
      const viewer = await viewerFromAuthorization(req.headers.authorization, em, deps);
      if (!viewer) throw new UnauthenticatedError('Send the bearer token from `login` in the Authorization header.');
      const collegeId = uuidArg('collegeId', req.params.collegeId);
      const college = await em.findOne(College, { id: collegeId }, { populate: ['cluster'] });
      if (!college) {
        res.status(404).json({ errors: [{ message: `College ${collegeId} was not found.`, extensions: { code: ErrorCode.NOT_FOUND } }] });
        return;
      }
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
      const filename = `${college.cluster.slug}-${college.slug}-members.csv`;
      res.setHeader('Content-Type', 'text/csv; charset=utf-8');
      res.setHeader('Content-Disposition', `attachment; filename="${filename}"`);
      res.setHeader('Cache-Control', 'no-store');
      res.send(csvLine(COLUMNS) + rows.map((row) => csvLine(COLUMNS.map((column) => row[column]))).join(''));
    } catch (error) {
      if (error instanceof AppError && HTTP_STATUS[error.code]) {
        res.status(HTTP_STATUS[error.code]!).json({ errors: [{ message: error.message, extensions: { code: error.code } }] });
        return;
      }
      next(error);
    }
  });
  return router;
}
