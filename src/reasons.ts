import { GraphQLEnumType } from 'graphql';
import { AUTH_REASONS } from './auth/auth.reasons.js';
import { FINANCE_REASONS } from './finance/finance.reasons.js';
import { FUSION_REASONS } from './fusion/fusion.reasons.js';
import { GOVERNANCE_REASONS } from './governance/governance.reasons.js';
import { MEETING_REASONS } from './governance/meeting.reasons.js';
import { MEMBERSHIP_REASONS } from './membership/membership.reasons.js';
import { NOTIFICATION_REASONS } from './notification/notification.reasons.js';
import { COMMON_REASONS, ErrorCode, type ReasonInfo } from './shared/errors.js';

/** Every domain's reason table, by the layer that raises them. */
export const REASON_TABLES: Record<string, Readonly<Record<string, ReasonInfo>>> = {
  common: COMMON_REASONS,
  auth: AUTH_REASONS,
  notification: NOTIFICATION_REASONS,
  membership: MEMBERSHIP_REASONS,
  finance: FINANCE_REASONS,
  governance: GOVERNANCE_REASONS,
  meetings: MEETING_REASONS,
  fusion: FUSION_REASONS,
};

/** All refusal reasons, each once: a value two domains both declared would be ambiguous. */
export function allReasons(tables = REASON_TABLES): Map<string, ReasonInfo & { layer: string }> {
  const all = new Map<string, ReasonInfo & { layer: string }>();
  for (const [layer, table] of Object.entries(tables)) {
    for (const [reason, info] of Object.entries(table)) {
      const already = all.get(reason);
      if (already) throw new Error(`Refusal reason ${reason} is declared by both ${already.layer} and ${layer}.`);
      all.set(reason, { ...info, layer });
    }
  }
  return all;
}

/**
 * `RefusalReason` in the schema: no field returns it, it documents `extensions.reason`. Each value
 * says the code it comes with and what it means.
 */
export function refusalReasonEnum(): GraphQLEnumType {
  return new GraphQLEnumType({
    name: 'RefusalReason',
    description:
      'Why a request was refused: `extensions.reason` of every GraphQL error (and of the downloads’ JSON errors), beside `extensions.code` (an `ErrorCode`). A closed list: a client can switch on it, and show its own words for each.',
    values: Object.fromEntries(
      [...allReasons()].map(([reason, info]) => [
        reason,
        { value: reason, description: `${info.code} (${info.layer}). ${info.description}` },
      ]),
    ),
  });
}

const CODE_DESCRIPTIONS: Record<ErrorCode, string> = {
  [ErrorCode.UNAUTHENTICATED]: 'No valid session: the token is missing, unknown, expired or revoked (HTTP 401).',
  [ErrorCode.FORBIDDEN]: 'Signed in, but the viewer’s roles do not allow this operation on this scope.',
  [ErrorCode.NOT_FOUND]: 'The thing named does not exist (or the viewer may not know it exists).',
  [ErrorCode.BAD_USER_INPUT]: 'The input is invalid; `extensions.fields` names each bad field.',
  [ErrorCode.CONFLICT]: 'The operation clashes with the current state (duplicate, wrong state, concurrent change).',
  [ErrorCode.RATE_LIMITED]: 'Too many attempts; `extensions.retryAfterSeconds` says when to try again.',
  [ErrorCode.GRAPHQL_PARSE_FAILED]: 'The request document is not valid GraphQL.',
  [ErrorCode.GRAPHQL_VALIDATION_FAILED]: 'The document does not match the schema, or exceeds the depth, alias, cost or token limits.',
  [ErrorCode.BAD_REQUEST]: 'The HTTP request itself is malformed (body not JSON, wrong method, missing query, batch).',
  [ErrorCode.PAYLOAD_TOO_LARGE]: 'The HTTP body is larger than the configured limit.',
  [ErrorCode.INTERNAL_SERVER_ERROR]: 'An unexpected failure; the response carries only `extensions.requestId`, the details are logged.',
};

/** `ErrorCode` in the schema: the closed list of `extensions.code`. */
export function errorCodeEnum(): GraphQLEnumType {
  return new GraphQLEnumType({
    name: 'ErrorCode',
    description: 'The kind of refusal: `extensions.code` of every GraphQL error; `extensions.reason` (a `RefusalReason`) says which rule.',
    values: Object.fromEntries(Object.values(ErrorCode).map((code) => [code, { value: code, description: CODE_DESCRIPTIONS[code] }])),
  });
}
