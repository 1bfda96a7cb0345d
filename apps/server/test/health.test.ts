import { IdentityPaths } from '@member-hub/shared';
import { memberLogin } from './helpers/factories';
import { request } from './helpers/http';
import { startTestHub, type TestHub } from './helpers/testHub';

let hub: TestHub;

beforeAll(async () => {
  hub = await startTestHub((config) => {
    config.server.adminOrigins = ['https://admin.example.test'];
  });
});
afterAll(async () => {
  await hub.stop();
});

describe('health, headers and CORS', () => {
  it('/healthz answers without touching the database; /readyz pings it', async () => {
    expect((await request(hub.url, 'GET', '/healthz')).body).toEqual({ status: 'ok' });
    expect((await request(hub.url, 'GET', '/readyz')).body).toEqual({ status: 'ready' });
  });

  it('sets security headers and a request id on every answer', async () => {
    const res = await request(hub.url, 'GET', '/healthz');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('echoes a well-formed incoming request id and replaces a malformed one', async () => {
    const kept = await request(hub.url, 'GET', '/healthz', { headers: { 'x-request-id': 'gateway-abc.123' } });
    expect(kept.headers.get('x-request-id')).toBe('gateway-abc.123');
    const replaced = await request(hub.url, 'GET', '/healthz', { headers: { 'x-request-id': 'bad id with spaces' } });
    expect(replaced.headers.get('x-request-id')).not.toBe('bad id with spaces');
  });

  it('allows CORS only for the configured admin origin', async () => {
    const allowed = await request(hub.url, 'OPTIONS', '/api/v1/admin/summary', {
      headers: { origin: 'https://admin.example.test', 'access-control-request-method': 'GET' },
    });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://admin.example.test');
    const denied = await request(hub.url, 'OPTIONS', '/api/v1/admin/summary', {
      headers: { origin: 'https://evil.example.test', 'access-control-request-method': 'GET' },
    });
    expect(denied.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('tells the H5 build where the WeChat sandbox is', async () => {
    const res = await request(hub.url, 'GET', '/api/v1/client-config');
    expect(res.body).toEqual({ appid: hub.config.wechat.appid, sandboxBaseUrl: hub.sandboxUrl });
  });

  it('/readyz and API calls answer 503 DATABASE_UNAVAILABLE (with Retry-After) once the database is gone', async () => {
    const member = await memberLogin(hub, 'health-db-gone');
    await hub.deps.conn.close();
    const res = await request(hub.url, 'GET', '/readyz');
    expect(res.status).toBe(503);
    expect(res.body.error.code).toBe('DATABASE_UNAVAILABLE');
    // Not a 500: the database being away is not a bug, and the client should retry.
    const me = await request(hub.url, 'GET', IdentityPaths.me, { token: member.token });
    expect(me.status).toBe(503);
    expect(me.body.error.code).toBe('DATABASE_UNAVAILABLE');
    expect(me.headers.get('retry-after')).toBe('5');
  });
});
