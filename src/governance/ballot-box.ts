import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { PositionalStatement } from '../shared/sql-script.js';
import type { Refusal } from '../shared/errors.js';
import { GovernanceReason, refuse } from './governance.reasons.js';
import { PartyVoteState, ProposalState, type Choice } from './proposal.entity.js';

/** A counted ballot as published after the close: anyone in the body can recount. */
export interface PublishedBallot {
  receiptDigest: string;
  choice: Choice;
  collegeId: string | null;
  weight: number;
}

export const digest = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * The ballot box of a party: ballots hold it shared, the close exclusively. A transaction-level
 * advisory lock, because PostgreSQL queues those fairly — once a close waits, later ballots wait
 * behind it and find the vote closed — where row share locks would let ballots overtake it.
 */
export function ballotBoxLock(partyId: string, mode: 'shared' | 'exclusive'): PositionalStatement {
  const fn = mode === 'shared' ? 'pg_advisory_xact_lock_shared' : 'pg_advisory_xact_lock';
  return { sql: `select ${fn}(hashtextextended(?, 7262018))`, params: [`ballot-box:${partyId}`] };
}

export async function lockBallotBox(tx: EntityManager, partyId: string, mode: 'shared' | 'exclusive'): Promise<void> {
  const lock = ballotBoxLock(partyId, mode);
  await tx.execute(lock.sql, [...lock.params]);
}

const DECIDED: readonly ProposalState[] = [ProposalState.CLOSED, ProposalState.ADOPTED, ProposalState.REJECTED, ProposalState.EXECUTED];

/**
 * A vote (of one party) that is not, or no longer, open — with the state it is in: VOTE_CLOSED
 * once closed or decided, VOTE_NOT_OPEN before it opens or once cancelled.
 */
export function notOpen(partyState: PartyVoteState, proposalState: ProposalState): Refusal {
  const shown = partyState === PartyVoteState.VOTING ? proposalState : partyState;
  const isClosed = partyState === PartyVoteState.CLOSED || DECIDED.includes(proposalState);
  return refuse(
    isClosed ? GovernanceReason.VOTE_CLOSED : GovernanceReason.VOTE_NOT_OPEN,
    `Voting on this proposal is not open (${shown}).`,
    {
      currentState: proposalState,
    },
  );
}

/** A vote whose closing time has come. */
export const closed = (): Refusal =>
  refuse(GovernanceReason.VOTE_CLOSED, 'Voting on this proposal has closed.', { currentState: 'CLOSED' });

/** The canonical published list a digest covers: one line per ballot, by receipt digest. */
export function ballotListText(ballots: readonly PublishedBallot[]): string {
  return [...ballots]
    .sort((a, b) => a.receiptDigest.localeCompare(b.receiptDigest))
    .map((b) => `${b.receiptDigest},${b.choice},${b.collegeId ?? ''},${b.weight}\n`)
    .join('');
}

type BallotRow = { party_id: string; receipt_digest: string; choice: Choice; college_id: string | null; weight: number };

/** The counted ballots of parties, as published, by party (each list by receipt digest): one statement. */
export async function publishedBallotsOf(em: EntityManager, partyIds: readonly string[]): Promise<Map<string, PublishedBallot[]>> {
  const byParty = new Map<string, PublishedBallot[]>(partyIds.map((id) => [id, []]));
  if (!partyIds.length) return byParty;
  const rows = await em.execute<BallotRow[]>(
    `select party_id, receipt_digest, choice, college_id, weight from ballot where party_id = any(?::uuid[]) order by party_id, receipt_digest`,
    [`{${partyIds.join(',')}}`],
  );
  for (const r of rows)
    byParty.get(r.party_id)?.push({ receiptDigest: r.receipt_digest, choice: r.choice, collegeId: r.college_id, weight: r.weight });
  return byParty;
}
