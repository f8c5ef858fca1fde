import { randomUUID } from 'node:crypto';
import type { TestApp } from '../../support/test-app.js';
import { cast, close, configureBoard, createBoard, draft, open, ok, RULES_DEFAULT, type Board, type Person } from '../support.js';

/**
 * A CLOSED board meeting with its whole record, for the procès-verbal tests. The board and its two
 * votes are real (configured, opened, cast and closed over HTTP: a COLLEGE_WEIGHTED roll-call vote
 * and a SECRET one); the meeting's record — statutes, meeting, agenda, convocation list,
 * attendance stints, pouvoirs, quorum — is written with plain SQL (its services belong to other
 * items), and the votes are attached to agenda items as a meeting's votes are.
 */

export interface MinutesFixture {
  board: Board;
  clusterId: string;
  bodyId: string;
  meetingId: string;
  /** Agenda items in order: 1 minutes of the last meeting, 2 the convention (binding), 3 questions diverses (not binding). */
  items: { id: string; position: number; title: string }[];
  chair: Person;
  secretary: Person;
  /** A board member who is neither chair nor secretary. */
  member: Person;
  admin: Person;
  /** The NAMED, collège-weighted vote (item 2) and the SECRET one (item 1). */
  namedProposalId: string;
  secretProposalId: string;
  names: { chair: string; secretary: string; member: string; represented: string };
}

export const ASSOCIATION = 'DigitalPlace';
/** Tuesday 3 June 2025, 18:30 in Paris. */
export const SCHEDULED_AT = '2025-06-03T16:30:00Z';

let serial = 0;

/**
 * The meeting: 4 board members (2 per collège) plus `extraAttendees` convened accounts who attend in
 * person; the chair in person, the secretary remotely (after a first stint that ended), a member
 * represented by another through a standing pouvoir, one revoked pouvoir. `state` ADJOURNED_NO_QUORUM
 * records a failed quorum instead (no vote is attached then).
 */
