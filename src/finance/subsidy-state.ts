import { registerEnumType } from 'type-graphql';

export enum SubsidyState {
  REQUESTED = 'REQUESTED',
  AWARDED = 'AWARDED',
  ACTIVE = 'ACTIVE',
  FROZEN = 'FROZEN',
  PARTLY_RECEIVED = 'PARTLY_RECEIVED',
  RECEIVED = 'RECEIVED',
  JUSTIFIED = 'JUSTIFIED',
  CLOSED = 'CLOSED',
  REFUSED = 'REFUSED',
  CANCELLED = 'CANCELLED',
  CLAWED_BACK = 'CLAWED_BACK',
}

registerEnumType(SubsidyState, {
  name: 'SubsidyState',
  description:
    'REQUESTED → AWARDED → ACTIVE ⇄ FROZEN → PARTLY_RECEIVED → RECEIVED → JUSTIFIED → CLOSED, plus REFUSED, CANCELLED and CLAWED_BACK. PARTLY_RECEIVED and RECEIVED follow from receipts; FROZEN from freezeSubsidy / releaseSubsidy; the others from transitionSubsidy.',
  valuesConfig: {
    REQUESTED: { description: 'Asked for; the amount is the amount requested.' },
    AWARDED: { description: 'Decided by the funder (decision date and reference): an AWARD entry is in the ledger.' },
    ACTIVE: { description: 'The agreement runs: instalments are expected.' },
    FROZEN: { description: 'Frozen: receipts are refused without an explicit exception (see `freeze`).' },
    PARTLY_RECEIVED: { description: 'Some money came in, not all of it.' },
    RECEIVED: { description: 'All the money awarded came in.' },
    JUSTIFIED: { description: 'Spending justified to the funder; a balance paid after justification may still come in.' },
    CLOSED: { description: 'Finished; whatever was not received is forgone.' },
    REFUSED: { description: 'The funder said no (from REQUESTED).' },
    CANCELLED: { description: 'Cancelled before any money came in; the award is reversed in the ledger.' },
    CLAWED_BACK: { description: 'The funder reclaimed money: a CLAWBACK entry reduces both awarded and received.' },
  },
});

/** The states a treasurer moves a subsidy to with `transitionSubsidy`, from the states each allows. */
export const MANUAL_TRANSITIONS: Readonly<Partial<Record<SubsidyState, readonly SubsidyState[]>>> = {
  [SubsidyState.AWARDED]: [SubsidyState.REQUESTED],
  [SubsidyState.REFUSED]: [SubsidyState.REQUESTED],
  [SubsidyState.ACTIVE]: [SubsidyState.AWARDED],
  [SubsidyState.CANCELLED]: [SubsidyState.REQUESTED, SubsidyState.AWARDED, SubsidyState.ACTIVE],
  [SubsidyState.JUSTIFIED]: [SubsidyState.PARTLY_RECEIVED, SubsidyState.RECEIVED],
  [SubsidyState.CLOSED]: [SubsidyState.JUSTIFIED],
  [SubsidyState.CLAWED_BACK]: [SubsidyState.PARTLY_RECEIVED, SubsidyState.RECEIVED, SubsidyState.JUSTIFIED, SubsidyState.CLOSED],
};

/** States from which a subsidy can be frozen. */
export const FREEZABLE: readonly SubsidyState[] = [
  SubsidyState.AWARDED,
  SubsidyState.ACTIVE,
  SubsidyState.PARTLY_RECEIVED,
  SubsidyState.JUSTIFIED,
];

/** States in which money is still expected: their unpaid balance is outstanding. */
export const EXPECTING: readonly SubsidyState[] = [
  SubsidyState.AWARDED,
  SubsidyState.ACTIVE,
  SubsidyState.FROZEN,
  SubsidyState.PARTLY_RECEIVED,
  SubsidyState.JUSTIFIED,
];

/** States that accept a receipt (FROZEN only with an exception; RECEIVED only as an overpayment). */
export const RECEIVABLE: readonly SubsidyState[] = [...EXPECTING, SubsidyState.RECEIVED];

/** The state that reflects what came in, for a subsidy that is not frozen, justified or ended. */
export function receiptState(awarded: bigint, received: bigint): SubsidyState {
  if (received <= 0n) return SubsidyState.ACTIVE;
  return received >= awarded ? SubsidyState.RECEIVED : SubsidyState.PARTLY_RECEIVED;
}

/** States whose spending is still to be justified to the funder (the treasury report's and the treasurers' reminders'). */
export const AWAITING_JUSTIFICATION: readonly SubsidyState[] = EXPECTING.filter((state) => state !== SubsidyState.JUSTIFIED).concat(
  SubsidyState.RECEIVED,
);
