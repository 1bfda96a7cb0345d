import { SUBSCRIBE_TEMPLATES, type SubscribeTemplate, subscribeFieldTypeOf } from '../src';
import { APP, type Harness, OTHER_APP, startHarness } from './harness';

const OPENID = 'o_member_1';

let h: Harness;
let token: string;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.sandbox.stop());
beforeEach(async () => {
  h.sandbox.control.reset();
  token = (await h.stableToken()).body.access_token;
  await h.loginCode(OPENID);
});

function template(key: string): SubscribeTemplate {
  const found = SUBSCRIBE_TEMPLATES.find((t) => t.key === key);
  if (!found) throw new Error(`no template ${key}`);
  return found;
}

const POINTS = template('points_changed');

/** The template's example values, with `overrides` on top, as subscribe/send's `data`. */
function dataOf(t: SubscribeTemplate, overrides: Record<string, string> = {}): Record<string, { value: string }> {
  const values = Object.fromEntries(t.fields.map((field) => [field.key, field.example]));
  return Object.fromEntries(Object.entries({ ...values, ...overrides }).map(([key, value]) => [key, { value }]));
}

function send(body: unknown, accessToken: string | null = token) {
  const query = accessToken === null ? '' : `?access_token=${encodeURIComponent(accessToken)}`;
  return h.post(`/cgi-bin/message/subscribe/send${query}`, body);
}

function message(t: SubscribeTemplate = POINTS, extra: Record<string, unknown> = {}) {
  return { touser: OPENID, template_id: t.template_id, data: dataOf(t), ...extra };
}

async function grant(templateIds: string[], count = 1, openid = OPENID) {
  const reply = await h.post('/__control/subscriptions', { openid, template_ids: templateIds, count });
  expect(reply.status).toBe(201);
  return reply.body;
}

