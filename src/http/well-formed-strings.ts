import type { RequestHandler } from 'express';
import { Kind, parse, visit } from 'graphql';
import { COMMON_REASONS, CommonReason, invalidInputMessage, type FieldProblem } from '../shared/errors.js';

/** Half of a surrogate pair with no other half. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** A NUL (PostgreSQL's text cannot hold it) or half of a surrogate pair (not text at all). */
function problemOf(text: string): string | null {
  if (text.includes('\u0000')) return 'must not contain the NUL character (U+0000)';
  if (LONE_SURROGATE.test(text)) return 'must not contain a lone surrogate character (invalid UTF-16)';
  return null;
}

/** Every string of `value` that PostgreSQL could not store, with its path (`input.name`). */
export function illFormedStrings(value: unknown, path: string, found: FieldProblem[] = []): FieldProblem[] {
  if (typeof value === 'string') {
    const problem = problemOf(value);
    if (problem) found.push({ field: path, messages: [problem] });
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => illFormedStrings(item, `${path}.${i}`, found));
  } else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) illFormedStrings(item, path ? `${path}.${key}` : key, found);
  }
  return found;
}

/**
 * The strings a document's literals decode to, when it writes any with an escape (`"A\u0000B"`):
 * the text itself holds no NUL then, the parsed value does. A document that does not parse is
 * left for Apollo to refuse.
 */
function illFormedLiterals(query: unknown): FieldProblem[] {
  if (typeof query !== 'string' || !query.includes('\\u')) return [];
  const found: FieldProblem[] = [];
  try {
    visit(parse(query), {
      [Kind.STRING]: (node) => {
        illFormedStrings(node.value, 'query', found);
      },
    });
  } catch {
    return [];
  }
  return found;
}

/**
 * Refuses a GraphQL request carrying a string PostgreSQL cannot store — in its variables (the
 * error names the field: `input.name`) or in the document's own literals (`query`) — before
 * anything runs: such a string used to reach the database and fail there as a 500. Answered
 * as the API's errors are, BAD_USER_INPUT with `extensions.fields`.
 */
export const refuseIllFormedStrings: RequestHandler = (req, res, next) => {
  const body = (req.body ?? {}) as { query?: unknown; variables?: unknown; operationName?: unknown };
  const problems = [
    ...illFormedStrings(body.variables ?? {}, ''),
    ...illFormedStrings(body.query ?? '', 'query'),
    ...illFormedLiterals(body.query),
    ...illFormedStrings(body.operationName ?? '', 'operationName'),
    ...illFormedStrings(req.query, ''),
  ];
  if (!problems.length) return next();
  const reason = CommonReason.INVALID_INPUT;
  res.status(400).json({
    errors: [
      {
        message: invalidInputMessage(problems),
        extensions: { code: COMMON_REASONS[reason].code, reason, fields: problems, requestId: req.requestId },
      },
    ],
  });
};
