import { IdentityPaths, StaffInvite, StaffLoginResponse } from '@member-hub/shared';
import { createStaff, createStore, ownerToken } from './helpers/factories';
import { request } from './helpers/http';
import { startTestHub, type TestHub } from './helpers/testHub';

let hub: TestHub;
let owner: string;
let storeId: string;

beforeAll(async () => {
  hub = await startTestHub();
  owner = await ownerToken(hub);
  storeId = await createStore(hub, owner, 'STF1');
});
afterAll(async () => {
  await hub.stop();
});

const invite = async (role: 'staff' | 'manager' = 'staff') =>
  StaffInvite.parse(
    (await request(hub.url, 'POST', IdentityPaths.adminStaffInvites, { token: owner, json: { storeId, role } })).body,
  );
const accept = (inviteCode: string, username: string) =>
  request(hub.url, 'POST', IdentityPaths.staffAcceptInvite, {
    json: { inviteCode, name: '新同事', username, password: 'password-123' },
  });

describe('stores and staff', () => {
  it('refuses a second store with the same code', async () => {
    const res = await request(hub.url, 'POST', IdentityPaths.adminStores, {
      token: owner,
      json: { name: '重复', code: 'stf1' },
    });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('STORE_CODE_TAKEN');
  });

  it('staff log in with account and password and see their store', async () => {
    await createStaff(hub, owner, storeId, 'cashier1');
    const res = await request(hub.url, 'POST', IdentityPaths.staffLogin, {
      json: { username: 'cashier1', password: 'staff-password-1' },
    });
    const body = StaffLoginResponse.parse(res.body);
    expect(body.staff).toMatchObject({ username: 'cashier1', role: 'staff', store: { id: storeId, code: 'STF1' } });
    const wrong = await request(hub.url, 'POST', IdentityPaths.staffLogin, {
      json: { username: 'cashier1', password: 'nope-nope' },
    });
    expect(wrong.body.error.code).toBe('INVALID_CREDENTIALS');
  });

  it('an invite opens one account with the invited role, once, even when two phones race for it', async () => {
    const { inviteCode } = await invite('manager');
    expect(inviteCode).toMatch(/^[A-Z2-9]{10}$/);
    const [a, b] = await Promise.all([accept(inviteCode, 'racer-a'), accept(inviteCode.toLowerCase(), 'racer-b')]);
    expect([a.status, b.status].sort()).toEqual([201, 400]);
    const winner = a.status === 201 ? a : b;
    expect(StaffLoginResponse.parse(winner.body).staff.role).toBe('manager');
    expect((a.status === 201 ? b : a).body.error.code).toBe('INVITE_INVALID');
  });

  it('an invite whose username is taken stays usable with another username', async () => {
    await createStaff(hub, owner, storeId, 'taken-name');
    const { inviteCode } = await invite();
    const clash = await accept(inviteCode, 'taken-name');
    expect(clash.status).toBe(409);
    expect(clash.body.error.code).toBe('USERNAME_TAKEN');
    expect((await accept(inviteCode, 'fresh-name')).status).toBe(201);
  });

  it('staff management changes are audited, without the password', async () => {
    const s = await createStaff(hub, owner, storeId, 'audited-staff');
    await request(hub.url, 'PATCH', IdentityPaths.adminStaffMember(s.staffId), {
      token: owner,
      json: { role: 'manager', password: 'another-password' },
    });
    const record = await hub.deps.conn
      .collection('audit_log')
      .findOne({ action: 'staff.update', 'details.staffId': s.staffId });
    expect(record?.details).toMatchObject({ role: 'manager', passwordReset: true });
    expect(JSON.stringify(record)).not.toContain('another-password');
  });
  // Last: it moves the clock past every token's life.
  it('an expired invite is refused', async () => {
    const { inviteCode } = await invite();
    hub.clock.advance((hub.config.staffInvite.ttlHours * 3600 + 1) * 1000);
    expect((await accept(inviteCode, 'too-late')).body.error.code).toBe('INVITE_INVALID');
  });
});
