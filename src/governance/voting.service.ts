import { randomBytes, randomUUID } from 'node:crypto';
import { LockMode, UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { auditSnapshot } from '../audit/audit.service.js';
import { Account } from '../auth/account.entity.js';
import type { ServiceScope } from '../auth/domain-service.js';
import { BadUserInputError, NotFoundError, Refusal, UnauthenticatedError } from '../shared/errors.js';
import { runScript, type PositionalStatement } from '../shared/sql-script.js';
import { ballotBoxLock, closed, digest, lockBallotBox, notOpen } from './ballot-box.js';
import { GovernanceReason, refuse } from './governance.reasons.js';
import type { CastVoteInput, GrantProxyInput } from './governance.inputs.js';
import type { OpenedParties } from './opened-parties.js';
import { Elector, Participation, PartyVoteState, Proposal, ProposalParty, ProposalState, Proxy, ProxyState } from './proposal.entity.js';
import { VoteClosingService } from './vote-closing.service.js';
import { queueProxyReceived } from './vote-mail.js';
import { Secrecy } from './voting-rules.js';

export interface CastResult {
  /** Shown once: the voter's proof, to check with verifyReceipt. Only its SHA-256 is stored. */
  receipt: string;
  proposal: Proposal;
}

/** Why the cast script wrote nothing (decided in SQL, under the ballot box). */
type CastRefusal = 'NOT_OPEN' | 'CLOSED' | 'NOT_ELECTOR' | 'GAVE_PROXY';

/** Where the check stands in the cast script: after `begin` and the ballot box. */
const CHECK_STATEMENT = 2;

/** The row of the cast script's check: its outcome (`cast_…`) and the proposal's columns. */
type CastOutcomeRow = { cast_refusal: CastRefusal | null; cast_took: boolean; cast_party_state: PartyVoteState } & Record<string, unknown>;

interface PartyChoice {
  id: string;
  /** Null until voting opens. */
  secrecy: Secrecy | null;
}

/**
 * The voters' side of a vote: ballots (castVote's one-round-trip script) and proxies. Who may
 * vote is no role but the electorate snapshotted when the vote opened: the cast script's check
 * and the proxies' elector rows are the authorization. Closing, tallying and receipts are
 * VoteClosingService's, which this extends (so `voting.close` is the same service's).
 */
export class VotingService extends VoteClosingService {
  constructor(
    scope: ServiceScope,
    private readonly openedParties?: OpenedParties,
  ) {
    super(scope);
  }

  private viewerId(): string {
    // Signed in, and (unless trusted) with a verified email: voting is acting, not looking after oneself.
    this.requireSignedIn();
    if (!this.actor.accountId) throw new UnauthenticatedError();
    return this.actor.accountId;
  }

  /**
   * The party `accountId` votes in: the one named, or the only one, or else the only one whose
   * electorate holds them; with its secrecy once voting has opened. The parties of an opened
   * proposal come from memory (`OpenedParties`) when only one can be meant.
   */
  private async partyOf(em: EntityManager, proposalId: string, accountId: string, clusterId: string | undefined): Promise<PartyChoice> {
    const known = this.openedParties?.get(proposalId);
    const knownMatch = known?.filter((p) => !clusterId || p.clusterId === clusterId);
    if (knownMatch?.length === 1) return knownMatch[0];
    const parties = await em.execute<{ id: string; cluster_id: string; secrecy: Secrecy | null; holds_voter: boolean }[]>(
      `select pp.id, pp.cluster_id, pp.rules->>'secrecy' as secrecy,
              exists (select 1 from elector e where e.party_id = pp.id and e.voter_id = ?) as holds_voter
         from proposal_party pp
        where pp.proposal_id = ?
        order by pp.id`,
      [accountId, proposalId],
    );
    if (parties.every((p) => p.secrecy)) {
      this.openedParties?.remember(
        proposalId,
        parties.map((p) => ({ id: p.id, clusterId: p.cluster_id, secrecy: p.secrecy! })),
      );
    }
    const candidates = parties.filter((p) => !clusterId || p.cluster_id === clusterId);
    if (!candidates.length) throw clusterId ? new NotFoundError('Party of proposal', clusterId) : new NotFoundError('Proposal', proposalId);
    const mine = candidates.length === 1 ? candidates : candidates.filter((c) => c.holds_voter);
    if (mine.length > 1) throw BadUserInputError.field('input.clusterId', 'you vote in several parties’ bodies: say which');
    const party = mine[0] ?? candidates[0];
    return { id: party.id, secrecy: party.secrecy };
  }

  /** Refuses anything but an open vote before its closing time. */
  private assertOpen(party: ProposalParty): void {
    const proposal = party.proposal;
    if (party.state !== PartyVoteState.VOTING || proposal.state !== ProposalState.VOTING) throw notOpen(party.state, proposal.state);
    if (!proposal.closesAt || this.clock() >= proposal.closesAt) throw closed();
  }

  /**
   * One ballot for the viewer, or for a principal with the proxy they gave the viewer. The ballot
   * box (an advisory lock on the party) is held shared while the ballot is written: a close,
   * which holds it exclusively, waits for ballots in flight, later ballots wait behind the close,
   * and none is accepted after it. One ballot per voter is the database's unique (party, voter)
   * participation.
   *
   * The hot path of a vote: after the party is found, the whole transaction goes to PostgreSQL
   * as one script (`runScript`, one round trip): the box, then one statement that checks
   * everything under it (after the lock, so a close that committed while we waited is seen),
   * uses the proxy and records the participation only if nothing is refused, the ballot in a
   * subtransaction of its own, the audit entry, the commit — each write conditioned on the
   * participation having been written. The refusal, if any, is read from the rows afterwards.
   */
  async cast(input: CastVoteInput): Promise<CastResult> {
    const viewer = this.viewerId();
    const voter = input.onBehalfOf ?? viewer;
    if (input.onBehalfOf === viewer) throw BadUserInputError.field('input.onBehalfOf', 'is yourself');
    const party = await this.partyOf(this.em, input.proposalId, voter, input.clusterId);
    // The rules are copied onto the party when its voting opens (the script refuses a vote that
    // is not open); one opening meanwhile is taken as secret here, so its trail never tells a choice.
    const secret = party.secrecy !== Secrecy.NAMED;
    const now = this.clock();
    const participationId = randomUUID();
    const receipt = randomBytes(24).toString('base64url');
    const onBehalf = Boolean(input.onBehalfOf);
    const participated: PositionalStatement = { sql: 'exists (select 1 from participation where id = ?)', params: [participationId] };

    // Under the box: the checks, the proxy used and the participation written only if nothing is
    // refused; its row says what happened, and carries the proposal (a ballot does not change it).
    const check = {
      sql: `with facts as (
                  select p.state as party_state, pr.state as proposal_state, pr.closes_at, e.id is not null as is_elector,
                         exists (select 1 from proxy x where x.party_id = p.id and x.principal_id = :voter and x.state = 'ACTIVE') as gave_proxy
                    from proposal_party p join proposal pr on pr.id = p.proposal_id
                    left join elector e on e.party_id = p.id and e.voter_id = :voter
                   where p.id = :party),
                verdict as (
                  select case when party_state <> 'VOTING' or proposal_state <> 'VOTING' then 'NOT_OPEN'
                              when closes_at is null or closes_at <= :now then 'CLOSED'
                              when not is_elector then 'NOT_ELECTOR'
                              when not :onBehalf and gave_proxy then 'GAVE_PROXY'
                         end as refusal
                    from facts),
                proxy_used as (
                  update proxy set state = 'USED', used_at = :now, updated_at = :now
                   where :onBehalf and party_id = :party and principal_id = :voter and holder_id = :viewer and state = 'ACTIVE'
                     and (select refusal from verdict) is null
                  returning id),
                took as (
                  insert into participation (id, created_at, updated_at, party_id, voter_id, cast_by_id)
                  select :participation, :now, :now, :party, :voter, :viewer
                   where (select refusal from verdict) is null and (not :onBehalf or exists (select 1 from proxy_used))
                  returning id)
                select verdict.refusal as cast_refusal, exists (select 1 from took) as cast_took, facts.party_state as cast_party_state, pr.*
                  from facts, verdict, proposal pr
                 where pr.id = :proposal`,
      params: { voter, viewer, party: party.id, now, onBehalf, participation: participationId, proposal: input.proposalId },
    };
    let rows: Record<string, unknown>[][];
    try {
      rows = await runScript(this.em, [
        { sql: 'begin' },
        ballotBoxLock(party.id, 'shared'),
        check,
        // The ballot in a subtransaction of its own, so it does not even share a transaction id
        // with the participation; no voter when secret. The close seals the box (new keys, random order).
        { sql: 'savepoint ballot' },
        {
          sql: `insert into ballot (id, party_id, choice, college_id, weight, receipt_digest, voter_id)
                select gen_random_uuid(), e.party_id, ?::ballot_choice, e.college_id, e.weight, ?,
                       case when p.rules->>'secrecy' = 'SECRET' then null else e.voter_id end
                  from elector e join proposal_party p on p.id = e.party_id
                 where e.party_id = ? and e.voter_id = ? and ${participated.sql}`,
          params: [input.choice, digest(receipt), party.id, voter, participationId],
        },
        { sql: 'release savepoint ballot' },
        // A secret vote's trail says that the voter took part, never how.
        ...this.audit.appendStatements(
          this.actor,
          {
            action: 'vote.cast',
            entityType: 'Participation',
            entityId: participationId,
            after: { party: party.id, voter, castBy: viewer, ...(secret ? {} : { choice: input.choice }) },
          },
          participated,
        ),
        { sql: 'commit' },
      ]);
    } catch (error) {
      if (error instanceof UniqueConstraintViolationException) {
        throw refuse(GovernanceReason.BALLOT_FINAL, 'This voter has already voted on this proposal: a ballot is final.');
      }
      throw error;
    }
    const {
      cast_refusal: refusal,
      cast_took: took,
      cast_party_state: partyState,
      ...proposal
    } = rows[CHECK_STATEMENT][0] as CastOutcomeRow;
    if (took) return { receipt, proposal: this.em.map(Proposal, proposal) };
    // Off the hot path: a vote refused as past its closing time is closed now, as the system.
    if (refusal === 'CLOSED') await this.asSystem().closeIfDue(input.proposalId);
    throw this.castRefused(refusal, partyState, proposal.state as ProposalState, onBehalf);
  }

  /** The refusal for a ballot the script did not record, from the reason its check gave. */
  private castRefused(refusal: CastRefusal | null, partyState: PartyVoteState, proposalState: ProposalState, onBehalf: boolean): Refusal {
    switch (refusal) {
      case 'NOT_OPEN':
        return notOpen(partyState, proposalState);
      case 'CLOSED':
        return closed();
      case 'NOT_ELECTOR':
        return refuse(
          GovernanceReason.NOT_IN_ELECTORATE,
          onBehalf ? 'Your principal is not in this vote’s electorate.' : 'You are not in this vote’s electorate.',
        );
      case 'GAVE_PROXY':
        return refuse(GovernanceReason.PROXY_STANDING, 'You gave a standing proxy for this vote: revoke it to vote yourself.');
      case null:
        // Nothing refused, nothing written: only a proxy that was not (or no longer) standing.
        return refuse(GovernanceReason.PROXY_NOT_HELD, 'You hold no standing proxy from this voter.');
    }
  }

  /**
   * Gives the viewer's vote to another voter of the same party's electorate (of the same collège
   * if the statutes say so), at most `proxyLimit` per holder, while the vote is open. The viewer's
   * elector row is the authorization. The holder is mailed (PROXY_RECEIVED).
   */
  async grantProxy(input: GrantProxyInput): Promise<Proxy> {
    const principal = this.viewerId();
    if (input.holderAccountId === principal) throw BadUserInputError.field('input.holderAccountId', 'is yourself');
    try {
      return await this.em.transactional(async (tx) => {
        // The ballot box exclusively: proxy counts per holder are checked and written one at a
        // time, and no ballot (the principal's own) is written meanwhile.
        const { id: partyId } = await this.partyOf(tx, input.proposalId, principal, input.clusterId);
        await lockBallotBox(tx, partyId, 'exclusive');
        const party = await tx.findOneOrFail(ProposalParty, { id: partyId }, { populate: ['proposal'], refresh: true });
        this.assertOpen(party);
        const rules = party.rules!;
        if (rules.proxyLimit === 0) throw refuse(GovernanceReason.PROXIES_NOT_ALLOWED, 'The statutes of this body allow no proxies.');
        const mine = await tx.findOne(Elector, { party, voter: principal });
        if (!mine) throw refuse(GovernanceReason.NOT_IN_ELECTORATE, 'You are not in this vote’s electorate.');
        const holder = await tx.findOne(Elector, { party, voter: input.holderAccountId });
        if (!holder) throw BadUserInputError.field('input.holderAccountId', 'is not a voter of this body');
        if (rules.proxySameCollege && holder.college?.id !== mine.college?.id)
          throw BadUserInputError.field('input.holderAccountId', 'is not of your collège, as the statutes require');
        if (await tx.count(Participation, { party, voter: principal }))
          throw refuse(GovernanceReason.BALLOT_FINAL, 'You have already voted: a ballot is final.');
        const held = await tx.count(Proxy, { party, holder: input.holderAccountId, state: { $ne: ProxyState.REVOKED } });
        if (held >= rules.proxyLimit)
          throw refuse(GovernanceReason.PROXY_LIMIT_REACHED, `This voter already holds ${held} proxy(ies), the most the statutes allow.`);
        const proxy = tx.create(Proxy, {
          party,
          principal: tx.getReference(Account, principal),
          holder: tx.getReference(Account, input.holderAccountId),
        });
        await tx.flush();
        // In this transaction: a refused or failed proxy mails nobody.
        await queueProxyReceived(tx, this.clock(), proxy.id);
        await this.recordChange(tx, 'proxy.grant', proxy);
        return proxy;
      });
    } catch (error) {
      if (error instanceof UniqueConstraintViolationException)
        throw refuse(GovernanceReason.PROXY_STANDING, 'You already gave a standing proxy for this vote.');
      await this.closeIfRefusedAsClosed(error, input.proposalId);
      throw error;
    }
  }

  /** Revokes a standing proxy the viewer gave (the principal only), while the vote is open. */
  async revokeProxy(proxyId: string): Promise<Proxy> {
    const principal = this.viewerId();
    const touched: { proposalId?: string } = {};
    try {
      return await this.em.transactional(async (tx) => {
        const proxy = await tx.findOne(
          Proxy,
          { id: proxyId },
          { lockMode: LockMode.PESSIMISTIC_WRITE, populate: ['party', 'party.proposal'] },
        );
        if (!proxy) throw new NotFoundError('Proxy', proxyId);
        if (proxy.principal.id !== principal) throw refuse(GovernanceReason.PROXY_PRINCIPAL_ONLY, 'Only the principal revokes a proxy.');
        touched.proposalId = proxy.party.proposal.id;
        if (proxy.state !== ProxyState.ACTIVE) {
          throw refuse(GovernanceReason.PROXY_NOT_STANDING, `This proxy is ${proxy.state}: only a standing proxy is revoked.`, {
            currentState: proxy.state,
          });
        }
        this.assertOpen(proxy.party);
        const before = auditSnapshot(proxy);
        proxy.state = ProxyState.REVOKED;
        proxy.revokedAt = this.clock();
        await tx.flush();
        await this.recordChange(tx, 'proxy.revoke', proxy, before);
        return proxy;
      });
    } catch (error) {
      if (touched.proposalId) await this.closeIfRefusedAsClosed(error, touched.proposalId);
      throw error;
    }
  }

  /** After a refusal because the vote's closing time has passed: the vote is closed now, as the system. */
  private async closeIfRefusedAsClosed(error: unknown, proposalId: string): Promise<void> {
    if (error instanceof Refusal && error.reason === String(GovernanceReason.VOTE_CLOSED)) await this.asSystem().closeIfDue(proposalId);
  }
}
