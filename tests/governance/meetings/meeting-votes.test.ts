import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestApp, type GraphQLResponse, type TestApp } from '../../support/test-app.js';
import { FAST_HASHER, ok, refusal, refused } from '../support.js';
import { ARRIVE, attendanceFixture, CLOSE, GIVE, LEAVE, OPEN, seatCrowd, type AttendanceFixture } from './attendance-fixture.js';

/**
 * Votes in a meeting (issue 15, item 4) over HTTP: a proposal's vote opens on a binding item of
 * an OPEN meeting of its body with the quorum met from the live attendance sheet (refused on a
 * non-binding item, a meeting not in session, a quorum lost by a departure — nothing written);
 * its electorate is the members present then and those they represent (a pouvoir holder votes
 * for the principal; an absent, unrepresented member and a later arrival do not vote); the chair
 * follows who has not voted, even in a SECRET vote, never how; bad input is coded; reads cost the
 * same for 10 or 200 voters.
 */
let app: TestApp;

beforeAll(async () => {
  app = await startTestApp({ app: { hasher: FAST_HASHER } });
});

afterAll(() => app.close());

const PARTY = `id state electorate participation agendaItem { id position meeting { id state } }`;
const OPEN_VOTING = `mutation($input: OpenVotingInput!) { openVoting(input: $input) { proposal { id state parties { ${PARTY} } } } }`;
const CAST = `mutation($input: CastVoteInput!) { castVote(input: $input) { receipt } }`;
const CLOSE_VOTING = `mutation($input: CloseVotingInput!) { closeVoting(input: $input) { proposal { id state } } }`;
const LIVE = `query($id: ID!) { proposal(id: $id) { id parties { id
  liveParticipation { electorate voted notYetVoted { id displayName } } } } }`;

const inAnHour = () => new Date(app.clock.now().getTime() + 3_600_000).toISOString();

/** Three agenda items on the (frozen) agenda of a fixture's meeting: two binding resolutions, then "questions diverses". */
async function agenda(fx: AttendanceFixture): Promise<string[]> {
  const ids = [randomUUID(), randomUUID(), randomUUID()];
  await app.sql(
    `insert into agenda_item (id, created_at, updated_at, meeting_id, position, title, description, binding)
     select id, now(), now(), $1, position, title, '', binding
       from unnest($2::uuid[], array[1, 2, 3], array['Résolution 1', 'Résolution 2', 'Questions diverses'], array[true, true, false])
            as x(id, position, title, binding)`,
    [fx.meetingId, ids],
  );
  return ids;
}

/** A DRAFT resolution of the fixture's general assembly, drafted by its administrator. */
async function resolution(fx: AttendanceFixture, title = 'Résolution'): Promise<string> {
  const res = await app.gql(
    `mutation($input: CreateProposalInput!) { createProposal(input: $input) { proposal { id } } }`,
    { input: { kind: 'RESOLUTION', title, text: `${title} : texte.`, partyClusterIds: [fx.clusterId], bodyKind: 'GENERAL_ASSEMBLY' } },
    { token: fx.admin.token },
  );
  return ok(res).createProposal.proposal.id;
}

function openIn(token: string, proposalId: string, agendaItems: { clusterId: string; agendaItemId: string }[]) {
  return app.gql(OPEN_VOTING, { input: { proposalId, closesAt: inAnHour(), agendaItems } }, { token });
}

/** What an opening writes for a proposal: to prove a refusal wrote nothing. */
async function openingRows(proposalId: string) {
  const [row] = await app.sql<Record<string, unknown>>(
    `select (select state::text from proposal where id = $1) as proposal,
            (select string_agg(pp.state::text || ':' || coalesce(pp.agenda_item_id::text, '-'), ',') from proposal_party pp where pp.proposal_id = $1) as parties,
            (select count(*)::int from elector e join proposal_party pp on pp.id = e.party_id where pp.proposal_id = $1) as electors,
            (select count(*)::int from proxy x join proposal_party pp on pp.id = x.party_id where pp.proposal_id = $1) as proxies,
            (select count(*)::int from notification) as notifications,
            (select coalesce(max(seq), 0)::int from audit_entry) as audit`,
    [proposalId],
  );
  return row;
}

