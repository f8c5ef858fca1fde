import { EXPECTING } from './subsidy-state.js';

/**
 * A subsidy's money in the ledger's words, said once: what the treasury report, the subsidies
 * export, the ledger export and `Subsidy.balance` all compute, in SQL, from the same expressions.
 */

/** What the ledger says of one subsidy, in cents. */
export interface SubsidyBalance {
  awarded: bigint;
  received: bigint;
  /** awarded − received while the state still expects money (EXPECTING), else 0. */
  outstanding: bigint;
}

/** A SQL list of states: `'AWARDED', 'ACTIVE'…` (the values are the enum's, never user input). */
export const sqlStates = (states: readonly string[]): string => states.map((s) => `'${s}'`).join(', ');

/** The kinds whose amounts count in awarded, and in received (a CLAWBACK lowers both). */
const AWARDED_KINDS = `'AWARD', 'CLAWBACK'`;
const RECEIVED_KINDS = `'RECEIPT', 'CLAWBACK'`;

/**
 * What one ledger entry `e` adds to its subsidy's awarded and received, in cents (`r`: the entry it
 * reverses, left-joined on `e.reverses_id`). A reversal follows the kind of the entry it reverses;
 * a CLAWBACK lowers both; markers (TRANSFER, FREEZE, RELEASE) add nothing. The balances below are
 * their sums, and the accountant's ledger shows them per entry, so that its sums explain each
 * subsidy's figures.
 */
export const AWARDED_CHANGE_SQL = `case when coalesce(r.kind, e.kind) in (${AWARDED_KINDS}) then e.amount else 0 end`;
export const RECEIVED_CHANGE_SQL = `case when coalesce(r.kind, e.kind) in (${RECEIVED_KINDS}) then e.amount else 0 end`;

/**
 * The net awarded and received of each subsidy, from its ledger entries (the sums of
 * AWARDED_CHANGE_SQL and RECEIVED_CHANGE_SQL); append `where …` on `e` and `group by
 * e.subsidy_id`. Text columns `awarded` and `received` (bigint sums, as text so no precision is
 * lost on the way).
 */
export const BALANCE_SQL = `
  select e.subsidy_id,
         coalesce(sum(${AWARDED_CHANGE_SQL}), 0)::text as awarded,
         coalesce(sum(${RECEIVED_CHANGE_SQL}), 0)::text as received
    from ledger_entry e left join ledger_entry r on r.id = e.reverses_id`;

/**
 * The net awarded and received (numeric columns `awarded`, `received`) of the subsidies with
 * entries `e` for which `where` holds (e.g. `e.subsidy_id in (select id from scope)`): the same
 * sums as BALANCE_SQL, computed set-wise for many subsidies. Every entry is summed by its own kind
 * in one scan of the ledger (a REVERSAL falls in neither sum there), which PostgreSQL can share
 * among parallel workers; the reversals, which count as the kind of the entry they reverse, are
 * added from a second, small aggregate that finds them through the unique index on `reverses_id`
 * — instead of looking up a reversed entry for every entry. `where` is written twice (both parts
 * filter alike), so it must not hold placeholders.
 */
export function balancesSql(where: string): string {
  return `
  select b.subsidy_id, b.awarded + coalesce(v.awarded, 0) as awarded, b.received + coalesce(v.received, 0) as received
    from (select e.subsidy_id,
                 coalesce(sum(e.amount) filter (where e.kind in (${AWARDED_KINDS})), 0) as awarded,
                 coalesce(sum(e.amount) filter (where e.kind in (${RECEIVED_KINDS})), 0) as received
            from ledger_entry e
           where ${where}
           group by e.subsidy_id) b
    left join (select e.subsidy_id,
                      coalesce(sum(e.amount) filter (where r.kind in (${AWARDED_KINDS})), 0) as awarded,
                      coalesce(sum(e.amount) filter (where r.kind in (${RECEIVED_KINDS})), 0) as received
                 from ledger_entry e join ledger_entry r on r.id = e.reverses_id
                where e.reverses_id is not null and ${where}
                group by e.subsidy_id) v on v.subsidy_id = b.subsidy_id`;
}

/**
 * Outstanding, the one formula: what is still expected of a subsidy — awarded − received while its
 * state expects money (AWARDED, ACTIVE, FROZEN, PARTLY_RECEIVED, JUSTIFIED), else 0. SQL over
 * bigint expressions.
 */
export function outstandingSql(state: string, awarded: string, received: string): string {
  return `case when ${state} in (${sqlStates(EXPECTING)}) then greatest(${awarded} - ${received}, 0) else 0 end`;
}

/** Forgone: the unpaid balance of a subsidy that expects no more money (outstanding's complement). */
export function forgoneSql(state: string, awarded: string, received: string): string {
  return `case when ${state} not in (${sqlStates(EXPECTING)}) then greatest(${awarded} - ${received}, 0) else 0 end`;
}

/** Overpaid: what was received beyond the award (outstanding and forgone are then 0). */
export function overpaidSql(awarded: string, received: string): string {
  return `greatest(${received} - ${awarded}, 0)`;
}

/**
 * Awarded, received (bigint, 0 without entries) and outstanding of the subsidies `subsidy`
 * selects (alias `s`, with `s.id` and `s.state`): append a `where` on `s`. Columns `subsidy_id`,
 * `awarded`, `received`, `outstanding`, as text.
 */
export const SUBSIDY_BALANCES_SQL = `
  select s.id as subsidy_id, coalesce(b.awarded, '0') as awarded, coalesce(b.received, '0') as received,
         (${outstandingSql('s.state', "coalesce(b.awarded, '0')::bigint", "coalesce(b.received, '0')::bigint")})::text as outstanding
    from subsidy s
    left join lateral (${BALANCE_SQL} where e.subsidy_id = s.id group by e.subsidy_id) b on true`;

/** A row of SUBSIDY_BALANCES_SQL, as the driver returns it. */
export interface RawBalance {
  awarded: string;
  received: string;
  outstanding: string;
}

export function toBalance(row: RawBalance | undefined): SubsidyBalance {
  return { awarded: BigInt(row?.awarded ?? 0), received: BigInt(row?.received ?? 0), outstanding: BigInt(row?.outstanding ?? 0) };
}

/**
 * The unpaid part of an instalment `i` (SQL): receipts pay a subsidy's instalments in order, so an
 * instalment is paid by what was received beyond the instalments before it. `received` is the
 * subsidy's received total (bigint). One formula for the treasury report and the reminders.
 */
export function instalmentUnpaidSql(received: string): string {
  return `i.amount - least(i.amount, greatest(0, ${received} - (sum(i.amount) over (partition by i.subsidy_id order by i.position) - i.amount)))`;
}