describe('POST /cgi-bin/message/subscribe/send', () => {
  it('sends a message: msgid as an int64 number on the wire, and the message in the log', async () => {
    await grant([POINTS.template_id]);
    h.clock.advance(1000);
    const response = await fetch(`${h.sandbox.url}/cgi-bin/message/subscribe/send?access_token=${token}`, {
      method: 'POST',
      body: JSON.stringify(
        message(POINTS, { page: 'pages/points/index?tab=log', miniprogram_state: 'trial', lang: 'en_US' }),
      ),
    });
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const raw = await response.text();
    const msgid = /^\{"errcode":0,"errmsg":"ok","msgid":(\d{19})\}$/.exec(raw)?.[1];
    expect(msgid).toBeDefined();
    // Beyond 2^53: a client that reads msgid as a JavaScript number gets another number.
    expect(String(JSON.parse(raw).msgid)).not.toBe(msgid);

    expect(h.sandbox.control.messages()).toEqual([
      {
        msgid,
        appid: APP.appid,
        openid: OPENID,
        template_id: POINTS.template_id,
        title: '积分变动提醒',
        data: dataOf(POINTS),
        page: 'pages/points/index?tab=log',
        miniprogram_state: 'trial',
        lang: 'en_US',
        at: h.clock.ms,
      },
    ]);
    expect((await h.get('/__control/messages')).body).toEqual({ messages: h.sandbox.control.messages() });
  });

  it('defaults miniprogram_state to formal and lang to zh_CN; page is optional', async () => {
    await grant([POINTS.template_id], 2);
    expect((await send(message())).body).toEqual({ errcode: 0, errmsg: 'ok', msgid: expect.any(Number) });
    expect((await send(message(POINTS, { page: '' }))).body.errcode).toBe(0);
    const logged = h.sandbox.control.messages();
    expect(logged.map(({ page, miniprogram_state, lang }) => ({ page, miniprogram_state, lang }))).toEqual([
      { page: undefined, miniprogram_state: 'formal', lang: 'zh_CN' },
      { page: undefined, miniprogram_state: 'formal', lang: 'zh_CN' },
    ]);
    expect(new Set(logged.map((m) => m.msgid)).size).toBe(2);
  });

  it('takes a page with a leading slash or a query, and answers a malformed page with 41030', async () => {
    await grant([POINTS.template_id], 3);
    expect((await send(message(POINTS, { page: '/pages/index/index' }))).body.errcode).toBe(0);
    expect((await send(message(POINTS, { page: 'pages/coupon/detail?id=c1&from=msg' }))).body.errcode).toBe(0);
    for (const page of ['pages//index', 'pages/index index', 'https://example.com/x', `pages/${'a'.repeat(1100)}`]) {
      const reply = await send(message(POINTS, { page }));
      expect([page, reply.body]).toEqual([
        page,
        { errcode: 41030, errmsg: expect.stringMatching(/^invalid page, rid: /) },
      ]);
    }
    expect((await send(message(POINTS, { page: 7 }))).body.errcode).toBe(47001);
    expect(h.sandbox.control.subscribeQuotas()).toEqual([expect.objectContaining({ remaining: 1 })]);
  });

  describe('quota: one consent, one message', () => {
    it('answers 43101 without a consent, and after the one consent is spent', async () => {
      expect((await send(message())).body).toEqual({
        errcode: 43101,
        errmsg: expect.stringMatching(/^user refuse to accept the msg, rid: /),
      });
      await grant([POINTS.template_id]);
      expect((await send(message())).body.errcode).toBe(0);
      expect((await send(message())).body.errcode).toBe(43101);
      expect(h.sandbox.control.messages()).toHaveLength(1);
      expect(h.sandbox.control.subscribeQuotas()).toEqual([
        { appid: APP.appid, openid: OPENID, template_id: POINTS.template_id, remaining: 0 },
      ]);
    });

    it('adds consents up, counts per template and per user, and spends none on a rejected message', async () => {
      const tier = template('tier_changed');
      await h.loginCode('o_member_2');
      await grant([POINTS.template_id], 2);
      await grant([tier.template_id]);
      await grant([POINTS.template_id], 1, 'o_member_2');
      expect((await send(message(POINTS, { data: dataOf(POINTS, { number2: 'many' }) }))).body.errcode).toBe(47003);
      expect((await send(message())).body.errcode).toBe(0);
      expect((await send(message(tier))).body.errcode).toBe(0);
      expect((await send(message(tier))).body.errcode).toBe(43101);
      expect((await send(message())).body.errcode).toBe(0);
      expect((await send(message())).body.errcode).toBe(43101);
      expect((await send(message(POINTS, { touser: 'o_member_2' }))).body.errcode).toBe(0);
      expect(h.sandbox.control.messages({ openid: OPENID }).map((m) => m.title)).toEqual([
        '积分变动提醒',
        '会员等级变更',
        '积分变动提醒',
      ]);
    });

    it('keeps quotas per app: a consent in one app does not let another send', async () => {
      await grant([POINTS.template_id]);
      await h.loginCode(OPENID, OTHER_APP.appid);
      const otherToken = (await h.stableToken(undefined, OTHER_APP)).body.access_token;
      expect((await send(message(), otherToken)).body.errcode).toBe(43101);
      expect((await send(message())).body.errcode).toBe(0);
    });
  });

  describe('error codes', () => {
    it('checks access_token first: missing 41001, unknown or revoked 40001, expired 42001', async () => {
      await grant([POINTS.template_id]);
      expect((await send(message(), null)).body.errcode).toBe(41001);
      expect((await send({}, 'forged')).body.errcode).toBe(40001);
      await h.post('/__control/tokens/invalidate');
      expect((await send(message())).body.errcode).toBe(40001);
      token = (await h.stableToken()).body.access_token;
      await h.post('/__control/tokens/expire');
      expect((await send(message())).body.errcode).toBe(42001);
      expect(h.sandbox.control.subscribeQuotas()[0]?.remaining).toBe(1);
    });

    it('answers 40003 for a missing openid, one that never logged in, or one of another app', async () => {
      await grant([POINTS.template_id]);
      const { touser: _, ...withoutTouser } = message();
      expect((await send(withoutTouser)).body).toEqual({
        errcode: 40003,
        errmsg: expect.stringMatching(/^invalid openid, rid: /),
      });
      expect((await send(message(POINTS, { touser: 'o_stranger' }))).body.errcode).toBe(40003);
      expect((await send(message(POINTS, { touser: 12345 }))).body.errcode).toBe(40003);
      const foreign = h.sandbox.control.issueLoginCode({ appid: OTHER_APP.appid, openid: 'o_other_app' }).openid;
      expect((await send(message(POINTS, { touser: foreign }))).body.errcode).toBe(40003);
    });

    it('answers 40037 for a missing or unknown template_id', async () => {
      const { template_id: _, ...withoutTemplate } = message();
      expect((await send(withoutTemplate)).body).toEqual({
        errcode: 40037,
        errmsg: expect.stringMatching(/^invalid template_id, rid: /),
      });
      expect((await send(message(POINTS, { template_id: 'not-a-template' }))).body.errcode).toBe(40037);
    });

    it('answers 47003 naming the first missing keyword, or one that is empty or not {value: string}', async () => {
      await grant([POINTS.template_id]);
      const { thing1: _, ...withoutThing } = dataOf(POINTS);
      expect((await send(message(POINTS, { data: withoutThing }))).body).toEqual({
        errcode: 47003,
        errmsg: expect.stringMatching(/^argument invalid! data\.thing1\.value is empty, rid: /),
      });
      expect((await send(message(POINTS, { data: undefined }))).body.errmsg).toMatch(/data\.thing1\.value is empty/);
      expect((await send(message(POINTS, { data: dataOf(POINTS, { time4: '' }) }))).body.errmsg).toMatch(
        /^argument invalid! data\.time4\.value is empty/,
      );
      const numberValue = { ...dataOf(POINTS), number2: { value: 120 } };
      expect((await send(message(POINTS, { data: numberValue }))).body.errmsg).toMatch(/data\.number2\.value invalid/);
      const bare = { ...dataOf(POINTS), phrase5: '增加' };
      expect((await send(message(POINTS, { data: bare }))).body.errmsg).toMatch(/data\.phrase5\.value invalid/);
      expect(h.sandbox.control.messages()).toEqual([]);
    });

    it('ignores keys the template lacks, and logs only its keywords', async () => {
      await grant([POINTS.template_id]);
      const data = { ...dataOf(POINTS), thing9: { value: 'x'.repeat(50) } };
      expect((await send(message(POINTS, { data }))).body.errcode).toBe(0);
      expect(Object.keys(h.sandbox.control.messages()[0]?.data ?? {})).toEqual(POINTS.fields.map((f) => f.key));
    });

    it('answers an unknown miniprogram_state or lang with 47003 naming it, and wrong types with 47001', async () => {
      await grant([POINTS.template_id]);
      expect((await send(message(POINTS, { miniprogram_state: 'release' }))).body.errmsg).toMatch(
        /^argument invalid! miniprogram_state invalid, rid: /,
      );
      expect((await send(message(POINTS, { lang: 'fr_FR' }))).body.errmsg).toMatch(/^argument invalid! lang invalid/);
      expect((await send(message(POINTS, { lang: 1 }))).body.errcode).toBe(47001);
      expect((await send(message(POINTS, { data: 'thing1=x' }))).body.errcode).toBe(47001);
      expect((await send(message(POINTS, { data: [] }))).body.errcode).toBe(47001);
      const raw = await h.postRaw(`/cgi-bin/message/subscribe/send?access_token=${token}`, 'touser=o_member_1');
      expect(raw.body.errcode).toBe(47001);
      for (const state of ['developer', 'trial', 'formal']) {
        await grant([POINTS.template_id]);
        expect((await send(message(POINTS, { miniprogram_state: state }))).body.errcode).toBe(0);
      }
      for (const lang of ['zh_CN', 'en_US', 'zh_HK', 'zh_TW']) {
        await grant([POINTS.template_id]);
        expect((await send(message(POINTS, { lang }))).body.errcode).toBe(0);
      }
    });

    it('answers GET with 43002', async () => {
      expect((await h.get(`/cgi-bin/message/subscribe/send?access_token=${token}`)).body.errcode).toBe(43002);
    });
  });
});