async function refusedCleanly(proposalId: string, request: () => Promise<GraphQLResponse>): Promise<GraphQLResponse> {
  const before = await openingRows(proposalId);
  const res = await request();
  expect(await openingRows(proposalId)).toEqual(before);
  return res;
}

describe('a vote in a meeting', () => {
  let fx: AttendanceFixture;
  let items: string[];
  let other: AttendanceFixture;
  let otherItems: string[];
  const m = (i: number) => fx.members[i];
  const cast = (voter: number, proposalId: string, choice: string, extra: Record<string, unknown> = {}) =>
    app.gql(CAST, { input: { proposalId, choice, ...extra } }, { token: m(voter).token });

  beforeAll(async () => {
    // Six convened members (0 chairs, 1 is the secretary): a quorum of 3 (50 %, present or represented).
    fx = await attendanceFixture(app, { members: 6 });
    items = await agenda(fx);
    ok(await app.gql(GIVE, { input: { meetingId: fx.meetingId, holderAccountId: m(2).accountId } }, { token: m(5).token }));
    for (const i of [0, 1, 2]) ok(await app.gql(ARRIVE, { input: { meetingId: fx.meetingId, mode: 'IN_PERSON' } }, { token: m(i).token }));
    // 3 present and 1 represented: 4 counted of 3 required.
    expect(ok(await app.gql(OPEN, { id: fx.meetingId }, { token: fx.chair.token })).openMeeting.opened).toBe(true);
    other = await attendanceFixture(app, { members: 2 });
    otherItems = await agenda(other);
  });

  it('is refused on a non-binding item, and nothing is written', async () => {
    const proposalId = await resolution(fx);
    const res = await refusedCleanly(proposalId, () =>
      openIn(fx.chair.token, proposalId, [{ clusterId: fx.clusterId, agendaItemId: items[2] }]),
    );
    expect(refused(res)).toEqual({ code: 'CONFLICT', reason: 'AGENDA_ITEM_NOT_BINDING' });
  });

  it('is refused in a meeting convened but not in session', async () => {
    const proposalId = await resolution(other);
    const res = await refusedCleanly(proposalId, () =>
      openIn(other.admin.token, proposalId, [{ clusterId: other.clusterId, agendaItemId: otherItems[0] }]),
    );
    expect(refused(res)).toEqual({ code: 'CONFLICT', reason: 'MEETING_NOT_OPEN' });
    expect(res.body.errors![0].extensions!.currentState).toBe('CONVENED');
  });

  it('refuses bad input with coded fields: another cluster’s meeting, unknown ids, a party named twice', async () => {
    const proposalId = await resolution(fx);
    const cases: [{ clusterId: string; agendaItemId: string }[], string][] = [
      [[{ clusterId: fx.clusterId, agendaItemId: otherItems[0] }], 'input.agendaItems.0.agendaItemId'],
      [[{ clusterId: fx.clusterId, agendaItemId: randomUUID() }], 'input.agendaItems.0.agendaItemId'],
      [[{ clusterId: other.clusterId, agendaItemId: items[0] }], 'input.agendaItems.0.clusterId'],
      [
        [
          { clusterId: fx.clusterId, agendaItemId: items[0] },
          { clusterId: fx.clusterId, agendaItemId: items[1] },
        ],
        'input.agendaItems.1.clusterId',
      ],
    ];
    for (const [agendaItems, field] of cases) {
      const res = await refusedCleanly(proposalId, () => openIn(fx.admin.token, proposalId, agendaItems));
      expect(refusal(res)).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'INVALID_INPUT', fields: [field] });
    }
    const notUuid = await openIn(fx.admin.token, proposalId, [{ clusterId: fx.clusterId, agendaItemId: 'nope' }]);
    expect(refused(notUuid).code).toBe('BAD_USER_INPUT');
    const unknown = await openIn(fx.admin.token, randomUUID(), [{ clusterId: fx.clusterId, agendaItemId: items[0] }]);
    expect(refused(unknown)).toEqual({ code: 'NOT_FOUND', reason: 'NOT_FOUND' });
  });

  it('is opened by the meeting’s chair or a manager, not by another member nor an outsider (told nothing about the items)', async () => {
    const proposalId = await resolution(fx);
    const byMember = await refusedCleanly(proposalId, () =>
      openIn(m(3).token, proposalId, [{ clusterId: fx.clusterId, agendaItemId: items[0] }]),
    );
    expect(refused(byMember).code).toBe('FORBIDDEN');
    const bySecretary = await openIn(fx.secretary.token, proposalId, [{ clusterId: fx.clusterId, agendaItemId: items[0] }]);
    expect(refused(bySecretary).code).toBe('FORBIDDEN');
    const garbage = await openIn(fx.outsider.token, proposalId, [{ clusterId: fx.clusterId, agendaItemId: randomUUID() }]);
    expect(refused(garbage).code).toBe('FORBIDDEN');
    const noItem = await app.gql(OPEN_VOTING, { input: { proposalId, closesAt: inAnHour() } }, { token: fx.chair.token });
    expect(refused(noItem).code).toBe('FORBIDDEN');
  });

  it('opens with the present and represented as its electorate; the holder votes for the principal; the absent and latecomers do not vote; the chair follows a SECRET vote; a lost quorum refuses the next one', async () => {
    // The chair opens a NAMED vote on the first item.
    const named = await resolution(fx, 'Résolution nominative');
    const opened = ok(await openIn(fx.chair.token, named, [{ clusterId: fx.clusterId, agendaItemId: items[0] }])).openVoting.proposal;
    expect(opened.state).toBe('VOTING');
    expect(opened.parties[0]).toMatchObject({
      state: 'VOTING',
      electorate: 4,
      agendaItem: { id: items[0], position: 1, meeting: { id: fx.meetingId, state: 'OPEN' } },
    });
    const electors = await app.sql<{ voter_id: string }>(
      `select e.voter_id from elector e join proposal_party pp on pp.id = e.party_id where pp.proposal_id = $1 order by e.voter_id`,
      [named],
    );
    expect(electors.map((e) => e.voter_id)).toEqual([m(0), m(1), m(2), m(5)].map((p) => p.accountId).sort());
    const proxies = await app.sql<{ principal_id: string; holder_id: string; state: string }>(
      `select x.principal_id, x.holder_id, x.state from proxy x join proposal_party pp on pp.id = x.party_id where pp.proposal_id = $1`,
      [named],
    );
    expect(proxies).toEqual([{ principal_id: m(5).accountId, holder_id: m(2).accountId, state: 'ACTIVE' }]);

    // A SECRET vote on the second item, opened by the cluster's administrator.
    await app.sql(`update voting_body set rules = jsonb_set(rules, '{secrecy}', '"SECRET"') where id = $1`, [fx.bodyId]);
    const secret = await resolution(fx, 'Résolution secrète');
    ok(await openIn(fx.admin.token, secret, [{ clusterId: fx.clusterId, agendaItemId: items[1] }]));

    // The holder votes for the principal; the principal may not vote themself; the absent member is no elector.
    expect(refused(await cast(5, named, 'AGAINST'))).toEqual({ code: 'CONFLICT', reason: 'PROXY_STANDING' });
    ok(await cast(2, named, 'FOR', { onBehalfOf: m(5).accountId }));
    ok(await cast(2, named, 'AGAINST'));
    ok(await cast(0, named, 'FOR'));
    expect(refused(await cast(4, named, 'FOR'))).toEqual({ code: 'FORBIDDEN', reason: 'NOT_IN_ELECTORATE' });
    // A member arriving after the opening does not vote on it.
    ok(await app.gql(ARRIVE, { input: { meetingId: fx.meetingId, mode: 'IN_PERSON' } }, { token: m(3).token }));
    expect(refused(await cast(3, named, 'FOR'))).toEqual({ code: 'FORBIDDEN', reason: 'NOT_IN_ELECTORATE' });

    // Live participation of the SECRET vote: who has not voted, never how.
    ok(await cast(1, secret, 'AGAINST'));
    const live = async (token: string) => app.gql(LIVE, { id: secret }, { token });
    for (const token of [fx.chair.token, fx.secretary.token, fx.admin.token]) {
      const party = ok(await live(token)).proposal.parties[0];
      expect(party.liveParticipation.electorate).toBe(4);
      expect(party.liveParticipation.voted).toBe(1);
      expect(party.liveParticipation.notYetVoted.map((a: { id: string }) => a.id).sort()).toEqual(
        [m(0), m(2), m(5)].map((p) => p.accountId).sort(),
      );
      expect(JSON.stringify(party)).not.toMatch(/AGAINST|FOR|choice/);
    }
    expect(refused(await live(m(3).token)).code).toBe('FORBIDDEN');
    const namedLive = ok(await app.gql(LIVE, { id: named }, { token: fx.chair.token })).proposal.parties[0].liveParticipation;
    expect(namedLive).toMatchObject({ electorate: 4, voted: 3, notYetVoted: [{ id: m(1).accountId }] });

    // Departures: 3 leaves (4 counted of 3), then 2, the holder, leaves: 2 counted — the quorum is lost.
    ok(await app.gql(LEAVE, { input: { meetingId: fx.meetingId } }, { token: m(3).token }));
    const third = await resolution(fx, 'Troisième résolution');
    ok(await app.gql(LEAVE, { input: { meetingId: fx.meetingId } }, { token: m(2).token }));
    const res = await refusedCleanly(third, () => openIn(fx.chair.token, third, [{ clusterId: fx.clusterId, agendaItemId: items[1] }]));
    expect(refused(res)).toEqual({ code: 'CONFLICT', reason: 'QUORUM_NOT_MET' });
    expect(res.body.errors![0].extensions!.quorum).toMatchObject({ counted: 2, required: 3, electorate: 6, met: false });
    // The votes already open go on: their electorates were snapshotted.
    ok(await cast(1, named, 'ABSTAIN'));

    // The meeting does not close over its open votes; once they are closed, it does.
    const closeMeeting = () => app.gql(CLOSE, { id: fx.meetingId }, { token: fx.chair.token });
    const stillOpen = await closeMeeting();
    expect(refused(stillOpen)).toEqual({ code: 'CONFLICT', reason: 'VOTES_STILL_OPEN' });
    expect([...(stillOpen.body.errors![0].extensions!.proposalIds as string[])].sort()).toEqual([named, secret].sort());
    const [{ state }] = await app.sql<{ state: string }>('select state::text from meeting where id = $1', [fx.meetingId]);
    expect(state).toBe('OPEN');
    for (const proposalId of [named, secret]) {
      ok(await app.gql(CLOSE_VOTING, { input: { proposalId } }, { token: fx.admin.token }));
    }
    expect(ok(await closeMeeting()).closeMeeting.meeting.state).toBe('CLOSED');
  });
});

