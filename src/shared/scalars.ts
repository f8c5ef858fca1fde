import { GraphQLScalarType } from 'graphql';
import { LocalDateResolver } from 'graphql-scalars';

/**
 * A calendar date without time or zone, `YYYY-MM-DD` (founding dates, membership dates). Carried
 * as that string inside the code too, so no time zone can shift it.
 */
export const LocalDate = new GraphQLScalarType({
  ...LocalDateResolver.toConfig(),
  name: 'LocalDate',
  description: 'A calendar date, `YYYY-MM-DD`, without time or time zone.',
});

/** Today's date in UTC as `YYYY-MM-DD`. */
export function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}
