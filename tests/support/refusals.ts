import type { GraphQLResponse } from '../support/test-app.js';

/** The code and reason of a response's first error: what a client switches on (never its message). */
export function refusal(response: GraphQLResponse): { code: unknown; reason: unknown } {
  const extensions = response.body.errors?.[0]?.extensions ?? {};
  return { code: extensions.code, reason: extensions.reason };
}

/** The status, code and reason of a download's JSON refusal. */
export async function downloadRefusal(response: Response): Promise<{ status: number; code: unknown; reason: unknown }> {
  const body = (await response.json()) as { errors?: { extensions?: Record<string, unknown> }[] };
  const extensions = body.errors?.[0]?.extensions ?? {};
  return { status: response.status, code: extensions.code, reason: extensions.reason };
}

/** The code and reason of every error of a response. */
export function refusals(response: GraphQLResponse): { code: unknown; reason: unknown }[] {
  return (response.body.errors ?? []).map((error) => ({ code: error.extensions?.code, reason: error.extensions?.reason }));
}
