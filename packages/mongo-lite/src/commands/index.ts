// The command table and the dispatcher: resolves the command, checks its fields, places it in its transaction
// or retryable-write slot, runs it, flushes the journal and stamps cluster time on the reply.
import type { Document } from 'bson';
import { clusterTimeFields } from '../clock';
import { errors, toMongoError } from '../errors';
import { aggregateCommands } from './aggregate';
import { catalogCommands } from './catalog';
import { crudCommands } from './crud';
import { handshakeCommands } from './handshake';
import { type CommandContext, type CommandDef, checkFields, optionalNumber } from './registry';
import { transactionCommands } from './transactions';

const table = new Map<string, CommandDef>();
for (const def of [
  ...handshakeCommands,
  ...catalogCommands,
  ...crudCommands,
  ...aggregateCommands,
  ...transactionCommands,
]) {
  for (const name of [def.name, ...(def.aliases ?? [])]) table.set(name, def);
}

export type Services = Pick<CommandContext, 'engine' | 'cursors' | 'sessions' | 'server'>;

export async function dispatch(services: Services, cmd: Document): Promise<Document> {
  let reply: Document;
  try {
    reply = await execute(services, cmd);
  } catch (err) {
    reply = toMongoError(err).toReply();
  } finally {
    // Acknowledge only what is in the journal.
    services.engine.flush();
  }
  return { ...reply, ...clusterTimeFields() };
}

async function execute(services: Services, cmd: Document): Promise<Document> {
  const name = Object.keys(cmd)[0] ?? '';
  const def = table.get(name);
  if (!def) throw errors.commandNotFound(name);
  checkFields(def, cmd);
  const ctx: CommandContext = { ...services, cmd, db: typeof cmd.$db === 'string' ? cmd.$db : 'admin', write: {} };
  const lsid = cmd.lsid as Document | undefined;
  const txnNumber = optionalNumber(cmd, 'txnNumber');

  if (cmd.autocommit === false) {
    if (!lsid || txnNumber === undefined) throw errors.invalidOptions('autocommit:false requires lsid and txnNumber');
    if (!def.inTransaction) {
      throw errors.notSupportedInTransaction(`Cannot run '${name}' in a multi-document transaction.`);
    }
    const txn = services.sessions.transactionFor(lsid, txnNumber, cmd.startTransaction === true, name);
    ctx.txn = txn;
    ctx.write = { txn };
    const ending = name === 'commitTransaction' || name === 'abortTransaction';
    try {
      const reply = await def.run(ctx);
      // As in MongoDB, a failed write inside a transaction aborts the whole transaction.
      if (reply.writeErrors && !ending) services.sessions.abort(txn);
      return reply;
    } catch (err) {
      if (!ending) services.sessions.abort(txn);
      throw err;
    }
  }
  if (def.retryableWrite && lsid && txnNumber !== undefined) {
    return services.sessions.retryableWrite(lsid, txnNumber, async () => def.run(ctx));
  }
  return def.run(ctx);
}
