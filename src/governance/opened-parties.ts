import type { Secrecy } from './voting-rules.js';

/** A party of a proposal whose voting has opened. */
export interface OpenedParty {
  id: string;
  clusterId: string;
  secrecy: Secrecy;
}

/**
 * The parties of proposals whose voting has opened, in memory, by proposal. A party's id, its
 * cluster and the rules copied onto it when its vote opens never change afterwards (cancelling,
 * closing or executing a proposal changes states, not parties), so `castVote` finds the party it
 * votes in without asking the database, and the copy can never be stale — on one process or
 * several. Bounded: beyond `capacity` proposals, the least recently used is forgotten (and read
 * again when next needed).
 */
export class OpenedParties {
  private readonly byProposal = new Map<string, readonly OpenedParty[]>();

  constructor(private readonly capacity = 10_000) {}

  get(proposalId: string): readonly OpenedParty[] | undefined {
    const parties = this.byProposal.get(proposalId);
    if (parties) {
      // Most recently used last: a Map iterates in insertion order.
      this.byProposal.delete(proposalId);
      this.byProposal.set(proposalId, parties);
    }
    return parties;
  }

  remember(proposalId: string, parties: readonly OpenedParty[]): void {
    this.byProposal.delete(proposalId);
    this.byProposal.set(proposalId, parties);
    if (this.byProposal.size > this.capacity) this.byProposal.delete(this.byProposal.keys().next().value!);
  }

  get size(): number {
    return this.byProposal.size;
  }
}
