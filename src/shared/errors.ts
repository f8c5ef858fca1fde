/**
 * Refusals. Every error a client can see carries one of these codes in `extensions.code`;
 * outcomes that are part of normal work (an eligibility report, a missed quorum) are data, not errors.
 */
export enum ErrorCode {
  /** No valid session: the token is missing, unknown, expired or revoked. */
  UNAUTHENTICATED = 'UNAUTHENTICATED',
  /** Signed in, but the viewer's roles do not allow this operation on this scope. */
  FORBIDDEN = 'FORBIDDEN',
  /** The thing named does not exist (or the viewer may not know it exists). */
  NOT_FOUND = 'NOT_FOUND',
  /** The input is invalid; `extensions.fields` names each bad field. */
  BAD_USER_INPUT = 'BAD_USER_INPUT',
  /** The operation clashes with the current state (duplicate, wrong state, concurrent change). */
  CONFLICT = 'CONFLICT',
  /** Too many attempts; `extensions.retryAfterSeconds` says when to try again. */
  RATE_LIMITED = 'RATE_LIMITED',
  /** The request document is not valid GraphQL. */
  GRAPHQL_PARSE_FAILED = 'GRAPHQL_PARSE_FAILED',
  /** The document does not match the schema, or exceeds the depth, alias, cost or token limits. */
  GRAPHQL_VALIDATION_FAILED = 'GRAPHQL_VALIDATION_FAILED',
  /** The HTTP request itself is malformed (body not JSON, wrong method, missing query, batch). */
  BAD_REQUEST = 'BAD_REQUEST',
  /** The HTTP body is larger than the configured limit. */
  PAYLOAD_TOO_LARGE = 'PAYLOAD_TOO_LARGE',
  /** An unexpected failure; the response carries only `extensions.requestId`, the details are logged. */
  INTERNAL_SERVER_ERROR = 'INTERNAL_SERVER_ERROR',
}

/** One invalid input field and why. `field` is a dotted path such as `input.email`. */
export interface FieldProblem {
  field: string;
  messages: string[];
}

/** Base of the domain's refusals: services throw these, the error formatter maps them to codes. */
export abstract class AppError extends Error {
  abstract readonly code: ErrorCode;
  /** Extra, client-safe details merged into `extensions`. */
  readonly details: Record<string, unknown>;

  constructor(message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = new.target.name;
    this.details = details;
  }
}

export class UnauthenticatedError extends AppError {
  readonly code = ErrorCode.UNAUTHENTICATED;
  constructor(message = 'You must be signed in to do this.') {
    super(message);
  }
}

export class ForbiddenError extends AppError {
  readonly code = ErrorCode.FORBIDDEN;
  constructor(message = 'You are not allowed to do this.') {
    super(message);
  }
}

export class NotFoundError extends AppError {
  readonly code = ErrorCode.NOT_FOUND;
  constructor(entity: string, id: string) {
    super(`${entity} ${id} was not found.`, { entity, id });
  }
}

export class BadUserInputError extends AppError {
  readonly code = ErrorCode.BAD_USER_INPUT;
  constructor(message: string, fields: FieldProblem[] = []) {
    super(message, fields.length ? { fields } : {});
  }

  /** A refusal about one field. */
  static field(field: string, message: string): BadUserInputError {
    return new BadUserInputError(`Invalid ${field}: ${message}`, [{ field, messages: [message] }]);
  }
}

export class ConflictError extends AppError {
  readonly code = ErrorCode.CONFLICT;
}

export class RateLimitedError extends AppError {
  readonly code = ErrorCode.RATE_LIMITED;
  constructor(message: string, retryAfterSeconds: number) {
    super(message, { retryAfterSeconds });
  }
}
