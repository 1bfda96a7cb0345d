import { AdminSummary, ApiPaths, IdentityPaths, OwnerLoginResponse } from '@member-hub/shared';
import { request, sandboxLoginCode } from './helpers/http';
import { startTestHub, type TestHub } from './helpers/testHub';

let hub: TestHub;

beforeAll(async () => {
  hub = await startTestHub((config) => {
    config.bootstrapOwner = { username: 'boss', password: 'correct horse battery' };
  });
});
afterAll(async () => {
  await hub.stop();
});

const ownerLogin = (username: string, password: string) =>
  request(hub.url, 'POST', ApiPaths.ownerLogin, { json: { username, password } });

describe('owner accounts', () => {
  it('creates the first owner from config, storing only a scrypt hash', async () => {
    const owners = await hub.deps.conn.collection('owners').find().toArray();
    expect(owners).toHaveLength(1);
    expect(owners[0]?.username).toBe('boss');
    expect(owners[0]?.passwordHash).toMatch(/^scrypt\$16384\$8\$1\$/);
    expect(JSON.stringify(owners)).not.toContain('correct horse battery');
  });

  it('does not create or reset the owner again on the next start', async () => {
    expect(await hub.deps.owners.ensureBootstrapOwner({ username: 'boss', password: 'another password' })).toBe(false);
    expect((await ownerLogin('boss', 'correct horse battery')).status).toBe(200);
  });

  it('rejects a wrong password and an unknown owner with the same error', async () => {
    for (const [u, p] of [
      ['boss', 'wrong password'],
      ['nobody', 'correct horse battery'],
    ] as const) {
      const res = await ownerLogin(u, p);
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('INVALID_CREDENTIALS');
    }
  });

  it('shows the owner the member count', async () => {
    const { token } = OwnerLoginResponse.parse((await ownerLogin('boss', 'correct horse battery')).body);
    const before = AdminSummary.parse((await request(hub.url, 'GET', ApiPaths.adminSummary, { token })).body);
    expect(before.memberCount).toBe(0);
    const code = await sandboxLoginCode(hub.sandboxUrl ?? '', hub.config.wechat.appid ?? '', 'openid-counted');
    expect((await request(hub.url, 'POST', ApiPaths.wechatLogin, { json: { code } })).status).toBe(201);
    const after = AdminSummary.parse((await request(hub.url, 'GET', ApiPaths.adminSummary, { token })).body);
    expect(after.memberCount).toBe(1);
  });

  it('does not let an owner token act as a member', async () => {
    const { token } = OwnerLoginResponse.parse((await ownerLogin('boss', 'correct horse battery')).body);
    const res = await request(hub.url, 'GET', IdentityPaths.myCard, { token });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('FORBIDDEN');
  });

  it('the create-owner command path creates a new owner and resets an existing password', async () => {
    expect(await hub.deps.owners.upsertOwner('manager2', 'first password')).toEqual({ created: true });
    expect(await hub.deps.owners.upsertOwner('manager2', 'second password')).toEqual({ created: false });
    expect((await ownerLogin('manager2', 'first password')).status).toBe(401);
    expect((await ownerLogin('manager2', 'second password')).status).toBe(200);
  });
});