describe('field rules (one keyword of each type, at its boundaries)', () => {
  /** A template keyword of each type, the rest of the message from the template's examples. */
  const FIELD_OF_TYPE: Record<string, [templateKey: string, fieldKey: string]> = {
    thing: ['points_changed', 'thing1'],
    number: ['points_changed', 'number2'],
    amount: ['topup_succeeded', 'amount1'],
    time: ['points_changed', 'time4'],
    date: ['points_expiring', 'date2'],
    phrase: ['points_changed', 'phrase5'],
    character_string: ['coupon_expiring', 'character_string3'],
    name: ['birthday_gift', 'name1'],
  };

  const CASES: Array<[type: string, value: string, accepted: boolean]> = [
    ['thing', 'a'.repeat(20), true],
    ['thing', 'a'.repeat(21), false],
    ['thing', '会'.repeat(20), true],
    ['thing', '会'.repeat(21), false],
    ['thing', '😀'.repeat(20), true], // 20 characters, 40 UTF-16 units
    ['thing', '😀'.repeat(21), false],
    ['thing', '满100减20券，今日可用!', true],
    ['thing', '   ', false],
    ['thing', '第一行\n第二行', false],
    ['phrase', '已到账', true],
    ['phrase', '五个汉字呀', true],
    ['phrase', '六个汉字的呀', false],
    ['phrase', 'OK', false],
    ['phrase', '已到账!', false],
    ['phrase', '已 到账', false],
    ['phrase', '已到账，', false],
    ['number', '0', true],
    ['number', '120', true],
    ['number', '12.5', true],
    ['number', '1'.repeat(32), true],
    ['number', '1'.repeat(33), false],
    ['number', `${'1'.repeat(16)}.${'1'.repeat(16)}`, true],
    ['number', '-5', false],
    ['number', '1,000', false],
    ['number', '1e3', false],
    ['number', '.5', false],
    ['number', '5.', false],
    ['amount', '¥12.34', true],
    ['amount', '￥12.34', true],
    ['amount', '12.34元', true],
    ['amount', '12', true],
    ['amount', '¥0.5', true],
    ['amount', '¥1234567890.99', true],
    ['amount', '¥12345678901', false],
    ['amount', '¥12.345', false],
    ['amount', '¥1,234.00', false],
    ['amount', '-¥5.00', false],
    ['amount', 'USD 5', false],
    ['amount', '¥', false],
    ['time', '2026-12-02 15:01', true],
    ['time', '2026年12月2日 15:01', true],
    ['time', '15:01', true],
    ['time', '2026-12-02', true],
    ['time', '2026-12-02 15:01:30', true],
    ['time', '15:01~16:30', true],
    ['time', '2026-12-02 15:01 ~ 2026-12-03 09:00', true],
    ['time', '2026-02-30', false],
    ['time', '2028-02-29', true],
    ['time', '24:00', false],
    ['time', '15:60', false],
    ['time', '2026-12-02T15:01', false],
    ['time', '2026/12/02', false],
    ['time', '明天下午', false],
    ['time', '15:01~16:30~17:00', false],
    ['date', '2026年12月31日', true],
    ['date', '2026-12-31', true],
    ['date', '2026年12月31日 23:59', true],
    ['date', '2026年13月1日', false],
    ['date', 'Dec 31', false],
    ['character_string', 'A'.repeat(32), true],
    ['character_string', 'A'.repeat(33), false],
    ['character_string', 'CP-2026_12', true],
    ['character_string', 'CP 2026', false],
    ['character_string', '券码1', false],
    ['character_string', 'a.b', false],
    ['name', '张三', true],
    ['name', '欧阳'.repeat(5), true],
    ['name', `${'欧阳'.repeat(5)}娜`, false],
    ['name', '阿依古丽·买买提', true],
    ['name', 'John Smith', true],
    ['name', 'a'.repeat(20), true],
    ['name', 'a'.repeat(21), false],
    ['name', '张3', false],
    ['name', '张三!', false],
    ['name', '123', false],
  ];

  beforeEach(async () => {
    await grant(
      SUBSCRIBE_TEMPLATES.map((t) => t.template_id),
      100,
    );
  });

  it.each(CASES)('%s %j: accepted %s', async (type, value, accepted) => {
    const [templateKey, fieldKey] = FIELD_OF_TYPE[type] ?? [];
    const t = template(templateKey ?? '');
    expect(subscribeFieldTypeOf(fieldKey ?? '')).toBe(type);
    const reply = await send(message(t, { data: dataOf(t, { [fieldKey ?? '']: value }) }));
    if (accepted) expect(reply.body.errcode).toBe(0);
    else {
      expect(reply.body).toEqual({
        errcode: 47003,
        errmsg: expect.stringMatching(new RegExp(`^argument invalid! data\\.${fieldKey}\\.value invalid, rid: `)),
      });
    }
  });

  it("accepts every template's example values", async () => {
    for (const t of SUBSCRIBE_TEMPLATES) expect([t.key, (await send(message(t))).body.errcode]).toEqual([t.key, 0]);
  });
});

