import helmet from 'helmet';
import type { RequestHandler } from 'express';
import { staticHeaders } from './static-headers.js';

/** A response that records what a middleware does to it. */
function recordingResponse() {
  const headers = new Map<string, unknown>();
  const removed: string[] = [];
  return {
    headers,
    removed,
    setHeader: (name: string, value: unknown) => void headers.set(name.toLowerCase(), value),
    removeHeader: (name: string) => void removed.push(name.toLowerCase()),
  };
}

function run(handler: RequestHandler) {
  const res = recordingResponse();
  let nexted = false;
  handler({} as never, res as never, () => {
    nexted = true;
  });
  return { ...res, nexted };
}

describe('staticHeaders', () => {
  it('sets on every response exactly what helmet sets, once computed', () => {
    const direct = run(helmet());
    const frozen = staticHeaders(helmet(), 'helmet');
    for (let i = 0; i < 2; i += 1) {
      const res = run(frozen);
      expect(res.nexted).toBe(true);
      expect([...res.headers]).toEqual([...direct.headers]);
      expect(res.removed).toEqual(direct.removed);
    }
    expect(direct.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(direct.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
  });

  it('refuses a middleware whose headers depend on the request', () => {
    const readsRequest: RequestHandler = (req, res, next) => {
      res.setHeader('X-Path', req.path);
      next();
    };
    expect(() => staticHeaders(readsRequest, 'path echo')).toThrow(/read the request's path/);
  });

  it('refuses a middleware that does more than set headers, or does not go on', () => {
    const sends: RequestHandler = (_req, res) => {
      res.status(204).end();
    };
    expect(() => staticHeaders(sends, 'sender')).toThrow(/used the response's status/);
    const stops: RequestHandler = (_req, res) => {
      res.setHeader('X-A', '1');
    };
    expect(() => staticHeaders(stops, 'stopper')).toThrow(/did not call next/);
  });
});
