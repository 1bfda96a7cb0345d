// For tests of the API calls: a jest mock in place of the global fetch, and the answers it hands back.

export type FetchMock = jest.Mock<Promise<Response>, [string, RequestInit]>;

/** Puts a fresh fetch mock in place before each test of the calling file and the real fetch back after them all. */
export function stubFetch(): FetchMock {
  const fetchMock: FetchMock = jest.fn<Promise<Response>, [string, RequestInit]>();
  const realFetch = globalThis.fetch;

  beforeEach(() => {
    fetchMock.mockReset();
    globalThis.fetch = fetchMock as unknown as typeof fetch;
  });

  afterAll(() => {
    globalThis.fetch = realFetch;
  });

  return fetchMock;
}

/** A JSON answer; no body at all when `body` is undefined (a 204). */
export function jsonResponse(status: number, body: unknown): Response {
  return new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json' },
  });
}

/** The first request the page sent through the mock. */
export function firstRequest(fetchMock: FetchMock): {
  url: string;
  init: RequestInit;
  headers: Record<string, string>;
} {
  const [url, init] = fetchMock.mock.calls[0] ?? [];
  if (!url || !init) throw new Error('fetch was not called');
  return { url, init, headers: init.headers as Record<string, string> };
}

/** Queues one JSON answer on the mock. */
export function answerOnce(fetchMock: FetchMock, status: number, body: unknown): void {
  fetchMock.mockResolvedValueOnce(jsonResponse(status, body));
}

/** What the first request sent: url, method, bearer and the parsed JSON body. */
export function sentRequest(fetchMock: FetchMock) {
  const { url, init, headers } = firstRequest(fetchMock);
  return {
    url,
    method: init.method,
    auth: headers.Authorization,
    body: init.body === undefined ? undefined : JSON.parse(String(init.body)),
  };
}
