import { fail, fakeTransport, ok } from '../testing/fake-transport';
import {
  appPageUrl,
  cashierUrl,
  createH5Platform,
  type H5PlatformDeps,
  type KeyValueStore,
  randomHexId,
  SANDBOX_USER_KEY,
  type SheetChoice,
  type SubscribeSheetItem,
} from './h5';
import { sheetChoices } from './h5-subscribe-sheet';
import { type PaymentParams, PlatformError } from './types';

const SANDBOX = 'http://127.0.0.1:4100';

function memoryStorage(): KeyValueStore & { items: Map<string, string> } {
  const items = new Map<string, string>();
  return { items, getItem: (key) => items.get(key) ?? null, setItem: (key, value) => void items.set(key, value) };
}

function setup(overrides: Partial<H5PlatformDeps> = {}, sandboxBaseUrl: string | null = `${SANDBOX}/`) {
  let ids = 0;
  const fake = fakeTransport({
    'GET https://shop.example.com/api/v1/client-config': () => ok({ appid: 'wx_sandbox_app', sandboxBaseUrl }),
    [`POST ${SANDBOX}/sandbox/jslogin`]: (request) =>
      ok({ code: `code-for-${(request.body as { user: string }).user}` }),
    [`POST ${SANDBOX}/sandbox/phone-code`]: () => ok({ code: 'phone-code-1' }),
    // As the sandbox answers: what it was told, accept when told nothing.
    [`POST ${SANDBOX}/sandbox/subscribe-message`]: (request) => {
      const { tmplIds, decisions } = request.body as { tmplIds: string[]; decisions?: Record<string, string> };
      return ok({
        errMsg: 'requestSubscribeMessage:ok',
        ...Object.fromEntries(tmplIds.map((id) => [id, decisions?.[id] ?? 'accept'])),
      });
    },
  });
  const storage = memoryStorage();
  const opened: string[] = [];
  const deps: H5PlatformDeps = {
    apiBase: 'https://shop.example.com',
    transport: fake.transport,
    storage,
    randomId: () => `user-${++ids}`,
    askPhoneNumber: () => '13800138000',
    askSubscribe: async () => {
      throw new Error('not expected');
    },
    location: { origin: 'https://shop.example.com', pathname: '/h5/' },
    openUrl: (url) => void opened.push(url),
    fetch: async () => {
      throw new Error('not expected');
    },
    objectUrl: () => 'blob:not-expected',
    ...overrides,
  };
  return { platform: createH5Platform(deps), deps, storage, requests: fake.requests, opened };
}

describe('H5 platform login', () => {
  it('reads the client config from our server, then asks the sandbox for a code as this browser user', async () => {
    const { platform, requests, storage } = setup();
    await expect(platform.login()).resolves.toEqual({ code: 'code-for-user-1' });

    expect(requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      'GET https://shop.example.com/api/v1/client-config',
      `POST ${SANDBOX}/sandbox/jslogin`,
    ]);
    expect(requests[1]?.body).toEqual({ appid: 'wx_sandbox_app', user: 'user-1' });
    expect(storage.items.get(SANDBOX_USER_KEY)).toBe('user-1');
  });

  it('keeps the same sandbox user across logins and page loads, and fetches the config once per load', async () => {
    const first = setup();
    await first.platform.login();
    await first.platform.login();
    expect(first.requests.filter((r) => r.url.endsWith('/client-config'))).toHaveLength(1);

    const reloaded = setup({ storage: first.storage, randomId: () => 'never-used' });
    await expect(reloaded.platform.login()).resolves.toEqual({ code: 'code-for-user-1' });
  });

  it('explains that H5 cannot log in when the server uses the real WeChat', async () => {
    const { platform, requests } = setup({}, null);
    const error = await platform.login().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PlatformError);
    expect(error).toMatchObject({ code: 'UNSUPPORTED' });
    expect(requests.some((r) => r.url.includes('/sandbox/'))).toBe(false);
  });

  it('does not remember a failed config fetch, so a retry asks again', async () => {
    let answers = 0;
    const fake = fakeTransport({
      'GET /api/v1/client-config': () =>
        ++answers === 1
          ? fail(503, 'DATABASE_UNAVAILABLE', '服务暂时不可用')
          : ok({ appid: 'wx1', sandboxBaseUrl: SANDBOX }),
      [`POST ${SANDBOX}/sandbox/jslogin`]: () => ok({ code: 'c' }),
    });
    const { platform } = setup({ apiBase: '', transport: fake.transport });
    await expect(platform.login()).rejects.toMatchObject({ code: 'DATABASE_UNAVAILABLE', message: '服务暂时不可用' });
    await expect(platform.login()).resolves.toEqual({ code: 'c' });
  });

  it('rejects a sandbox answer without a code', async () => {
    const fake = fakeTransport({
      'GET /api/v1/client-config': () => ok({ appid: 'wx1', sandboxBaseUrl: SANDBOX }),
      [`POST ${SANDBOX}/sandbox/jslogin`]: () => ok({}),
    });
    const { platform } = setup({ apiBase: '', transport: fake.transport });
    await expect(platform.login()).rejects.toMatchObject({ code: 'BAD_RESPONSE' });
  });
});

