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

/** A list the server pages by number: its rows on one page and how many there are in all. */
export interface NumberedPage<T> {
  items: T[];
  total: number;
}

/**
 * Every row of a short list (tags, segments for a picker), reading `pageSize` at a time until `total` is reached;
 * at most `maxPages` pages, so a huge list cannot keep the page busy.
 */
export async function allPages<T>(readPage: (pageNo: number) => Promise<NumberedPage<T>>, maxPages = 20): Promise<T[]> {
  const rows: T[] = [];
  for (let pageNo = 1; pageNo <= maxPages; pageNo++) {
    const page = await readPage(pageNo);
    rows.push(...page.items);
    if (page.items.length === 0 || rows.length >= page.total) break;
  }
  return rows;
}
