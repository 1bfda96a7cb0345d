// The typed calls against a stubbed fetch: right method, path, bearer and body; answers checked by the schemas.
import { ApiError } from '../api';
import { answerOnce, sentRequest, stubFetch } from '../testing/fetch-stub';
import { listAudit } from './audit';
import { getMember, listMembers, mergeMembers, setMemberBirthday } from './members';
import { createInvite, createStaff, listStaff, updateStaff } from './staff';
import { createStore, listStores, updateStore } from './stores';

const ID = '65f0c0ffee0000000000aaaa';
const OTHER = '65f0c0ffee0000000000bbbb';

const fetchMock = stubFetch();

const answer = (status: number, body: unknown) => answerOnce(fetchMock, status, body);
const sent = () => sentRequest(fetchMock);

const row = {
  memberId: ID,
  memberNo: '10001',
  nickname: '小明',
  maskedPhone: '138****8000',
  tier: '普通会员',
  points: 120,
  storedValueFen: 1234,
  createdAt: '2024-01-01T00:00:00.000Z',
  status: 'active',
};
const detail = {
  ...row,
  birthday: null,
  gender: 'unknown',
  region: null,
  growth: 0,
  identities: [{ kind: 'phone', value: '138****8000' }],
  mergedInto: null,
};
const store = { id: ID, name: '西湖店', code: 'HZ-01', address: '', active: true };
const account = { id: OTHER, name: '小王', username: 'xiaowang', role: 'staff', storeId: ID, active: true };
const auditEntry = {
  id: 'a1',
  at: '2024-01-01T00:00:00.000Z',
  actor: { kind: 'owner', id: 'o1', name: 'boss' },
  action: 'member.read',
  memberId: ID,
  storeId: null,
  ip: '127.0.0.1',
  details: {},
};

describe('members', () => {
  it('searches with the bearer token and returns the page', async () => {
    answer(200, { items: [row], next: 'c2' });
    await expect(listMembers('tok', { q: '10001', after: 'c1' })).resolves.toEqual({ items: [row], next: 'c2' });
    expect(sent()).toEqual({
      url: '/api/v1/admin/members?q=10001&limit=20&after=c1',
      method: 'GET',
      auth: 'Bearer tok',
      body: undefined,
    });
  });

  it('reads one member', async () => {
    answer(200, detail);
    await expect(getMember('tok', ID)).resolves.toMatchObject({ memberNo: '10001', status: 'active' });
    expect(sent().url).toBe(`/api/v1/admin/members/${ID}`);
  });

  it('patches the birthday with the reason and accepts any answer body', async () => {
    answer(200, { ok: true });
    await setMemberBirthday('tok', ID, { birthday: '1990-05-01', reason: '录入错误' });
    expect(sent()).toMatchObject({
      url: `/api/v1/admin/members/${ID}/birthday`,
      method: 'PATCH',
      body: { birthday: '1990-05-01', reason: '录入错误' },
    });
    answer(204, undefined);
    await expect(setMemberBirthday('tok', ID, { birthday: '1990-05-01', reason: '录入错误' })).resolves.toBeUndefined();
  });

  it('posts a merge and returns the survivor', async () => {
    const result = { mergeId: 'm1', survivorId: OTHER, mergedId: ID, state: 'done' };
    answer(200, result);
    const body = { sourceMemberId: ID, targetMemberId: OTHER, reason: '同一顾客' };
    await expect(mergeMembers('tok', body)).resolves.toEqual(result);
    expect(sent()).toMatchObject({ url: '/api/v1/admin/member-merges', method: 'POST', body });
  });

  it('passes the merge refusal through with its code and message', async () => {
    answer(400, { error: { code: 'MERGE_INVALID', message: '无法合并这两个会员' } });
    const error = await mergeMembers('tok', { sourceMemberId: ID, targetMemberId: OTHER, reason: '同一顾客' }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ code: 'MERGE_INVALID', message: '无法合并这两个会员', status: 400 });
  });
});

