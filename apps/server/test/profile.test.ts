import { AdminMemberDetail, IdentityPaths, MyProfile } from '@member-hub/shared';
import { Types } from 'mongoose';
import { bindPhone, createStaff, createStore, memberCode, memberLogin, ownerToken } from './helpers/factories';
import { request } from './helpers/http';
import { startTestHub, type TestHub } from './helpers/testHub';

let hub: TestHub;
let owner: string;
let staff: { staffId: string; token: string };
let storeId: string;

beforeAll(async () => {
  hub = await startTestHub();
  owner = await ownerToken(hub);
  storeId = await createStore(hub, owner, 'PRF1');
  staff = await createStaff(hub, owner, storeId, 'profile-staff');
});
afterAll(async () => {
  await hub.stop();
});

const patch = (token: string, json: unknown) => request(hub.url, 'PATCH', IdentityPaths.myProfile, { token, json });

describe('profile', () => {
  it('saves nickname, gender, region and avatar', async () => {
    const m = await memberLogin(hub, 'prof-basic');
    const res = await patch(m.token, {
      nickname: '小林',
      gender: 'female',
      region: { province: '浙江省', city: '杭州市', district: '西湖区' },
      avatarUrl: 'https://img.example.com/a.png',
    });
    expect(res.status).toBe(200);
    expect(MyProfile.parse(res.body)).toMatchObject({
      nickname: '小林',
      gender: 'female',
      region: { city: '杭州市' },
      birthdayLocked: false,
    });
  });

  it('explains each invalid field and changes nothing', async () => {
    const m = await memberLogin(hub, 'prof-invalid');
    const cases: [unknown, string][] = [
      [{ nickname: '' }, 'nickname'],
      [{ nickname: '这是一个非常非常非常非常非常非常长的昵称超过二十个字' }, 'nickname'],
      [{ birthday: '1990-02-30' }, 'birthday'],
      [{ birthday: '2999-01-01' }, 'birthday'],
      [{ birthday: '19900101' }, 'birthday'],
      [{ gender: 'robot' }, 'gender'],
      [{ avatarUrl: 'not a url' }, 'avatarUrl'],
      [{ phone: '13800000000' }, ''],
      [{}, ''],
    ];
    for (const [body, path] of cases) {
      const res = await patch(m.token, body);
      expect({ body, status: res.status, code: res.body.error.code }).toEqual({
        body,
        status: 400,
        code: 'VALIDATION_FAILED',
      });
      expect(res.body.error.details[0].path).toBe(path);
    }
    const profile = MyProfile.parse((await request(hub.url, 'GET', IdentityPaths.myProfile, { token: m.token })).body);
    expect(profile).toMatchObject({ nickname: null, birthday: null, gender: 'unknown', avatarUrl: null });
  });

  it('lets the member set a birthday once; later only staff can change it, with a reason that is audited', async () => {
    const m = await memberLogin(hub, 'prof-birthday');
    expect((await patch(m.token, { birthday: '1992-08-15' })).body).toMatchObject({
      birthday: '1992-08-15',
      birthdayLocked: true,
    });
    const again = await patch(m.token, { birthday: '1992-08-16' });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('BIRTHDAY_LOCKED');
    // Sending the same date again is not a change.
    expect((await patch(m.token, { birthday: '1992-08-15', nickname: '生日不变' })).status).toBe(200);

    const noReason = await request(hub.url, 'PATCH', IdentityPaths.adminMemberBirthday(m.memberId), {
      token: staff.token,
      json: { birthday: '1992-08-16' },
    });
    expect(noReason.status).toBe(400);
    const byStaff = await request(hub.url, 'PATCH', IdentityPaths.adminMemberBirthday(m.memberId), {
      token: staff.token,
      json: { birthday: '1992-08-16', reason: '顾客出示身份证，原生日填错' },
    });
    expect(byStaff.status).toBe(200);
    expect(AdminMemberDetail.parse(byStaff.body).birthday).toBe('1992-08-16');
    const audit = await hub.deps.conn.collection('audit_log').findOne({ action: 'member.birthday.set' });
    expect(audit).toMatchObject({
      actor: { kind: 'staff', id: staff.staffId },
      details: { before: '1992-08-15', after: '1992-08-16', reason: '顾客出示身份证，原生日填错' },
    });
    expect(audit?.storeId.toHexString()).toBe(storeId);
  });

  it('two racing first-time birthdays set it once', async () => {
    const m = await memberLogin(hub, 'prof-birthday-race');
    const results = await Promise.all([
      patch(m.token, { birthday: '1990-01-01' }),
      patch(m.token, { birthday: '1991-01-01' }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
  });
});

describe('personal data: masked for staff and owners, audited, exportable, deletable', () => {
  it('masks the phone for staff and owners and audits each of their reads', async () => {
    const m = await memberLogin(hub, 'prof-masked');
    await bindPhone(hub, m.token, '13812345678');
    const scan = await request(hub.url, 'POST', IdentityPaths.staffScan, {
      token: staff.token,
      json: { code: (await memberCode(hub, m.token)).numeric },
    });
    expect(scan.body.maskedPhone).toBe('138****5678');
    const detail = await request(hub.url, 'GET', IdentityPaths.adminMember(m.memberId), { token: owner });
    expect(detail.body.maskedPhone).toBe('138****5678');
    const search = await request(hub.url, 'GET', `${IdentityPaths.adminMembers}?q=13812345678`, { token: owner });
    expect(search.body.items).toHaveLength(1);
    expect(search.body.items[0]).toMatchObject({ memberId: m.memberId, maskedPhone: '138****5678' });
    for (const body of [scan.body, detail.body, search.body]) expect(JSON.stringify(body)).not.toContain('13812345678');

    const trail = await hub.deps.conn
      .collection('audit_log')
      .find({ memberId: new Types.ObjectId(m.memberId) })
      .toArray();
    expect(trail.map((a) => a.action)).toEqual(expect.arrayContaining(['member.scan', 'member.read']));
    const searchAudit = await hub.deps.conn
      .collection('audit_log')
      .findOne({ action: 'member.search', 'details.q': '138****5678' });
    expect(searchAudit).not.toBeNull();
    expect(JSON.stringify(await hub.deps.conn.collection('audit_log').find().toArray())).not.toContain('13812345678');
  });

  it('exports everything about the member as JSON, phone included', async () => {
    const m = await memberLogin(hub, 'prof-export');
    await bindPhone(hub, m.token, '13711112222');
    await patch(m.token, { nickname: '导出测试' });
    const res = await request(hub.url, 'GET', IdentityPaths.myExport, { token: m.token });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toContain('attachment');
    expect(res.body.member).toMatchObject({ nickname: '导出测试', phone: '13711112222', points: 100 }); // phone task
    expect(res.body.ledger).toEqual([expect.objectContaining({ account: 'points', amount: 100, reason: 'task' })]);
    expect(res.body.wechat).toEqual([{ appid: hub.config.wechat.appid, openid: 'prof-export' }]);
  });

  it('deletes the account: personal data erased, ledgers kept, the person can start afresh', async () => {
    const m = await memberLogin(hub, 'prof-delete');
    await bindPhone(hub, m.token, '13633334444');
    await hub.deps.ledger.post({
      memberId: new Types.ObjectId(m.memberId),
      account: 'points',
      amount: 80,
      reason: 'task',
      idempotencyKey: 'prof-delete-points',
    });
    expect((await request(hub.url, 'DELETE', IdentityPaths.me, { token: m.token })).status).toBe(204);

    const raw = await hub.deps.conn.collection('members').findOne({ memberNo: m.memberNo });
    expect(raw).toMatchObject({
      status: 'deleted',
      phone: null,
      wechat: [],
      birthday: null,
      identityKeys: [`retired:${m.memberId}`],
    });
    expect(raw?.nickname).toMatch(/^已注销-/);
    expect(
      await hub.deps.conn.collection('ledger_entries').countDocuments({ idempotencyKey: 'prof-delete-points' }),
    ).toBe(1);
    const after = await request(hub.url, 'GET', IdentityPaths.myCard, { token: m.token });
    expect(after.status).toBe(401);
    const again = await memberLogin(hub, 'prof-delete');
    expect(again.memberId).not.toBe(m.memberId);
    expect(await hub.deps.identity.findByPhone('13633334444')).toBeNull();
  });
});
