import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { auditSnapshot } from '../audit/audit.service.js';
import { Account } from '../auth/account.entity.js';
import { lockBallotBox } from './ballot-box.js';
import { DomainService, type ServiceScope } from '../auth/domain-service.js';
import { Action, clusterScope, withinCluster } from '../auth/permissions.js';
import { Cluster, ClusterStatus } from '../membership/cluster.entity.js';
import { BadUserInputError, NotFoundError, UnauthenticatedError } from '../shared/errors.js';
import { paginate, type ConnectionShape, type PageArgs } from '../shared/pagination.js';
import { snapshotElectorate } from './electorate.js';
import { chairsEveryParty, checkMeetingsForVote, meetingBindings, snapshotMeetingElectorate } from './meeting-votes.js';
import { validatedPlan } from './fusion-plan.js';
import type { CancelProposalInput, CreateProposalInput, OpenVotingInput } from './governance.inputs.js';
import { GovernanceReason, refuse } from './governance.reasons.js';
import { renderMinutes } from './minutes.js';
import { PartyVoteState, Proposal, ProposalKind, ProposalParty, ProposalState } from './proposal.entity.js';
import { afterClosingDueVote, VoteClosingService, VoteDue } from './vote-closing.service.js';
import { queueVoteOpened } from './vote-mail.js';
import { BodyKind, VotingBody } from './voting-body.entity.js';

const YEAR_MS = 366 * 86_400_000;

/**
 * Proposals: drafting (the fusion plan validated), opening the vote (electorate snapshot),
 * cancelling, and reading them — one, a cluster's list, the minutes. Each method loads (for a
 * change, locks) the proposal and its parties, then authorizes on the party clusters it loaded;
 * a vote found past its closing time is closed first, as the system.
 */
export class ProposalService extends DomainService {
  /** Closes votes whose time has come: the system's act, whoever touches them first. */
  private readonly dueVotes: VoteClosingService;

  constructor(scope: ServiceScope) {
    super(scope);
    this.dueVotes = VoteClosingService.system(scope);
  }

  private async getProposal(id: string, em: EntityManager = this.em): Promise<Proposal> {
    const proposal = await em.findOne(Proposal, { id });
    if (!proposal) throw new NotFoundError('Proposal', id);
    return proposal;
  }

  /** The clusters party to a proposal, with their names (for a refusal's words). */
  private async partyClusters(em: EntityManager, proposalId: string): Promise<Cluster[]> {
    const parties = await em.find(
      ProposalParty,
      { proposal: proposalId },
      { populate: ['cluster'], orderBy: { createdAt: 'asc', id: 'asc' } },
    );
    return parties.map((p) => p.cluster);
  }

  /** The party clusters a creation would have, from its input alone. */
  private partyClusterIds(input: CreateProposalInput): string[] {
    if (input.kind === ProposalKind.FUSION) {
      if (!input.plan) throw BadUserInputError.field('input.plan', 'is required for a FUSION');
      return [input.plan.absorbingClusterId, ...input.plan.absorbed.map((a) => a.clusterId)];
    }
    const ids = input.partyClusterIds ?? [];
    if (input.kind === ProposalKind.PARTNERSHIP && new Set(ids).size < 2) {
      throw BadUserInputError.field('input.partyClusterIds', 'a partnership has at least two different parties');
    }
    if (!ids.length) throw BadUserInputError.field('input.partyClusterIds', 'name at least one cluster');
    return [...new Set(ids)];
  }

  /** Drafts a proposal: a CLUSTER_ADMIN of one of its party clusters (or ADMIN). */
  async create(input: CreateProposalInput): Promise<Proposal> {
    const partyIds = this.partyClusterIds(input);
    if (input.kind !== ProposalKind.FUSION && input.plan) throw BadUserInputError.field('input.plan', 'only a FUSION carries a plan');
    if (input.kind !== ProposalKind.PARTNERSHIP && input.partnershipAxes?.length) {
      throw BadUserInputError.field('input.partnershipAxes', 'only a PARTNERSHIP has axes');
    }
    if (input.kind === ProposalKind.PARTNERSHIP && !input.partnershipAxes?.length) {
      throw BadUserInputError.field('input.partnershipAxes', 'name the axes of the convention');
    }
    this.requireSignedIn();
    const authorId = this.actor.accountId;
    if (!authorId) throw new UnauthenticatedError('A proposal is drafted by a signed-in account.');
    const bodyKind = input.bodyKind ?? BodyKind.BOARD;
    return this.em.transactional(async (tx) => {
      const clusters = await tx.find(Cluster, { id: { $in: partyIds } });
      const named = (id: string) => clusters.find((c) => c.id === id);
      this.authorize(Action.CreateProposal, ...partyIds.map((id) => clusterScope(id, named(id)?.name)));
      const plan = input.plan ? await validatedPlan(tx, input.plan) : null;
      for (const id of partyIds) {
        const cluster = named(id);
        if (!cluster) throw new NotFoundError('Cluster', id);
        if (cluster.status !== ClusterStatus.ACTIVE)
          throw BadUserInputError.field('input.partyClusterIds', `${cluster.name} is ${cluster.status}`);
      }
      const bodies = await tx.find(VotingBody, { cluster: { $in: partyIds }, kind: bodyKind });
      const proposal = tx.create(Proposal, {
        kind: input.kind,
        title: input.title.trim(),
        text: input.text,
        author: tx.getReference(Account, authorId),
        plan,
        partnershipAxes: (input.partnershipAxes ?? []).map((a) => a.trim()),
      });
      for (const id of partyIds) {
        const body = bodies.find((b) => b.cluster.id === id);
        if (!body)
          throw refuse(GovernanceReason.VOTING_BODY_MISSING, `${named(id)!.name} has no ${bodyKind} configured (configureVotingBody).`);
        tx.create(ProposalParty, { proposal, cluster: tx.getReference(Cluster, id), body });
      }
      await tx.flush();
      await this.recordChange(tx, 'proposal.create', proposal, null, { parties: partyIds, bodyKind });
      return proposal;
    });
  }