describe('stores', () => {
  it('lists, creates and updates', async () => {
    answer(200, [store]);
    await expect(listStores('tok')).resolves.toEqual([store]);
    expect(sent().url).toBe('/api/v1/admin/stores');

    fetchMock.mockReset();
    answer(201, store);
    await createStore('tok', { name: '西湖店', code: 'HZ-01', address: '' });
    expect(sent()).toMatchObject({ url: '/api/v1/admin/stores', method: 'POST' });

    fetchMock.mockReset();
    answer(200, { ...store, active: false });
    await expect(updateStore('tok', ID, { active: false })).resolves.toMatchObject({ active: false });
    expect(sent()).toMatchObject({ url: `/api/v1/admin/stores/${ID}`, method: 'PATCH', body: { active: false } });
  });

  it('reports a taken store code with its Chinese message', async () => {
    answer(409, { error: { code: 'STORE_CODE_TAKEN', message: '门店编码已存在' } });
    await expect(createStore('tok', { name: '西湖店', code: 'HZ-01', address: '' })).rejects.toMatchObject({
      code: 'STORE_CODE_TAKEN',
      message: '门店编码已存在',
    });
  });

  it('rejects a store list that is not a list', async () => {
    answer(200, { items: [store] });
    await expect(listStores('tok')).rejects.toMatchObject({ code: 'UNEXPECTED_RESPONSE' });
  });
});

describe('staff', () => {
  it('lists by store, creates, updates and invites', async () => {
    answer(200, [account]);
    await expect(listStaff('tok', ID)).resolves.toEqual([account]);
    expect(sent().url).toBe(`/api/v1/admin/staff?storeId=${ID}`);

    fetchMock.mockReset();
    answer(201, account);
    const create = { storeId: ID, name: '小王', username: 'xiaowang', password: 'secret123', role: 'staff' as const };
    await createStaff('tok', create);
    expect(sent()).toMatchObject({ url: '/api/v1/admin/staff', method: 'POST', body: create });

    fetchMock.mockReset();
    answer(200, { ...account, role: 'manager' });
    await updateStaff('tok', OTHER, { role: 'manager' });
    expect(sent()).toMatchObject({ url: `/api/v1/admin/staff/${OTHER}`, method: 'PATCH', body: { role: 'manager' } });

    fetchMock.mockReset();
    const invite = { inviteCode: 'ABCD1234', storeId: ID, role: 'staff', expiresAt: '2030-01-01T00:00:00.000Z' };
    answer(201, invite);
    await expect(createInvite('tok', { storeId: ID, role: 'staff' })).resolves.toEqual(invite);
    expect(sent()).toMatchObject({
      url: '/api/v1/admin/staff-invites',
      method: 'POST',
      body: { storeId: ID, role: 'staff' },
    });
  });
});

describe('audit', () => {
  it('reads a filtered page', async () => {
    const entry = auditEntry;
    answer(200, { items: [entry], next: null });
    await expect(listAudit('tok', { memberId: ID, action: 'member.read' })).resolves.toEqual({
      items: [entry],
      next: null,
    });
    expect(sent().url).toBe(`/api/v1/admin/audit?memberId=${ID}&action=member.read&limit=50`);
  });
});

describe('audit entries without details', () => {
  it('reads a missing details object as empty (the server omits empty ones) but still rejects other gaps', async () => {
    const { details: _details, ...entry } = auditEntry;
    answer(200, { items: [entry], next: null });
    await expect(listAudit('tok', {})).resolves.toEqual({ items: [{ ...entry, details: {} }], next: null });

    const { action: _action, ...withoutAction } = entry;
    answer(200, { items: [withoutAction], next: null });
    await expect(listAudit('tok', {})).rejects.toMatchObject({ code: 'UNEXPECTED_RESPONSE' });
  });
});