describe('H5 platform phone number', () => {
  it('asks the tester for a number and exchanges it at the sandbox for a phone code', async () => {
    const { platform, requests } = setup({ askPhoneNumber: () => ' 13800138000 ' });
    await expect(platform.getPhoneNumberCode()).resolves.toBe('phone-code-1');
    expect(requests.at(-1)?.body).toEqual({ appid: 'wx_sandbox_app', phoneNumber: '13800138000' });
  });

  it('stops without a request when the tester cancels or types something that is not a mobile number', async () => {
    const cancelled = setup({ askPhoneNumber: () => null });
    await expect(cancelled.platform.getPhoneNumberCode()).rejects.toMatchObject({ code: 'CANCELLED' });
    const typo = setup({ askPhoneNumber: () => '1380013800' });
    await expect(typo.platform.getPhoneNumberCode()).rejects.toMatchObject({ code: 'FAILED' });
    expect([...cancelled.requests, ...typo.requests]).toEqual([]);
  });
});

const payment: PaymentParams = {
  appId: 'wx_sandbox_app',
  timeStamp: '1700000000',
  nonceStr: 'n0nce',
  package: 'prepay_id=wx123',
  signType: 'RSA',
  paySign: 'c2lnbg==',
};

describe('H5 platform payment (the sandbox cashier)', () => {
  it('leaves for the cashier with the payment parameters and the hash route to come back to', async () => {
    const { platform, opened } = setup();
    await expect(platform.requestPayment(payment, '/pages/wallet/top-up?id=t1')).resolves.toBe('redirected');
    expect(opened).toHaveLength(1);
    const url = new URL(opened[0] ?? '');
    expect(`${url.origin}${url.pathname}`).toBe(`${SANDBOX}/sandbox/pay/cashier`);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      ...payment,
      return_url: 'https://shop.example.com/h5/#/pages/wallet/top-up?id=t1',
    });
  });

  it('does not leave when the server uses the real WeChat Pay', async () => {
    const { platform, opened } = setup({}, null);
    await expect(platform.requestPayment(payment, '/pages/wallet/top-up?id=t1')).rejects.toMatchObject({
      code: 'UNSUPPORTED',
    });
    expect(opened).toEqual([]);
  });

  it('builds page addresses and cashier links that keep the hash route intact', () => {
    expect(appPageUrl({ origin: 'http://127.0.0.1:3000', pathname: '/h5/' }, '/pages/wallet/pay?charge=c1')).toBe(
      'http://127.0.0.1:3000/h5/#/pages/wallet/pay?charge=c1',
    );
    const link = cashierUrl(SANDBOX, payment, 'http://127.0.0.1:3000/h5/#/pages/wallet/pay?charge=c1&key=k');
    expect(link).toContain('return_url=http%3A%2F%2F127.0.0.1%3A3000%2Fh5%2F%23%2Fpages%2Fwallet%2Fpay%3F');
    expect(new URL(link).searchParams.get('return_url')).toBe(
      'http://127.0.0.1:3000/h5/#/pages/wallet/pay?charge=c1&key=k',
    );
  });
});

