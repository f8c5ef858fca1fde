import type { MikroORM } from '@mikro-orm/postgresql';
import type { RequestHandler } from 'express';
import { viewerFromAuthorization } from '../auth/bearer.js';
import { authenticator, createServices, requestScope, type AppDeps, type Services } from '../services.js';
import { csvLine, type CsvValue } from '../shared/csv.js';
import { AppError, ErrorCode, UnauthenticatedError } from '../shared/errors.js';

/** The HTTP status of each refusal a download can meet (a CONFLICT: the minutes of a vote still open). */
const HTTP_STATUS: Partial<Record<ErrorCode, number>> = {
  [ErrorCode.UNAUTHENTICATED]: 401,
  [ErrorCode.FORBIDDEN]: 403,
  [ErrorCode.NOT_FOUND]: 404,
  [ErrorCode.BAD_USER_INPUT]: 400,
  [ErrorCode.CONFLICT]: 409,
  [ErrorCode.RATE_LIMITED]: 429,
};

export interface Download {
  filename: string;
  contentType: string;
  /** Text, or the bytes of a binary file (an XLSX workbook). */
  body: string | Uint8Array;
}

/** What builds a download: the caller's services (their request scope, never trusted) and the route's parameters. */
export type DownloadBuilder<T> = (services: Services, params: Record<string, string>) => Promise<T>;

/**
 * An authenticated download: the same bearer token as the API; `build` calls the service
 * methods that authorize, with the caller's services (bound to the request's fork, viewer and
 * request id, as a GraphQL request's are), and returns the file. Refusals are JSON errors with the
 * API's codes, reasons and HTTP statuses (401, 403, 404, 400, 409, 429).
 */
export function authenticatedDownload(orm: MikroORM, deps: AppDeps, build: DownloadBuilder<Download>): RequestHandler {
  return async (req, res, next) => {
    const em = orm.em.fork();
    try {
      const viewer = await viewerFromAuthorization(req.headers.authorization, authenticator(em, deps));
      if (!viewer) throw new UnauthenticatedError('Send the bearer token from `login` in the Authorization header.');
      const actor = { accountId: viewer.accountId, requestId: req.requestId ?? null };
      const file = await build(createServices(requestScope(em, actor, viewer, deps), deps), req.params as Record<string, string>);
      res.setHeader('Content-Type', file.contentType);
      res.setHeader('Content-Disposition', `attachment; filename="${file.filename}"`);
      res.setHeader('Cache-Control', 'no-store');
      res.send(file.body);
    } catch (error) {
      if (error instanceof AppError && HTTP_STATUS[error.code]) {
        res
          .status(HTTP_STATUS[error.code]!)
          .json({ errors: [{ message: error.message, extensions: { code: error.code, reason: error.reason, ...error.details } }] });
        return;
      }
      next(error);
    }
  };
}

export interface CsvFile {
  filename: string;
  columns: readonly string[];
  rows: readonly (readonly CsvValue[])[];
}

/** An authenticated CSV download: UTF-8 without BOM, a header row, CRLF line ends (see authenticatedDownload). */
export function csvDownload(orm: MikroORM, deps: AppDeps, build: DownloadBuilder<CsvFile>): RequestHandler {
  return authenticatedDownload(orm, deps, async (services, params) => {
    const file = await build(services, params);
    return {
      filename: file.filename,
      contentType: 'text/csv; charset=utf-8',
      body: csvLine(file.columns) + file.rows.map((row) => csvLine(row)).join(''),
    };
  });
}