  /**
   * Opens the vote of every party until `closesAt` (a CLUSTER_ADMIN of one of the parties, or
   * ADMIN): copies each body's rules and snapshots its electorate (electorate.ts: board, seat
   * holders with a mandate in force, with their seat's collège; general assembly, the current
   * delegate of each current member organisation, with its collège), and queues VOTE_OPENED to
   * every elector — each in one statement, whatever the electorate's size. Later changes to
   * mandates or memberships do not change the open vote. A party named in `agendaItems` votes in
   * a meeting instead (meeting-votes.ts): a binding item of an OPEN meeting of its body, the quorum
   * met now, the electorate who takes part in the meeting now; the meeting's chair may then open
   * it too, when every party votes in a meeting they chair.
   */
  async open(input: OpenVotingInput): Promise<Proposal> {
    const now = this.clock();
    if (input.closesAt <= now) throw BadUserInputError.field('input.closesAt', 'must be in the future');
    if (input.closesAt.getTime() - now.getTime() > YEAR_MS) throw BadUserInputError.field('input.closesAt', 'must be within a year');
    return this.em.transactional(async (tx) => {
      const proposal = await tx.findOne(Proposal, { id: input.proposalId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!proposal) throw new NotFoundError('Proposal', input.proposalId);
      const parties = await tx.find(
        ProposalParty,
        { proposal },
        { populate: ['body', 'cluster'], orderBy: { createdAt: 'asc', id: 'asc' } },
      );
      const scopes = parties.map((p) => clusterScope(p.cluster.id, p.cluster.name));
      const manager = this.may(Action.ManageVoting, ...scopes);
      if (!manager) {
        // The meeting's chair, signed in and verified, may open the votes of their meeting.
        this.requireSignedIn();
        if (!input.agendaItems?.length) this.authorize(Action.ManageVoting, ...scopes);
      }
      const bindings = await meetingBindings(tx, parties, input.agendaItems ?? []).catch((error: unknown) => {
        // Not a manager: nothing about the items is said to someone who may not open this vote.
        if (!manager) this.authorize(Action.ManageVoting, ...scopes);
        throw error;
      });
      if (!manager && !chairsEveryParty(parties, bindings, this.actor.accountId ?? '')) this.authorize(Action.ManageVoting, ...scopes);
      if (proposal.state !== ProposalState.DRAFT) {
        throw refuse(GovernanceReason.PROPOSAL_NOT_DRAFT, `This proposal is ${proposal.state}: only a DRAFT opens.`, {
          currentState: proposal.state,
        });
      }
      await checkMeetingsForVote(tx, bindings);
      for (const party of parties) {
        if (party.cluster.status !== ClusterStatus.ACTIVE) {
          throw refuse(
            GovernanceReason.VOTING_CLUSTER_NOT_ACTIVE,
            `${party.cluster.name} is ${party.cluster.status}: it can no longer vote.`,
          );
        }
        const inMeeting = bindings.find((b) => b.party === party);
        const electors = inMeeting
          ? (await snapshotMeetingElectorate(tx, party, inMeeting.meeting.id, now)).electors
          : await snapshotElectorate(tx, party, now);
        if (!electors)
          throw refuse(GovernanceReason.ELECTORATE_EMPTY, `The ${party.body.kind} of ${party.cluster.name} has nobody to vote.`);
        if (inMeeting) party.agendaItem = inMeeting.item;
        party.rules = party.body.rules;
        party.state = PartyVoteState.VOTING;
      }
      const before = auditSnapshot(proposal);
      proposal.state = ProposalState.VOTING;
      proposal.opensAt = now;
      proposal.closesAt = input.closesAt;
      await tx.flush();
      // In this transaction: a refused or failed opening mails nobody.
      await queueVoteOpened(tx, now, proposal.id);
      await this.recordChange(
        tx,
        'proposal.open',
        proposal,
        before,
        bindings.length ? { agendaItems: bindings.map((b) => ({ party: b.party.id, agendaItem: b.item.id })) } : undefined,
      );
      return proposal;
    });
  }

  /**
   * Cancels a DRAFT or an open vote no party has closed (a CLUSTER_ADMIN of one of the parties,
   * or ADMIN). A vote past its closing time is closed first: it can then no longer be cancelled.
   */
  async cancel(input: CancelProposalInput): Promise<Proposal> {
    return afterClosingDueVote(this.dueVotes, input.proposalId, () =>
      this.em.transactional(async (tx) => {
        // The ballot boxes first, as a close takes them (box, party, then proposal): a cancel
        // racing a close waits for it, or it for the cancel, instead of deadlocking.
        const boxes = await tx.find(ProposalParty, { proposal: input.proposalId }, { fields: ['id'], orderBy: { id: 'asc' } });
        for (const box of boxes) await lockBallotBox(tx, box.id, 'exclusive');
        const proposal = await tx.findOne(Proposal, { id: input.proposalId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
        if (!proposal) throw new NotFoundError('Proposal', input.proposalId);
        const parties = await tx.find(ProposalParty, { proposal }, { lockMode: LockMode.PESSIMISTIC_WRITE, orderBy: { id: 'asc' } });
        await tx.populate(parties, ['cluster']);
        this.authorize(Action.ManageVoting, ...parties.map((p) => clusterScope(p.cluster.id, p.cluster.name)));
        if (this.dueVotes.isDue(proposal)) throw new VoteDue();
        if (proposal.state !== ProposalState.DRAFT && proposal.state !== ProposalState.VOTING) {
          throw refuse(
            GovernanceReason.PROPOSAL_NOT_CANCELLABLE,
            `This proposal is ${proposal.state}: only a DRAFT or an open vote can be cancelled.`,
            { currentState: proposal.state },
          );
        }
        if (parties.some((p) => p.state === PartyVoteState.CLOSED)) {
          throw refuse(GovernanceReason.PROPOSAL_NOT_CANCELLABLE, 'A party has already closed its vote: it can no longer be cancelled.', {
            currentState: proposal.state,
          });
        }
        const before = auditSnapshot(proposal);
        for (const party of parties) party.state = PartyVoteState.CANCELLED;
        proposal.state = ProposalState.CANCELLED;
        proposal.cancelledAt = this.clock();
        proposal.cancelReason = input.reason.trim();
        await tx.flush();
        await this.recordChange(tx, 'proposal.cancel', proposal, before);
        return proposal;
      }),
    );
  }

  /**
   * One proposal, for the people of its party clusters (board members, members, administrators)
   * and ADMIN; its vote closed first if its time has come.
   */
  async read(id: string): Promise<Proposal> {
    this.requireSignedIn();
    const proposal = await this.getProposal(id);
    const clusters = await this.partyClusters(this.em, proposal.id);
    this.authorize(Action.ReadProposals, ...clusters.map((c) => withinCluster(c.id, c.name)));
    if (await this.dueVotes.closeIfDue(proposal.id)) return (await this.em.refresh(proposal)) ?? proposal;
    return proposal;
  }

  /**
   * The proposals `clusterId` is party to, newest first, for the cluster's people and ADMIN; votes
   * past their closing time are closed first. `withTotal`: count every match (one more query).
   */
  async list(
    clusterId: string,
    states: readonly ProposalState[] | undefined,
    page: PageArgs,
    withTotal: boolean,
  ): Promise<ConnectionShape<Proposal>> {
    this.requireSignedIn();
    const cluster = await this.em.findOne(Cluster, { id: clusterId });
    this.authorize(Action.ReadProposals, withinCluster(clusterId, cluster?.name));
    const partyOf = await this.em.execute<{ id: string; due: boolean }[]>(
      `select p.id, p.state = 'VOTING' and p.closes_at <= ? as due
         from proposal_party pp join proposal p on p.id = pp.proposal_id where pp.cluster_id = ?`,
      [this.clock(), clusterId],
    );
    const due = partyOf.filter((p) => p.due);
    if (due.length) {
      // On a fork of its own: the page is then read fresh, not from copies loaded before the close.
      const closing = VoteClosingService.system({ ...this.scope, em: this.em.fork() });
      for (const { id } of due) await closing.closeIfDue(id);
    }
    return paginate(
      this.em,
      Proposal,
      { id: { $in: partyOf.map((p) => p.id) }, ...(states?.length ? { state: { $in: [...states] } } : {}) },
      { createdAt: 'desc', id: 'desc' },
      page,
      [],
      withTotal,
    );
  }

  /** The minutes (procès-verbal) of a proposal, in Markdown: the same readers as `read`, once a party's vote is closed. */
  async minutes(proposalId: string): Promise<string> {
    const proposal = await this.read(proposalId);
    // A fresh fork: the parties read for authorization may have been closed since.
    return renderMinutes(this.em.fork(), proposal);
  }
}
