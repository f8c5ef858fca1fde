import { randomBytes, randomUUID } from 'node:crypto';
import { Role } from '../../../src/auth/role.js';
import { ClusterKind } from '../../../src/membership/cluster.entity.js';
import type { TestApp } from '../../support/test-app.js';

/**
 * A convened meeting for the attendance, pouvoir and quorum tests, written with plain SQL: a
 * cluster with its general assembly, a statutes version, the meeting CONVENED under it (at a
 * first or a second convocation) and its frozen convocation list. The accounts that act over
 * HTTP are signed up (tokens); the crowd of a large assembly is inserted directly.
 */

export interface Person {
  accountId: string;
  token: string;
}

export interface StatutesRow {
  quorumFirstBasisPoints: number;
  quorumSecondBasisPoints: number | null;
  quorumBasis: 'PRESENT' | 'PRESENT_OR_REPRESENTED';
  remoteCountsAsPresent: boolean;
  pouvoirsPerHolder: number;
}

export interface AttendanceFixture {
  clusterId: string;
  bodyId: string;
  statutesId: string;
  meetingId: string;
  /** The cluster's administrator (CLUSTER_ADMIN): not convened. */
  admin: Person;
  /** Convened members with tokens; members[0] chairs, members[1] is the secretary (when officers are designated). */
  members: Person[];
  chair: Person;
  secretary: Person;
  /** A signed-in account of the same cluster (MEMBER role) that is not convened. */
  outsider: Person;
}

export const DEFAULT_STATUTES: StatutesRow = {
  quorumFirstBasisPoints: 5000,
  quorumSecondBasisPoints: null,
  quorumBasis: 'PRESENT_OR_REPRESENTED',
  remoteCountsAsPresent: true,
  pouvoirsPerHolder: 2,
};

let serial = 0;

/**
 * A CONVENED general-assembly meeting with `members` convened members who can sign in (and
 * `crowd` more convened accounts without a session), under statutes `statutes`.
 */
export async function attendanceFixture(
  app: TestApp,
  options: {
    members?: number;
    crowd?: number;
    statutes?: Partial<StatutesRow>;
    convocation?: 1 | 2;
    remoteAllowed?: boolean;
    /** Whether the chair and the secretary are designated (default true). */
    officers?: boolean;
  } = {},
): Promise<AttendanceFixture> {
  serial += 1;
  const now = app.clock.now();
  const statutes = { ...DEFAULT_STATUTES, ...options.statutes };
  const clusterId = (
    await app.services().clusters.createCluster({
      name: `Association ${serial} ${randomBytes(3).toString('hex')}`,
      slug: `association-${serial}-${randomBytes(3).toString('hex')}`,
      kind: ClusterKind.CLUSTER,
    })
  ).id;
  const admin = await app.signUp({ role: Role.CLUSTER_ADMIN, clusterId });
  const outsider = await app.signUp({ role: Role.MEMBER, clusterId });
  const members: Person[] = [];
  for (let i = 0; i < (options.members ?? 4); i += 1) {
    const person = await app.signUp({ role: Role.MEMBER, clusterId });
    members.push({ accountId: person.accountId, token: person.token });
  }

  const bodyId = randomUUID();
  await app.sql(
    `insert into voting_body (id, created_at, updated_at, cluster_id, kind, name, rules, seats)
     values ($1, $2, $2, $3, 'GENERAL_ASSEMBLY', 'Assemblée générale', $4, '[]')`,
    [
      bodyId,
      now,
      clusterId,
      JSON.stringify({
        quorumBasisPoints: 0,
        majority: 'SIMPLE',
        abstentionsCount: false,
        weighting: 'PER_VOTER',
        collegeWeights: [],
        doubleMajorityColleges: null,
        proxyLimit: 1,
        proxySameCollege: false,
        secrecy: 'NAMED',
      }),
    ],
  );
  const statutesId = randomUUID();
  await app.sql(
    `insert into body_statutes (id, created_at, updated_at, body_id, version, notice_days, quorum_first_basis_points,
       quorum_second_basis_points, quorum_basis, remote_counts_as_present, pouvoirs_per_holder, dissolution_body,
       dissolution_quorum_basis_points, dissolution_majority)
     values ($1, $2, $2, $3, 1, 15, $4, $5, $6, $7, $8, 'GENERAL_ASSEMBLY', 5000, 'TWO_THIRDS')`,
    [
      statutesId,
      now,
      bodyId,
      statutes.quorumFirstBasisPoints,
      statutes.quorumSecondBasisPoints,
      statutes.quorumBasis,
      statutes.remoteCountsAsPresent,
      statutes.pouvoirsPerHolder,
    ],
  );
  const officers = options.officers ?? true;
  const chair = members[0];
  const secretary = members[1];
  let firstConvocationId: string | null = null;
  if (options.convocation === 2) {
    // The first convocation, adjourned for lack of quorum.
    firstConvocationId = randomUUID();
    await app.sql(
      `insert into meeting (id, created_at, updated_at, body_id, kind, title, convocation, scheduled_at, state, statutes_id,
         convened_at, opened_at, quorum)
       values ($1, $2, $2, $3, 'EXTRAORDINARY_GENERAL_ASSEMBLY', 'AGE (première convocation)', 1, $2, 'ADJOURNED_NO_QUORUM', $4, $2, $2,
         '{"electorate":0,"present":0,"represented":0,"counted":0,"required":0,"met":false}')`,
      [firstConvocationId, now, bodyId, statutesId],
    );
  }
  const meetingId = randomUUID();
  await app.sql(
    `insert into meeting (id, created_at, updated_at, body_id, kind, title, convocation, first_convocation_id, scheduled_at, place,
       remote_allowed, chair_id, secretary_id, state, statutes_id, convened_at)
     values ($1, $2, $2, $3, 'EXTRAORDINARY_GENERAL_ASSEMBLY', 'Assemblée générale extraordinaire', $4, $5, $2, 'Salle du conseil',
       $6, $7, $8, 'CONVENED', $9, $2)`,
    [
      meetingId,
      now,
      bodyId,
      options.convocation ?? 1,
      firstConvocationId,
      options.remoteAllowed ?? true,
      officers ? chair?.accountId : null,
      officers ? secretary?.accountId : null,
      statutesId,
    ],
  );
  await convene(
    app,
    meetingId,
    members.map((m) => m.accountId),
  );
  if (options.crowd) await addCrowd(app, meetingId, options.crowd);
  return { clusterId, bodyId, statutesId, meetingId, admin, members, chair, secretary, outsider };
}