export async function closedMeeting(
  app: TestApp,
  options: { extraAttendees?: number; state?: 'CLOSED' | 'ADJOURNED_NO_QUORUM'; forcedReason?: string | null } = {},
): Promise<MinutesFixture> {
  serial += 1;
  const state = options.state ?? 'CLOSED';
  const board = await createBoard(app, {
    name: `${ASSOCIATION}${serial > 1 ? ` ${serial}` : ''}`,
    colleges: 2,
    membersPerCollege: 2,
    rules: { weighting: 'COLLEGE_WEIGHTED' as never, quorumBasisPoints: 0 },
    weights: [6667, 3333],
  });
  const [chair, secretary, member, represented] = board.members;
  const names = { chair: 'Claire Martin', secretary: 'Julien Petit', member: 'Sophie Bernard', represented: 'Marc Dubois' };
  for (const [person, name] of [
    [chair, names.chair],
    [secretary, names.secretary],
    [member, names.member],
    [represented, names.represented],
  ] as const) {
    await app.sql(`update account set display_name = $2 where id = $1`, [person.accountId, name]);
  }
  const [{ id: bodyId }] = await app.sql<{ id: string }>(`select id from voting_body where cluster_id = $1`, [board.clusterId]);

  // The two votes, as the existing services run them.
  const named = await draft(app, board.admin.token, [board.clusterId], {
    title: 'Convention de partenariat avec FrenchSouth.digital',
    text: 'Le conseil approuve la convention de partenariat.\nIl mandate la présidente pour la signer.',
  });
  await open(app, board.admin.token, named.id);
  for (const [person, choice] of [
    [chair, 'FOR'],
    [secretary, 'FOR'],
    [member, 'AGAINST'],
    [represented, 'ABSTAIN'],
  ] as const) {
    ok(await cast(app, person.token, named.id, choice));
  }
  await close(app, board.admin.token, named.id);
  await configureBoard(app, board.admin.token, board.clusterId, board.colleges, { ...RULES_DEFAULT, secrecy: 'SECRET' as never }, 10);
  const secret = await draft(app, board.admin.token, [board.clusterId], {
    title: 'Approbation du procès-verbal de la séance précédente',
    text: 'Le procès-verbal du 6 mai 2025 est approuvé.',
  });
  await open(app, board.admin.token, secret.id);
  for (const [person, choice] of [
    [chair, 'FOR'],
    [secretary, 'AGAINST'],
    [member, 'FOR'],
  ] as const) {
    ok(await cast(app, person.token, secret.id, choice));
  }
  await close(app, board.admin.token, secret.id);

  // The record of the meeting.
  const statutesId = randomUUID();
  await app.sql(
    `insert into body_statutes (id, created_at, updated_at, body_id, version, notice_days, quorum_first_basis_points,
       quorum_second_basis_points, quorum_basis, remote_counts_as_present, pouvoirs_per_holder, dissolution_body,
       dissolution_quorum_basis_points, dissolution_majority)
     values ($1, now(), now(), $2, 1, 15, 5000, null, 'PRESENT_OR_REPRESENTED', true, 2, 'GENERAL_ASSEMBLY', 5000, 'TWO_THIRDS')`,
    [statutesId, bodyId],
  );
  const extra = options.extraAttendees ?? 0;
  const extraIds: string[] = [];
  if (extra > 0) {
    const rows = await app.sql<{ id: string }>(
      `insert into account (id, created_at, updated_at, email, display_name, password_hash)
       select gen_random_uuid(), now(), now(), 'membre-' || $1 || '-' || n || '@example.test', 'Membre ' || lpad(n::text, 4, '0'), 'x'
       from generate_series(1, $2::int) n returning id`,
      [`${serial}-${randomUUID().slice(0, 8)}`, extra],
    );
    extraIds.push(...rows.map((r) => r.id));
  }
  const electorate = 4 + extra;
  const present = state === 'CLOSED' ? 3 + extra : 1;
  const representedCount = state === 'CLOSED' ? 1 : 0;
  const required = Math.ceil(electorate / 2);
  const quorum = {
    electorate,
    present,
    represented: representedCount,
    counted: present + representedCount,
    required,
    met: state === 'CLOSED',
  };
  const meetingId = randomUUID();
  await app.sql(
    `insert into meeting (id, created_at, updated_at, body_id, kind, title, convocation, scheduled_at, place, remote_allowed,
       chair_id, secretary_id, state, statutes_id, convened_at, convened_by_id, notice_forced_reason, opened_at, closed_at, quorum)
     values ($1, now(), now(), $2, 'BOARD', 'Conseil d’administration du 3 juin 2025', 1, $3, '12 rue de la Paix, 75002 Paris', true,
       $4, $5, $6, $7, '2025-05-15T08:00:00Z', $8, $9, '2025-06-03T16:35:00Z', $10, $11)`,
    [
      meetingId,
      bodyId,
      SCHEDULED_AT,
      chair.accountId,
      secretary.accountId,
      state,
      statutesId,
      board.admin.accountId,
      options.forcedReason ?? null,
      state === 'CLOSED' ? '2025-06-03T18:45:00Z' : null,
      JSON.stringify(quorum),
    ],
  );
  const titles = ['Approbation du procès-verbal précédent', 'Convention de partenariat', 'Questions diverses'];
  const items = titles.map((title, i) => ({ id: randomUUID(), position: i + 1, title }));
  for (const item of items) {
    await app.sql(
      `insert into agenda_item (id, created_at, updated_at, meeting_id, position, title, description, binding)
       values ($1, now(), now(), $2, $3, $4, $5, $6)`,
      [
        item.id,
        meetingId,
        item.position,
        item.title,
        item.position === 2 ? 'Présentation de la convention | axes : innovation.' : '',
        item.position !== 3,
      ],
    );
  }
  const everyone = [...board.members.map((m) => m.accountId), ...extraIds];
  await app.sql(
    `insert into convocation_recipient (id, created_at, updated_at, meeting_id, voter_id)
     select gen_random_uuid(), '2025-05-15T08:00:00Z', now(), $1, v from unnest($2::uuid[]) v`,
    [meetingId, everyone],
  );
  // Attendance: the chair in person; the secretary remote at the opening, left, back in person…
  const stints: [string, string, string, string | null][] =
    state === 'CLOSED'
      ? [
          [chair.accountId, 'IN_PERSON', '2025-06-03T16:20:00Z', null],
          [secretary.accountId, 'REMOTE', '2025-06-03T16:25:00Z', '2025-06-03T17:00:00Z'],
          [secretary.accountId, 'IN_PERSON', '2025-06-03T17:10:00Z', null],
          [member.accountId, 'IN_PERSON', '2025-06-03T16:28:00Z', null],
          // …and the member, remote for a while before the opening (16:35): listed in person, as at the opening.
          [member.accountId, 'REMOTE', '2025-06-03T16:00:00Z', '2025-06-03T16:10:00Z'],
        ]
      : [[chair.accountId, 'IN_PERSON', '2025-06-03T16:20:00Z', null]];
  for (const [voter, mode, arrivedAt, leftAt] of stints) {
    await app.sql(
      `insert into attendance (id, created_at, updated_at, meeting_id, voter_id, mode, arrived_at, left_at)
       values (gen_random_uuid(), now(), now(), $1, $2, $3, $4, $5)`,
      [meetingId, voter, mode, arrivedAt, leftAt],
    );
  }
  if (state === 'CLOSED' && extraIds.length) {
    await app.sql(
      `insert into attendance (id, created_at, updated_at, meeting_id, voter_id, mode, arrived_at)
       select gen_random_uuid(), now(), now(), $1, v, 'IN_PERSON', '2025-06-03T16:29:00Z' from unnest($2::uuid[]) v`,
      [meetingId, extraIds],
    );
  }
  if (state === 'CLOSED') {
    await app.sql(
      `insert into pouvoir (id, created_at, updated_at, meeting_id, principal_id, holder_id, state, ended_at) values
       (gen_random_uuid(), now(), now(), $1, $2, $3, 'ACTIVE', null),
       (gen_random_uuid(), now(), now(), $1, $2, $4, 'REVOKED', '2025-06-01T10:00:00Z')`,
      [meetingId, represented.accountId, member.accountId, chair.accountId],
    );
    await app.sql(`update proposal_party set agenda_item_id = $1 where proposal_id = $2`, [items[1].id, named.id]);
    await app.sql(`update proposal_party set agenda_item_id = $1 where proposal_id = $2`, [items[0].id, secret.id]);
  }
  return {
    board,
    clusterId: board.clusterId,
    bodyId,
    meetingId,
    items,
    chair,
    secretary,
    member,
    admin: board.admin,
    namedProposalId: named.id,
    secretProposalId: secret.id,
    names,
  };
}

export const MINUTES_FIELDS = `id version text sha256 signed createdAt notes { agendaItemId text }
  signatures { role sha256 signedAt signer { id displayName } }`;

export const DRAFT = `mutation($input: DraftMinutesInput!) { draftMinutes(input: $input) {
  minutes { ${MINUTES_FIELDS} }
  meeting { id minutes { id version } minutesHistory { id version signed signatures { role } } } } }`;
export const SIGN = `mutation($id: ID!) { signMinutes(minutesId: $id) { signature { role sha256 signedAt signer { id } } minutes { ${MINUTES_FIELDS} } } }`;
export const READ_MINUTES = `query($meetingId: ID!, $version: Int) { meetingMinutes(meetingId: $meetingId, version: $version) { ${MINUTES_FIELDS} } }`;
export const EXTRACT = `query($id: ID!, $items: [ID!]!) { minutesExtract(minutesId: $id, agendaItemIds: $items) { text sha256 minutes { id version } } }`;
