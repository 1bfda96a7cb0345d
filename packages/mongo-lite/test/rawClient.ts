// A minimal OP_MSG client for tests that must control the exact bytes: document sequences, checksums,
// legacy OP_QUERY, and replaying a write with the same lsid + txnNumber.
import net from 'node:net';
import { type Document, deserialize, serialize } from 'bson';
import { crc32c } from '../src/wire/crc32c';

export class RawClient {
  private buffered = Buffer.alloc(0);
  private waiting?: (reply: Document) => void;
  private requestId = 1;

  private constructor(private readonly socket: net.Socket) {
    socket.on('data', (chunk) => {
      this.buffered = Buffer.concat([this.buffered, chunk]);
      if (this.buffered.length < 4 || this.buffered.length < this.buffered.readInt32LE(0)) return;
      const message = this.buffered.subarray(0, this.buffered.readInt32LE(0));
      this.buffered = this.buffered.subarray(message.length);
      const opCode = message.readInt32LE(12);
      const body = opCode === 1 ? message.subarray(36) : message.subarray(21);
      this.waiting?.(deserialize(body));
    });
  }

  static async connect(uri: string): Promise<RawClient> {
    const { hostname, port } = new URL(uri.replace('mongodb://', 'http://'));
    const socket = net.connect(Number(port), hostname);
    await new Promise((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    return new RawClient(socket);
  }

  /** Sends an OP_MSG; `sequences` go out as kind-1 sections, `checksum` appends a CRC-32C. */
  command(
    body: Document,
    options: { sequences?: Record<string, Document[]>; checksum?: boolean } = {},
  ): Promise<Document> {
    const sections: Buffer[] = [Buffer.from([0]), Buffer.from(serialize(body))];
    for (const [name, docs] of Object.entries(options.sequences ?? {})) {
      const payload = Buffer.concat([Buffer.from(`${name}\0`), ...docs.map((d) => Buffer.from(serialize(d)))]);
      const size = Buffer.alloc(4);
      size.writeInt32LE(payload.length + 4);
      sections.push(Buffer.from([1]), size, payload);
    }
    const flags = Buffer.alloc(4);
    flags.writeUInt32LE(options.checksum ? 1 : 0);
    const header = Buffer.alloc(16);
    const message = Buffer.concat([header, flags, ...sections, options.checksum ? Buffer.alloc(4) : Buffer.alloc(0)]);
    message.writeInt32LE(message.length, 0);
    message.writeInt32LE(this.requestId++, 4);
    message.writeInt32LE(2013, 12);
    if (options.checksum) message.writeUInt32LE(crc32c(message, 0, message.length - 4), message.length - 4);
    return this.send(message);
  }

  /** The legacy handshake drivers send first: OP_QUERY on admin.$cmd. */
  legacyQuery(query: Document): Promise<Document> {
    const ns = Buffer.from('admin.$cmd\0');
    const fixed = Buffer.alloc(8);
    fixed.writeInt32LE(-1, 4);
    const message = Buffer.concat([Buffer.alloc(20), ns, fixed, Buffer.from(serialize(query))]);
    message.writeInt32LE(message.length, 0);
    message.writeInt32LE(this.requestId++, 4);
    message.writeInt32LE(2004, 12);
    return this.send(message);
  }

  private send(message: Buffer): Promise<Document> {
    return new Promise((resolve) => {
      this.waiting = resolve;
      this.socket.write(message);
    });
  }

  close(): void {
    this.socket.destroy();
  }
}
