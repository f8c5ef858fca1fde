import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import DataLoader from 'dataloader';
import { Account } from '../auth/account.entity.js';
import { DomainService, type ServiceScope } from '../auth/domain-service.js';
import { Action, clusterScope } from '../auth/permissions.js';
import { BadUserInputError } from '../shared/errors.js';
import { loadReference } from '../shared/loaders.js';
import type { PartyAgendaItemInput } from './governance.inputs.js';
import { AgendaItem, Meeting, MeetingState } from './meeting.entity.js';
import { MeetingReason, refuseMeeting } from './meeting.reasons.js';
import { electorateOf, participationOf } from './party-reads.js';
import { PartyVoteState, type ProposalParty } from './proposal.entity.js';
import { liveQuorum } from './quorum.js';

/**
 * Votes held in a meeting (issue 15, item 4): a party's vote opens on a binding item of the
 * agenda of an OPEN meeting of its body, with the quorum met at that moment; its electorate is
 * who takes part in the meeting then (present, and represented by a present holder), each
 * standing pouvoir becoming a proxy of the vote — so ballots, receipts, proxies, secrecy and
 * tallies are the existing ones. The chair follows who has not voted yet, never how anyone voted.
 */

/** A party whose vote opens in a meeting: the agenda item, and its meeting. */
export interface MeetingBinding {
  party: ProposalParty;
  item: AgendaItem;
  meeting: Meeting;
}

/**
 * The agenda items `agendaItems` names, one per party (by its cluster), checked as input: the
 * cluster is a party, named once; the item exists and is on the agenda of a meeting of that
 * party's voting body (its cluster's body of the proposal's kind). Bad input otherwise, field by
 * field. One statement for the items and their meetings.
 */
export async function meetingBindings(
  tx: EntityManager,
  parties: readonly ProposalParty[],
  agendaItems: readonly PartyAgendaItemInput[],
): Promise<MeetingBinding[]> {
  if (!agendaItems.length) return [];
  const items = await tx.find(AgendaItem, { id: { $in: agendaItems.map((a) => a.agendaItemId) } }, { populate: ['meeting'] });
  const seen = new Set<string>();
  return agendaItems.map((named, i) => {
    const field = `input.agendaItems.${i}`;
    const party = parties.find((p) => p.cluster.id === named.clusterId);
    if (!party) throw BadUserInputError.field(`${field}.clusterId`, 'is not a party to this proposal');
    if (seen.has(named.clusterId)) throw BadUserInputError.field(`${field}.clusterId`, 'is named twice: a party votes in one meeting');
    seen.add(named.clusterId);
    const item = items.find((it) => it.id === named.agendaItemId);
    if (!item) throw BadUserInputError.field(`${field}.agendaItemId`, 'is not an agenda item');
    if (item.meeting.body.id !== party.body.id) {
      throw BadUserInputError.field(
        `${field}.agendaItemId`,
        `is not on the agenda of a meeting of the ${party.body.kind} of ${party.cluster.name}, which votes this proposal`,
      );
    }
    return { party, item, meeting: item.meeting };
  });
}

/** Whether `accountId` chairs the meeting of every party's vote (so may open it without ManageVoting). */
export function chairsEveryParty(parties: readonly ProposalParty[], bindings: readonly MeetingBinding[], accountId: string): boolean {
  return parties.every((party) => bindings.some((b) => b.party === party && b.meeting.chair?.id === accountId));
}

/**
 * Locks each bound meeting exclusively (in id order, so two openings never deadlock): arrivals
 * and departures, which take it shared, wait until the vote is open — the quorum checked here and
 * the electorate snapshotted next see the same attendance sheet. Then, per party: a binding item
 * (AGENDA_ITEM_NOT_BINDING), an OPEN meeting (MEETING_NOT_OPEN), the quorum met now from the live
 * sheet (QUORUM_NOT_MET with `quorum`: counted, required, electorate).
 */
