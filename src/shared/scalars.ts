import { GraphQLScalarType } from 'graphql';
import { GraphQLDateTimeISO, LocalDateResolver } from 'graphql-scalars';

/** Today's date in UTC as `YYYY-MM-DD`. */
export function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** The dates Collegia accepts in input: anything outside is a typo (year 0000, 20266…), refused. */
export const FIRST_DAY = '1900-01-01';
export const LAST_DAY = '2100-12-31';
const RANGE = `between ${FIRST_DAY} and ${LAST_DAY}`;

function inRange(day: string): boolean {
  return day >= FIRST_DAY && day <= LAST_DAY;
}

const localDateConfig = LocalDateResolver.toConfig();

/**
 * A calendar date without time or zone, `YYYY-MM-DD` (founding dates, membership dates), carried
 * as that string inside the code too, so no time zone can shift it. In input, the sane range: a
 * value before 1900 or after 2100 is refused where it is parsed, so the error names the field (a
 * year 0000 used to reach PostgreSQL and fail there).
 */
export const LocalDate = new GraphQLScalarType({
  ...localDateConfig,
  name: 'LocalDate',
  description: `A calendar date, \`YYYY-MM-DD\`, without time or time zone; in input, ${RANGE}.`,
  parseValue(value: unknown) {
    const day = localDateConfig.parseValue(value);
    if (!inRange(day)) throw new TypeError(`Date ${day} is out of range: give a date ${RANGE}.`);
    return day;
  },
  parseLiteral(ast, variables) {
    const day = localDateConfig.parseLiteral(ast, variables);
    if (!inRange(day)) throw new TypeError(`Date ${day} is out of range: give a date ${RANGE}.`);
    return day;
  },
});

const dateTimeConfig = GraphQLDateTimeISO.toConfig();

/** DateTimeISO (type-graphql's scalar for `Date`) with the same range in input. */
export const BoundedDateTime = new GraphQLScalarType({
  ...dateTimeConfig,
  description: `An instant, ISO 8601 with a time zone (\`2026-12-03T14:15:00Z\`); in input, ${RANGE}.`,
  parseValue(value: unknown) {
    const instant = dateTimeConfig.parseValue(value);
    if (!inRange(isoDay(instant))) throw new TypeError(`Instant ${instant.toISOString()} is out of range: give one ${RANGE}.`);
    return instant;
  },
  parseLiteral(ast, variables) {
    const instant = dateTimeConfig.parseLiteral(ast, variables);
    if (!inRange(isoDay(instant))) throw new TypeError(`Instant ${instant.toISOString()} is out of range: give one ${RANGE}.`);
    return instant;
  },
});
