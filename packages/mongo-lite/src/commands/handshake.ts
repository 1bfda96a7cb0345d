// Handshake and diagnostics: hello/isMaster (as the primary of a one-node replica set, so drivers enable
// sessions, transactions and retryable writes), ping, buildInfo, serverStatus, endSessions.
import { type Document, Long, ObjectId } from 'bson';
import { clusterTime } from '../clock';
import { type CommandContext, type CommandDef, documentArray } from './registry';

export const REPLICA_SET_NAME = 'rs0';
const MAX_WIRE_VERSION = 21;
const electionId = new ObjectId('7fffffff0000000000000001');

async function hello(ctx: CommandContext): Promise<Document> {
  const { server, cmd } = ctx;
  // Awaitable hello: the driver's monitor sends its last topologyVersion and expects us to hold the reply
  // until something changes or maxAwaitTimeMS passes. Our topology never changes, so we just wait.
  if (cmd.topologyVersion && cmd.maxAwaitTimeMS !== undefined) await server.waitOrStop(Number(cmd.maxAwaitTimeMS));
  const now = new Date();
  const opTime = clusterTime();
  const legacy = Object.keys(cmd)[0] !== 'hello';
  return {
    helloOk: true,
    ...(legacy ? { ismaster: true } : { isWritablePrimary: true }),
    topologyVersion: server.topologyVersion,
    maxBsonObjectSize: 16 * 1024 * 1024,
    maxMessageSizeBytes: 48_000_000,
    maxWriteBatchSize: 100_000,
    localTime: now,
    logicalSessionTimeoutMinutes: 30,
    connectionId: server.connectionId,
    minWireVersion: 0,
    maxWireVersion: MAX_WIRE_VERSION,
    readOnly: false,
    setName: REPLICA_SET_NAME,
    setVersion: 1,
    hosts: [server.host],
    me: server.host,
    primary: server.host,
    secondary: false,
    electionId,
    lastWrite: { opTime: { ts: opTime, t: Long.fromNumber(1) }, lastWriteDate: now },
    ok: 1,
  };
}

const helloCommand: CommandDef = {
  name: 'hello',
  aliases: ['isMaster', 'ismaster'],
  fields: '*',
  inTransaction: true,
  run: hello,
};

const ping: CommandDef = { name: 'ping', fields: [], inTransaction: true, run: () => ({ ok: 1 }) };

const buildInfo: CommandDef = {
  name: 'buildInfo',
  aliases: ['buildinfo'],
  fields: [],
  run: () => ({
    version: '7.0.0',
    versionArray: [7, 0, 0, 0],
    gitVersion: 'mongo-lite',
    bits: 64,
    maxBsonObjectSize: 16 * 1024 * 1024,
    storageEngines: ['mongo-lite'],
    ok: 1,
  }),
};

const serverStatus: CommandDef = {
  name: 'serverStatus',
  fields: '*',
  run(ctx) {
    const uptimeMillis = Date.now() - ctx.server.startedAt;
    const memory = process.memoryUsage();
    return {
      host: ctx.server.host,
      version: '7.0.0',
      process: 'mongo-lite',
      pid: Long.fromNumber(process.pid),
      uptime: Math.floor(uptimeMillis / 1000),
      uptimeMillis: Long.fromNumber(uptimeMillis),
      localTime: new Date(),
      connections: { current: ctx.server.connectionCount(), available: 1000 },
      mem: {
        resident: Math.round(memory.rss / 1048576),
        virtual: 0,
        bits: 64,
        heapUsedMB: Math.round(memory.heapUsed / 1048576),
      },
      ok: 1,
    };
  },
};

const endSessions: CommandDef = {
  name: 'endSessions',
  fields: [],
  run(ctx) {
    ctx.sessions.endSessions(documentArray(ctx.cmd, 'endSessions'));
    return { ok: 1 };
  },
};

export const handshakeCommands: CommandDef[] = [helloCommand, ping, buildInfo, serverStatus, endSessions];
