import { getIntrospectionQuery } from 'graphql';
import { startTestApp, type TestApp } from '../support/test-app.js';

/** The GraphiQL explorer: a browser page on GET /graphql that works without internet access. */

const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app?.close();
});

const openPage = (target: TestApp) => fetch(target.graphqlUrl, { headers: { accept: BROWSER_ACCEPT } });

/** The status of a GET, its body read so that the connection is free for the server to close. */
async function statusOf(url: string): Promise<number> {
  const res = await fetch(url);
  await res.arrayBuffer();
  return res.status;
}

/** Every script and stylesheet the page loads, as written in the page. */
function referencedAssets(html: string): string[] {
  const scripts = [...html.matchAll(/<script\b[^>]*\bsrc="([^"]+)"/g)].map((m) => m[1]);
  const styles = [...html.matchAll(/<link\b[^>]*\brel="stylesheet"[^>]*\bhref="([^"]+)"/g)].map((m) => m[1]);
  return [...scripts, ...styles];
}

describe('the explorer page', () => {
  it('is served to a browser as HTML that loads only this origin’s assets', async () => {
    const res = await openPage(app);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).toMatch(/<div id="graphiql">/);
    expect(html).not.toMatch(/https?:\/\//);
    const assets = referencedAssets(html);
    expect(assets).toEqual(expect.arrayContaining([expect.stringMatching(/graphiql\.js$/), expect.stringMatching(/graphiql\.css$/)]));
    // Relative to this origin only: no scheme, no protocol-relative "//host".
    for (const asset of assets) expect(asset).toMatch(/^\/[^/]/);
  });

  it('forbids scripts from elsewhere and inline scripts through its Content-Security-Policy', async () => {
    const res = await openPage(app);
    await res.text();
    const csp = res.headers.get('content-security-policy') ?? '';
    const scriptSrc = /script-src ([^;]+)/.exec(csp)?.[1];
    expect(scriptSrc?.trim()).toBe("'self'");
    expect(csp).toMatch(/connect-src 'self'/);
  });

  it('serves every asset it references, with a JavaScript or CSS content type', async () => {
    const assets = referencedAssets(await (await openPage(app)).text());
    expect(assets.length).toBeGreaterThanOrEqual(4);
    for (const asset of assets) {
      const res = await fetch(`${app.url}${asset}`);
      expect({ asset, status: res.status }).toEqual({ asset, status: 200 });
      const type = res.headers.get('content-type') ?? '';
      if (asset.endsWith('.css')) expect(type).toMatch(/^text\/css/);
      else expect(type).toMatch(/^(application|text)\/javascript/);
      const body = await res.text();
      expect(body.length).toBeGreaterThan(0);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    }
  });

  it('starts GraphiQL against this server with a script that fetches nothing from elsewhere', async () => {
    const assets = referencedAssets(await (await openPage(app)).text());
    const init = assets.find((asset) => asset.endsWith('init.js'));
    expect(init).toBeDefined();
    const script = await (await fetch(`${app.url}${init}`)).text();
    expect(script).toMatch(/GraphiQL\.createFetcher/);
    expect(script).not.toMatch(/https?:\/\//);
  });

  it('can load the schema for its docs and completion: the full introspection query passes the limits', async () => {
    const query = getIntrospectionQuery({
      descriptions: true,
      inputValueDeprecation: true,
      schemaDescription: true,
      specifiedByUrl: true,
      directiveIsRepeatable: true,
    });
    const res = await app.gql(query);
    expect(res.status).toBe(200);
    expect(res.body.errors).toBeUndefined();
    const types = (res.body.data!.__schema.types as { name: string }[]).map((type) => type.name);
    expect(types).toEqual(expect.arrayContaining(['Query', 'Mutation', 'Cluster']));
  });

  it('answers an unknown explorer asset with a coded 404', async () => {
    const res = await fetch(`${app.url}/explorer/..%2f..%2fpackage.json`);
    expect(res.status).toBe(404);
    const body = (await res.json()) as { errors: { extensions: { code: string } }[] };
    expect(body.errors[0].extensions.code).toBe('NOT_FOUND');
    expect(await statusOf(`${app.url}/explorer/nope.js`)).toBe(404);
  });
});

describe('GraphQL clients on GET /graphql', () => {
  it('still run a query given in the query string with Accept: application/json', async () => {
    const res = await fetch(`${app.graphqlUrl}?query=${encodeURIComponent('{__typename}')}`, {
      headers: { accept: 'application/json', 'apollo-require-preflight': 'true' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await res.json()).toEqual({ data: { __typename: 'Query' } });
  });

  it('run the query rather than get the page when a browser-like Accept comes with ?query=', async () => {
    const res = await fetch(`${app.graphqlUrl}?query=${encodeURIComponent('{__typename}')}`, {
      headers: { accept: BROWSER_ACCEPT, 'apollo-require-preflight': 'true' },
    });
    expect(await res.json()).toEqual({ data: { __typename: 'Query' } });
  });
});

describe('in production', () => {
  it('the explorer is not served unless GRAPHQL_EXPLORER=true', async () => {
    const production = await startTestApp({ env: { NODE_ENV: 'production' } });
    try {
      const page = await openPage(production);
      expect(page.headers.get('content-type')).not.toMatch(/text\/html/);
      expect(await page.text()).not.toMatch(/graphiql/i);
      expect(await statusOf(`${production.url}/explorer/graphiql.js`)).toBe(404);
    } finally {
      await production.close();
    }

    const opened = await startTestApp({ env: { NODE_ENV: 'production', GRAPHQL_EXPLORER: 'true' } });
    try {
      const page = await openPage(opened);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toMatch(/^text\/html/);
      expect(await page.text()).toMatch(/<div id="graphiql">/);
      expect(await statusOf(`${opened.url}/explorer/graphiql.js`)).toBe(200);
    } finally {
      await opened.close();
    }
  });
});
