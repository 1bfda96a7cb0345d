// Keys that make a retried submit count once: one per opened dialog, so a double click or a retry after a
// lost answer sends the same key, and the next dialog a new one.

/** 32 hex characters from the browser's random source (works on plain http too, unlike randomUUID). */
export function newIdempotencyKey(
  random: (bytes: Uint8Array) => Uint8Array = (b) => crypto.getRandomValues(b),
): string {
  const bytes = random(new Uint8Array(16));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}
