import qrcode from 'qrcode-generator';
import { code128Widths } from './code128';

/** Dark modules of a QR code (error correction M, byte mode), row by row. */
export function qrMatrix(text: string): boolean[][] {
  const qr = qrcode(0, 'M');
  qr.addData(text, 'Byte');
  qr.make();
  const size = qr.getModuleCount();
  return Array.from({ length: size }, (_, row) => Array.from({ length: size }, (_, col) => qr.isDark(row, col)));
}

/** The QR code as SVG (drawn 512 px so an aspect-fit image scales it down, never up), one unit per module, with the 4-module quiet zone the standard asks for. */
export function qrSvg(text: string): string {
  const matrix = qrMatrix(text);
  const quiet = 4;
  const size = matrix.length + quiet * 2;
  let path = '';
  matrix.forEach((row, y) => {
    row.forEach((dark, x) => {
      if (dark) path += `M${x + quiet} ${y + quiet}h1v1h-1z`;
    });
  });
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${size} ${size}" width="512" height="512" shape-rendering="crispEdges">` +
    `<rect width="${size}" height="${size}" fill="#fff"/><path fill="#000" d="${path}"/></svg>`
  );
}

/** A Code 128 barcode as SVG, one unit per module, 10-module quiet zones, `height` modules tall. */
export function code128Svg(text: string, height = 40): string {
  const widths = code128Widths(text);
  const quiet = 10;
  let x = quiet;
  let path = '';
  widths.forEach((width, index) => {
    if (index % 2 === 0) path += `M${x} 0h${width}v${height}h-${width}z`;
    x += width;
  });
  const total = x + quiet;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${total} ${height}" width="600" height="150" preserveAspectRatio="none" shape-rendering="crispEdges">` +
    `<rect width="${total}" height="${height}" fill="#fff"/><path fill="#000" d="${path}"/></svg>`
  );
}
