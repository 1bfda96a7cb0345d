// Stop accepting connections, let in-flight requests finish (up to a deadline), then close what the server opened.
import type { Server } from 'node:http';

export async function closeHttpServer(server: Server, deadlineMs: number): Promise<void> {
  const closed = new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
  // Keep-alive connections with no request in flight would hold close() open; in-flight ones are left to finish.
  server.closeIdleConnections();
  const timer = setTimeout(() => server.closeAllConnections(), deadlineMs);
  timer.unref();
  try {
    await closed;
  } finally {
    clearTimeout(timer);
  }
}
