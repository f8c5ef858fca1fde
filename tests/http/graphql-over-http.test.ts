import { serverAudits, type AuditResult } from 'graphql-http';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * The GraphQL-over-HTTP conformance audit of `graphql-http`, against the real app over HTTP.
 * A failed MUST ends with status 'error' and fails its test; failed SHOULDs ('warn') and MAYs
 * ('notice') are allowed and listed in a summary at the end of the run.
 */

let app: TestApp | undefined;
const results: AuditResult[] = [];

// Audits are listed before the app starts (jest needs the titles up front); the URL is read per audit.
const audits = serverAudits({
  url: () => {
    if (!app) throw new Error('the app has not started');
    return app.graphqlUrl;
  },
});

beforeAll(async () => {
  app = await startTestApp();
});

afterAll(async () => {
  const remarks = results.filter((result) => result.status !== 'ok');
  if (remarks.length) {
    const lines = remarks.map(
      (result) => `  [${result.status}] ${result.id} ${result.name}\n      ${'reason' in result ? result.reason : ''}`,
    );
    console.log(`GraphQL-over-HTTP audit: ${results.length - remarks.length}/${results.length} ok; not ok (allowed):\n${lines.join('\n')}`);
  }
  await app?.close();
});

describe('GraphQL over HTTP (graphql-http audit)', () => {
  it('has audits to run', () => {
    expect(audits.length).toBeGreaterThan(30);
  });

  it.each(audits.map((audit) => [`${audit.id} ${audit.name}`, audit] as const))('%s', async (_title, audit) => {
    const result = await audit.fn();
    results.push(result);
    if (result.status !== 'ok' && !result.response.bodyUsed) {
      // Free the connection so that the server can close promptly.
      await result.response.arrayBuffer().catch(() => undefined);
    }
    const failure = result.status === 'error' ? result.reason : undefined;
    expect({ audit: result.name, failure }).toEqual({ audit: result.name, failure: undefined });
  });
});
