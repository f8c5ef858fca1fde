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

/**
 * What a refusal's `extensions.reason` means and the code it is sent with. Each domain declares its
 * reasons as a closed enum and describes every value in a table typed `ReasonTable<ItsEnum>`, so
 * the compiler refuses a reason without a code or a description; the composition root joins the
 * tables into the `RefusalReason` enum of the emitted schema (src/reasons.ts).
 */
export interface ReasonInfo {
  code: ErrorCode;
  /** Plain words for the schema: what happened and what the client can do about it. */
  description: string;
}

export type ReasonTable<R extends string> = { readonly [K in R]: ReasonInfo };

/** Reasons that every domain shares: the generic refusals of the API and of its HTTP layer. */
export enum CommonReason {
  SIGN_IN_REQUIRED = 'SIGN_IN_REQUIRED',
  RIGHT_MISSING = 'RIGHT_MISSING',
  NOT_FOUND = 'NOT_FOUND',
  INVALID_INPUT = 'INVALID_INPUT',
  DUPLICATE = 'DUPLICATE',
  DATA_RULE_BROKEN = 'DATA_RULE_BROKEN',
  REFERENCE_MISSING = 'REFERENCE_MISSING',
  CONCURRENT_CHANGE = 'CONCURRENT_CHANGE',
  TOO_MANY_ATTEMPTS = 'TOO_MANY_ATTEMPTS',
  DOCUMENT_UNPARSABLE = 'DOCUMENT_UNPARSABLE',
  DOCUMENT_INVALID = 'DOCUMENT_INVALID',
  QUERY_TOO_COSTLY = 'QUERY_TOO_COSTLY',
  REQUEST_MALFORMED = 'REQUEST_MALFORMED',
  PAYLOAD_TOO_LARGE = 'PAYLOAD_TOO_LARGE',
  INTERNAL = 'INTERNAL',
}

export const COMMON_REASONS: ReasonTable<CommonReason> = {
  [CommonReason.SIGN_IN_REQUIRED]: {
    code: ErrorCode.UNAUTHENTICATED,
    description: 'No session: sign in with `login` and send the token as `Authorization: Bearer <token>`.',
  },
  [CommonReason.RIGHT_MISSING]: {
    code: ErrorCode.FORBIDDEN,
    description:
      'Signed in, but none of the viewer’s roles allows this on this cluster, collège or organisation; the message names who may, `extensions.action` the operation.',
  },
  [CommonReason.NOT_FOUND]: {
    code: ErrorCode.NOT_FOUND,
    description: 'Nothing with this id (`extensions.entity`, `extensions.id`), or nothing the viewer may know of.',
  },
  [CommonReason.INVALID_INPUT]: {
    code: ErrorCode.BAD_USER_INPUT,
    description: 'An argument is malformed or out of range; `extensions.fields` names each bad field and why. Nothing was written.',
  },
  [CommonReason.DUPLICATE]: {
    code: ErrorCode.CONFLICT,
    description: 'This would duplicate something that already exists (a uniqueness rule of the database).',
  },
  [CommonReason.DATA_RULE_BROKEN]: {
    code: ErrorCode.BAD_USER_INPUT,
    description: 'The input breaks a rule the database enforces (a CHECK or NOT NULL constraint). Nothing was written.',
  },
  [CommonReason.REFERENCE_MISSING]: {
    code: ErrorCode.BAD_USER_INPUT,
    description: 'The input refers to something that does not exist (a foreign key). Nothing was written.',
  },
  [CommonReason.CONCURRENT_CHANGE]: {
    code: ErrorCode.CONFLICT,
    description: 'A concurrent change got in the way (deadlock or lock timeout); nothing was written: try again.',
  },
  [CommonReason.TOO_MANY_ATTEMPTS]: {
    code: ErrorCode.RATE_LIMITED,
    description: 'Too many attempts; `extensions.retryAfterSeconds` says when to try again.',
  },
  [CommonReason.DOCUMENT_UNPARSABLE]: { code: ErrorCode.GRAPHQL_PARSE_FAILED, description: 'The request document is not valid GraphQL.' },
  [CommonReason.DOCUMENT_INVALID]: {
    code: ErrorCode.GRAPHQL_VALIDATION_FAILED,
    description: 'The document does not match the schema, or exceeds the depth, alias, cost or token limits.',
  },
  [CommonReason.QUERY_TOO_COSTLY]: {
    code: ErrorCode.GRAPHQL_VALIDATION_FAILED,
    description:
      'The answer could hold more values than the server allows (`extensions.cost` against `extensions.maxCost`): every field counts 1, a page multiplies what it selects by its `first`. Ask for smaller pages or fewer nested lists.',
  },
  [CommonReason.REQUEST_MALFORMED]: {
    code: ErrorCode.BAD_REQUEST,
    description: 'The HTTP request itself is malformed (body not JSON, wrong method, missing query, batch, unreadable body).',
  },
  [CommonReason.PAYLOAD_TOO_LARGE]: {
    code: ErrorCode.PAYLOAD_TOO_LARGE,
    description: 'The HTTP body is larger than the configured limit.',
  },
  [CommonReason.INTERNAL]: {
    code: ErrorCode.INTERNAL_SERVER_ERROR,
    description: 'An unexpected failure; quote `extensions.requestId`: the details are in the server log under it.',
  },
};