describe('H5 platform scanning', () => {
  it('fails loudly instead of pretending to scan', async () => {
    const { platform } = setup();
    await expect(platform.scanCode()).rejects.toThrow('H5 暂不支持扫码');
  });
});

describe('H5 platform subscription consent (the sandbox sheet)', () => {
  function withSheet(answer: (items: SubscribeSheetItem[]) => Record<string, SheetChoice>) {
    const shown: SubscribeSheetItem[][] = [];
    const askSubscribe = jest.fn(async (items: SubscribeSheetItem[]) => {
      shown.push(items);
      return answer(items);
    });
    return { ...setup({ askSubscribe }), shown, askSubscribe };
  }

  it('shows the templates with their titles and sends the tester’s choice to the sandbox as this browser user', async () => {
    const { platform, requests, shown } = withSheet(() => ({ t1: 'accept', t2: 'reject' }));
    await platform.login();
    await expect(platform.requestSubscribeMessage(['t1', 't2'], { t1: '积分到账' })).resolves.toEqual({
      t1: 'accept',
      t2: 'reject',
    });
    expect(shown).toEqual([
      [
        { id: 't1', title: '积分到账' },
        { id: 't2', title: '订阅消息' },
      ],
    ]);
    const sent = requests.at(-1);
    expect(`${sent?.method} ${sent?.url}`).toBe(`POST ${SANDBOX}/sandbox/subscribe-message`);
    // The same sandbox user as login, so the quota lands on this member's openid.
    expect(sent?.body).toEqual({
      appid: 'wx_sandbox_app',
      user: 'user-1',
      tmplIds: ['t1', 't2'],
      decisions: { t1: 'accept', t2: 'reject' },
    });
  });

  it('sends every template a decision, refusing one the sheet left out, and asks each id once', async () => {
    const { platform, requests } = withSheet(() => ({ t1: 'accept' }));
    await expect(platform.requestSubscribeMessage(['t1', 't2', 't1'])).resolves.toEqual({
      t1: 'accept',
      t2: 'reject',
    });
    expect(requests.at(-1)?.body).toMatchObject({ tmplIds: ['t1', 't2'], decisions: { t1: 'accept', t2: 'reject' } });
  });

  it('returns what the sandbox answered, ban and filter included', async () => {
    const fake = fakeTransport({
      'GET /api/v1/client-config': () => ok({ appid: 'wx1', sandboxBaseUrl: SANDBOX }),
      [`POST ${SANDBOX}/sandbox/subscribe-message`]: () =>
        ok({ errMsg: 'requestSubscribeMessage:ok', t1: 'ban', t2: 'filter' }),
    });
    const { platform } = setup({
      apiBase: '',
      transport: fake.transport,
      askSubscribe: async () => ({ t1: 'accept', t2: 'accept' }),
    });
    await expect(platform.requestSubscribeMessage(['t1', 't2'])).resolves.toEqual({ t1: 'ban', t2: 'filter' });
  });

  it('refuses 0 or more than 3 templates, as wx.requestSubscribeMessage does, without showing the sheet', async () => {
    const { platform, askSubscribe, requests } = withSheet(() => ({}));
    await expect(platform.requestSubscribeMessage([])).rejects.toMatchObject({ code: 'FAILED' });
    await expect(platform.requestSubscribeMessage(['a', 'b', 'c', 'd'])).rejects.toMatchObject({ code: 'FAILED' });
    expect(askSubscribe).not.toHaveBeenCalled();
    expect(requests).toEqual([]);
  });

  it('does not show the sheet when the server uses the real WeChat', async () => {
    const { askSubscribe } = withSheet(() => ({}));
    const { platform } = setup({ askSubscribe }, null);
    await expect(platform.requestSubscribeMessage(['t1'])).rejects.toMatchObject({ code: 'UNSUPPORTED' });
    expect(askSubscribe).not.toHaveBeenCalled();
  });

  it('fails with the sandbox’s error for a template it does not know', async () => {
    const fake = fakeTransport({
      'GET /api/v1/client-config': () => ok({ appid: 'wx1', sandboxBaseUrl: SANDBOX }),
      [`POST ${SANDBOX}/sandbox/subscribe-message`]: () =>
        fail(404, 'unknown_template', 'unknown template id', { errCode: 20001 }),
    });
    const { platform } = setup({ apiBase: '', transport: fake.transport, askSubscribe: async () => ({ x: 'accept' }) });
    await expect(platform.requestSubscribeMessage(['x'])).rejects.toMatchObject({ status: 404 });
  });

  it('rejects an answer that is not in wx.requestSubscribeMessage’s shape', async () => {
    const fake = fakeTransport({
      'GET /api/v1/client-config': () => ok({ appid: 'wx1', sandboxBaseUrl: SANDBOX }),
      [`POST ${SANDBOX}/sandbox/subscribe-message`]: () => ok({ t1: 'accept' }),
    });
    const { platform } = setup({
      apiBase: '',
      transport: fake.transport,
      askSubscribe: async () => ({ t1: 'accept' }),
    });
    await expect(platform.requestSubscribeMessage(['t1'])).rejects.toMatchObject({ code: 'BAD_RESPONSE' });
  });

  it('the sheet’s 允许 accepts the ticked templates only, 拒绝 refuses them all', () => {
    const items = [
      { id: 't1', title: '积分到账' },
      { id: 't2', title: '储值成功' },
    ];
    expect(sheetChoices(items, new Set(['t1', 't2']), true)).toEqual({ t1: 'accept', t2: 'accept' });
    expect(sheetChoices(items, new Set(['t2']), true)).toEqual({ t1: 'reject', t2: 'accept' });
    expect(sheetChoices(items, new Set(['t1', 't2']), false)).toEqual({ t1: 'reject', t2: 'reject' });
  });
});

