// ObjectId -> slot number for a million members in ~20 MB: an open-addressing hash table over typed arrays.
// A Map keyed by hex strings costs ~100 bytes a member (200 MB at a million, more than the job's whole budget);
// here each member is its 12 id bytes as three 32-bit words plus one table cell.

const EMPTY = -1;

export class ObjectIdIndex {
  private keys: Uint32Array;
  private table: Int32Array;
  private mask: number;
  size = 0;

  constructor(expected = 1024) {
    let cap = 1024;
    while (cap < expected * 2) cap *= 2;
    this.table = new Int32Array(cap).fill(EMPTY);
    this.mask = cap - 1;
    this.keys = new Uint32Array(Math.max(expected, 16) * 3);
  }

  /** The slot of `id` (12 bytes), adding it as the next slot when new. */
  add(id: Uint8Array): number {
    const found = this.get(id);
    if (found !== undefined) return found;
    if ((this.size + 1) * 2 > this.table.length) this.grow();
    if ((this.size + 1) * 3 > this.keys.length) {
      const keys = new Uint32Array(this.keys.length * 2);
      keys.set(this.keys);
      this.keys = keys;
    }
    const slot = this.size++;
    this.keys[slot * 3] = word(id, 0);
    this.keys[slot * 3 + 1] = word(id, 4);
    this.keys[slot * 3 + 2] = word(id, 8);
    this.place(slot);
    return slot;
  }

  get(id: Uint8Array): number | undefined {
    const a = word(id, 0);
    const b = word(id, 4);
    const c = word(id, 8);
    for (let i = hash(a, b, c) & this.mask; ; i = (i + 1) & this.mask) {
      const slot = this.table[i] as number;
      if (slot === EMPTY) return undefined;
      if (this.keys[slot * 3] === a && this.keys[slot * 3 + 1] === b && this.keys[slot * 3 + 2] === c) return slot;
    }
  }

  private place(slot: number): void {
    const h = hash(this.keys[slot * 3] as number, this.keys[slot * 3 + 1] as number, this.keys[slot * 3 + 2] as number);
    let i = h & this.mask;
    while (this.table[i] !== EMPTY) i = (i + 1) & this.mask;
    this.table[i] = slot;
  }

  private grow(): void {
    this.table = new Int32Array(this.table.length * 2).fill(EMPTY);
    this.mask = this.table.length - 1;
    for (let slot = 0; slot < this.size; slot++) this.place(slot);
  }
}

function word(id: Uint8Array, at: number): number {
  return (
    (((id[at] as number) << 24) |
      ((id[at + 1] as number) << 16) |
      ((id[at + 2] as number) << 8) |
      (id[at + 3] as number)) >>>
    0
  );
}

/** ObjectIds share their timestamp and process bytes; mixing all three words keeps neighbours apart. */
function hash(a: number, b: number, c: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b);
  h = Math.imul(h ^ b ^ (h >>> 13), 0xc2b2ae35);
  h = Math.imul(h ^ c ^ (h >>> 16), 0x27d4eb2f);
  return (h ^ (h >>> 15)) >>> 0;
}
