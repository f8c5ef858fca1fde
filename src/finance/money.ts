import { GraphQLError, GraphQLScalarType, Kind, type ValueNode } from 'graphql';
import { ErrorCode } from '../shared/errors.js';

/** The range of a PostgreSQL `bigint`: what a cents column can hold. */
const MAX_CENTS = 9_223_372_036_854_775_807n;
const MIN_CENTS = -9_223_372_036_854_775_808n;
const INTEGER = /^-?(0|[1-9][0-9]*)$/;

function invalid(value: unknown): GraphQLError {
  return new GraphQLError(
    `Money is an integer number of euro cents, as a string ("150000000" for 1.5 M€) or a JSON integer; ${JSON.stringify(value)} is not one.`,
    { extensions: { code: ErrorCode.BAD_USER_INPUT } },
  );
}

/** Reads cents from a string of digits or a safe JSON integer; refuses fractions, exponents and anything beyond a bigint. */
export function parseCents(value: unknown): bigint {
  let cents: bigint;
  if (typeof value === 'string' && INTEGER.test(value)) cents = BigInt(value);
  else if (typeof value === 'number' && Number.isSafeInteger(value)) cents = BigInt(value);
  else if (typeof value === 'bigint') cents = value;
  else throw invalid(value);
  if (cents > MAX_CENTS || cents < MIN_CENTS) throw invalid(value);
  return cents;
}

/**
 * Money on the wire: **integer euro cents**, exact at any size. Output is always a string of
 * digits (`"100000000"` is 1 M€), so no client loses cents to floating point; input accepts that
 * string or a JSON integer up to 2^53. Fractions of a cent, decimals ("12.50"), exponents and
 * values beyond a signed 64-bit integer are refused with BAD_USER_INPUT.
 */
export const MoneyScalar = new GraphQLScalarType<bigint, string>({
  name: 'Money',
  description:
    'An amount in integer euro cents, exact at any size: always sent as a string of digits ("100000000" = 1 000 000.00 €); accepted as such a string or as a JSON integer. Fractions of a cent are refused.',
  serialize(value) {
    if (typeof value === 'bigint') return value.toString();
    return parseCents(value).toString();
  },
  parseValue: parseCents,
  parseLiteral(ast: ValueNode) {
    if (ast.kind === Kind.STRING || ast.kind === Kind.INT) return parseCents(ast.kind === Kind.INT ? safeInt(ast.value) : ast.value);
    throw invalid(ast.kind === Kind.FLOAT ? Number(ast.value) : ast.kind);
  },
});

/** An integer literal as a string of digits when it would not fit a double exactly. */
function safeInt(text: string): string | number {
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : text;
}

/** "1234.56" from 123456n: the accountant's euros with two decimals, exact. */
export function formatEuros(cents: bigint): string {
  const negative = cents < 0n;
  const abs = negative ? -cents : cents;
  return `${negative ? '-' : ''}${(abs / 100n).toString()}.${(abs % 100n).toString().padStart(2, '0')}`;
}

/** Sum of cents. */
export function sumCents(values: Iterable<bigint>): bigint {
  let total = 0n;
  for (const value of values) total += value;
  return total;
}
