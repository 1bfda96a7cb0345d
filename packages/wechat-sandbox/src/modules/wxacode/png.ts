import { crc32, deflateSync } from 'node:zlib';
import qrcode from 'qrcode-generator';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/** The quiet zone the QR standard asks for, in modules. */
const QUIET_MODULES = 4;

/** Dark modules of a QR code of `text` (error correction M, byte mode), row by row. */
export function qrModules(text: string): boolean[][] {
  const qr = qrcode(0, 'M');
  qr.addData(text, 'Byte');
  qr.make();
  const size = qr.getModuleCount();
  return Array.from({ length: size }, (_, row) => Array.from({ length: size }, (_, col) => qr.isDark(row, col)));
}

/** Where the modules land in a `width`-pixel square image: whole pixels per module, centred. */
export function qrLayout(moduleCount: number, width: number): { scale: number; offset: number } {
  const scale = Math.max(1, Math.floor(width / (moduleCount + QUIET_MODULES * 2)));
  return { scale, offset: Math.floor((width - moduleCount * scale) / 2) };
}

/** A `width`×`width` black-on-white PNG (8-bit greyscale) of the QR code of `text`; the same input, the same bytes. */
export function qrPng(text: string, width: number): Buffer {
  const modules = qrModules(text);
  const { scale, offset } = qrLayout(modules.length, width);
  const stride = width + 1; // each scanline starts with its filter type, 0 (none)
  const pixels = Buffer.alloc(stride * width, 0xff);
  for (let y = 0; y < width; y += 1) pixels[y * stride] = 0;
  modules.forEach((row, moduleY) => {
    row.forEach((dark, moduleX) => {
      if (!dark) return;
      for (let dy = 0; dy < scale; dy += 1) {
        const start = (offset + moduleY * scale + dy) * stride + 1 + offset + moduleX * scale;
        pixels.fill(0, start, start + scale);
      }
    });
  });
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(width, 4);
  header[8] = 8; // bit depth
  header[9] = 0; // colour type: greyscale
  // compression, filter and interlace methods: 0
  return Buffer.concat([
    PNG_SIGNATURE,
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(pixels)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function chunk(type: string, data: Buffer): Buffer {
  const typeAndData = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length, 0);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData), 0);
  return Buffer.concat([length, typeAndData, crc]);
}
