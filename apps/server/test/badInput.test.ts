import { ApiPaths } from '@member-hub/shared';
import { request } from './helpers/http';
import { startTestHub, type TestHub } from './helpers/testHub';

let hub: TestHub;
const memberCount = () => hub.deps.conn.collection('members').countDocuments();

beforeAll(async () => {
  hub = await startTestHub();
});
afterAll(async () => {
  await hub.stop();
});

describe('bad input gets a 4xx with a stable code and changes nothing', () => {
  it('malformed JSON -> 400 MALFORMED_BODY', async () => {
    const res = await request(hub.url, 'POST', ApiPaths.wechatLogin, { raw: '{"code": "abc"' });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: { code: 'MALFORMED_BODY', message: '请求体格式错误' } });
  });

  it('a bare JSON string -> 400 MALFORMED_BODY', async () => {
    const res = await request(hub.url, 'POST', ApiPaths.wechatLogin, { raw: '"abc"' });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('MALFORMED_BODY');
  });

  it('wrong type -> 400 VALIDATION_FAILED naming the field', async () => {
    const res = await request(hub.url, 'POST', ApiPaths.wechatLogin, { json: { code: 12345 } });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.details).toEqual([expect.objectContaining({ path: 'code', code: 'invalid_type' })]);
  });

  it('missing field -> 400 VALIDATION_FAILED', async () => {
    const res = await request(hub.url, 'POST', ApiPaths.wechatLogin, { json: {} });
    expect(res.status).toBe(400);
    expect(res.body.error.details[0].path).toBe('code');
  });

  it('unknown field -> 400 VALIDATION_FAILED listing it', async () => {
    const res = await request(hub.url, 'POST', ApiPaths.wechatLogin, { json: { code: 'x', isAdmin: true } });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.details).toEqual([expect.objectContaining({ code: 'unrecognized_keys', keys: ['isAdmin'] })]);
  });

  it('a body over the size limit -> 413 PAYLOAD_TOO_LARGE', async () => {
    const res = await request(hub.url, 'POST', ApiPaths.wechatLogin, { json: { code: 'x'.repeat(200_000) } });
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('a non-JSON content type is not parsed and fails validation', async () => {
    const res = await request(hub.url, 'POST', ApiPaths.wechatLogin, {
      raw: 'code=abc',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
  });

  it('unknown route -> 404 ROUTE_NOT_FOUND; wrong method -> 405 METHOD_NOT_ALLOWED', async () => {
    const missing = await request(hub.url, 'GET', '/api/v1/nothing-here');
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('ROUTE_NOT_FOUND');
    const wrongMethod = await request(hub.url, 'GET', ApiPaths.wechatLogin);
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.body.error.code).toBe('METHOD_NOT_ALLOWED');
  });

  it('speaks English when the client asks for it', async () => {
    const res = await request(hub.url, 'POST', ApiPaths.wechatLogin, {
      raw: '{',
      headers: { 'accept-language': 'en-US,en;q=0.9' },
    });
    expect(res.body.error.message).toBe('Malformed request body');
  });

  it('none of the above created a member', async () => {
    expect(await memberCount()).toBe(0);
  });
});
