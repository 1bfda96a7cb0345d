// Draws the tab bar icons (81x81 PNG, as WeChat recommends) from simple shapes, so they need no design tool.
// Run: node apps/miniprogram/scripts/make-tab-icons.mjs  (writes src/assets/tabbar/*.png)
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

const SIZE = 81;
const COLORS = { normal: [0x8a, 0x8a, 0x99], active: [0xb8, 0x86, 0x2f] };
const outDir = path.join(path.dirname(fileURLToPath(import.meta.url)), '../src/assets/tabbar');

// Signed distances (negative inside), in a 0..1 coordinate square.
const circle = (cx, cy, r) => (x, y) => Math.hypot(x - cx, y - cy) - r;
const box = (x0, y0, x1, y1) => (x, y) => {
  const dx = Math.max(x0 - x, x - x1);
  const dy = Math.max(y0 - y, y - y1);
  return dx > 0 && dy > 0 ? Math.hypot(dx, dy) : Math.max(dx, dy);
};
const ring = (shape, width) => (x, y) => Math.abs(shape(x, y)) - width / 2;
const union =
  (...shapes) =>
  (x, y) =>
    Math.min(...shapes.map((s) => s(x, y)));
const minus = (a, b) => (x, y) => Math.max(a(x, y), -b(x, y));
// Distance to a closed polygon, negative inside (even-odd rule).
const polygon = (points) => (x, y) => {
  let distance = Infinity;
  let inside = false;
  for (let i = 0, j = points.length - 1; i < points.length; j = i++) {
    const [ax, ay] = points[i];
    const [bx, by] = points[j];
    const t = Math.max(
      0,
      Math.min(1, ((x - ax) * (bx - ax) + (y - ay) * (by - ay)) / ((bx - ax) ** 2 + (by - ay) ** 2)),
    );
    distance = Math.min(distance, Math.hypot(x - ax - t * (bx - ax), y - ay - t * (by - ay)));
    if (ay > y !== by > y && x < ((bx - ax) * (y - ay)) / (by - ay) + ax) inside = !inside;
  }
  return inside ? -distance : distance;
};

const stroke = 0.08;
const shapes = {
  home: union(
    ring(
      polygon([
        [0.5, 0.17],
        [0.84, 0.46],
        [0.84, 0.84],
        [0.16, 0.84],
        [0.16, 0.46],
      ]),
      stroke,
    ),
    box(0.43, 0.6, 0.57, 0.84),
  ),
  points: union(ring(circle(0.5, 0.5, 0.33), stroke), circle(0.5, 0.5, 0.13)),
  coupons: minus(
    union(ring(box(0.14, 0.26, 0.86, 0.74), stroke), box(0.5 - 0.025, 0.36, 0.5 + 0.025, 0.64)),
    union(circle(0.14, 0.5, 0.09), circle(0.86, 0.5, 0.09)),
  ),
  mine: union(ring(circle(0.5, 0.34, 0.16), stroke), ring(minus(circle(0.5, 0.92, 0.34), box(0, 0.92, 1, 1)), stroke)),
};

function png(shape, [r, g, b]) {
  const rows = [];
  for (let py = 0; py < SIZE; py++) {
    const row = [0]; // filter: none
    for (let px = 0; px < SIZE; px++) {
      let covered = 0;
      for (let s = 0; s < 16; s++) {
        const x = (px + ((s % 4) + 0.5) / 4) / SIZE;
        const y = (py + (Math.floor(s / 4) + 0.5) / 4) / SIZE;
        if (shape(x, y) <= 0) covered++;
      }
      row.push(r, g, b, Math.round((covered / 16) * 255));
    }
    rows.push(Buffer.from(row));
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(SIZE, 0);
  header.writeUInt32BE(SIZE, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

function crc32(buf) {
  let c = ~0;
  for (const byte of buf) {
    c ^= byte;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return ~c >>> 0;
}

for (const [name, shape] of Object.entries(shapes)) {
  writeFileSync(path.join(outDir, `${name}.png`), png(shape, COLORS.normal));
  writeFileSync(path.join(outDir, `${name}-active.png`), png(shape, COLORS.active));
}
