import http from 'node:http';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * Shutting down (issue 12, item 14): once draining, every answer says `Connection: close`, so a
 * client's keep-alive connection ends after its request instead of carrying more requests while
 * the server waits for it.
 */
let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app.close();
});

function get(agent: http.Agent, path: string): Promise<{ status: number; connection: string | undefined; socketReused: boolean }> {
  return new Promise((resolve, reject) => {
    const request = http.get(`${app.url}${path}`, { agent }, (response) => {
      response.resume();
      response.on('end', () =>
        resolve({ status: response.statusCode!, connection: response.headers.connection, socketReused: request.reusedSocket }),
      );
    });
    request.on('error', reject);
  });
}

it('keeps connections alive while serving, and closes each one after its request once draining', async () => {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  try {
    expect(await get(agent, '/healthz')).toMatchObject({ status: 200, connection: 'keep-alive' });
    expect(await get(agent, '/healthz')).toMatchObject({ status: 200, connection: 'keep-alive', socketReused: true });
    app.collegia.beginDrain();
    expect(await get(agent, '/healthz')).toMatchObject({ status: 200, connection: 'close', socketReused: true });
    // The next request needs a new connection: the old one was closed by the server.
    expect(await get(agent, '/healthz')).toMatchObject({ status: 200, connection: 'close', socketReused: false });
  } finally {
    agent.destroy();
  }
});
