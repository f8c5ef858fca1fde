import type { FieldProblem } from '../shared/errors.js';
import { sumCents } from './money.js';
import { InstalmentKind } from './subsidy.entity.js';

/** What recordSubsidy checks before touching the database: every problem at once, each naming its field. */
export interface SubsidyPlan {
  amountAwarded: bigint;
  decisionDate?: string | null;
  eligibleCost?: bigint | null;
  financingPlan?: { amount: bigint }[] | null;
  instalments?: { kind: InstalmentKind; amount: bigint; dueOn: string }[] | null;
  allocations?: { collegeId: string; shareBasisPoints: number }[] | null;
  justificationDeadline?: string | null;
}

const euros = (cents: bigint) => `${cents} cents`;

export function subsidyPlanProblems(plan: SubsidyPlan, today: string, prefix = 'input'): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const add = (field: string, message: string) => problems.push({ field: `${prefix}.${field}`, messages: [message] });

  if (plan.amountAwarded <= 0n) add('amountAwarded', 'must be more than 0 cents');
  if (plan.decisionDate && plan.decisionDate > today) add('decisionDate', 'must not be in the future');

  const shares = plan.financingPlan ?? [];
  if (plan.eligibleCost != null) {
    if (plan.eligibleCost <= 0n) add('eligibleCost', 'must be more than 0 cents');
    else if (plan.eligibleCost < plan.amountAwarded)
      add('eligibleCost', `must be at least the amount awarded (${euros(plan.amountAwarded)})`);
  }
  if (shares.length) {
    shares.forEach((share, i) => share.amount <= 0n && add(`financingPlan.${i}.amount`, 'must be more than 0 cents'));
    const total = sumCents(shares.map((s) => s.amount));
    if (plan.eligibleCost == null) add('eligibleCost', 'is required with a financing plan');
    else if (total !== plan.eligibleCost) {
      add('financingPlan', `shares add up to ${euros(total)}, not the eligible cost of ${euros(plan.eligibleCost)}`);
    }
  }

  const instalments = plan.instalments ?? [];
  if (instalments.length) {
    instalments.forEach((instalment, i) => {
      if (instalment.amount <= 0n) add(`instalments.${i}.amount`, 'must be more than 0 cents');
      if (plan.decisionDate && instalment.dueOn < plan.decisionDate) add(`instalments.${i}.dueOn`, 'must not be before the decision date');
      if (i > 0 && instalment.dueOn < instalments[i - 1].dueOn) add(`instalments.${i}.dueOn`, 'instalments must be in due-date order');
      if (instalment.kind === InstalmentKind.ADVANCE && i !== 0) add(`instalments.${i}.kind`, 'an ADVANCE comes first');
      if (instalment.kind === InstalmentKind.BALANCE && i !== instalments.length - 1) add(`instalments.${i}.kind`, 'a BALANCE comes last');
    });
    const total = sumCents(instalments.map((i) => i.amount));
    if (total !== plan.amountAwarded) add('instalments', `add up to ${euros(total)}, not the ${euros(plan.amountAwarded)} awarded`);
  }

  const allocations = plan.allocations ?? [];
  if (allocations.length) {
    const total = allocations.reduce((sum, a) => sum + a.shareBasisPoints, 0);
    if (total !== 10_000) add('allocations', `shares add up to ${(total / 100).toFixed(2)} %, not 100 %`);
    const seen = new Set<string>();
    allocations.forEach((allocation, i) => {
      if (seen.has(allocation.collegeId)) add(`allocations.${i}.collegeId`, 'appears twice');
      seen.add(allocation.collegeId);
    });
  }

  if (plan.justificationDeadline && plan.decisionDate && plan.justificationDeadline < plan.decisionDate) {
    add('justificationDeadline', 'must not be before the decision date');
  }
  return problems;
}
