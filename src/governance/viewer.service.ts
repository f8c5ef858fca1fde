import { DomainService } from '../auth/domain-service.js';
import { PartyVoteState, Proposal, ProposalState } from './proposal.entity.js';
import { BoardMandate } from './voting-body.entity.js';

/** What a signed-in person finds of their own in governance (issue 13): their seats and the votes waiting for them. */
export class ViewerGovernanceService extends DomainService {
  /** The account's board seats, current and past, newest first. */
  boardMandates(accountId: string): Promise<BoardMandate[]> {
    return this.em.find(BoardMandate, { holder: accountId }, { orderBy: { startsAt: 'desc', id: 'asc' } });
  }

  /**
   * Open votes where the account is in the snapshotted electorate and has not voted yet, the
   * soonest to close first: what "a ballot is waiting for you" means. A vote past its closing
   * time is not listed (it closes at its next touch).
   */
  async pendingBallots(accountId: string): Promise<Proposal[]> {
    const rows = await this.em.execute<{ id: string }[]>(
      `select distinct pr.id, pr.closes_at
         from elector e
         join proposal_party p on p.id = e.party_id and p.state = ?
         join proposal pr on pr.id = p.proposal_id and pr.state = ? and (pr.closes_at is null or pr.closes_at > ?)
        where e.voter_id = ?
          and not exists (select 1 from participation x where x.party_id = e.party_id and x.voter_id = e.voter_id)
        order by pr.closes_at, pr.id`,
      [PartyVoteState.VOTING, ProposalState.VOTING, this.clock(), accountId],
    );
    if (!rows.length) return [];
    const proposals = await this.em.find(Proposal, { id: { $in: rows.map((r) => r.id) } });
    const order = new Map(rows.map((row, i) => [row.id, i]));
    return proposals.sort((a, b) => order.get(a.id)! - order.get(b.id)!);
  }
}