describe('control: templates, consent, quotas, the message log', () => {
  it('lists the eight templates with fixed ids and typed keywords', async () => {
    const { body } = await h.get('/__control/templates');
    expect(body.templates.map((t: SubscribeTemplate) => t.title)).toEqual([
      '积分变动提醒',
      '积分到期提醒',
      '会员等级变更',
      '优惠券到期提醒',
      '生日礼遇',
      '储值成功通知',
      '邀请奖励到账',
      '优惠券到账',
    ]);
    expect(body.templates[0]).toEqual({
      template_id: '-e1qG86CvFWukBHUAifwx0yHZfOuOZekVlNd_vkD_zU',
      key: 'points_changed',
      title: '积分变动提醒',
      fields: [
        { key: 'thing1', type: 'thing', name: '变动原因', example: '消费获得积分' },
        { key: 'number2', type: 'number', name: '变动积分', example: '120' },
        { key: 'number3', type: 'number', name: '当前积分', example: '1520' },
        { key: 'time4', type: 'time', name: '变动时间', example: '2026-12-02 15:01' },
        { key: 'phrase5', type: 'phrase', name: '变动类型', example: '增加' },
      ],
    });
    const types = new Set(body.templates.flatMap((t: SubscribeTemplate) => t.fields.map((f) => f.type)));
    expect([...types].sort()).toEqual(
      ['amount', 'character_string', 'date', 'name', 'number', 'phrase', 'thing', 'time'].sort(),
    );
    for (const t of body.templates) expect(t.template_id).toMatch(/^[\w-]{43}$/);
  });

  it('grants consents by openid or browser user, and answers unknown templates and strangers with 404', async () => {
    const tier = template('tier_changed');
    const granted = await grant([POINTS.template_id, tier.template_id], 2);
    expect(granted.quotas).toEqual([
      { appid: APP.appid, openid: OPENID, template_id: POINTS.template_id, remaining: 2 },
      { appid: APP.appid, openid: OPENID, template_id: tier.template_id, remaining: 2 },
    ]);

    const unknown = await h.post('/__control/subscriptions', { openid: OPENID, template_ids: ['nope'] });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toMatchObject({ code: 'unknown_template', details: { errCode: 20001 } });
    const stranger = await h.post('/__control/subscriptions', { openid: 'o_x', template_ids: [POINTS.template_id] });
    expect(stranger.status).toBe(404);
    expect(stranger.body.error.code).toBe('unknown_openid');
    expect((await h.post('/__control/subscriptions', { template_ids: [POINTS.template_id] })).status).toBe(400);
    expect((await h.post('/__control/subscriptions', { openid: OPENID, template_ids: [] })).status).toBe(400);

    const login = await h.post('/sandbox/jslogin', { appid: APP.appid, user: 'browser-1' });
    const { openid } = (await h.code2Session(login.body.code)).body;
    const byUser = await h.post('/__control/subscriptions', { user: 'browser-1', template_ids: [POINTS.template_id] });
    expect(byUser.body.quotas).toEqual([expect.objectContaining({ openid, remaining: 1 })]);
    expect((await send(message(POINTS, { touser: openid }))).body.errcode).toBe(0);
  });

  it('reads quotas by openid and template', async () => {
    const tier = template('tier_changed');
    await h.loginCode('o_member_2');
    await grant([POINTS.template_id, tier.template_id]);
    await grant([POINTS.template_id], 1, 'o_member_2');
    await send(message());
    const byOpenid = await h.get(`/__control/subscriptions?openid=${OPENID}`);
    expect(byOpenid.body.quotas.map((q: { remaining: number }) => q.remaining)).toEqual([0, 1]);
    const byTemplate = await h.get(`/__control/subscriptions?template_id=${encodeURIComponent(POINTS.template_id)}`);
    expect(byTemplate.body.quotas.map((q: { openid: string }) => q.openid)).toEqual([OPENID, 'o_member_2']);
  });

  it('filters the log by openid, template and since; clear forgets messages and quotas', async () => {
    const tier = template('tier_changed');
    await h.loginCode('o_member_2');
    await grant([POINTS.template_id, tier.template_id], 5);
    await grant([POINTS.template_id], 5, 'o_member_2');
    await send(message());
    h.clock.advance(60_000);
    const since = h.clock.ms;
    await send(message(tier));
    await send(message(POINTS, { touser: 'o_member_2' }));

    const titles = async (query: string) =>
      (await h.get(`/__control/messages?${query}`)).body.messages.map((m: { title: string }) => m.title);
    expect(await titles(`openid=${OPENID}`)).toEqual(['积分变动提醒', '会员等级变更']);
    expect(await titles(`template_id=${encodeURIComponent(POINTS.template_id)}`)).toEqual([
      '积分变动提醒',
      '积分变动提醒',
    ]);
    expect(await titles(`since=${since}`)).toEqual(['会员等级变更', '积分变动提醒']);
    expect(await titles(`openid=${OPENID}&since=${since}`)).toEqual(['会员等级变更']);
    expect(await titles(`appid=${OTHER_APP.appid}`)).toEqual([]);
    expect((await h.get('/__control/messages?since=yesterday')).status).toBe(400);

    expect((await h.post('/__control/messages/clear')).body).toEqual({ cleared: { messages: 3, quotas: 3 } });
    expect((await h.get('/__control/messages')).body.messages).toEqual([]);
    expect((await h.get('/__control/subscriptions')).body.quotas).toEqual([]);
    expect((await send(message())).body.errcode).toBe(43101);
  });

  it('reset forgets quotas and messages too', async () => {
    await grant([POINTS.template_id], 2);
    await send(message());
    await h.post('/__control/reset');
    expect(h.sandbox.control.messages()).toEqual([]);
    expect(h.sandbox.control.subscribeQuotas()).toEqual([]);
  });
});