/** Puts accounts on a meeting's convocation list. */
export async function convene(app: TestApp, meetingId: string, accountIds: string[]): Promise<void> {
  await app.sql(
    `insert into convocation_recipient (id, created_at, updated_at, meeting_id, voter_id)
     select gen_random_uuid(), now(), now(), $1, voter from unnest($2::uuid[]) as voter`,
    [meetingId, accountIds],
  );
}

/** `count` new accounts (no session) convened to the meeting; returns their ids. */
export async function addCrowd(app: TestApp, meetingId: string, count: number): Promise<string[]> {
  const rows = await app.sql<{ id: string }>(
    `insert into account (id, created_at, updated_at, email, display_name, password_hash, disabled, email_verified_at)
     select gen_random_uuid(), now(), now(), 'crowd-' || gen_random_uuid() || '@example.test', 'Délégué ' || n, 'x', false, now()
       from generate_series(1, $1::int) as n
     returning id`,
    [count],
  );
  const ids = rows.map((row) => row.id);
  await convene(app, meetingId, ids);
  return ids;
}

/** Signs `accountIds` on the attendance sheet directly (open stints), as the crowd arrives. */
export async function seatCrowd(
  app: TestApp,
  meetingId: string,
  accountIds: string[],
  mode: 'IN_PERSON' | 'REMOTE' = 'IN_PERSON',
): Promise<void> {
  await app.sql(
    `insert into attendance (id, created_at, updated_at, meeting_id, voter_id, mode, arrived_at)
     select gen_random_uuid(), now(), now(), $1, voter, $3::attendance_mode, now() from unnest($2::uuid[]) as voter`,
    [meetingId, accountIds, mode],
  );
}

/** Standing pouvoirs written directly: principals[i] represented by holders[i]. */
export async function givePouvoirsDirectly(app: TestApp, meetingId: string, principals: string[], holders: string[]): Promise<void> {
  await app.sql(
    `insert into pouvoir (id, created_at, updated_at, meeting_id, principal_id, holder_id, state)
     select gen_random_uuid(), now(), now(), $1, p, h, 'ACTIVE' from unnest($2::uuid[], $3::uuid[]) as x(p, h)`,
    [meetingId, principals, holders],
  );
}

/** The rows the sheet's tables hold for a meeting: to prove a refusal wrote nothing. */
export async function sheetRows(app: TestApp, meetingId: string): Promise<{ attendance: number; pouvoirs: string; meeting: string }> {
  const [row] = await app.sql<{ attendance: number; pouvoirs: string; meeting: string }>(
    `select (select count(*)::int from attendance where meeting_id = $1) as attendance,
            (select coalesce(string_agg(state::text || ':' || coalesce(ended_at::text, '-'), ',' order by id), '') from pouvoir where meeting_id = $1) as pouvoirs,
            (select state::text || ':' || coalesce(opened_at::text, '-') || ':' || coalesce(closed_at::text, '-') || ':' || coalesce(quorum::text, '-')
               from meeting where id = $1) as meeting`,
    [meetingId],
  );
  return row;
}

/** The audit entries recorded for a meeting's sheet (by action): a refusal records none. */
export async function auditCount(app: TestApp): Promise<number> {
  const [{ n }] = await app.sql<{ n: number }>(
    `select count(*)::int as n from audit_entry where action like 'pouvoir.%' or action like 'attendance.%' or action like 'meeting.%'`,
  );
  return n;
}

export const QUORUM_FIELDS = 'electorate present represented counted required met';
export const POUVOIR_FIELDS = 'id state endedAt principal { id displayName } holder { id displayName } meeting { id }';
export const ATTENDANCE_FIELDS = 'id mode arrivedAt leftAt voter { id displayName }';

export const GIVE = `mutation($input: GivePouvoirInput!) { givePouvoir(input: $input) { pouvoir { ${POUVOIR_FIELDS} } } }`;
export const REVOKE = `mutation($id: ID!) { revokePouvoir(pouvoirId: $id) { pouvoir { ${POUVOIR_FIELDS} } } }`;
export const ARRIVE = `mutation($input: RecordArrivalInput!) { recordArrival(input: $input) {
  attendance { ${ATTENDANCE_FIELDS} } cancelledPouvoir { ${POUVOIR_FIELDS} } } }`;
export const LEAVE = `mutation($input: RecordDepartureInput!) { recordDeparture(input: $input) { attendance { ${ATTENDANCE_FIELDS} } } }`;
export const OPEN = `mutation($id: ID!) { openMeeting(meetingId: $id) { opened quorum { ${QUORUM_FIELDS} }
  meeting { id state openedAt quorum { ${QUORUM_FIELDS} } } } }`;
export const CLOSE = `mutation($id: ID!) { closeMeeting(meetingId: $id) { meeting { id state closedAt } } }`;
