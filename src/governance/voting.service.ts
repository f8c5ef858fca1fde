import { createHash, randomBytes } from 'node:crypto';
import { LockMode, UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { auditSnapshot, type Actor, type AuditService } from '../audit/audit.service.js';
import { Account } from '../auth/account.entity.js';
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
import { storeTally } from './tally-record.js';
import { tally, type CollegeCount } from './tally.js';
import { Secrecy } from './voting-rules.js';

export interface CastResult {
  /** Shown once: the voter's proof, to check with verifyReceipt. Only its SHA-256 is stored. */
  receipt: string;
  proposal: Proposal;
}

interface CastCheckRow {
  party_state: PartyVoteState;
  proposal_id: string;
  proposal_state: ProposalState;
  closes_at: Date | string | null;
  secrecy: Secrecy;
  college_id: string | null;
  weight: number | null;
  is_elector: boolean;
  gave_proxy: boolean;
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
async function lockBallotBox(tx: EntityManager, partyId: string, mode: 'shared' | 'exclusive'): Promise<void> {
  const fn = mode === 'shared' ? 'pg_advisory_xact_lock_shared' : 'pg_advisory_xact_lock';
  await tx.execute(`select ${fn}(hashtextextended(?, 7262018))`, [`ballot-box:${partyId}`]);
}

/** The canonical published list a digest covers: one line per ballot, by receipt digest. */
export function ballotListText(ballots: readonly PublishedBallot[]): string {
  return [...ballots]
    .sort((a, b) => a.receiptDigest.localeCompare(b.receiptDigest))
    .map((b) => `${b.receiptDigest},${b.choice},${b.collegeId ?? ''},${b.weight}\n`)
    .join('');
}

/** Ballots, proxies, closing and tallying, receipts. */
export class VotingService {
  constructor(
    private readonly em: EntityManager,
    private readonly actor: Actor,
    private readonly audit: AuditService,
    private readonly clock: () => Date,
  ) {}

  private viewerId(): string {
    if (!this.actor.accountId) throw new UnauthenticatedError();
    return this.actor.accountId;
  }

  /** The party `accountId` votes in: the one named, or the only one whose electorate holds them. */
  /** The party `accountId` votes in: the one named, or the only one whose electorate holds them. */
  private async partyIdOf(tx: EntityManager, proposalId: string, accountId: string, clusterId: string | undefined): Promise<string> {
    const candidates = await tx.find(
      ProposalParty,
      { proposal: proposalId, ...(clusterId ? { cluster: clusterId } : {}) },
      { orderBy: { id: 'asc' } },
    );
    if (!candidates.length) throw clusterId ? new NotFoundError('Party of proposal', clusterId) : new NotFoundError('Proposal', proposalId);
    if (clusterId || candidates.length === 1) return candidates[0].id;
    const mine = await tx.find(Elector, { party: { $in: candidates.map((c) => c.id) }, voter: accountId });
    if (mine.length > 1) throw BadUserInputError.field('input.clusterId', 'you vote in several parties’ bodies: say which');
    return mine.length === 1 ? mine[0].party.id : candidates[0].id;
  }

  /** Refuses anything but an open vote before its closing time. */
  private assertOpen(party: ProposalParty): void {
    const proposal = party.proposal;
    if (party.state !== PartyVoteState.VOTING || proposal.state !== ProposalState.VOTING) {
      throw new ConflictError(
        `Voting on this proposal is not open (${party.state === PartyVoteState.VOTING ? proposal.state : party.state}).`,
        {
          currentState: proposal.state,
        },
      );
    }
    if (!proposal.closesAt || this.clock() >= proposal.closesAt)
      throw new ConflictError('Voting on this proposal has closed.', { currentState: 'CLOSED' });
  }

  /**
   * One ballot for the viewer, or for a principal with the proxy they gave the viewer. The ballot
   * box (an advisory lock on the party) is held shared while the ballot is written: a close,
   * which holds it exclusively, waits for ballots in flight, later ballots wait behind the close,
   * and none is accepted after it. One ballot per voter is the database's unique (party, voter)
   * participation.
   */
  async cast(input: CastVoteInput): Promise<CastResult> {
    const viewer = this.viewerId();
    const voter = input.onBehalfOf ?? viewer;
    if (input.onBehalfOf === viewer) throw BadUserInputError.field('input.onBehalfOf', 'is yourself');
    let result: { proposalId: string; receipt: string };
    // The hot path of a vote, in plain statements (no entity hydration): the party, the lock on
    // its ballot box, one read of everything the checks need, the writes, the audit entry.
    try {
      result = await this.em.transactional(async (tx) => {
        const partyId = await this.partyIdOf(tx, input.proposalId, voter, input.clusterId);
        await lockBallotBox(tx, partyId, 'shared');
        // Read after the lock: a close that committed while we waited is seen.
        const [state] = await tx.execute<CastCheckRow[]>(
          `select p.state as party_state, pr.id as proposal_id, pr.state as proposal_state, pr.closes_at, p.rules->>'secrecy' as secrecy,
                  e.college_id, e.weight, e.id is not null as is_elector,
                  exists (select 1 from proxy x where x.party_id = p.id and x.principal_id = ? and x.state = 'ACTIVE') as gave_proxy
             from proposal_party p join proposal pr on pr.id = p.proposal_id
             left join elector e on e.party_id = p.id and e.voter_id = ?
            where p.id = ?`,
          [voter, voter, partyId],
        );
        if (state.party_state !== PartyVoteState.VOTING || state.proposal_state !== ProposalState.VOTING) {
          throw new ConflictError(
            `Voting on this proposal is not open (${state.party_state === PartyVoteState.VOTING ? state.proposal_state : state.party_state}).`,
            { currentState: state.proposal_state },
          );
        }
        if (!state.closes_at || this.clock() >= new Date(state.closes_at)) {
          throw new ConflictError('Voting on this proposal has closed.', { currentState: 'CLOSED' });
        }
        if (!state.is_elector) {
          throw new ForbiddenError(
            input.onBehalfOf ? 'Your principal is not in this vote’s electorate.' : 'You are not in this vote’s electorate.',
          );
        }
        const now = this.clock();
        if (input.onBehalfOf) {
          const used = await tx.execute<{ id: string }[]>(
            `update proxy set state = 'USED', used_at = ?, updated_at = ?
              where party_id = ? and principal_id = ? and holder_id = ? and state = 'ACTIVE' returning id`,
            [now, now, partyId, voter, viewer],
          );
          if (!used.length) throw new ForbiddenError('You hold no standing proxy from this voter.');
        } else if (state.gave_proxy) {
          throw new ConflictError('You gave a standing proxy for this vote: revoke it to vote yourself.');
        }
        const secret = state.secrecy === Secrecy.SECRET;
        const receipt = randomBytes(24).toString('base64url');
        const [participation] = await tx.execute<{ id: string }[]>(
          `insert into participation (id, created_at, updated_at, party_id, voter_id, cast_by_id)
           values (gen_random_uuid(), ?, ?, ?, ?, ?) returning id`,
          [now, now, partyId, voter, viewer],
        );
        const ballot = [partyId, input.choice, state.college_id, state.weight, digest(receipt), secret ? null : voter];
        const insertBallot =
          'insert into ballot (id, party_id, choice, college_id, weight, receipt_digest, voter_id) values (gen_random_uuid(), ?, ?, ?, ?, ?, ?)';
        if (secret) {
          // The ballot in a subtransaction of its own, so it does not even share a transaction id
          // with the participation. The close seals the box (new keys, random order).
          await tx.execute('savepoint secret_ballot');
          await tx.execute(insertBallot, ballot);
          await tx.execute('release savepoint secret_ballot');
        } else {
          await tx.execute(insertBallot, ballot);
        }
        // A secret vote's trail says that the voter took part, never how.
        await this.audit.record(tx, this.actor, {
          action: 'vote.cast',
          entityType: 'Participation',
          entityId: participation.id,
          after: { party: partyId, voter, castBy: viewer, ...(secret ? {} : { choice: input.choice }) },
        });
        return { proposalId: state.proposal_id, receipt };
      });
    } catch (error) {
      if (error instanceof UniqueConstraintViolationException) {
        throw new ConflictError('This voter has already voted on this proposal: a ballot is final.');
      }
      throw error;
    }
    return { receipt: result.receipt, proposal: await this.em.findOneOrFail(Proposal, { id: result.proposalId }) };
  }

  async grantProxy(input: GrantProxyInput): Promise<Proxy> {
    const principal = this.viewerId();
    if (input.holderAccountId === principal) throw BadUserInputError.field('input.holderAccountId', 'is yourself');
    try {
      return await this.em.transactional(async (tx) => {
        // The ballot box exclusively: proxy counts per holder are checked and written one at a
        // time, and no ballot (the principal's own) is written meanwhile.
        const partyId = await this.partyIdOf(tx, input.proposalId, principal, input.clusterId);
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
