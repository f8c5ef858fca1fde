import { auditSnapshot } from '../audit/audit.service.js';
import type { ServiceScope } from '../auth/domain-service.js';
import { BadUserInputError, NotFoundError } from '../shared/errors.js';
import { FinanceReason, refuse } from './finance.reasons.js';
import type { FreezeSubsidyInput, ReleaseSubsidyInput } from './finance.inputs.js';
import type { FusionProposals } from './fusion-proposals.port.js';
import { LedgerKind } from './ledger-entry.entity.js';
import { FREEZABLE, SubsidyState } from './subsidy-state.js';
import { SubsidyWriter } from './subsidy-writer.js';
import { Subsidy, SubsidyFreeze } from './subsidy.entity.js';

/**
 * Freezes and releases: a frozen subsidy refuses receipts without an explicit exception until it
 * is released — by hand, by a receipt after the freeze's end date, or by the execution of the
 * fusion it waits for (asked of governance through the FusionProposals port).
 */
export class SubsidyFreezes extends SubsidyWriter {
  constructor(
    scope: ServiceScope,
    private readonly proposals: FusionProposals,
  ) {
    super(scope);
  }

  async freeze(input: FreezeSubsidyInput): Promise<Subsidy> {
    this.requireSignedIn();
    const today = this.today();
    if (input.until && input.untilProposalId) throw BadUserInputError.field('input.until', 'give a date or a proposal, not both');
    if (input.until && input.until <= today) throw BadUserInputError.field('input.until', 'must be after today');
    return this.em.transactional(async (tx) => {
      const subsidy = await this.lockToManage(tx, input.subsidyId);
      if (input.untilProposalId) {
        const proposal = await this.proposals.standing(tx, input.untilProposalId);
        if (!proposal) throw new NotFoundError('Proposal', input.untilProposalId);
        if (!proposal.pendingFusion) {
          throw BadUserInputError.field(
            'input.untilProposalId',
            `is a ${proposal.state} ${proposal.kind} proposal: freeze until a fusion still to be executed`,
            FinanceReason.PROPOSAL_NOT_PENDING_FUSION,
          );
        }
      }
      const current = subsidy.state;
      if (!FREEZABLE.includes(current)) {
        throw refuse(
          FinanceReason.SUBSIDY_NOT_FREEZABLE,
          `This subsidy is ${current}: only ${FREEZABLE.join(', ')} subsidies can be frozen.`,
          {
            currentState: current,
          },
        );
      }
      const before = auditSnapshot(subsidy);
      const freeze = tx.create(SubsidyFreeze, {
        subsidy,
        reason: input.reason.trim(),
        frozenAt: this.clock(),
        until: input.until ?? null,
        untilProposalId: input.untilProposalId ?? null,
        stateBefore: current,
        frozenBy: this.actorAccount(tx),
      });
      subsidy.state = SubsidyState.FROZEN;
      this.entry(tx, subsidy, LedgerKind.FREEZE, 0n, today, { reason: freeze.reason });
      this.event(tx, subsidy, current, SubsidyState.FROZEN, freeze.reason);
      await tx.flush();
      await this.recordChange(tx, 'subsidy.freeze', subsidy, before, { freeze: auditSnapshot(freeze) });
      return subsidy;
    });
  }

  async release(input: ReleaseSubsidyInput): Promise<Subsidy> {
    this.requireSignedIn();
    return this.em.transactional(async (tx) => {
      const subsidy = await this.lockToManage(tx, input.subsidyId);
      if (subsidy.state !== SubsidyState.FROZEN) {
        throw refuse(FinanceReason.SUBSIDY_NOT_FROZEN, `This subsidy is ${subsidy.state}, not FROZEN.`, { currentState: subsidy.state });
      }
      await this.releaseLocked(tx, subsidy, input.reason.trim());
      return subsidy;
    });
  }

  /**
   * Releases every subsidy frozen until `proposalId` is executed, anywhere: a step of executing a
   * fusion, which authorized it (no check here), run inside the caller's transaction.
   */
  async releaseFrozenUntilProposal(proposalId: string, reason: string): Promise<Subsidy[]> {
    return this.em.transactional(async (tx) => {
      const freezes = await tx.find(SubsidyFreeze, { untilProposalId: proposalId, releasedAt: null }, { orderBy: { id: 'asc' } });
      const released: Subsidy[] = [];
      for (const freeze of freezes) {
        const subsidy = await this.lock(tx, freeze.subsidy.id);
        await this.releaseLocked(tx, subsidy, reason);
        released.push(subsidy);
      }
      return released;
    });
  }
}