describe('statement counts', () => {
  /** A meeting of `voters` delegates seated, its vote opened on an item; the statements of the opening and of the chair's live read. */
  async function measure(voters: number) {
    const fx = await attendanceFixture(app, { members: 2, crowd: voters - 2 });
    const [{ ids }] = await app.sql<{ ids: string[] }>(
      `select array_agg(voter_id) as ids from convocation_recipient where meeting_id = $1`,
      [fx.meetingId],
    );
    await seatCrowd(app, fx.meetingId, ids);
    ok(await app.gql(OPEN, { id: fx.meetingId }, { token: fx.chair.token }));
    const [item] = await agenda(fx);
    const proposalId = await resolution(fx);
    app.resetSqlCount();
    const opened = ok(await openIn(fx.chair.token, proposalId, [{ clusterId: fx.clusterId, agendaItemId: item }]));
    const opening = app.sqlCount();
    expect(opened.openVoting.proposal.parties[0].electorate).toBe(voters);
    ok(await app.gql(CAST, { input: { proposalId, choice: 'FOR' } }, { token: fx.secretary.token }));
    app.resetSqlCount();
    const live = ok(await app.gql(LIVE, { id: proposalId }, { token: fx.chair.token })).proposal.parties[0].liveParticipation;
    const reading = app.sqlCount();
    expect(live.voted).toBe(1);
    expect(live.notYetVoted).toHaveLength(voters - 1);
    return { opening, reading };
  }

  it('opens a meeting’s vote and reads its live participation in as many statements for 10 voters as for 200', async () => {
    const small = await measure(10);
    const large = await measure(200);
    expect(large).toEqual(small);
  });
});
