import type { EntityManager } from '@mikro-orm/postgresql';
import { Role } from '../auth/role.js';
import type {
  ApplicationDecidedPayload,
  ApplicationSubmittedPayload,
  CharterToSignPayload,
} from '../notification/messages/membership-messages.js';
import { NotificationKind } from '../notification/notification-kind.js';
import { enqueueMany, sqlPayload } from '../notification/outbox.js';
import { Criterion, CriterionOutcome } from './admission-criteria.js';
import type { Application } from './application.entity.js';
import { currentHoldersOf, ORGANISATION_CONTACTS } from './recipients.js';

/**
 * The admission's messages, queued in the transaction of the step they announce (a refused or
 * rolled-back step queues nothing), each to all its recipients in one statement. The event key
 * is the application: each message is queued once per application and recipient.
 */

/** The application `?` with the names its messages use; `params (now)` first. Parameters: now, application id. */
const APPLICATION = `
  params as (select ?::timestamptz as now),
  app as (
    select ap.id, ap.organisation_id, ap.college_id, c.cluster_id, ap.state, ap.decision_reason,
           o.name as organisation_name, c.name as college_name, cl.name as cluster_name
      from application ap join organisation o on o.id = ap.organisation_id
      join college c on c.id = ap.college_id join cluster cl on cl.id = c.cluster_id
     where ap.id = ?)`;

// The payloads, built in SQL field by field as their interfaces say (the compiler checks none is missing).
const SUBMITTED: Record<keyof ApplicationSubmittedPayload, string> = {
  applicationId: 'app.id',
  organisationName: 'app.organisation_name',
  collegeName: 'app.college_name',
  clusterName: 'app.cluster_name',
};
const DECIDED: Record<keyof ApplicationDecidedPayload, string> = {
  ...SUBMITTED,
  state: 'app.state',
  // The reason is the refusal's; an approval's note is for the collège's records.
  reason: `case when app.state = 'REJECTED' then app.decision_reason end`,
};
const CHARTER: Record<keyof CharterToSignPayload, string> = {
  applicationId: 'app.id',
  organisationName: 'app.organisation_name',
  collegeName: 'app.college_name',
  charterTitle: 'charter.title',
};

/**
 * A submitted application awaits a decision: the collège's current representatives are told;
 * and the applicant's contacts, when the cluster's charter in force must still be signed for it
 * to be admitted (the rules require it and the organisation has not signed that version).
 */
export async function announceSubmission(tx: EntityManager, now: Date, application: Application): Promise<void> {
  await enqueueMany(tx, now, NotificationKind.APPLICATION_SUBMITTED, {
    sql: `with ${APPLICATION}
          select h.account_id, h.email, app.id::text as event_key, ${sqlPayload(SUBMITTED)} as payload
            from app join (${currentHoldersOf(Role.COLLEGE_REPRESENTATIVE)}) h on h.college_id = app.college_id`,
    params: [now, application.id],
  });
  const charterAwaited = application.criteriaResults.some(
    (result) => result.criterion === Criterion.CHARTER && result.outcome === CriterionOutcome.PENDING,
  );
  if (!charterAwaited) return;
  await enqueueMany(tx, now, NotificationKind.CHARTER_TO_SIGN, {
    sql: `with ${APPLICATION}
          select k.account_id, k.email, app.id::text as event_key, ${sqlPayload(CHARTER)} as payload
            from app
            join lateral (select ch.id, ch.title from charter ch where ch.cluster_id = app.cluster_id order by ch.version desc limit 1) charter on true
            join (${ORGANISATION_CONTACTS}) k on k.organisation_id = app.organisation_id
           where not exists (select 1 from charter_signature s where s.charter_id = charter.id and s.organisation_id = app.organisation_id)`,
    params: [now, application.id],
  });
}

/** An application was approved (by a representative, or by the rules) or rejected: the applicant's contacts are told. */
export async function announceDecision(tx: EntityManager, now: Date, application: Application): Promise<void> {
  await enqueueMany(tx, now, NotificationKind.APPLICATION_DECIDED, {
    sql: `with ${APPLICATION}
          select k.account_id, k.email, app.id::text as event_key, ${sqlPayload(DECIDED)} as payload
            from app join (${ORGANISATION_CONTACTS}) k on k.organisation_id = app.organisation_id`,
    params: [now, application.id],
  });
}
