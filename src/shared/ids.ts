import { isUUID } from 'class-validator';
import { BadUserInputError } from './errors.js';

/**
 * Ids that reach a lookup as free-form `ID` arguments (not through a validated input): a value
 * that is not a UUID would make PostgreSQL fail the query (an internal error) rather than match
 * nothing, so it is refused as the client's mistake, naming the argument.
 */
export function uuidArg(name: string, value: string): string;
export function uuidArg(name: string, value: string | null | undefined): string | undefined;
export function uuidArg(name: string, value: string | null | undefined): string | undefined {
  if (value == null) return undefined;
  if (!isUUID(value)) throw BadUserInputError.field(name, 'must be a UUID');
  return value;
}
