import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { loadReference, type Loadable } from '../shared/loaders.js';
import type { Context } from './governance.services.js';
import { AgendaItem } from './meeting.entity.js';
import { LiveParticipation } from './meeting-votes.payloads.js';
import { ProposalParty } from './proposal.entity.js';

/** A party's vote held in a meeting: its agenda item (and through it the meeting), and its live participation. */
@Resolver(() => ProposalParty)
export class ProposalPartyMeetingFieldsResolver {
  @FieldResolver(() => AgendaItem, {
    nullable: true,
    description:
      'The agenda item of the meeting where this party’s body votes it (its `meeting` is that meeting); null for a vote outside a meeting.',
  })
  agendaItem(@Root() party: ProposalParty): Loadable<AgendaItem> {
    return loadReference(party.agendaItem);
  }

  @FieldResolver(() => LiveParticipation, {
    nullable: true,
    description:
      'Who may vote, how many did and who has not yet — never how anyone voted. For the chair and the secretary of the meeting where it is voted, and CLUSTER_ADMIN of the party cluster or ADMIN (FORBIDDEN for others); null before the vote opens.',
  })
  liveParticipation(@Ctx() ctx: Context, @Root() party: ProposalParty): Promise<LiveParticipation | null> {
    return ctx.services.meetingVotes.liveParticipation(party);
  }
}