/** Base of every refusal: services throw these, the error formatter sends their code and reason. */
export abstract class AppError extends Error {
  abstract readonly code: ErrorCode;
  /** A value of one of the domains' reason enums (the `RefusalReason` enum of the schema). */
  readonly reason: string;
  /** Extra, client-safe details merged into `extensions`. */
  readonly details: Record<string, unknown>;

  constructor(reason: string, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = new.target.name;
    this.reason = reason;
    this.details = details;
  }
}

export class UnauthenticatedError extends AppError {
  readonly code = ErrorCode.UNAUTHENTICATED;
  constructor(message = 'You must be signed in to do this.', reason: string = CommonReason.SIGN_IN_REQUIRED) {
    super(reason, message);
  }
}

export class ForbiddenError extends AppError {
  readonly code = ErrorCode.FORBIDDEN;
  constructor(
    message = 'You are not allowed to do this.',
    details: Record<string, unknown> = {},
    reason: string = CommonReason.RIGHT_MISSING,
  ) {
    super(reason, message, details);
  }
}

export class NotFoundError extends AppError {
  readonly code = ErrorCode.NOT_FOUND;
  constructor(entity: string, id: string) {
    super(CommonReason.NOT_FOUND, `${entity} ${id} was not found.`, { entity, id });
  }
}

export class BadUserInputError extends AppError {
  readonly code = ErrorCode.BAD_USER_INPUT;
  constructor(message: string, fields: FieldProblem[] = [], reason: string = CommonReason.INVALID_INPUT) {
    super(reason, message, fields.length ? { fields } : {});
  }

  /**
   * A refusal naming every bad field at once, its message in the one form every BAD_USER_INPUT
   * uses: "Invalid input. input.siren: …; input.headcount: …".
   */
  static of(problems: FieldProblem[], reason: string = CommonReason.INVALID_INPUT): BadUserInputError {
    return new BadUserInputError(invalidInputMessage(problems), problems, reason);
  }

  /** A refusal about one field; a domain rule names its own reason. */
  static field(field: string, message: string, reason: string = CommonReason.INVALID_INPUT): BadUserInputError {
    return BadUserInputError.of([{ field, messages: [message] }], reason);
  }
}

/** The message of a BAD_USER_INPUT: "Invalid input. <field>: <why>[, <why>]; <field>: …". */
export function invalidInputMessage(problems: FieldProblem[]): string {
  return `Invalid input. ${problems.map((p) => `${p.field}: ${p.messages.join(', ')}`).join('; ')}`;
}

/**
 * @deprecated A conflict without a reason: being replaced by each domain's refusals
 * (`refusal(Reason.X, message)`); removed once no domain throws it.
 */
export class ConflictError extends AppError {
  readonly code = ErrorCode.CONFLICT;
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('UNCLASSIFIED_CONFLICT', message, details);
  }
}

export class RateLimitedError extends AppError {
  readonly code = ErrorCode.RATE_LIMITED;
  constructor(message: string, retryAfterSeconds: number) {
    super(CommonReason.TOO_MANY_ATTEMPTS, message, { retryAfterSeconds });
  }
}

/** A refusal raised by a domain rule: its code comes from the domain's reason table. */
export class Refusal extends AppError {
  constructor(
    readonly code: ErrorCode,
    reason: string,
    message: string,
    details: Record<string, unknown> = {},
  ) {
    super(reason, message, details);
  }
}

/**
 * The refusal factory of one domain: `const refuse = refusalsOf(MEMBERSHIP_REASONS)`, then
 * `throw refuse(MembershipReason.APPLICATION_ALREADY_DECIDED, 'This application was decided on …', { state })`.
 */
export function refusalsOf<R extends string>(table: ReasonTable<R>) {
  return (reason: R, message: string, details: Record<string, unknown> = {}): Refusal =>
    new Refusal(table[reason].code, reason, message, details);
}
