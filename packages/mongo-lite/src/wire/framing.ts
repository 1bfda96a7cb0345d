// Splits a TCP byte stream into whole wire-protocol messages. Every message starts with a 16-byte header
// (messageLength, requestID, responseTo, opCode), all little-endian int32.
export const OP_REPLY = 1;
export const OP_QUERY = 2004;
export const OP_MSG = 2013;
const MAX_MESSAGE_BYTES = 48_000_000;

export interface RawMessage {
  requestId: number;
  opCode: number;
  /** The whole message including the header. */
  bytes: Buffer;
}

export class MessageFramer {
  private pending: Buffer[] = [];
  private pendingBytes = 0;

  /** Feeds a chunk and returns every message it completes. Throws on a nonsensical length. */
  push(chunk: Buffer): RawMessage[] {
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    const out: RawMessage[] = [];
    let buf = this.pending.length === 1 ? chunk : Buffer.concat(this.pending, this.pendingBytes);
    while (buf.length >= 4) {
      const length = buf.readInt32LE(0);
      if (length < 16 || length > MAX_MESSAGE_BYTES) throw new Error(`invalid message length ${length}`);
      if (buf.length < length) break;
      out.push({ requestId: buf.readInt32LE(4), opCode: buf.readInt32LE(12), bytes: buf.subarray(0, length) });
      buf = buf.subarray(length);
    }
    this.pending = buf.length > 0 ? [buf] : [];
    this.pendingBytes = buf.length;
    return out;
  }
}

let nextRequestId = 1;

export function writeHeader(buf: Buffer, responseTo: number, opCode: number): void {
  buf.writeInt32LE(buf.length, 0);
  buf.writeInt32LE(nextRequestId++ & 0x7fffffff, 4);
  buf.writeInt32LE(responseTo, 8);
  buf.writeInt32LE(opCode, 12);
}
