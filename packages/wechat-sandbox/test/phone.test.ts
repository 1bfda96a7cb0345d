import { APP, type Harness, OTHER_APP, startHarness } from './harness';

let h: Harness;
let token: string;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.sandbox.stop());
beforeEach(async () => {
  h.sandbox.control.reset();
  token = (await h.stableToken()).body.access_token;
});

describe('POST /wxa/business/getuserphonenumber', () => {
  it('exchanges a phone code for phone_info with a watermark of the app and issue time', async () => {
    const issuedAt = Math.floor(h.clock.ms / 1000);
    const code = await h.phoneCode('13800138000');
    h.clock.advance(10_000);
    const { status, body } = await h.phoneNumber(token, code);
    expect(status).toBe(200);
    expect(body).toEqual({
      errcode: 0,
      errmsg: 'ok',
      phone_info: {
        phoneNumber: '13800138000',
        purePhoneNumber: '13800138000',
        countryCode: '86',
        watermark: { appid: APP.appid, timestamp: issuedAt },
      },
    });
  });

  it('answers 40029 for a used, expired, unknown or foreign code', async () => {
    const code = await h.phoneCode('13800138000');
    expect((await h.phoneNumber(token, code)).body.errcode).toBe(0);
    expect((await h.phoneNumber(token, code)).body).toEqual({
      errcode: 40029,
      errmsg: expect.stringMatching(/^invalid code/),
    });

    const stale = await h.phoneCode('13800138000');
    h.clock.advance(5 * 60 * 1000);
    expect((await h.phoneNumber(token, stale)).body.errcode).toBe(40029);

    expect((await h.phoneNumber(token, 'nope')).body.errcode).toBe(40029);

    const foreign = await h.phoneCode('13800138000', OTHER_APP.appid);
    const freshToken = (await h.stableToken()).body.access_token;
    expect((await h.phoneNumber(freshToken, foreign)).body.errcode).toBe(40029);
  });

  it('checks access_token first: missing 41001, unknown 40001', async () => {
    const code = await h.phoneCode('13800138000');
    expect((await h.phoneNumber(undefined, code)).body.errcode).toBe(41001);
    expect((await h.phoneNumber('forged', code)).body.errcode).toBe(40001);
    expect((await h.phoneNumber(token, code)).body.errcode).toBe(0);
  });

  it('answers a body without code, or not JSON, with 47001, and GET with 43002', async () => {
    const path = `/wxa/business/getuserphonenumber?access_token=${token}`;
    expect((await h.post(path, {})).body.errcode).toBe(47001);
    expect((await h.postRaw(path, 'code=abc')).body.errcode).toBe(47001);
    expect((await h.get(path)).body.errcode).toBe(43002);
  });

  it('answers an injected failure without spending the code', async () => {
    const code = await h.phoneCode('13800138000');
    await h.post('/__control/failures', { api: 'getuserphonenumber', errcode: -1 });
    expect((await h.phoneNumber(token, code)).body.errcode).toBe(-1);
    expect((await h.phoneNumber(token, code)).body.errcode).toBe(0);
  });
});

describe('POST /sandbox/phone-code (the getPhoneNumber button, for H5)', () => {
  it('issues a code that getuserphonenumber accepts, with CORS', async () => {
    const issued = await h.post(
      '/sandbox/phone-code',
      { appid: APP.appid, phoneNumber: '19912345678' },
      { headers: { 'Content-Type': 'application/json', Origin: 'http://localhost:5173' } },
    );
    expect(issued.status).toBe(200);
    expect(issued.headers.get('access-control-allow-origin')).toBe('*');
    expect((await h.phoneNumber(token, issued.body.code)).body.phone_info.phoneNumber).toBe('19912345678');
  });

  it.each(['1380013800', '138001380001', '23800138000', '+8613800138000', '1380013800a'])(
    'rejects %s (not an 11-digit mainland mobile)',
    async (phoneNumber) => {
      const reply = await h.post('/sandbox/phone-code', { appid: APP.appid, phoneNumber });
      expect(reply.status).toBe(400);
      expect(reply.body.error.code).toBe('validation_failed');
    },
  );

  it('rejects an unknown app', async () => {
    const reply = await h.post('/sandbox/phone-code', { appid: 'wx_nobody', phoneNumber: '13800138000' });
    expect(reply.status).toBe(404);
  });
});
