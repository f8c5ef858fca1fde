import { auditSnapshot } from '../audit/audit.service.js';
import { BadUserInputError, NotFoundError } from '../shared/errors.js';
import { FinanceReason, refuse } from './finance.reasons.js';
import type { RecordReceiptInput, ReverseEntryInput } from './finance.inputs.js';
import { LedgerEntry, LedgerKind } from './ledger-entry.entity.js';
import { RECEIVABLE, SubsidyState } from './subsidy-state.js';
import { SubsidyWriter } from './subsidy-writer.js';
import { SubsidyFreeze, type Subsidy } from './subsidy.entity.js';

export interface ReceiptResult {
  entry: LedgerEntry;
  subsidy: Subsidy;
  /** True when this bank reference was already recorded on the subsidy: nothing new was written. */
  alreadyRecorded: boolean;
}

/**
 * Money in and its corrections: receipts (idempotent on the subsidy and the bank reference) and
 * reversals of a receipt or a clawback. The subsidy's state follows what came in.
 */
export class SubsidyReceipts extends SubsidyWriter {
  async recordReceipt(input: RecordReceiptInput): Promise<ReceiptResult> {
    this.requireSignedIn();
    const today = this.today();
    if (input.amount <= 0n) throw BadUserInputError.field('input.amount', 'must be more than 0 cents');
    if (input.valueDate > today) throw BadUserInputError.field('input.valueDate', 'must not be in the future');
    const bankReference = input.bankReference.trim();
    if (!bankReference) throw BadUserInputError.field('input.bankReference', 'must not be blank');
    return this.em.transactional(async (tx) => {
      // The lock serialises receipts of one subsidy: the same transfer sent twice at once is seen once.
      const subsidy = await this.lockToManage(tx, input.subsidyId);
      const earlier = await tx.find(LedgerEntry, { subsidy, kind: LedgerKind.RECEIPT, bankReference }, { orderBy: { correction: 'asc' } });
      const reversed = new Set(
        earlier.length ? (await tx.find(LedgerEntry, { reverses: { $in: earlier.map((e) => e.id) } })).map((r) => r.reverses!.id) : [],
      );
      const existing = earlier.find((entry) => !reversed.has(entry.id));
      if (existing) {
        if (existing.amount !== input.amount || existing.valueDate !== input.valueDate) {
          throw refuse(
            FinanceReason.BANK_REFERENCE_CLASH,
            `Bank reference ${bankReference} is already recorded on this subsidy for ${existing.amount} cents on ${existing.valueDate} (reverse that entry to correct it).`,
            { field: 'input.bankReference', entryId: existing.id },
          );
        }
        return { entry: existing, subsidy, alreadyRecorded: true };
      }
      const before = auditSnapshot(subsidy);
      if (subsidy.state === SubsidyState.FROZEN) {
        const freeze = await tx.findOneOrFail(SubsidyFreeze, { subsidy, releasedAt: null });
        if (freeze.until && freeze.until <= today) {
          await this.releaseLocked(tx, subsidy, `freeze expired on ${freeze.until}`);
        } else if (!input.frozenException?.trim()) {
          throw refuse(
            FinanceReason.SUBSIDY_FROZEN,
            `This subsidy is FROZEN (${freeze.reason}): record an explicit exception (frozenException) to accept this receipt.`,
            { currentState: SubsidyState.FROZEN },
          );
        }
      }
      if (!RECEIVABLE.includes(subsidy.state)) {
        throw refuse(FinanceReason.SUBSIDY_NOT_RECEIVABLE, `This subsidy is ${subsidy.state}: it accepts no receipt.`, {
          currentState: subsidy.state,
        });
      }
      const { awarded, received } = await this.ledgerBalance(tx, subsidy.id);
      const due = awarded - received;
      if (input.amount > due && !input.overpaymentReason?.trim()) {
        throw BadUserInputError.field(
          'input.amount',
          `is more than the ${due > 0n ? due : 0n} cents still due: give an overpaymentReason to record it`,
          FinanceReason.OVERPAYMENT_UNEXPLAINED,
        );
      }
      const entry = this.entry(tx, subsidy, LedgerKind.RECEIPT, input.amount, input.valueDate, {
        bankReference,
        correction: earlier.length,
        frozenException: subsidy.state === SubsidyState.FROZEN ? input.frozenException!.trim() : null,
        overpaymentReason: input.amount > due ? input.overpaymentReason!.trim() : null,
      });
      this.followReceipts(tx, subsidy, awarded, received + input.amount, `receipt ${bankReference}`);
      await tx.flush();
      await this.recordChange(tx, 'subsidy.receipt', entry, { subsidy: before }, { subsidyState: subsidy.state });
      return { entry, subsidy, alreadyRecorded: false };
    });
  }

  async reverseEntry(input: ReverseEntryInput): Promise<{ entry: LedgerEntry; subsidy: Subsidy }> {
    this.requireSignedIn();
    const today = this.today();
    const valueDate = input.valueDate ?? today;
    if (valueDate > today) throw BadUserInputError.field('input.valueDate', 'must not be in the future');
    return this.em.transactional(async (tx) => {
      const target = await tx.findOne(LedgerEntry, { id: input.entryId });
      if (!target) throw new NotFoundError('LedgerEntry', input.entryId);
      // The subsidy's current cluster decides who may correct its ledger (the entry may predate a fusion).
      const subsidy = await this.lockToManage(tx, target.subsidy.id);
      if (target.kind !== LedgerKind.RECEIPT && target.kind !== LedgerKind.CLAWBACK) {
        throw BadUserInputError.field(
          'input.entryId',
          `is a ${target.kind} entry: only RECEIPT and CLAWBACK entries are reversed (an award is reversed by cancelling the subsidy)`,
          FinanceReason.ENTRY_NOT_REVERSIBLE,
        );
      }
      if (await tx.count(LedgerEntry, { reverses: target })) {
        throw refuse(FinanceReason.ENTRY_ALREADY_REVERSED, 'This entry is already reversed.', { entryId: target.id });
      }
      const before = auditSnapshot(subsidy);
      const current = await this.ledgerBalance(tx, subsidy.id);
      if (target.kind === LedgerKind.RECEIPT && current.received < target.amount) {
        throw refuse(
          FinanceReason.RECEIPT_CLAWED_BACK,
          `Only ${current.received} cents remain received (money was clawed back since): reverse the clawback first.`,
          { entryId: target.id },
        );
      }
      const entry = this.entry(tx, subsidy, LedgerKind.REVERSAL, -target.amount, valueDate, {
        reason: input.reason.trim(),
        reverses: target,
      });
      // A reversed clawback gives back both awarded and received: the state is left as it is.
      if (target.kind === LedgerKind.RECEIPT) {
        this.followReceipts(tx, subsidy, current.awarded, current.received - target.amount, `reversal of ${target.bankReference}`);
      }
      await tx.flush();
      await this.recordChange(tx, 'ledger.reverse', entry, { subsidy: before }, { subsidyState: subsidy.state });
      return { entry, subsidy };
    });
  }
}