describe('POST /sandbox/subscribe-message (wx.requestSubscribeMessage, for H5)', () => {
  const tier = template('tier_changed');
  const coupon = template('coupon_expiring');

  it('answers as wx.requestSubscribeMessage resolves, granting one send per accepted template, with CORS', async () => {
    const reply = await h.post(
      '/sandbox/subscribe-message',
      {
        appid: APP.appid,
        user: 'browser-1',
        tmplIds: [POINTS.template_id, tier.template_id, coupon.template_id],
        decisions: { [tier.template_id]: 'reject', [coupon.template_id]: 'ban' },
      },
      { headers: { 'Content-Type': 'application/json', Origin: 'http://localhost:10086' } },
    );
    expect(reply.status).toBe(200);
    expect(reply.headers.get('access-control-allow-origin')).toBe('*');
    expect(reply.body).toEqual({
      errMsg: 'requestSubscribeMessage:ok',
      [POINTS.template_id]: 'accept',
      [tier.template_id]: 'reject',
      [coupon.template_id]: 'ban',
    });
    const login = await h.post('/sandbox/jslogin', { appid: APP.appid, user: 'browser-1' });
    const { openid } = (await h.code2Session(login.body.code)).body;
    expect(h.sandbox.control.subscribeQuotas({ openid })).toEqual([
      { appid: APP.appid, openid, template_id: POINTS.template_id, remaining: 1 },
    ]);
    expect((await send(message(POINTS, { touser: openid }))).body.errcode).toBe(0);
    expect((await send(message(tier, { touser: openid }))).body.errcode).toBe(43101);
  });

  it('rejects more than 3 templates, unknown templates and unknown apps', async () => {
    const ids = SUBSCRIBE_TEMPLATES.slice(0, 4).map((t) => t.template_id);
    const tooMany = await h.post('/sandbox/subscribe-message', { appid: APP.appid, user: 'u', tmplIds: ids });
    expect(tooMany.status).toBe(400);
    const unknown = await h.post('/sandbox/subscribe-message', { appid: APP.appid, user: 'u', tmplIds: ['nope'] });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.details.errCode).toBe(20001);
    const app = await h.post('/sandbox/subscribe-message', {
      appid: 'wx_nobody',
      user: 'u',
      tmplIds: [POINTS.template_id],
    });
    expect(app.status).toBe(404);
    expect(h.sandbox.control.subscribeQuotas()).toEqual([]);
  });
});

