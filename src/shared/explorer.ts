import { createRequire } from 'node:module';
import path from 'node:path';
import express, { type Router } from 'express';

const require = createRequire(import.meta.url);
const packageDir = (name: string) => path.dirname(require.resolve(`${name}/package.json`));

/** The explorer's assets, all served from node_modules: it works without internet access. */
const ASSETS: Record<string, string> = {
  'react.js': path.join(packageDir('react'), 'umd', 'react.production.min.js'),
  'react-dom.js': path.join(packageDir('react-dom'), 'umd', 'react-dom.production.min.js'),
  'graphiql.js': path.join(packageDir('graphiql'), 'graphiql.min.js'),
  'graphiql.css': path.join(packageDir('graphiql'), 'graphiql.min.css'),
};

const DEFAULT_QUERY = `# Welcome to Collegia. Sign in with the login mutation, then put the token in
# the Headers tab as {"Authorization": "Bearer <token>"}.
query Clusters {
  clusters {
    name
    slug
    kind
    status
    colleges { name theme }
  }
}
`;

const INIT_SCRIPT = `
const fetcher = GraphiQL.createFetcher({ url: window.location.pathname });
const root = ReactDOM.createRoot(document.getElementById('graphiql'));
root.render(React.createElement(GraphiQL, {
  fetcher,
  defaultQuery: ${JSON.stringify(DEFAULT_QUERY)},
  defaultEditorToolsVisibility: true,
  shouldPersistHeaders: false,
}));
`;

const PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Collegia — GraphQL explorer</title>
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <link rel="stylesheet" href="/explorer/graphiql.css">
  <style>body { margin: 0; height: 100vh; } #graphiql { height: 100vh; }</style>
</head>
<body>
  <div id="graphiql">Loading the explorer…</div>
  <script src="/explorer/react.js"></script>
  <script src="/explorer/react-dom.js"></script>
  <script src="/explorer/graphiql.js"></script>
  <script src="/explorer/init.js"></script>
</body>
</html>
`;

/** Whether the request comes from a browser asking for a page rather than a GraphQL client. */
function wantsHtml(req: express.Request): boolean {
  return req.method === 'GET' && req.accepts(['application/json', 'application/graphql-response+json', 'text/html']) === 'text/html';
}

/**
 * GraphiQL on GET /graphql for browsers, with its assets under /explorer/. Its Content-Security-
 * Policy allows only this origin's scripts; inline styles are needed by GraphiQL's editor.
 */
export function explorerRouter(graphqlPath: string): Router {
  const router = express.Router();
  const csp =
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'";
  router.get(graphqlPath, (req, res, next) => {
    if (!wantsHtml(req) || req.query.query !== undefined) return next();
    res.setHeader('Content-Security-Policy', csp);
    res.type('html').send(PAGE);
  });
  router.get('/explorer/init.js', (_req, res) => {
    res.type('application/javascript').send(INIT_SCRIPT);
  });
  router.get('/explorer/:asset', (req, res, next) => {
    const file = ASSETS[req.params.asset];
    if (!file) return next();
    res.sendFile(file, { maxAge: '1d' });
  });
  return router;
}
