import { ApiPaths } from '@member-hub/shared';
import { ApiError, fetchAdminSummary, filenameFromDisposition, isSessionError, loginOwner } from './api';
import { firstRequest, jsonResponse, stubFetch } from './testing/fetch-stub';

const loginAnswer = {
  token: 'tok-1',
  expiresAt: '2030-01-01T00:00:00.000Z',
  owner: { id: 'o1', username: 'boss' },
};

function errorResponse(status: number, code: string, message: string, details?: unknown): Response {
  return jsonResponse(status, { error: { code, message, details } });
}

const fetchMock = stubFetch();
const sentRequest = () => firstRequest(fetchMock);

async function caught(promise: Promise<unknown>): Promise<ApiError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

describe('requests', () => {
  it('posts the login as JSON in Chinese and returns the parsed session', async () => {
    fetchMock.mockResolvedValue(jsonResponse(200, loginAnswer));
    await expect(loginOwner({ username: 'boss', password: 'secret' })).resolves.toEqual(loginAnswer);

    const { url, init, headers } = sentRequest();
    expect(url).toBe(ApiPaths.ownerLogin);
    expect(init.method).toBe('POST');
    expect(JSON.parse(String(init.body))).toEqual({ username: 'boss', password: 'secret' });
    expect(headers['Content-Type']).toBe('application/json');
    expect(headers['Accept-Language']).toBe('zh-CN');
    expect(headers.Authorization).toBeUndefined();
  });

  it('sends the bearer token for the summary and sends no body', async () => {
    fetchMock.mockResolvedValue(jsonResponse(200, { memberCount: 42 }));
    await expect(fetchAdminSummary('tok-1')).resolves.toEqual({ memberCount: 42 });

    const { url, init, headers } = sentRequest();
    expect(url).toBe(ApiPaths.adminSummary);
    expect(init.method).toBe('GET');
    expect(init.body).toBeUndefined();
    expect(headers.Authorization).toBe('Bearer tok-1');
    expect(headers['Content-Type']).toBeUndefined();
  });
});

describe('error mapping', () => {
  it('keeps the server code, message, status and details of the shared error shape', async () => {
    const details = [{ path: ['username'], message: '请输入账号' }];
    fetchMock.mockResolvedValue(errorResponse(400, 'VALIDATION_FAILED', '请求参数有误', details));
    const error = await caught(loginOwner({ username: 'boss', password: 'x' }));
    expect(error).toMatchObject({ code: 'VALIDATION_FAILED', message: '请求参数有误', status: 400, details });
  });

  it('treats wrong credentials as a form error, not as a lost session', async () => {
    fetchMock.mockResolvedValue(errorResponse(401, 'INVALID_CREDENTIALS', '账号或密码错误'));
    const error = await caught(loginOwner({ username: 'boss', password: 'wrong' }));
    expect(error).toMatchObject({ code: 'INVALID_CREDENTIALS', message: '账号或密码错误', status: 401 });
    expect(isSessionError(error)).toBe(false);
  });

  it.each(['TOKEN_EXPIRED', 'TOKEN_INVALID', 'UNAUTHENTICATED'])('reports %s as a lost session', async (code) => {
    fetchMock.mockResolvedValue(errorResponse(401, code, '登录已过期，请重新登录'));
    const error = await caught(fetchAdminSummary('old-token'));
    expect(error.code).toBe(code);
    expect(isSessionError(error)).toBe(true);
  });

  it('gives a 401 without an error body the UNAUTHENTICATED code', async () => {
    fetchMock.mockResolvedValue(new Response(null, { status: 401 }));
    const error = await caught(fetchAdminSummary('tok-1'));
    expect(error).toMatchObject({ code: 'UNAUTHENTICATED', status: 401 });
    expect(isSessionError(error)).toBe(true);
  });

  it('maps a non-JSON failure (a proxy error page) to UNEXPECTED_RESPONSE with the status', async () => {
    fetchMock.mockResolvedValue(new Response('<html>Bad Gateway</html>', { status: 502 }));
    const error = await caught(fetchAdminSummary('tok-1'));
    expect(error).toMatchObject({ code: 'UNEXPECTED_RESPONSE', status: 502 });
    expect(error.message).toContain('502');
  });

  it('maps a 2xx answer that does not match the schema to UNEXPECTED_RESPONSE', async () => {
    fetchMock.mockResolvedValue(jsonResponse(200, { memberCount: 'many' }));
    const error = await caught(fetchAdminSummary('tok-1'));
    expect(error).toMatchObject({ code: 'UNEXPECTED_RESPONSE', status: 200 });
  });

  it('maps a network failure to NETWORK_ERROR with a Chinese message', async () => {
    fetchMock.mockRejectedValue(new TypeError('fetch failed'));
    const error = await caught(fetchAdminSummary('tok-1'));
    expect(error).toMatchObject({ code: 'NETWORK_ERROR', status: 0 });
    expect(error.message).toMatch(/网络/);
    expect(isSessionError(error)).toBe(false);
  });
});

describe('filenameFromDisposition', () => {
  it('prefers the UTF-8 name, then the plain one, and gives null for none', () => {
    expect(filenameFromDisposition(`attachment; filename="a.csv"; filename*=UTF-8''%E6%96%B0%E5%A2%9E.csv`)).toBe(
      '新增.csv',
    );
    expect(filenameFromDisposition('attachment; filename="a b.csv"')).toBe('a b.csv');
    expect(filenameFromDisposition('attachment; filename=plain.csv')).toBe('plain.csv');
    expect(filenameFromDisposition(`attachment; filename*=UTF-8''%E0%A4%A; filename="ok.csv"`)).toBe('ok.csv');
    expect(filenameFromDisposition('attachment')).toBeNull();
    expect(filenameFromDisposition(null)).toBeNull();
  });
});
