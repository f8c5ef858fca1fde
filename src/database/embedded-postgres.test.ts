import { readFileSync } from 'node:fs';
import net from 'node:net';
import { findFreePort } from './embedded-postgres.js';

/** The kernel's own range (Linux), where ports come and go with every outgoing connection. */
const ephemeralStart = (() => {
  try {
    return Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
  } catch {
    return 32768;
  }
})();

it('picks free loopback ports below the range the kernel hands out by itself', async () => {
  for (let i = 0; i < 10; i++) {
    const port = await findFreePort();
    expect(Number.isInteger(port)).toBe(true);
    expect(port).toBeGreaterThanOrEqual(1024);
    expect(port).toBeLessThan(ephemeralStart);
    // And it is free: it can be bound.
    const server = net.createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    await new Promise((resolve) => server.close(resolve));
  }
});
