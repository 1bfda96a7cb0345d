// The browser tests set up what is not under test (stores, staff, packages) through the hub's JSON API.
export async function callApi(baseUrl: string, method: string, url: string, body: unknown, token?: string) {
  const res = await fetch(`${baseUrl}${url}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) },
    body: JSON.stringify(body),
  });
  const answer = (await res.json()) as Record<string, string>;
  if (!res.ok) throw new Error(`${method} ${url} -> ${res.status} ${JSON.stringify(answer)}`);
  return answer;
}
