import type { MikroORM } from '@mikro-orm/postgresql';
import express, { type RequestHandler, type Router } from 'express';
import { renderMinutesPdf } from '../governance/meeting-minutes.pdf.js';
import type { AppDeps } from '../services.js';
import { BadUserInputError } from '../shared/errors.js';
import { uuidArg } from '../shared/ids.js';
import { authenticatedDownload, type Download } from './download.js';
import type { Services } from '../services.js';

/** `?version=n`: a positive integer, or nothing (the latest version). */
function versionParam(value: unknown): number | null {
  if (value === undefined) return null;
  if (typeof value !== 'string' || !/^[1-9]\d{0,8}$/.test(value)) throw BadUserInputError.field('version', 'must be a positive integer');
  return Number(value);
}

/** A download of a meeting's minutes: the `version` query parameter is checked once the caller is known. */
function minutesDownload(
  orm: MikroORM,
  deps: AppDeps,
  build: (services: Services, meetingId: string, version: number | null) => Promise<Download>,
): RequestHandler {
  return (req, res, next) => {
    const requested: unknown = req.query.version;
    return authenticatedDownload(orm, deps, async (services, params) =>
      build(services, uuidArg('meetingId', params.meetingId), versionParam(requested)),
    )(req, res, next);
  };
}

/**
 * GET /meetings/:meetingId/minutes.md and /meetings/:meetingId/minutes.pdf (optional
 * `?version=n`, else the latest): a meeting's procès-verbal — its canonical text, then its
 * signatures — as Markdown (UTF-8) or PDF, for the readers of the cluster's meetings
 * (`MeetingMinutesService.file`), authenticated like the other downloads.
 */
export function meetingMinutesExportRouter(orm: MikroORM, deps: AppDeps): Router {
  const router = express.Router();
  router.get(
    '/meetings/:meetingId/minutes.md',
    minutesDownload(orm, deps, async (services, meetingId, version) => {
      const file = await services.meetingMinutes.file(meetingId, version);
      return {
        filename: `proces-verbal-${meetingId}-v${file.minutes.version}.md`,
        contentType: 'text/markdown; charset=utf-8',
        body: file.markdown,
      };
    }),
  );
  router.get(
    '/meetings/:meetingId/minutes.pdf',
    minutesDownload(orm, deps, async (services, meetingId, version) => {
      const file = await services.meetingMinutes.file(meetingId, version);
      const body = await renderMinutesPdf(file.markdown, {
        title: `Procès-verbal — ${file.head.title}`,
        footer: `${file.head.association} — procès-verbal, version ${file.minutes.version} — SHA-256 ${file.minutes.sha256}`,
        createdAt: file.minutes.createdAt,
      });
      return { filename: `proces-verbal-${meetingId}-v${file.minutes.version}.pdf`, contentType: 'application/pdf', body };
    }),
  );
  return router;
}
