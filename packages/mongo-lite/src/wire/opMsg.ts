// OP_MSG (opCode 2013): flagBits, then sections. Kind 0 is the command body; kind 1 is a document sequence
// (e.g. `documents` of an insert) that belongs in the body under its identifier.
import { type Document, deserialize, serialize } from 'bson';
import { crc32c } from './crc32c';
import { OP_MSG, writeHeader } from './framing';

const CHECKSUM_PRESENT = 1 << 0;
const MORE_TO_COME = 1 << 1;
const KNOWN_FLAGS = CHECKSUM_PRESENT | MORE_TO_COME | (1 << 16);

export interface OpMsgRequest {
  command: Document;
  /** The client asked for no reply (fire-and-forget, w:0). */
  moreToCome: boolean;
}

export function parseOpMsg(bytes: Buffer): OpMsgRequest {
  const flags = bytes.readUInt32LE(16);
  // Unknown required bits (0-15) must be rejected per the OP_MSG spec; optional ones (16+) ignored.
  if ((flags & 0xffff & ~KNOWN_FLAGS) !== 0) throw new Error(`unsupported OP_MSG flags ${flags}`);
  let end = bytes.length;
  if (flags & CHECKSUM_PRESENT) {
    end -= 4;
    const expected = bytes.readUInt32LE(end);
    if (crc32c(bytes, 0, end) !== expected) throw new Error('OP_MSG checksum mismatch');
  }
  let body: Document | undefined;
  const sequences: [string, Document[]][] = [];
  let offset = 20;
  while (offset < end) {
    const kind = bytes[offset];
    offset += 1;
    if (kind === 0) {
      const size = bytes.readInt32LE(offset);
      body = deserialize(bytes.subarray(offset, offset + size));
      offset += size;
    } else if (kind === 1) {
      const size = bytes.readInt32LE(offset);
      const sectionEnd = offset + size;
      const nameEnd = bytes.indexOf(0, offset + 4);
      const name = bytes.toString('utf8', offset + 4, nameEnd);
      const docs: Document[] = [];
      let p = nameEnd + 1;
      while (p < sectionEnd) {
        const docSize = bytes.readInt32LE(p);
        docs.push(deserialize(bytes.subarray(p, p + docSize)));
        p += docSize;
      }
      sequences.push([name, docs]);
      offset = sectionEnd;
    } else {
      throw new Error(`unknown OP_MSG section kind ${kind}`);
    }
  }
  if (!body) throw new Error('OP_MSG without a body section');
  for (const [name, docs] of sequences) body[name] = docs;
  return { command: body, moreToCome: (flags & MORE_TO_COME) !== 0 };
}

export function encodeOpMsg(responseTo: number, reply: Document): Buffer {
  const body = serialize(reply);
  const buf = Buffer.allocUnsafe(16 + 4 + 1 + body.length);
  buf.writeUInt32LE(0, 16);
  buf[20] = 0;
  buf.set(body, 21);
  writeHeader(buf, responseTo, OP_MSG);
  return buf;
}
