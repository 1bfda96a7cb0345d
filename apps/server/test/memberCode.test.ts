import { IdentityPaths, MyCardResponse } from '@member-hub/shared';
import { Types } from 'mongoose';
import { createStaff, createStore, memberCode, memberLogin, ownerToken } from './helpers/factories';
import { request } from './helpers/http';
import { startTestHub, type TestHub } from './helpers/testHub';

let hub: TestHub;
let staffToken: string;
const WINDOW_MS = 60_000;

beforeAll(async () => {
  hub = await startTestHub();
  // Start each test at the beginning of a code window, so "within the window" and "within grace" are exact.
  hub.clock.advance(WINDOW_MS - (hub.clock.now() % WINDOW_MS));
  const owner = await ownerToken(hub);
  const storeId = await createStore(hub, owner, 'CODE1');
  staffToken = (await createStaff(hub, owner, storeId, 'scanner')).token;
});
afterAll(async () => {
  await hub.stop();
});

const scan = (code: string) => request(hub.url, 'POST', IdentityPaths.staffScan, { token: staffToken, json: { code } });

describe('the rotating member code', () => {
  it('shows QR payload, 8 digits and when to refresh on the card', async () => {
    const { token } = await memberLogin(hub, 'code-card');
    const res = await request(hub.url, 'GET', IdentityPaths.myCard, { token });
    const card = MyCardResponse.parse(res.body);
    expect(card.code.numeric).toMatch(/^\d{8}$/);
    expect(card.code.qrPayload).toBe(`MH1:${hub.config.brand.id}:${card.code.numeric}`);
    expect(new Date(card.code.refreshAt).getTime() % WINDOW_MS).toBe(0);
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  it('is the same within a window and changes in the next one', async () => {
    const { token } = await memberLogin(hub, 'code-rotate');
    const first = await memberCode(hub, token);
    hub.clock.advance(10_000);
    expect((await memberCode(hub, token)).numeric).toBe(first.numeric);
    hub.clock.advance(WINDOW_MS);
    expect((await memberCode(hub, token)).numeric).not.toBe(first.numeric);
  });

  it('is accepted now, by QR payload or by typed digits, and names the member', async () => {
    const { token, memberNo } = await memberLogin(hub, 'code-now');
    const viaQr = await scan((await memberCode(hub, token)).qrPayload);
    expect(viaQr.status).toBe(200);
    expect(viaQr.body.memberNo).toBe(memberNo);
    const digits = (await memberCode(hub, token)).numeric;
    const typed = await scan(`${digits.slice(0, 4)} ${digits.slice(4)}`);
    expect(typed.status).toBe(200);
    expect(typed.body.memberNo).toBe(memberNo);
  });

  it('is accepted within the grace period after its window', async () => {
    const { token } = await memberLogin(hub, 'code-grace');
    const code = await memberCode(hub, token);
    hub.clock.advance(
      new Date(code.refreshAt).getTime() - hub.clock.now() + (hub.config.memberCode.graceSeconds - 1) * 1000,
    );
    expect((await scan(code.numeric)).status).toBe(200);
  });

  it('is rejected after the grace period', async () => {
    const { token } = await memberLogin(hub, 'code-late');
    const code = await memberCode(hub, token);
    hub.clock.advance(
      new Date(code.refreshAt).getTime() - hub.clock.now() + (hub.config.memberCode.graceSeconds + 1) * 1000,
    );
    const res = await scan(code.numeric);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('MEMBER_CODE_EXPIRED');
  });

  it('is single-use: a screenshot scanned twice is refused, and the card then shows a new code', async () => {
    const { token } = await memberLogin(hub, 'code-reuse');
    const code = await memberCode(hub, token);
    expect((await scan(code.numeric)).status).toBe(200);
    const again = await scan(code.numeric);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('MEMBER_CODE_USED');
    const fresh = await memberCode(hub, token);
    expect(fresh.numeric).not.toBe(code.numeric);
    expect((await scan(fresh.numeric)).status).toBe(200);
  });

  it('lets only one of two simultaneous scans of the same code through', async () => {
    const { token } = await memberLogin(hub, 'code-race');
    const code = await memberCode(hub, token);
    const results = await Promise.all([scan(code.numeric), scan(code.numeric), scan(code.numeric)]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409]);
  });

  it('rejects forged codes and codes of another brand', async () => {
    const { token } = await memberLogin(hub, 'code-forged');
    const code = await memberCode(hub, token);
    const forgedDigits = code.numeric.replace(/^./, (d) => String((Number(d) + 1) % 10));
    for (const bad of [forgedDigits, 'MH1:demo-brand:12345678', 'hello', '1234567', 'MH9:demo-brand:12345678']) {
      const res = await scan(bad);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('MEMBER_CODE_INVALID');
    }
    const otherBrand = await scan(`MH1:another-brand:${code.numeric}`);
    expect(otherBrand.body.error.code).toBe('MEMBER_CODE_OTHER_BRAND');
    // None of the failures used the real code up.
    expect((await scan(code.numeric)).status).toBe(200);
  });

  it('refuses a code row that the MAC does not vouch for', async () => {
    const victim = await memberLogin(hub, 'code-victim');
    const attacker = await memberLogin(hub, 'code-attacker');
    const code = await memberCode(hub, attacker.token);
    // Someone with database access points the attacker's code at the victim: the MAC no longer matches.
    await hub.deps.conn
      .collection('card_codes')
      .updateOne({ numeric: code.numeric }, { $set: { memberId: new Types.ObjectId(victim.memberId) } });
    const res = await scan(code.numeric);
    expect(res.body.error.code).toBe('MEMBER_CODE_INVALID');
  });
});
