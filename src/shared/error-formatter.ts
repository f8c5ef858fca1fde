import { unwrapResolverError } from '@apollo/server/errors';
import {
  CheckConstraintViolationException,
  DeadlockException,
  ForeignKeyConstraintViolationException,
  LockWaitTimeoutException,
  NotNullConstraintViolationException,
  UniqueConstraintViolationException,
} from '@mikro-orm/core';
import type { ValidationError } from 'class-validator';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import type { Logger } from 'pino';
import { ArgumentValidationError, getMetadataStorage } from 'type-graphql';
import { AppError, CommonReason, ErrorCode, invalidInputMessage, type FieldProblem } from './errors.js';
import { currentRequestScope } from './request-scope.js';

/** Codes Apollo or graphql-js put on errors they raise themselves, mapped onto ours. */
// A Map, not an object literal: a code such as "constructor" must not find an inherited property.
const FRAMEWORK_CODES = new Map<unknown, ErrorCode>([
  ['GRAPHQL_PARSE_FAILED', ErrorCode.GRAPHQL_PARSE_FAILED],
  ['GRAPHQL_VALIDATION_FAILED', ErrorCode.GRAPHQL_VALIDATION_FAILED],
  ['INTROSPECTION_DISABLED', ErrorCode.GRAPHQL_VALIDATION_FAILED],
  ['MAX_RECURSIVE_SELECTIONS_EXCEEDED', ErrorCode.GRAPHQL_VALIDATION_FAILED],
  ['BAD_USER_INPUT', ErrorCode.BAD_USER_INPUT],
  ['BAD_REQUEST', ErrorCode.BAD_REQUEST],
  ['OPERATION_RESOLUTION_FAILURE', ErrorCode.BAD_REQUEST],
  ['PERSISTED_QUERY_NOT_FOUND', ErrorCode.BAD_REQUEST],
  ['PERSISTED_QUERY_NOT_SUPPORTED', ErrorCode.BAD_REQUEST],
]);

/** The reason sent with a framework's refusal, by the code it maps to. */
const FRAMEWORK_REASONS: Partial<Record<ErrorCode, CommonReason>> = {
  [ErrorCode.GRAPHQL_PARSE_FAILED]: CommonReason.DOCUMENT_UNPARSABLE,
  [ErrorCode.GRAPHQL_VALIDATION_FAILED]: CommonReason.DOCUMENT_INVALID,
  [ErrorCode.BAD_REQUEST]: CommonReason.REQUEST_MALFORMED,
};

/**
 * The name of the argument a validated object came from: '' for an @ArgsType object (its
 * fields are top-level arguments), else the name of the @Arg declared with its class
 * (`input` for mutations, `filter` for list filters…).
 */
function argumentNameOf(target: unknown): string {
  const constructor = (target as { constructor?: unknown } | undefined)?.constructor;
  const storage = getMetadataStorage();
  if (storage.argumentTypes.some((type) => type.target === constructor)) return '';
  const param = storage.params.find((p) => p.kind === 'arg' && p.getType() === constructor);
  return param && 'name' in param ? param.name : 'input';
}

/**
 * Flattens class-validator's nested errors into paths that name the argument: `input.email` for
 * a mutation's input object, `first` for a top-level argument of an @ArgsType class.
 */
export function fieldProblems(errors: ValidationError[], prefix?: string): FieldProblem[] {
  return errors.flatMap((error) => {
    const base = prefix ?? argumentNameOf(error.target);
    const field = base ? `${base}.${error.property}` : error.property;
    const own = error.constraints ? [{ field, messages: Object.values(error.constraints) }] : [];
    return [...own, ...fieldProblems(error.children ?? [], field)];
  });
}

interface Classified {
  code: ErrorCode;
  /** A RefusalReason value: every refusal carries one. */
  reason: string;
  message: string;
  extensions?: Record<string, unknown>;
}