describe('H5 images behind authentication', () => {
  const response = (status: number, body: unknown) => ({
    ok: status >= 200 && status < 300,
    status,
    blob: async () => new Blob(['png']),
    json: async () => {
      if (body === undefined) throw new SyntaxError('not json');
      return body;
    },
  });

  it('fetches with the given headers and shows the image as an object URL', async () => {
    const fetch = jest.fn(async () => response(200, undefined));
    const { platform } = setup({ fetch, objectUrl: () => 'blob:https://shop.example.com/1' });
    await expect(platform.loadImage('/api/v1/me/referral/code.png', { Authorization: 'Bearer t' })).resolves.toBe(
      'blob:https://shop.example.com/1',
    );
    expect(fetch).toHaveBeenCalledWith('/api/v1/me/referral/code.png', { headers: { Authorization: 'Bearer t' } });
  });

  it('turns a refusal into the server’s error, and no answer into NETWORK_ERROR', async () => {
    const expired = setup({
      fetch: async () => response(401, { error: { code: 'TOKEN_EXPIRED', message: '登录已过期，请重新登录' } }),
    });
    await expect(expired.platform.loadImage('/x', {})).rejects.toMatchObject({ code: 'TOKEN_EXPIRED', status: 401 });
    const broken = setup({ fetch: async () => response(500, undefined) });
    await expect(broken.platform.loadImage('/x', {})).rejects.toMatchObject({ code: 'BAD_RESPONSE', status: 500 });
    const offline = setup({
      fetch: async () => {
        throw new TypeError('Failed to fetch');
      },
    });
    await expect(offline.platform.loadImage('/x', {})).rejects.toMatchObject({ code: 'NETWORK_ERROR', status: 0 });
  });
});

describe('randomHexId', () => {
  it('makes distinct ids the sandbox accepts as a user name', () => {
    const a = randomHexId();
    expect(a).toMatch(/^h5_[0-9a-f]{32}$/);
    expect(randomHexId()).not.toBe(a);
  });
});
