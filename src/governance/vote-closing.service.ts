import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { auditSnapshot, SYSTEM_ACTOR } from '../audit/audit.service.js';
import { DomainService, type ServiceScope } from '../auth/domain-service.js';
import { Action, clusterScope } from '../auth/permissions.js';
import { Cluster } from '../membership/cluster.entity.js';
import { BadUserInputError, NotFoundError } from '../shared/errors.js';
import { ballotListText, digest, lockBallotBox, notOpen, publishedBallotsOf, type PublishedBallot } from './ballot-box.js';
import type { CloseVotingInput } from './governance.inputs.js';
import { Ballot, PartyVoteState, Proposal, ProposalParty, ProposalState, type Choice } from './proposal.entity.js';
import { storeTally } from './tally-record.js';
import { tally, type CollegeCount } from './tally.js';
import { Secrecy } from './voting-rules.js';

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

/**
 * Thrown inside a write's transaction, after its authorization, when it finds the vote past its
 * closing time: nothing is written; `afterClosingDueVote` closes the vote, then writes again.
 */
export class VoteDue extends Error {
  constructor() {
    super('The vote is past its closing time: closed first.');
  }
}

/**
 * Runs `write`; if it throws VoteDue (its vote is past its closing time), closes that vote as the
 * system and runs `write` once more, on the closed vote (which then decides what it may do).
 */
export async function afterClosingDueVote<T>(closing: VoteClosingService, proposalId: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (!(error instanceof VoteDue)) throw error;
  }
  await closing.closeIfDue(proposalId);
  return write();
}

const NO_RECEIPT: ReceiptCheck = {
  found: false,
  proposalId: null,
  clusterId: null,
  choice: null,
  collegeId: null,
  weight: null,
  counted: false,
};

/**
 * Closing votes and what follows: the tally (in SQL, under the ballot box held exclusively), the
 * sealing of a secret box, the published ballot list and its digest, the proposal's outcome once
 * every party has closed — whether its administrator closes it or its closing time has come
 * (`closeIfDue`, which every path touching a vote calls, as the system) — and receipts.
 * VotingService (the voters' side: ballots, proxies) extends it.
 */
export class VoteClosingService extends DomainService {
  constructor(scope: ServiceScope) {
    super(scope);
  }

  /** The service acting as the system in `scope`: closing a vote whose time has come is nobody's decision. */
  static system(scope: ServiceScope): VoteClosingService {
    return new VoteClosingService({ ...scope, actor: SYSTEM_ACTOR, trusted: true });
  }

  /** This service's scope, acting as the system. */
  protected asSystem(): VoteClosingService {
    return VoteClosingService.system(this.scope);
  }

  /** Closes the vote `input` names (the party named, or the only one) now: its cluster's administrators. */
  async closeVoting(input: CloseVotingInput): Promise<Proposal> {
    this.requireSignedIn();
    const parties = await this.em.find(ProposalParty, {
      proposal: input.proposalId,
      ...(input.clusterId ? { cluster: input.clusterId } : {}),
    });
    if (!parties.length)
      throw input.clusterId ? new NotFoundError('Party of proposal', input.clusterId) : new NotFoundError('Proposal', input.proposalId);
    if (parties.length > 1) throw BadUserInputError.field('input.clusterId', 'this proposal has several parties: say whose vote to close');
    return this.close(parties[0].id);
  }

  /** Closes one party's vote now, under its ballot box: its cluster's administrators (ManageVoting). */
  async close(partyId: string): Promise<Proposal> {
    return this.em.transactional(async (tx) => {
      await lockBallotBox(tx, partyId, 'exclusive');
      const party = await tx.findOne(ProposalParty, { id: partyId }, { lockMode: LockMode.PESSIMISTIC_WRITE, populate: ['proposal'] });
      if (!party) throw new NotFoundError('Party of proposal', partyId);
      const cluster = await tx.findOneOrFail(Cluster, { id: party.cluster.id });
      this.authorize(Action.ManageVoting, clusterScope(cluster.id, cluster.name));
      if (party.state !== PartyVoteState.VOTING) throw notOpen(party.state, party.proposal.state);
      await this.closeLocked(tx, party);
      return party.proposal;
    });
  }

  /**
   * Closes the open votes of a proposal whose closing time has passed: every path that touches a
   * vote calls it (reads, the list, castVote and proxies refused as closed, execution, minutes).
   * Returns whether it was due: closed now, by this call or a concurrent one (the caller's copy of
   * the proposal is then stale).
   */
  async closeIfDue(proposalId: string): Promise<boolean> {
    const proposal = await this.em.findOne(Proposal, { id: proposalId });
    if (!proposal || !this.isDue(proposal)) return false;
    await this.closeDue(proposalId);
    return true;
  }

  /** Whether a proposal's vote is open past its closing time (it is closed at the next touch). */
  isDue(proposal: Proposal): boolean {
    return proposal.state === ProposalState.VOTING && Boolean(proposal.closesAt) && this.clock() >= proposal.closesAt!;
  }

  /** Closes, each under its ballot box, the parties still voting (a concurrent close may have come first). */
  private async closeDue(proposalId: string): Promise<void> {
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
    await this.recordChange(tx, 'vote.close', party, before);
    const open = await tx.count(ProposalParty, { proposal, state: { $ne: PartyVoteState.CLOSED } });
    if (open === 0) {
      const parties = await tx.find(ProposalParty, { proposal });
      const proposalBefore = auditSnapshot(proposal);
      proposal.closedAt = this.clock();
      proposal.state = parties.every((p) => p.adopted) ? ProposalState.ADOPTED : ProposalState.REJECTED;
      await tx.flush();
      await this.recordChange(tx, 'proposal.close', proposal, proposalBefore);
    }
  }

  /** The counted ballots of a closed party, as published: receipt digest, choice, collège, weight. */
  async publishedBallots(partyId: string, em: EntityManager = this.em): Promise<PublishedBallot[]> {
    return (await publishedBallotsOf(em, [partyId])).get(partyId)!;
  }

  /**
   * What a receipt's holder may learn (any signed-in caller: the receipt is the proof): whether
   * the ballot is there, how it counts, and whether it was counted — its vote closed first if its
   * time has come.
   */
  async verifyReceipt(receipt: string): Promise<ReceiptCheck> {
    this.requireSignedIn();
    const find = (em: EntityManager) => em.findOne(Ballot, { receiptDigest: digest(receipt) }, { populate: ['party', 'party.proposal'] });
    let ballot = await find(this.em);
    if (!ballot) return NO_RECEIPT;
    // Sealing a secret box gives its ballots new rows: read the ballot afresh once closed.
    if (await this.asSystem().closeIfDue(ballot.party.proposal.id)) ballot = await find(this.em.fork());
    if (!ballot) return NO_RECEIPT;
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
