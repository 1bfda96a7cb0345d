// Legacy OP_QUERY / OP_REPLY, kept only because drivers send their first handshake (`isMaster`/`hello`)
// this way before they know the server speaks OP_MSG.
import { type Document, deserialize, serialize } from 'bson';
import { OP_REPLY, writeHeader } from './framing';

export interface OpQueryRequest {
  /** Full collection name, e.g. `admin.$cmd`. */
  namespace: string;
  query: Document;
}

export function parseOpQuery(bytes: Buffer): OpQueryRequest {
  const nsEnd = bytes.indexOf(0, 20);
  const namespace = bytes.toString('utf8', 20, nsEnd);
  const docStart = nsEnd + 1 + 8; // numberToSkip, numberToReturn
  const size = bytes.readInt32LE(docStart);
  let query = deserialize(bytes.subarray(docStart, docStart + size));
  // Old drivers wrap the command as {$query: {...}, $readPreference: ...}.
  if (query.$query && typeof query.$query === 'object') query = query.$query as Document;
  return { namespace, query };
}

export function encodeOpReply(responseTo: number, reply: Document): Buffer {
  const body = serialize(reply);
  const buf = Buffer.allocUnsafe(16 + 20 + body.length);
  buf.writeInt32LE(0, 16); // responseFlags
  buf.writeBigInt64LE(0n, 20); // cursorID
  buf.writeInt32LE(0, 28); // startingFrom
  buf.writeInt32LE(1, 32); // numberReturned
  buf.set(body, 36);
  writeHeader(buf, responseTo, OP_REPLY);
  return buf;
}
