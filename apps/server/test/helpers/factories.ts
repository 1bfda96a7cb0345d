// Builders for test data through the real API (and the sandbox), so tests read as what people do.
import { ApiPaths, IdentityPaths } from '@member-hub/shared';
import { request } from './http';
import type { TestHub } from './testHub';

export async function memberLogin(
  hub: TestHub,
  openid: string,
  unionid?: string,
): Promise<{ token: string; memberId: string; memberNo: string }> {
  const issued = await request(hub.sandboxUrl ?? '', 'POST', '/__control/login-codes', {
    json: { appid: hub.config.wechat.appid, openid, ...(unionid && { unionid }) },
  });
  const res = await request(hub.url, 'POST', ApiPaths.wechatLogin, { json: { code: issued.body.code } });
  if (res.status >= 300) throw new Error(`login failed: ${JSON.stringify(res.body)}`);
  return { token: res.body.token, memberId: res.body.member.memberId, memberNo: res.body.member.memberNo };
}

export async function phoneCode(hub: TestHub, phoneNumber: string): Promise<string> {
  const res = await request(hub.sandboxUrl ?? '', 'POST', '/__control/phone-codes', { json: { phoneNumber } });
  return res.body.code;
}

export async function bindPhone(hub: TestHub, token: string, phone: string) {
  return request(hub.url, 'POST', IdentityPaths.myPhone, { token, json: { code: await phoneCode(hub, phone) } });
}

export async function ownerToken(hub: TestHub): Promise<string> {
  const res = await request(hub.url, 'POST', ApiPaths.ownerLogin, {
    json: { username: 'owner', password: 'owner123456' },
  });
  if (res.status !== 200) throw new Error(`owner login failed: ${JSON.stringify(res.body)}`);
  return res.body.token;
}

export async function createStore(hub: TestHub, owner: string, code: string): Promise<string> {
  const res = await request(hub.url, 'POST', IdentityPaths.adminStores, {
    token: owner,
    json: { name: `门店${code}`, code, address: '测试路 1 号' },
  });
  if (res.status !== 201) throw new Error(`store failed: ${JSON.stringify(res.body)}`);
  return res.body.id;
}

export async function createStaff(
  hub: TestHub,
  owner: string,
  storeId: string,
  username: string,
  role: 'staff' | 'manager' = 'staff',
) {
  const password = 'staff-password-1';
  const res = await request(hub.url, 'POST', IdentityPaths.adminStaff, {
    token: owner,
    json: { storeId, name: username, username, password, role },
  });
  if (res.status !== 201) throw new Error(`staff failed: ${JSON.stringify(res.body)}`);
  const login = await request(hub.url, 'POST', IdentityPaths.staffLogin, { json: { username, password } });
  return { staffId: res.body.id as string, token: login.body.token as string };
}

export async function memberCode(
  hub: TestHub,
  token: string,
): Promise<{ numeric: string; qrPayload: string; refreshAt: string }> {
  const res = await request(hub.url, 'GET', IdentityPaths.myCard, { token });
  if (res.status !== 200) throw new Error(`card failed: ${JSON.stringify(res.body)}`);
  return res.body.code;
}
