// Plain ESM: Jest loads global setup outside its module system, so this file registers the
// same TypeScript loader `npm start` uses and imports the real modules through it.
import { register } from 'node:module';
import { pathToFileURL } from 'node:url';

register('@swc-node/register/esm', pathToFileURL('./').toString());

export default async function globalSetup() {
  const { prepareTestDatabaseServer } = await import('./database-server.ts');
  await prepareTestDatabaseServer();
}