describe('faults on subscribe_send', () => {
  beforeEach(() => grant([POINTS.template_id], 5));

  it('answers an injected HTTP status with an HTML page, spending no consent and logging nothing', async () => {
    const injected = await h.post('/__control/failures', { api: 'subscribe_send', status: 502 });
    expect(injected.body.failures).toEqual([{ api: 'subscribe_send', errcode: 502, status: 502, remaining: 1 }]);
    const reply = await send(message());
    expect(reply.status).toBe(502);
    expect(reply.headers.get('content-type')).toMatch(/^text\/html/);
    expect(reply.body).toContain('502 Bad Gateway');
    expect(h.sandbox.control.calls('subscribe_send').calls).toEqual([expect.objectContaining({ errcode: 502 })]);
    expect(h.sandbox.control.messages()).toEqual([]);
    expect((await send(message())).body.errcode).toBe(0);
    expect(h.sandbox.control.subscribeQuotas()[0]?.remaining).toBe(4);
  });

  it('answers an injected -1 (system busy)', async () => {
    await h.post('/__control/failures', { api: 'subscribe_send', errcode: -1, count: 2 });
    expect((await send(message())).body).toEqual({ errcode: -1, errmsg: expect.stringMatching(/^system error, rid/) });
    expect((await send(message())).body.errcode).toBe(-1);
    expect((await send(message())).body.errcode).toBe(0);
  });

  it('with latency, a client that gives up still finds the message sent (as a real timeout may)', async () => {
    await h.post('/__control/latency', { api: 'subscribe_send', ms: 300 });
    const attempt = fetch(`${h.sandbox.url}/cgi-bin/message/subscribe/send?access_token=${token}`, {
      method: 'POST',
      body: JSON.stringify(message()),
      signal: AbortSignal.timeout(50),
    });
    await expect(attempt).rejects.toThrow();
    expect(h.sandbox.control.messages()).toEqual([]);
    const deadline = Date.now() + 3000;
    while (h.sandbox.control.messages().length === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(h.sandbox.control.messages()).toHaveLength(1);
  });

  it('validates the injection: errcode or status, status 500-599', async () => {
    const post = (body: unknown) => h.post('/__control/failures', body);
    expect((await post({ api: 'subscribe_send' })).status).toBe(400);
    expect((await post({ api: 'subscribe_send', errcode: -1, status: 502 })).status).toBe(400);
    expect((await post({ api: 'subscribe_send', status: 404 })).status).toBe(400);
    expect((await post({ api: 'subscribe_send', status: 503, count: 2 })).status).toBe(201);
  });
});

describe('subscribeFieldTypeOf', () => {
  it.each([
    ['thing1', 'thing'],
    ['character_string6', 'character_string'],
    ['phrase12', 'phrase'],
    ['thing', undefined],
    ['letter1', undefined],
    ['Thing1', undefined],
  ])('%s -> %s', (key, type) => {
    expect(subscribeFieldTypeOf(key)).toBe(type);
  });
});
