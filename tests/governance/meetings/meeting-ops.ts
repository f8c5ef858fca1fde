import type { TestApp } from '../../support/test-app.js';
import { ok } from '../support.js';

/** The meeting operations of issue 15 (items 1–3) as the tests send them over HTTP. */

export const AGENDA_FIELDS = 'id position title description binding';
export const MEETING_FIELDS = `id kind title convocation scheduledAt place remoteAllowed state convenedAt noticeForcedReason
  cancelledAt cancelReason convocationChannel recipientsCount
  body { id } chair { id displayName } secretary { id displayName } statutes { id version noticeDays }
  firstConvocation { id } secondConvocation { id } agenda { ${AGENDA_FIELDS} }`;

export const CREATE_MEETING = `mutation($input: CreateMeetingInput!) { createMeeting(input: $input) { meeting { ${MEETING_FIELDS} } } }`;
export const UPDATE_MEETING = `mutation($input: UpdateMeetingInput!) { updateMeeting(input: $input) { meeting { ${MEETING_FIELDS} } } }`;
export const ADD_ITEM = `mutation($input: AddAgendaItemInput!) { addAgendaItem(input: $input) { item { ${AGENDA_FIELDS} } meeting { id agenda { ${AGENDA_FIELDS} } } } }`;
export const UPDATE_ITEM = `mutation($input: UpdateAgendaItemInput!) { updateAgendaItem(input: $input) { item { ${AGENDA_FIELDS} } meeting { id agenda { ${AGENDA_FIELDS} } } } }`;
export const REMOVE_ITEM = `mutation($itemId: ID!) { removeAgendaItem(itemId: $itemId) { meeting { id agenda { ${AGENDA_FIELDS} } } } }`;
export const CONVENE = `mutation($meetingId: ID!, $force: String) { conveneMeeting(meetingId: $meetingId, forceShortNotice: $force) { meeting { ${MEETING_FIELDS} } } }`;
export const CANCEL_MEETING = `mutation($meetingId: ID!, $reason: String!) { cancelMeeting(meetingId: $meetingId, reason: $reason) { meeting { ${MEETING_FIELDS} } } }`;
export const SECOND = `mutation($input: CreateSecondConvocationInput!) { createSecondConvocation(input: $input) { meeting { ${MEETING_FIELDS} } } }`;
export const READ_MEETING = `query($id: ID!) { meeting(id: $id) { ${MEETING_FIELDS} } }`;
export const RECIPIENTS = `query($id: ID!, $first: Int, $after: String) { meeting(id: $id) { id recipientsCount
  recipients(first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor }
    edges { node { voter { id displayName } organisation { id name } college { id } } } } } }`;

const PARIS_DAY = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit' });

/**
 * 17:00 UTC (18:00 or 19:00 in Paris) on the Paris calendar day `days` days after the app's
 * clock's: the notice counts Paris calendar days, whatever the hour the test runs.
 */
export function daysAhead(app: TestApp, days: number): string {
  const [y, m, d] = PARIS_DAY.format(app.clock.now()).split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + days, 17, 0, 0)).toISOString();
}

/** A DRAFT meeting of the body, created over HTTP by `token`. */
export async function createMeeting(
  app: TestApp,
  token: string,
  bodyId: string,
  extra: Record<string, unknown> = {},
): Promise<Record<string, any>> {
  return ok(
    await app.gql(
      CREATE_MEETING,
      {
        input: {
          bodyId,
          kind: 'BOARD',
          title: 'Conseil d’administration de printemps',
          scheduledAt: daysAhead(app, 30),
          place: '12 rue de la Paix, Montpellier',
          remoteAllowed: true,
          ...extra,
        },
      },
      { token },
    ),
  ).createMeeting.meeting;
}

/** Adds agenda items (titles) to a meeting; returns the agenda. */
export async function addItems(app: TestApp, token: string, meetingId: string, titles: string[], extra: Record<string, unknown> = {}) {
  let agenda: Record<string, any>[] = [];
  for (const title of titles) {
    agenda = ok(await app.gql(ADD_ITEM, { input: { meetingId, title, ...extra } }, { token })).addAgendaItem.meeting.agenda;
  }
  return agenda;
}

/** The rows a meeting refusal must leave unchanged: meetings, agenda, recipients, outbox, audit. */
export async function meetingTables(app: TestApp): Promise<string> {
  const [meetings, agenda, recipients, outbox, audit] = await Promise.all([
    app.sql('select * from meeting order by id'),
    app.sql('select * from agenda_item order by id'),
    app.sql('select count(*)::int as n from convocation_recipient'),
    app.sql('select count(*)::int as n from notification'),
    app.sql('select coalesce(max(seq), 0)::int as seq from audit_entry'),
  ]);
  return JSON.stringify({ meetings, agenda, recipients, outbox, audit });
}
