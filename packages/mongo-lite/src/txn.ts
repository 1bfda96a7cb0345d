// Logical sessions: transactions (autocommit:false + txnNumber) and retryable writes (lsid + txnNumber
// without autocommit). Transactions write in place under per-document locks with an undo log, so commit is a
// journal append and abort restores the saved documents; an interrupted transaction never reached the journal.
import type { Document } from 'bson';
import { errors } from './errors';
import type { Collection } from './storage/collection';
import type { Engine } from './storage/engine';

export interface UndoEntry {
  coll: Collection;
  id: string;
  before: Document | undefined;
}

export class Transaction {
  state: 'active' | 'committed' | 'aborted' = 'active';
  readonly undo = new Map<string, UndoEntry>();
  /** Resolves when the transaction ends, waking non-transactional writes blocked on its locks. */
  readonly done: Promise<void>;
  private resolveDone!: () => void;
  timer?: NodeJS.Timeout;

  constructor(readonly txnNumber: number) {
    this.done = new Promise((resolve) => {
      this.resolveDone = resolve;
    });
  }

  end(state: 'committed' | 'aborted'): void {
    this.state = state;
    clearTimeout(this.timer);
    this.resolveDone();
  }
}

interface Session {
  txnNumber: number;
  txn?: Transaction;
  /** The reply of the last retryable write, replayed if the driver retries the same txnNumber. */
  lastWrite?: { txnNumber: number; reply: Promise<Document> };
}

/** MongoDB's default transactionLifetimeLimitSeconds: an abandoned transaction is aborted after this. */
const TRANSACTION_LIFETIME_MS = 60_000;

export class SessionStore {
  private readonly sessions = new Map<string, Session>();

  constructor(private readonly engine: Engine) {}

  /** The transaction a command with `autocommit: false` runs in, starting one when asked to. */
  transactionFor(lsid: Document, txnNumber: number, start: boolean, commandName: string): Transaction {
    const session = this.session(lsid);
    if (start) {
      if (txnNumber < session.txnNumber) throw errors.transactionTooOld(txnNumber, session.txnNumber);
      if (txnNumber === session.txnNumber && session.txn) {
        throw errors.badValue(`Transaction ${txnNumber} has already started on this session`);
      }
      this.abortActive(session);
      const txn = new Transaction(txnNumber);
      txn.timer = setTimeout(() => this.abort(txn), TRANSACTION_LIFETIME_MS).unref();
      session.txnNumber = txnNumber;
      session.txn = txn;
      return txn;
    }
    const txn = session.txn;
    if (!txn || txnNumber !== session.txnNumber || txn.state === 'aborted') {
      throw errors.noSuchTransaction(txnNumber);
    }
    if (txn.state === 'committed' && commandName !== 'commitTransaction' && commandName !== 'abortTransaction') {
      throw errors.transactionCommitted(txnNumber);
    }
    return txn;
  }

  /** Runs a retryable write once per (lsid, txnNumber); a retry gets the first attempt's reply. */
  retryableWrite(lsid: Document, txnNumber: number, run: () => Promise<Document>): Promise<Document> {
    const session = this.session(lsid);
    if (txnNumber < session.txnNumber) throw errors.transactionTooOld(txnNumber, session.txnNumber);
    if (session.lastWrite?.txnNumber === txnNumber) return session.lastWrite.reply;
    this.abortActive(session);
    session.txnNumber = txnNumber;
    const reply = run();
    const record = { txnNumber, reply };
    session.lastWrite = record;
    // A command that failed as a whole did nothing, so a retry must run it again.
    reply.catch(() => {
      if (session.lastWrite === record) session.lastWrite = undefined;
    });
    return reply;
  }

  commit(txn: Transaction): void {
    if (txn.state !== 'active') return;
    this.engine.commit(txn);
    txn.end('committed');
  }

  abort(txn: Transaction): void {
    if (txn.state !== 'active') return;
    this.engine.abort(txn);
    txn.end('aborted');
  }

  endSessions(lsids: Document[]): void {
    for (const lsid of lsids) {
      const key = sessionKey(lsid);
      const session = this.sessions.get(key);
      if (session) this.abortActive(session);
      this.sessions.delete(key);
    }
  }

  abortAll(): void {
    for (const session of this.sessions.values()) this.abortActive(session);
  }

  private abortActive(session: Session): void {
    if (session.txn) this.abort(session.txn);
    session.txn = undefined;
  }

  private session(lsid: Document): Session {
    const key = sessionKey(lsid);
    let session = this.sessions.get(key);
    if (!session) {
      session = { txnNumber: -1 };
      this.sessions.set(key, session);
    }
    return session;
  }
}

function sessionKey(lsid: Document): string {
  const id = lsid.id as { toString(format: string): string } | undefined;
  return id ? id.toString('hex') : JSON.stringify(lsid);
}
