// commitTransaction / abortTransaction. The dispatcher has already resolved which transaction the command
// names (see txn.ts); these only finish it.
import { errors } from '../errors';
import type { CommandDef } from './registry';

const commitTransaction: CommandDef = {
  name: 'commitTransaction',
  fields: ['recoveryToken'],
  inTransaction: true,
  run(ctx) {
    const txn = ctx.txn;
    if (!txn) throw errors.invalidOptions('commitTransaction must be run within a transaction');
    ctx.sessions.commit(txn);
    return { ok: 1 };
  },
};

const abortTransaction: CommandDef = {
  name: 'abortTransaction',
  fields: ['recoveryToken'],
  inTransaction: true,
  run(ctx) {
    const txn = ctx.txn;
    if (!txn) throw errors.invalidOptions('abortTransaction must be run within a transaction');
    if (txn.state === 'committed') throw errors.transactionCommitted(txn.txnNumber);
    ctx.sessions.abort(txn);
    return { ok: 1 };
  },
};

export const transactionCommands: CommandDef[] = [commitTransaction, abortTransaction];
