import { BindPhoneResponse, IdentityPaths, MyProfile } from '@member-hub/shared';
import { startWechatSandbox } from '@member-hub/wechat-sandbox';
import { Types } from 'mongoose';
import { PersonalDataVault } from '../src/lib/personalData';
import { IdentityService } from '../src/modules/identity/service';
import { WechatClient } from '../src/wechat/client';
import { bindPhone, memberLogin } from './helpers/factories';
import { request } from './helpers/http';
import { startTestHub, type TestHub } from './helpers/testHub';

let hub: TestHub;
const members = () => hub.deps.conn.collection('members');
const liveMembers = () => members().countDocuments({ status: 'active' });

beforeAll(async () => {
  hub = await startTestHub();
});
afterAll(async () => {
  await hub.stop();
});

describe('linking rules: one person is one member however they arrive', () => {
  it('a second WeChat app of the same brand finds the member through the unionid and remembers its openid', async () => {
    const first = await memberLogin(hub, 'o-app1-user', 'union-shared-1');
    // The same person opens the brand's second mini-program: another appid and openid, the same unionid.
    const second = { appid: 'wx_second_app', secret: 'second_secret' };
    const sandbox = await startWechatSandbox({ port: 0, apps: [second] });
    try {
      const identity = new IdentityService(
        hub.deps.conn,
        new WechatClient({ baseUrl: sandbox.url, ...second }),
        hub.deps.vault,
      );
      const issued = await request(sandbox.url, 'POST', '/__control/login-codes', {
        json: { appid: second.appid, openid: 'o-app2-user', unionid: 'union-shared-1' },
      });
      const { member, isNew } = await identity.loginWithWechat(issued.body.code);
      expect(isNew).toBe(false);
      expect(member._id.toHexString()).toBe(first.memberId);
      const raw = await members().findOne({ _id: member._id });
      expect(raw?.identityKeys).toEqual(
        expect.arrayContaining(['wx:wx_second_app:o-app2-user', 'union:union-shared-1']),
      );
    } finally {
      await sandbox.stop();
    }
  });

  it('binding a new phone stores it encrypted with a blind index, never in plain text', async () => {
    const m = await memberLogin(hub, 'o-phone-new');
    const res = await bindPhone(hub, m.token, '13800001111');
    expect(res.status).toBe(200);
    const body = BindPhoneResponse.parse(res.body);
    expect(body.linkedExisting).toBe(false);
    expect(body.profile.phone).toBe('13800001111'); // the member's own profile shows it
    const raw = await members().findOne({ _id: new Types.ObjectId(m.memberId) });
    expect(JSON.stringify(raw)).not.toContain('13800001111');
    expect(raw?.phone).toEqual({ k: 'test1', n: expect.any(String), c: expect.any(String) });
    expect(raw?.identityKeys).toEqual(expect.arrayContaining([expect.stringMatching(/^phone:[A-Za-z0-9_-]{43}$/)]));
  });

  it('a phone already known from the POS links to that member instead of making a second one', async () => {
    const pos = await hub.deps.identity.resolveExternal({
      source: 'pos',
      id: 'P-1001',
      phone: '13900002222',
      nickname: '老顾客',
    });
    await hub.deps.ledger.post({
      memberId: pos.member._id,
      account: 'points',
      amount: 500,
      reason: 'import',
      idempotencyKey: 'import:P-1001',
    });
    const before = await liveMembers();
    const wechat = await memberLogin(hub, 'o-pos-customer');
    expect(await liveMembers()).toBe(before + 1);

    const res = await bindPhone(hub, wechat.token, '13900002222');
    const body = BindPhoneResponse.parse(res.body);
    expect(body.linkedExisting).toBe(true);
    expect(body.profile.memberId).toBe(pos.member._id.toHexString());
    expect(await liveMembers()).toBe(before); // the fresh WeChat member was merged away

    // The new token, and the old one, both lead to the POS member with its points.
    const card = await request(hub.url, 'GET', IdentityPaths.myCard, { token: body.token });
    // 500 from the POS, 100 for the first phone binding in the mini-program.
    expect(card.body).toMatchObject({ memberId: pos.member._id.toHexString(), points: 600 });
    const oldToken = await request(hub.url, 'GET', IdentityPaths.myCard, { token: wechat.token });
    expect(oldToken.body.memberId).toBe(pos.member._id.toHexString());
    // And the next WeChat login lands on it directly.
    const again = await memberLogin(hub, 'o-pos-customer');
    expect(again.memberId).toBe(pos.member._id.toHexString());
  });

  it('an external id already known finds its member; a known phone gets the external id linked', async () => {
    const a = await hub.deps.identity.resolveExternal({ source: 'shop', id: 'S-1', phone: '13700003333' });
    expect(a.isNew).toBe(true);
    const again = await hub.deps.identity.resolveExternal({ source: 'shop', id: 'S-1' });
    expect(again).toMatchObject({ isNew: false });
    expect(again.member._id.equals(a.member._id)).toBe(true);
    const viaPhone = await hub.deps.identity.resolveExternal({ source: 'pos', id: 'P-77', phone: '137 0000 3333' });
    expect(viaPhone.isNew).toBe(false);
    expect(viaPhone.member._id.equals(a.member._id)).toBe(true);
    const linked = await members().findOne({ _id: a.member._id });
    expect(linked?.externalIds).toEqual(
      expect.arrayContaining([
        { source: 'shop', id: 'S-1' },
        { source: 'pos', id: 'P-77' },
      ]),
    );
  });

  it('refuses to link an external id that already belongs to someone else', async () => {
    const a = await hub.deps.identity.resolveExternal({ source: 'pos', id: 'P-500' });
    const b = await hub.deps.identity.resolveExternal({ source: 'pos', id: 'P-501' });
    await expect(hub.deps.identity.linkExternal(b.member._id, 'pos', 'P-500')).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    const stillA = await hub.deps.identity.resolveExternal({ source: 'pos', id: 'P-500' });
    expect(stillA.member._id.equals(a.member._id)).toBe(true);
  });

  it('the same new customer reported twice at once becomes one member', async () => {
    const results = await Promise.all(
      Array.from({ length: 5 }, () =>
        hub.deps.identity.resolveExternal({ source: 'pos', id: 'P-rush', phone: '13600004444' }),
      ),
    );
    const ids = new Set(results.map((r) => r.member._id.toHexString()));
    expect(ids.size).toBe(1);
  });

  it('a member cannot bind a second phone', async () => {
    const m = await memberLogin(hub, 'o-two-phones');
    expect((await bindPhone(hub, m.token, '13500005555')).status).toBe(200);
    const second = await bindPhone(hub, m.token, '13500006666');
    expect(second.status).toBe(409);
    expect(second.body.error.code).toBe('PHONE_ALREADY_BOUND');
  });

  it('a used or invalid phone code is refused and binds nothing', async () => {
    const m = await memberLogin(hub, 'o-bad-phone-code');
    const res = await request(hub.url, 'POST', IdentityPaths.myPhone, { token: m.token, json: { code: 'made-up' } });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('PHONE_CODE_INVALID');
    const profile = MyProfile.parse((await request(hub.url, 'GET', IdentityPaths.myProfile, { token: m.token })).body);
    expect(profile.phone).toBeNull();
  });

  it('old encryption keys still open data after the active key rotates', async () => {
    const sealed = hub.deps.vault.seal('13812341234', 'phone');
    const rotated = new PersonalDataVault({
      keys: { k2: Buffer.alloc(32, 9).toString('base64'), ...hub.config.personalData.keys },
      activeKeyId: 'k2',
      blindIndexKey: hub.config.personalData.blindIndexKey,
    });
    expect(rotated.open(sealed, 'phone')).toBe('13812341234');
    expect(rotated.needsRotation(sealed)).toBe(true);
    expect(rotated.seal('13812341234', 'phone').k).toBe('k2');
    // The blind index does not depend on the encryption key, so lookups survive rotation.
    expect(rotated.blindIndex('13812341234', 'phone')).toBe(hub.deps.vault.blindIndex('13812341234', 'phone'));
    // A ciphertext cannot be replayed into another field.
    expect(() => rotated.open(sealed, 'nickname')).toThrow();
  });
});
