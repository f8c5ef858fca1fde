import { DomainService, type ServiceScope } from '../auth/domain-service.js';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { LockMode, UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { auditSnapshot } from '../audit/audit.service.js';
import { Account } from '../auth/account.entity.js';
import { runScript, type PositionalStatement } from '../shared/sql-script.js';
import { BadUserInputError, ConflictError, ForbiddenError, NotFoundError, UnauthenticatedError } from '../shared/errors.js';
import type { CastVoteInput, CloseVotingInput, GrantProxyInput } from './governance.inputs.js';
import {
  Ballot,
  Choice,
  Elector,
  Participation,
  PartyVoteState,
  Proposal,
  ProposalParty,
  ProposalState,
  Proxy,
  ProxyState,
} from './proposal.entity.js';
import type { OpenedParties } from './opened-parties.js';
import { storeTally } from './tally-record.js';
import { tally, type CollegeCount } from './tally.js';
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

export interface PublishedBallot {
  receiptDigest: string;
  choice: Choice;
  collegeId: string | null;
  weight: number;
}

export interface ReceiptCheck {
  found: boolean;
  proposalId: string | null;
  clusterId: string | null;
  choice: Choice | null;
  collegeId: string | null;
  weight: number | null;
  /** True once the party's vote is closed: the ballot is in the published, counted list. */
  counted: boolean;
}

export const digest = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * The ballot box of a party: ballots hold it shared, the close exclusively. A transaction-level
 * advisory lock, because PostgreSQL queues those fairly — once a close waits, later ballots wait
 * behind it and find the vote closed — where row share locks would let ballots overtake it.
 */
function ballotBoxLock(partyId: string, mode: 'shared' | 'exclusive'): PositionalStatement {
  const fn = mode === 'shared' ? 'pg_advisory_xact_lock_shared' : 'pg_advisory_xact_lock';
  return { sql: `select ${fn}(hashtextextended(?, 7262018))`, params: [`ballot-box:${partyId}`] };
}

async function lockBallotBox(tx: EntityManager, partyId: string, mode: 'shared' | 'exclusive'): Promise<void> {
  const lock = ballotBoxLock(partyId, mode);
  await tx.execute(lock.sql, [...lock.params]);
}

/** A vote (of one party) that is not, or no longer, open — with the state it is in. */
function notOpen(partyState: PartyVoteState, proposalState: ProposalState): ConflictError {
  return new ConflictError(`Voting on this proposal is not open (${partyState === PartyVoteState.VOTING ? proposalState : partyState}).`, {
    currentState: proposalState,
  });
}

/** A vote whose closing time has come. */
const closed = () => new ConflictError('Voting on this proposal has closed.', { currentState: 'CLOSED' });

/** The canonical published list a digest covers: one line per ballot, by receipt digest. */
export function ballotListText(ballots: readonly PublishedBallot[]): string {
  return [...ballots]
    .sort((a, b) => a.receiptDigest.localeCompare(b.receiptDigest))
    .map((b) => `${b.receiptDigest},${b.choice},${b.collegeId ?? ''},${b.weight}\n`)
    .join('');
}

/** Ballots, proxies, closing and tallying, receipts. */
export class VotingService extends DomainService {
  constructor(
    scope: ServiceScope,
    private readonly openedParties?: OpenedParties,
  ) {
    super(scope);
  }

  private viewerId(): string {
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
        throw new ConflictError('This voter has already voted on this proposal: a ballot is final.');
      }
      throw error;
    }
    const {
      cast_refusal: refusal,
      cast_took: took,
      cast_party_state: partyState,
      ...proposal
    } = rows[CHECK_STATEMENT][0] as CastOutcomeRow;
    if (!took) throw this.castRefused(refusal, partyState, proposal.state as ProposalState, onBehalf);
    return { receipt, proposal: this.em.map(Proposal, proposal) };
  }

  /** The error for a ballot the script did not record, from the reason its check gave. */
  private castRefused(refusal: CastRefusal | null, partyState: PartyVoteState, proposalState: ProposalState, onBehalf: boolean): Error {
    switch (refusal) {
      case 'NOT_OPEN':
        return notOpen(partyState, proposalState);
      case 'CLOSED':
        return closed();
      case 'NOT_ELECTOR':
        return new ForbiddenError(onBehalf ? 'Your principal is not in this vote’s electorate.' : 'You are not in this vote’s electorate.');
      case 'GAVE_PROXY':
        return new ConflictError('You gave a standing proxy for this vote: revoke it to vote yourself.');
      case null:
        // Nothing refused, nothing written: only a proxy that was not (or no longer) standing.
        return new ForbiddenError('You hold no standing proxy from this voter.');
    }
  }

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
        if (rules.proxyLimit === 0) throw new ConflictError('The statutes of this body allow no proxies.');
        const mine = await tx.findOne(Elector, { party, voter: principal });
        if (!mine) throw new ForbiddenError('You are not in this vote’s electorate.');
        const holder = await tx.findOne(Elector, { party, voter: input.holderAccountId });
        if (!holder) throw BadUserInputError.field('input.holderAccountId', 'is not a voter of this body');
        if (rules.proxySameCollege && holder.college?.id !== mine.college?.id)
          throw BadUserInputError.field('input.holderAccountId', 'is not of your collège, as the statutes require');
        if (await tx.count(Participation, { party, voter: principal })) throw new ConflictError('You have already voted.');
        const held = await tx.count(Proxy, { party, holder: input.holderAccountId, state: { $ne: ProxyState.REVOKED } });
        if (held >= rules.proxyLimit) throw new ConflictError(`This voter already holds ${held} proxy(ies), the most the statutes allow.`);
        const proxy = tx.create(Proxy, {
          party,
          principal: tx.getReference(Account, principal),
          holder: tx.getReference(Account, input.holderAccountId),
        });
        await tx.flush();
        await this.audit.record(tx, this.actor, {
          action: 'proxy.grant',
          entityType: 'Proxy',
          entityId: proxy.id,
          after: auditSnapshot(proxy),
        });
        return proxy;
      });
    } catch (error) {
      if (error instanceof UniqueConstraintViolationException) throw new ConflictError('You already gave a standing proxy for this vote.');
      throw error;
    }
  }

  async revokeProxy(proxyId: string): Promise<Proxy> {
    const principal = this.viewerId();
    return this.em.transactional(async (tx) => {
      const proxy = await tx.findOne(
        Proxy,
        { id: proxyId },
        { lockMode: LockMode.PESSIMISTIC_WRITE, populate: ['party', 'party.proposal'] },
      );
      if (!proxy) throw new NotFoundError('Proxy', proxyId);
      if (proxy.principal.id !== principal) throw new ForbiddenError('Only the principal revokes a proxy.');
      if (proxy.state !== ProxyState.ACTIVE)
        throw new ConflictError(`This proxy is ${proxy.state}: only a standing proxy is revoked.`, { currentState: proxy.state });
      this.assertOpen(proxy.party);
      const before = auditSnapshot(proxy);
      proxy.state = ProxyState.REVOKED;
      proxy.revokedAt = this.clock();
      await tx.flush();
      await this.audit.record(tx, this.actor, {
        action: 'proxy.revoke',
        entityType: 'Proxy',
        entityId: proxy.id,
        before,
        after: auditSnapshot(proxy),
      });
      return proxy;
    });
  }

  /** Which party a close targets: the one named, or the only one. */
  async partyToClose(input: CloseVotingInput): Promise<ProposalParty> {
    const parties = await this.em.find(ProposalParty, {
      proposal: input.proposalId,
      ...(input.clusterId ? { cluster: input.clusterId } : {}),
    });
    if (!parties.length)
      throw input.clusterId ? new NotFoundError('Party of proposal', input.clusterId) : new NotFoundError('Proposal', input.proposalId);
    if (parties.length > 1) throw BadUserInputError.field('input.clusterId', 'this proposal has several parties: say whose vote to close');
    return parties[0];
  }

  /** Closes one party's vote now (its body's administrator). */
  async close(partyId: string): Promise<Proposal> {
    return this.em.transactional(async (tx) => {
      await lockBallotBox(tx, partyId, 'exclusive');
      const party = await tx.findOneOrFail(
        ProposalParty,
        { id: partyId },
        { lockMode: LockMode.PESSIMISTIC_WRITE, populate: ['proposal'] },
      );
      if (party.state !== PartyVoteState.VOTING)
        throw new ConflictError(`This vote is ${party.state}, not open.`, { currentState: party.proposal.state });
      await this.closeLocked(tx, party);
      return party.proposal;
    });
  }

  /** Closes the open votes of a proposal whose closing time has passed (as the system): reads call it. */
  async closeIfDue(proposalId: string): Promise<void> {
    const proposal = await this.em.findOne(Proposal, { id: proposalId });
    if (!proposal || proposal.state !== ProposalState.VOTING || !proposal.closesAt || this.clock() < proposal.closesAt) return;
    await this.em.transactional(async (tx) => {
      const parties = await tx.find(ProposalParty, { proposal: proposalId, state: PartyVoteState.VOTING }, { orderBy: { id: 'asc' } });
      for (const { id } of parties) {
        await lockBallotBox(tx, id, 'exclusive');
        const party = await tx.findOneOrFail(ProposalParty, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
        if (party.state === PartyVoteState.VOTING) await this.closeLocked(tx, party);
      }
    });
  }

  /**
   * Tallies in SQL (per collège: electorate from the snapshot, FOR / AGAINST / ABSTAIN from the
   * ballots), applies the rules, stores the tally and the digest of the published ballot list,
   * and seals a SECRET box by rewriting its ballots in random order. When every party has
   * closed, the proposal is ADOPTED if every party adopted it, else REJECTED.
   */
  private async closeLocked(tx: EntityManager, party: ProposalParty): Promise<void> {
    const proposal = await tx.findOneOrFail(Proposal, { id: party.proposal.id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    const rules = party.rules!;
    const rows = await tx.execute<{ college_id: string | null; electorate: number; for: number; against: number; abstain: number }[]>(
      `select college_id, sum(elector)::int as electorate, sum(voted_for)::int as for, sum(voted_against)::int as against,
              sum(abstained)::int as abstain
         from (select college_id, 1 as elector, 0 as voted_for, 0 as voted_against, 0 as abstained from elector where party_id = ?
               union all
               select college_id, 0, (choice = 'FOR')::int, (choice = 'AGAINST')::int, (choice = 'ABSTAIN')::int from ballot where party_id = ?) counts
        group by college_id
        order by college_id nulls last`,
      [party.id, party.id],
    );
    const counts: CollegeCount[] = rows.map((r) => ({
      collegeId: r.college_id,
      electorate: r.electorate,
      for: r.for,
      against: r.against,
      abstain: r.abstain,
    }));
    const result = tally(rules, counts);
    if (rules.secrecy === Secrecy.SECRET) {
      // Seal the box: new keys and a random physical order, written by the closing transaction.
      await tx.execute(`create temporary table sealed_ballot on commit drop as select * from ballot where party_id = ? order by random()`, [
        party.id,
      ]);
      await tx.execute(`delete from ballot where party_id = ?`, [party.id]);
      await tx.execute(`insert into ballot (id, party_id, choice, college_id, weight, receipt_digest, voter_id)
                        select gen_random_uuid(), party_id, choice, college_id, weight, receipt_digest, voter_id from sealed_ballot`);
    }
    const published = await this.publishedBallots(party.id, tx);
    const before = auditSnapshot(party);
    party.tally = storeTally(result);
    party.adopted = result.adopted;
    party.state = PartyVoteState.CLOSED;
    party.closedAt = this.clock();
    party.ballotsDigest = digest(ballotListText(published));
    await tx.flush();
    await this.audit.record(tx, this.actor, {
      action: 'vote.close',
      entityType: 'ProposalParty',
      entityId: party.id,
      before,
      after: auditSnapshot(party),
    });
    const open = await tx.count(ProposalParty, { proposal, state: { $ne: PartyVoteState.CLOSED } });
    if (open === 0) {
      const parties = await tx.find(ProposalParty, { proposal });
      const proposalBefore = auditSnapshot(proposal);
      proposal.closedAt = this.clock();
      proposal.state = parties.every((p) => p.adopted) ? ProposalState.ADOPTED : ProposalState.REJECTED;
      await tx.flush();
      await this.audit.record(tx, this.actor, {
        action: 'proposal.close',
        entityType: 'Proposal',
        entityId: proposal.id,
        before: proposalBefore,
        after: auditSnapshot(proposal),
      });
    }
  }

  /** The counted ballots of a closed party, as published: receipt digest, choice, collège, weight. */
  async publishedBallots(partyId: string, em: EntityManager = this.em): Promise<PublishedBallot[]> {
    const rows = await em.execute<{ receipt_digest: string; choice: Choice; college_id: string | null; weight: number }[]>(
      `select receipt_digest, choice, college_id, weight from ballot where party_id = ? order by receipt_digest`,
      [partyId],
    );
    return rows.map((r) => ({ receiptDigest: r.receipt_digest, choice: r.choice, collegeId: r.college_id, weight: r.weight }));
  }

  /** What a receipt's holder may learn: whether the ballot is there, how it counts, and whether it was counted. */
  async verifyReceipt(receipt: string): Promise<ReceiptCheck> {
    const ballot = await this.em.findOne(Ballot, { receiptDigest: digest(receipt) }, { populate: ['party'] });
    if (!ballot) return { found: false, proposalId: null, clusterId: null, choice: null, collegeId: null, weight: null, counted: false };
    return {
      found: true,
      proposalId: ballot.party.proposal.id,
      clusterId: ballot.party.cluster.id,
      choice: ballot.choice,
      collegeId: ballot.college?.id ?? null,
      weight: ballot.weight,
      counted: ballot.party.state === PartyVoteState.CLOSED,
    };
  }
}
