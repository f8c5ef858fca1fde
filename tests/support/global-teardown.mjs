export default async function globalTeardown() {
  const { stopTestDatabaseServer } = await import('./database-server.ts');
  await stopTestDatabaseServer();
}
