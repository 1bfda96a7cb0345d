// Query strings for the list endpoints: empty filters are left out rather than sent as `q=`.

export type QueryValue = string | number | null | undefined;

/** `{ q: ' 138 ', limit: 20, after: undefined }` -> `?q=138&limit=20`; no usable value -> ''. */
export function buildQuery(params: Readonly<Record<string, QueryValue>>): string {
  const search = new URLSearchParams();
  for (const [key, raw] of Object.entries(params)) {
    if (raw === null || raw === undefined) continue;
    const value = typeof raw === 'number' ? String(raw) : raw.trim();
    if (value === '') continue;
    search.set(key, value);
  }
  const text = search.toString();
  return text === '' ? '' : `?${text}`;
}

/** Encodes one id for a path segment (ids are hex, but a hand-edited URL may hold anything). */
export function pathId(id: string): string {
  return encodeURIComponent(id);
}
