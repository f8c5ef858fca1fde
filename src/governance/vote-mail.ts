import type { EntityManager } from '@mikro-orm/postgresql';
import type { ProxyReceivedPayload, VotePayload } from '../notification/messages/governance-messages.js';
import { NotificationKind } from '../notification/notification-kind.js';
import { enqueueMany, sqlPayload } from '../notification/outbox.js';
import type { ScheduledJob } from '../notification/scheduler.js';

/**
 * The messages of a vote (issue 13): opened → its electorate; a proxy → its holder; closing
 * within 24 hours → the electors who have not voted. Each is queued by ONE statement whatever the
 * electorate's size, and says what the vote is and when it closes — never how anyone voted: the
 * payloads are built from the proposal, its body and the accounts only, never from a ballot.
 */

/** A VotePayload from a row joining `pr` (the proposal) and `vb` (the party's voting body). */
const VOTE: Record<keyof VotePayload, string> = {
  proposalId: 'pr.id',
  title: 'pr.title',
  bodyName: 'vb.name',
  closesAt: `to_char(pr.closes_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`,
};

/** …and who gave the proxy (`principal`, their account). */
const PROXY_RECEIVED: Record<keyof ProxyReceivedPayload, string> = { ...VOTE, grantorName: 'principal.display_name' };

/**
 * VOTE_OPENED to every elector of the proposal (every party's snapshot), in the transaction that
 * opens the vote, once the electorate is written. Event key: the proposal. Disabled accounts are
 * left out. Returns how many messages were queued.
 */
export function queueVoteOpened(tx: EntityManager, now: Date, proposalId: string): Promise<number> {
  return enqueueMany(tx, now, NotificationKind.VOTE_OPENED, {
    sql: `select a.id as account_id, a.email, pr.id::text as event_key, ${sqlPayload(VOTE)} as payload
            from proposal pr
            join proposal_party pp on pp.proposal_id = pr.id
            join voting_body vb on vb.id = pp.body_id
            join elector e on e.party_id = pp.id
            join account a on a.id = e.voter_id and not a.disabled
           where pr.id = ?`,
    params: [proposalId],
  });
}

/**
 * PROXY_RECEIVED to the holder of a proxy just given, in the transaction that records it. Event
 * key: the proxy. Says who gave it, not how either will vote.
 */
export async function queueProxyReceived(tx: EntityManager, now: Date, proxyId: string): Promise<boolean> {
  const queued = await enqueueMany(tx, now, NotificationKind.PROXY_RECEIVED, {
    sql: `select a.id as account_id, a.email, x.id::text as event_key, ${sqlPayload(PROXY_RECEIVED)} as payload
            from proxy x
            join proposal_party pp on pp.id = x.party_id
            join proposal pr on pr.id = pp.proposal_id
            join voting_body vb on vb.id = pp.body_id
            join account principal on principal.id = x.principal_id
            join account a on a.id = x.holder_id and not a.disabled
           where x.id = ?`,
    params: [proxyId],
  });
  return queued === 1;
}

/**
 * Open votes closing within 24 hours, and their electors who have not voted — neither themselves
 * nor through a holder (a ballot by proxy records the principal's participation) — and gave no
 * standing proxy (their vote is the holder's to cast: they may not vote unless they revoke it).
 * Only votes opened more than 24 hours before their close: for a shorter one, the opening message
 * already said it closes within the day. Parameters: now.
 */
const VOTE_CLOSING_SOON_SQL = `
  with params as (select ?::timestamptz as now)
  select a.id as account_id, a.email, pr.id::text as event_key, ${sqlPayload(VOTE)} as payload
    from proposal pr cross join params
    join proposal_party pp on pp.proposal_id = pr.id and pp.state = 'VOTING'
    join voting_body vb on vb.id = pp.body_id
    join elector e on e.party_id = pp.id
    join account a on a.id = e.voter_id and not a.disabled
   where pr.state = 'VOTING' and pr.closes_at > params.now and pr.closes_at <= params.now + interval '24 hours'
     and pr.opens_at < pr.closes_at - interval '24 hours'
     and not exists (select 1 from participation v where v.party_id = pp.id and v.voter_id = e.voter_id)
     and not exists (select 1 from proxy x where x.party_id = pp.id and x.principal_id = e.voter_id and x.state = 'ACTIVE')`;

/**
 * VOTE_CLOSING_SOON, on every tick ('frequent': a vote may close at any hour). Once per proposal
 * and elector, ever (event key: the proposal), whatever the number of ticks or instances.
 */
export const VOTE_CLOSING_SOON_JOB: ScheduledJob = {
  name: 'vote-closing-soon',
  cadence: 'frequent',
  run: (tx, now) => enqueueMany(tx, now, NotificationKind.VOTE_CLOSING_SOON, { sql: VOTE_CLOSING_SOON_SQL, params: [now] }),
};
