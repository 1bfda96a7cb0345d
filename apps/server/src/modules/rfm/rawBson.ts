// Reads a few top-level fields straight out of a raw BSON document (the driver's `raw: true`), without building
// the JS object, its ObjectId and its Date. The RFM job reads a million members and millions of orders: decoding
// them makes hundreds of megabytes of short-lived garbage, which shows up as the process's peak memory.

export interface RawFields {
  /** ObjectId fields: a view of their 12 bytes (valid while the document buffer is). */
  ids: Record<string, Uint8Array>;
  /** Number fields (int32, int64, double) and dates (ms since the epoch). */
  numbers: Record<string, number>;
  /** String fields, only when `strings` is given (decoding a string allocates it). */
  strings?: Record<string, string>;
}

const utf8 = new TextDecoder();

/** The named top-level fields of `doc`; other fields and types are skipped. */
export function readRawFields(doc: Uint8Array, out: RawFields = { ids: {}, numbers: {} }): RawFields {
  const view = new DataView(doc.buffer, doc.byteOffset, doc.byteLength);
  const end = view.getInt32(0, true) - 1;
  let at = 4;
  while (at < end) {
    const type = doc[at++] as number;
    const nameStart = at;
    while (doc[at] !== 0) at++;
    const name = latin1(doc, nameStart, at);
    at++;
    switch (type) {
      case 0x01: // double
        out.numbers[name] = view.getFloat64(at, true);
        at += 8;
        break;
      case 0x09: // UTC datetime
      case 0x12: // int64
        out.numbers[name] = Number(view.getBigInt64(at, true));
        at += 8;
        break;
      case 0x10: // int32
        out.numbers[name] = view.getInt32(at, true);
        at += 4;
        break;
      case 0x07: // ObjectId
        out.ids[name] = doc.subarray(at, at + 12);
        at += 12;
        break;
      case 0x08: // boolean
        at += 1;
        break;
      case 0x02: {
        // string: int32 length (with the NUL) + bytes
        const length = view.getInt32(at, true);
        if (out.strings) out.strings[name] = utf8.decode(doc.subarray(at + 4, at + 3 + length));
        at += 4 + length;
        break;
      }
      case 0x0a: // null
        if (out.strings) delete out.strings[name];
        break;
      case 0x03: // document
      case 0x04: // array
      case 0x05: // binary: int32 length + subtype + bytes
        at += view.getInt32(at, true) + (type === 0x05 ? 5 : 0);
        break;
      default:
        throw new Error(`readRawFields: BSON type 0x${type.toString(16)} of field ${name} not supported`);
    }
  }
  return out;
}

function latin1(bytes: Uint8Array, from: number, to: number): string {
  let s = '';
  for (let i = from; i < to; i++) s += String.fromCharCode(bytes[i] as number);
  return s;
}
