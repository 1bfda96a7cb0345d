// Tests may only talk to this machine: any socket to a non-loopback address throws, so a test that
// reaches the internet (or a private network) fails loudly instead of passing by luck.
import net from 'node:net';

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost|::ffff:127\.\d+\.\d+\.\d+)$/i;

export function isLoopback(host: string | undefined): boolean {
  return host === undefined || host === '' || LOOPBACK.test(host);
}

const originalConnect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function guardedConnect(this: net.Socket, ...args: unknown[]) {
  const first = args[0];
  let host: string | undefined;
  let path: string | undefined;
  if (first && typeof first === 'object' && !Array.isArray(first)) {
    const opts = first as { host?: string; path?: string };
    host = opts.host;
    path = opts.path;
  } else if (typeof first === 'string' && Number.isNaN(Number(first))) {
    path = first;
  } else if (typeof args[1] === 'string') {
    host = args[1];
  }
  if (!path && !isLoopback(host)) {
    throw new Error(`Outbound network blocked in tests: ${host}`);
  }
  return (originalConnect as (...a: unknown[]) => net.Socket).apply(this, args);
} as typeof net.Socket.prototype.connect;
