import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { closeHttpServer } from '../src/lib/gracefulShutdown';

/** A server whose handler tells the test when a request has arrived, and holds it until released. */
async function holdingServer() {
  let arrived: (res: ServerResponse) => void = () => {};
  const firstRequest = new Promise<ServerResponse>((resolve) => {
    arrived = resolve;
  });
  const server = createServer((_req, res) => arrived(res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, firstRequest, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` };
}

describe('graceful shutdown', () => {
  it('stops accepting new connections but lets the in-flight request finish', async () => {
    const { server, firstRequest, url } = await holdingServer();
    const inFlight = fetch(url).then((r) => r.text());
    const res = await firstRequest;
    const closing = closeHttpServer(server, 5000);
    await expect(fetch(url)).rejects.toThrow(); // no new connections
    res.end('finished');
    expect(await inFlight).toBe('finished');
    await closing;
    expect(server.listening).toBe(false);
  });

  it('cuts off requests still running at the deadline', async () => {
    const { server, firstRequest, url } = await holdingServer();
    const stuck = fetch(url).then(
      () => 'answered',
      () => 'cut off',
    );
    await firstRequest;
    const started = Date.now();
    await closeHttpServer(server, 200);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(await stuck).toBe('cut off');
  });
});
