// Small HTTP helpers over global fetch: every test talks to the hub and the sandbox through real sockets.
export interface JsonResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

// biome-ignore lint/suspicious/noExplicitAny: test bodies are asserted field by field
export async function request<T = any>(
  base: string,
  method: string,
  path: string,
  options: { json?: unknown; raw?: string; token?: string; headers?: Record<string, string> } = {},
): Promise<JsonResponse<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body: string | undefined;
  if (options.json !== undefined) {
    body = JSON.stringify(options.json);
    headers['content-type'] = 'application/json';
  } else if (options.raw !== undefined) {
    body = options.raw;
    headers['content-type'] ??= 'application/json';
  }
  const res = await fetch(new URL(path, base), { method, headers, body });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // Not JSON (a static page): keep the text.
  }
  return { status: res.status, headers: res.headers, body: parsed as T };
}

/** Asks the sandbox for a login code, as wx.login would give one to the phone of `openid`. */
export async function sandboxLoginCode(sandboxUrl: string, appid: string, openid: string): Promise<string> {
  const res = await request<{ code: string }>(sandboxUrl, 'POST', '/__control/login-codes', {
    json: { appid, openid },
  });
  if (res.status !== 201 || typeof res.body.code !== 'string')
    throw new Error(`sandbox gave no code: ${JSON.stringify(res.body)}`);
  return res.body.code;
}
