import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestApp, type TestApp } from '../../support/test-app.js';
import { FAST_HASHER, ok, refusal, refused } from '../support.js';
import { meetingFixture, STATUTES_DEFAULT, type MeetingFixture } from './fixtures.js';

/**
 * The statutory meeting rules of a body (issue 15, item 2), over HTTP: versions added by the
 * cluster's administrators, every field checked, the version in force and the history read by
 * the cluster's people.
 */
let app: TestApp;
let board: MeetingFixture;

beforeAll(async () => {
  app = await startTestApp({ app: { hasher: FAST_HASHER } });
  board = await meetingFixture(app, { kind: 'BOARD', electorate: 2 });
});

afterAll(() => app.close());

const STATUTES_FIELDS = `id version noticeDays quorumFirstBasisPoints quorumSecondBasisPoints quorumBasis remoteCountsAsPresent
  pouvoirsPerHolder dissolutionBody dissolutionQuorumBasisPoints dissolutionMajority note body { id }`;
const SET = `mutation($input: SetBodyStatutesInput!) { setBodyStatutes(input: $input) { statutes { ${STATUTES_FIELDS} } } }`;
const READ = `query($clusterId: ID!, $kind: BodyKind!) { votingBody(clusterId: $clusterId, kind: $kind) {
  id statutes { ${STATUTES_FIELDS} } statutesHistory { id version noticeDays } } }`;

const input = (bodyId: string, extra: Record<string, unknown> = {}) => ({
  bodyId,
  ...STATUTES_DEFAULT,
  dissolution: { body: 'BOARD', quorumBasisPoints: 5000, majority: 'ABSOLUTE' },
  ...extra,
});

async function counts(): Promise<string> {
  const [statutes, audit] = await Promise.all([
    app.sql('select id, version from body_statutes order by id'),
    app.sql('select coalesce(max(seq), 0)::int as seq from audit_entry'),
  ]);
  return JSON.stringify({ statutes, audit });
}