export async function checkMeetingsForVote(tx: EntityManager, bindings: readonly MeetingBinding[]): Promise<void> {
  const meetingIds = [...new Set(bindings.map((b) => b.meeting.id))].sort();
  for (const id of meetingIds) await tx.findOneOrFail(Meeting, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
  for (const { party, item, meeting } of bindings) {
    if (!item.binding) {
      throw refuseMeeting(
        MeetingReason.AGENDA_ITEM_NOT_BINDING,
        `“${item.title}” is not a binding item: nothing binding is voted under it. Put the resolution on an item of its own.`,
        { agendaItemId: item.id },
      );
    }
    if (meeting.state !== MeetingState.OPEN) {
      throw refuseMeeting(MeetingReason.MEETING_NOT_OPEN, `A meeting’s vote opens while it is in session; this one is ${meeting.state}.`, {
        currentState: meeting.state,
      });
    }
    const quorum = await liveQuorum(tx, meeting.id);
    if (!quorum.met) {
      throw refuseMeeting(
        MeetingReason.QUORUM_NOT_MET,
        `The quorum is not met now (${quorum.counted} counted, ${quorum.required} required): the vote of ${party.cluster.name} cannot open.`,
        { quorum },
      );
    }
  }
}

/**
 * Snapshots the electorate of a party voting in a meeting, in ONE statement whatever the
 * assembly's size: the convened members counted present now (an open stint on the attendance
 * sheet; a remote one only where the statutes count remote participation as presence — as the
 * quorum counts them), and the principals of the standing pouvoirs whose holder is counted present
 * and who are not on the sheet; each with the collège of their convocation. Each such pouvoir
 * becomes a standing proxy of this vote (the holder votes for the principal). A member arriving
 * later is not in it. Returns how many electors and proxies were written.
 */
export async function snapshotMeetingElectorate(
  tx: EntityManager,
  party: ProposalParty,
  meetingId: string,
  now: Date,
): Promise<{ electors: number; proxies: number }> {
  const [row] = await tx.execute<{ electors: number; proxies: number }[]>(
    `with m as (
            select m.id, coalesce(s.remote_counts_as_present, false) as remote_counts
              from meeting m join body_statutes s on s.id = m.statutes_id
             where m.id = ?),
          stint as (
            select a.voter_id, bool_or(a.mode = 'IN_PERSON' or m.remote_counts) as counts
              from attendance a join m on m.id = a.meeting_id
             where a.left_at is null
             group by a.voter_id),
          present as (select voter_id from stint where counts),
          represented as (
            select p.principal_id, p.holder_id
              from pouvoir p join m on m.id = p.meeting_id
             where p.state = 'ACTIVE'
               and p.holder_id in (select voter_id from present)
               and p.principal_id not in (select voter_id from stint)),
          written as (
            insert into elector (id, created_at, updated_at, party_id, voter_id, college_id, weight)
            select gen_random_uuid(), ?, ?, ?, c.voter_id, c.college_id, 1
              from convocation_recipient c join m on m.id = c.meeting_id
             where c.voter_id in (select voter_id from present union select principal_id from represented)
            returning voter_id),
          proxies as (
            insert into proxy (id, created_at, updated_at, party_id, principal_id, holder_id, state)
            select gen_random_uuid(), ?, ?, ?, r.principal_id, r.holder_id, 'ACTIVE'::proxy_state
              from represented r
             where r.principal_id in (select voter_id from written)
            returning 1)
     select (select count(*) from written)::int as electors, (select count(*) from proxies)::int as proxies`,
    [meetingId, now, now, party.id, now, now, party.id],
  );
  return row ?? { electors: 0, proxies: 0 };
}

/** Where a vote stands for its chair: how many may vote, how many did, and who has not yet. */
export interface LiveParticipationShape {
  electorate: number;
  voted: number;
  notYetVoted: Account[];
}

/**
 * Reads of a meeting's votes: the live participation of a party's vote, for the meeting's chair
 * and secretary and the holders of ManageVoting on the party's cluster. Read from the elector and
 * participation rows only — never a ballot — so a SECRET vote shows it too. Batched per request.
 */
export class MeetingVoteService extends DomainService {
  private notYetVotedLoader?: DataLoader<string, Account[]>;

  constructor(scope: ServiceScope) {
    super(scope);
  }

  /** Who may follow a party's vote live: ManageVoting on its cluster, or its meeting's chair or secretary. */
  private async requireFollower(party: ProposalParty): Promise<void> {
    this.requireSignedIn();
    const scope = clusterScope(party.cluster.id);
    if (this.may(Action.ManageVoting, scope)) return;
    const viewer = this.actor.accountId;
    const item = await loadReference(party.agendaItem);
    const meeting = item ? await loadReference(item.meeting) : null;
    if (meeting && viewer && (meeting.chair?.id === viewer || meeting.secretary?.id === viewer)) return;
    this.authorize(Action.ManageVoting, scope);
  }

  /** The live participation of a party's vote once it has opened (null while PENDING or CANCELLED before opening). */
  async liveParticipation(party: ProposalParty): Promise<LiveParticipationShape | null> {
    if (party.state === PartyVoteState.PENDING || !party.rules) return null;
    await this.requireFollower(party);
    this.notYetVotedLoader ??= new DataLoader(
      async (partyIds: readonly string[]) => {
        const rows = await this.em.execute<(Record<string, unknown> & { party_id: string })[]>(
          `select e.party_id, a.*
             from elector e join account a on a.id = e.voter_id
            where e.party_id = any(?::uuid[])
              and not exists (select 1 from participation v where v.party_id = e.party_id and v.voter_id = e.voter_id)
            order by a.display_name, a.id`,
          [`{${partyIds.join(',')}}`],
        );
        const byParty = new Map<string, Account[]>();
        for (const { party_id: partyId, ...account } of rows) {
          const list = byParty.get(partyId) ?? [];
          list.push(this.em.map(Account, account));
          byParty.set(partyId, list);
        }
        return partyIds.map((id) => byParty.get(id) ?? []);
      },
      { cache: false },
    );
    const [electorate, voted, notYetVoted] = await Promise.all([
      electorateOf(this.em, party.id),
      participationOf(this.em, party.id),
      this.notYetVotedLoader.load(party.id),
    ]);
    return { electorate, voted, notYetVoted };
  }
}