/** Decides what the client may see of an error. Exhaustive over what resolvers can throw. */
export function classifyError(error: unknown): Classified | undefined {
  if (error instanceof AppError) {
    return { code: error.code, reason: error.reason, message: error.message, extensions: error.details };
  }
  if (error instanceof ArgumentValidationError) {
    const fields = fieldProblems(error.extensions.validationErrors);
    return {
      code: ErrorCode.BAD_USER_INPUT,
      reason: CommonReason.INVALID_INPUT,
      message: invalidInputMessage(fields),
      extensions: { fields },
    };
  }
  // The database is the last line of defence: its refusals are the client's fault or a race.
  if (error instanceof UniqueConstraintViolationException) {
    return { code: ErrorCode.CONFLICT, reason: CommonReason.DUPLICATE, message: 'This would duplicate something that already exists.' };
  }
  if (error instanceof CheckConstraintViolationException || error instanceof NotNullConstraintViolationException) {
    return { code: ErrorCode.BAD_USER_INPUT, reason: CommonReason.DATA_RULE_BROKEN, message: 'The input breaks a rule of the data model.' };
  }
  if (error instanceof ForeignKeyConstraintViolationException) {
    return {
      code: ErrorCode.BAD_USER_INPUT,
      reason: CommonReason.REFERENCE_MISSING,
      message: 'The input refers to something that does not exist.',
    };
  }
  if (error instanceof DeadlockException || error instanceof LockWaitTimeoutException) {
    return { code: ErrorCode.CONFLICT, reason: CommonReason.CONCURRENT_CHANGE, message: 'A concurrent change got in the way; try again.' };
  }
  if (error instanceof GraphQLError) {
    // A refusal raised as a GraphQLError (from a plugin hook, to carry an HTTP status) keeps its reason.
    if (error.originalError instanceof AppError) return classifyError(error.originalError);
    // Apollo's own refusals (syntax, validation, variables, operation choice) carry their code and
    // keep graphql-js's uncoded error, or a scalar's TypeError, as `originalError`: the code decides.
    const code = FRAMEWORK_CODES.get(error.extensions?.code);
    if (code === ErrorCode.BAD_USER_INPUT) {
      // A variable that does not coerce: 'Variable "$input" got invalid value … at "input.foundedOn"; …'.
      const field = /at "([^"]+)"/.exec(error.message)?.[1] ?? /^Variable "\$([^"]+)"/.exec(error.message)?.[1];
      return {
        code,
        reason: CommonReason.INVALID_INPUT,
        message: error.message,
        extensions: field ? { fields: [{ field, messages: [error.message] }] } : undefined,
      };
    }
    if (code) return { code, reason: FRAMEWORK_REASONS[code] ?? CommonReason.DOCUMENT_INVALID, message: error.message };
    // Apollo wraps what a context function throws; classify the cause.
    if (error.originalError && error.originalError !== error) return classifyError(error.originalError);
    // graphql-js's own validation and coercion errors carry no code: they concern the document.
    return { code: ErrorCode.GRAPHQL_VALIDATION_FAILED, reason: CommonReason.DOCUMENT_INVALID, message: error.message };
  }
  return undefined;
}

/** Apollo's `formatError`: known refusals keep their message and code, anything else is hidden. */
export function createErrorFormatter(logger: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    const requestId = currentRequestScope()?.requestId;
    const known = classifyError(original);
    if (known) {
      return {
        message: known.message,
        locations: formatted.locations,
        path: formatted.path,
        extensions: { ...known.extensions, code: known.code, reason: known.reason },
      };
    }
    logger.error({ err: original, requestId, path: formatted.path }, 'unexpected error');
    return {
      message: `Internal server error. Quote request id ${requestId ?? 'unknown'} when reporting it.`,
      locations: formatted.locations,
      path: formatted.path,
      extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR, reason: CommonReason.INTERNAL, requestId },
    };
  };
}