describe('setBodyStatutes', () => {
  it('adds a version in force; earlier ones stay, oldest first', async () => {
    const set = ok(
      await app.gql(
        SET,
        { input: input(board.bodyId, { noticeDays: 21, note: ' Statuts, art. 14 ' }) },
        { token: board.clusterAdmin.token },
      ),
    );
    expect(set.setBodyStatutes.statutes).toMatchObject({
      version: 2,
      noticeDays: 21,
      quorumFirstBasisPoints: 5000,
      quorumSecondBasisPoints: 2500,
      quorumBasis: 'PRESENT_OR_REPRESENTED',
      remoteCountsAsPresent: true,
      pouvoirsPerHolder: 2,
      dissolutionBody: 'BOARD',
      dissolutionQuorumBasisPoints: 5000,
      dissolutionMajority: 'ABSOLUTE',
      note: 'Statuts, art. 14',
      body: { id: board.bodyId },
    });
    for (const reader of [board.member, board.electors[0], board.clusterAdmin, board.admin]) {
      const body = ok(await app.gql(READ, { clusterId: board.clusterId, kind: 'BOARD' }, { token: reader.token })).votingBody;
      expect(body.statutes).toMatchObject({ version: 2, noticeDays: 21 });
      expect(body.statutesHistory.map((v: { version: number; noticeDays: number }) => [v.version, v.noticeDays])).toEqual([
        [1, 15],
        [2, 21],
      ]);
    }
    const [entry] = await app.sql(`select action from audit_entry order by seq desc limit 1`);
    expect(entry.action).toBe('statutes.set');
  });

  it('a second-convocation quorum may be absent, or equal the first', async () => {
    const none = ok(
      await app.gql(SET, { input: input(board.bodyId, { quorumSecondBasisPoints: null }) }, { token: board.clusterAdmin.token }),
    );
    expect(none.setBodyStatutes.statutes.quorumSecondBasisPoints).toBeNull();
    const equal = ok(
      await app.gql(SET, { input: input(board.bodyId, { quorumSecondBasisPoints: 5000 }) }, { token: board.clusterAdmin.token }),
    );
    expect(equal.setBodyStatutes.statutes.quorumSecondBasisPoints).toBe(5000);
  });

  it('refuses each bad field, naming it, and writes nothing', async () => {
    const before = await counts();
    const cases: [Record<string, unknown>, string[]][] = [
      [{ quorumSecondBasisPoints: 5001 }, ['input.quorumSecondBasisPoints']],
      [{ dissolution: null }, ['input.dissolution']],
      [{ noticeDays: -1 }, ['input.noticeDays']],
      [{ noticeDays: 367 }, ['input.noticeDays']],
      [{ quorumFirstBasisPoints: 10_001, quorumSecondBasisPoints: null }, ['input.quorumFirstBasisPoints']],
      [{ pouvoirsPerHolder: -1 }, ['input.pouvoirsPerHolder']],
      [{ dissolution: { body: 'BOARD', quorumBasisPoints: 20_000, majority: 'SIMPLE' } }, ['input.dissolution.quorumBasisPoints']],
      // This cluster has no general assembly to decide its dissolution.
      [{ dissolution: { body: 'GENERAL_ASSEMBLY', quorumBasisPoints: 5000, majority: 'SIMPLE' } }, ['input.dissolution.body']],
      [{ note: 'x'.repeat(501) }, ['input.note']],
      [
        { noticeDays: 400, quorumSecondBasisPoints: 9000, dissolution: null },
        ['input.noticeDays', 'input.quorumSecondBasisPoints', 'input.dissolution'],
      ],
    ];
    for (const [extra, fields] of cases) {
      const res = await app.gql(SET, { input: input(board.bodyId, extra) }, { token: board.clusterAdmin.token });
      const refusedWith = refusal(res);
      expect({ code: refusedWith.code, reason: refusedWith.reason }).toEqual({ code: 'BAD_USER_INPUT', reason: 'INVALID_INPUT' });
      expect(refusedWith.fields.sort()).toEqual([...fields].sort());
    }
    expect(await counts()).toBe(before);
  });

  it('only the cluster’s administrators (or ADMIN) set them; an unknown body is not found', async () => {
    const before = await counts();
    for (const who of [board.member, board.electors[0], board.outsider]) {
      expect(refused(await app.gql(SET, { input: input(board.bodyId) }, { token: who.token }))).toEqual({
        code: 'FORBIDDEN',
        reason: 'RIGHT_MISSING',
      });
    }
    const other = await meetingFixture(app, { kind: 'BOARD', electorate: 1 });
    expect(refused(await app.gql(SET, { input: input(board.bodyId) }, { token: other.clusterAdmin.token }))).toEqual({
      code: 'FORBIDDEN',
      reason: 'RIGHT_MISSING',
    });
    expect(refusal(await app.gql(SET, { input: input(board.bodyId) })).code).toBe('UNAUTHENTICATED');
    const unknown = '00000000-0000-4000-8000-000000000000';
    expect(refused(await app.gql(SET, { input: input(unknown) }, { token: board.admin.token }))).toEqual({
      code: 'NOT_FOUND',
      reason: 'NOT_FOUND',
    });
    expect(refused(await app.gql(SET, { input: input(unknown) }, { token: board.clusterAdmin.token }))).toEqual({
      code: 'FORBIDDEN',
      reason: 'RIGHT_MISSING',
    });
    ok(await app.gql(SET, { input: input(board.bodyId) }, { token: board.admin.token }));
    const after = JSON.parse(await counts());
    expect(after.statutes.length).toBe(JSON.parse(before).statutes.length + 2); // the other fixture's, and the ADMIN's
  });

  it('is refused once the cluster is no longer ACTIVE', async () => {
    const closing = await meetingFixture(app, { kind: 'BOARD', electorate: 1 });
    await app.sql(`update cluster set status = 'DISSOLVED' where id = $1`, [closing.clusterId]);
    expect(refused(await app.gql(SET, { input: input(closing.bodyId) }, { token: closing.clusterAdmin.token }))).toEqual({
      code: 'CONFLICT',
      reason: 'VOTING_CLUSTER_NOT_ACTIVE',
    });
  });

  it('the statutes are the cluster’s people’s to read: not a stranger’s, nor another cluster’s', async () => {
    for (const who of [board.outsider, undefined]) {
      const res = await app.gql(READ, { clusterId: board.clusterId, kind: 'BOARD' }, { token: who?.token });
      expect(res.body.errors?.length).toBeGreaterThan(0);
      expect(res.body.data?.votingBody ?? null).toBeNull();
    }
  });
});
