// TCP server: frames messages, decodes OP_MSG / legacy OP_QUERY, runs commands one at a time per connection
// (drivers never pipeline on a connection), and shuts down promptly even with awaitable hellos pending.
import net from 'node:net';
import { type Document, Long, ObjectId } from 'bson';
import { dispatch, type Services } from './commands';
import type { ServerInfo } from './commands/registry';
import { CursorStore } from './cursors';
import { Engine } from './storage/engine';
import { SessionStore } from './txn';
import { MessageFramer, OP_MSG, OP_QUERY, type RawMessage } from './wire/framing';
import { encodeOpMsg, parseOpMsg } from './wire/opMsg';
import { encodeOpReply, parseOpQuery } from './wire/opQuery';

export interface MongoLiteOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  /** Journal directory; omit to run purely in memory. */
  dataDir?: string;
  /** How often expired TTL documents are deleted. */
  ttlSweepMs?: number;
}

export interface MongoLite {
  uri: string;
  port: number;
  engine: Engine;
  stop(): Promise<void>;
}

const DEFAULT_TTL_SWEEP_MS = 5000;

export async function startMongoLite(options: MongoLiteOptions = {}): Promise<MongoLite> {
  const host = options.host ?? '127.0.0.1';
  const engine = Engine.open(options.dataDir);
  const cursors = new CursorStore();
  const sessions = new SessionStore(engine);
  const sockets = new Set<net.Socket>();
  const waiters = new Set<() => void>();
  const topologyVersion = { processId: new ObjectId(), counter: Long.fromNumber(0) };
  const startedAt = Date.now();
  let address = '';
  let nextConnectionId = 1;

  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.setNoDelay(true);
    const info: ServerInfo = {
      host: address,
      connectionId: nextConnectionId++,
      startedAt,
      topologyVersion,
      connectionCount: () => sockets.size,
      waitOrStop: (ms) =>
        new Promise((resolve) => {
          const done = () => {
            clearTimeout(timer);
            waiters.delete(done);
            resolve();
          };
          const timer = setTimeout(done, ms);
          waiters.add(done);
        }),
    };
    const services: Services = { engine, cursors, sessions, server: info };
    const framer = new MessageFramer();
    let queue = Promise.resolve();
    socket.on('data', (chunk) => {
      let messages: RawMessage[];
      try {
        messages = framer.push(chunk);
      } catch {
        socket.destroy();
        return;
      }
      for (const message of messages) {
        queue = queue
          .then(() => handle(services, socket, message))
          .catch(() => {
            socket.destroy();
          });
      }
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as net.AddressInfo).port;
  address = `${host}:${port}`;
  const ttl = setInterval(() => engine.sweepExpired(), options.ttlSweepMs ?? DEFAULT_TTL_SWEEP_MS);
  ttl.unref();

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= new Promise<void>((resolve) => {
      clearInterval(ttl);
      for (const wake of [...waiters]) wake();
      server.close(() => resolve());
      for (const socket of sockets) socket.destroy();
      sessions.abortAll();
      cursors.clear();
      engine.close();
    });
    return stopping;
  };

  // directConnection=true: the driver talks to this one server as the primary it reports, without replica-set
  // discovery, so the URI works whatever host name the caller uses; sessions and transactions stay enabled
  // because hello still reports a replica-set primary (setName).
  return { uri: `mongodb://${address}/?directConnection=true`, port, engine, stop };
}

async function handle(services: Services, socket: net.Socket, message: RawMessage): Promise<void> {
  if (message.opCode === OP_MSG) {
    const { command, moreToCome } = parseOpMsg(message.bytes);
    const reply = await dispatch(services, command);
    if (!moreToCome) write(socket, encodeOpMsg(message.requestId, reply));
  } else if (message.opCode === OP_QUERY) {
    const { namespace, query } = parseOpQuery(message.bytes);
    const db = namespace.slice(0, namespace.indexOf('.'));
    const reply: Document = await dispatch(services, { ...query, $db: db });
    write(socket, encodeOpReply(message.requestId, reply));
  } else {
    throw new Error(`unsupported opCode ${message.opCode}`);
  }
}

function write(socket: net.Socket, bytes: Buffer): void {
  if (!socket.destroyed) socket.write(bytes);
}
