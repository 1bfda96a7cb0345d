import { subscribeDecisions } from './subscribe';
import { createWeappPlatform, type WeappApi } from './weapp';

function fakeWx(overrides: Partial<Record<keyof WeappApi, (...args: never[]) => unknown>>): WeappApi {
  const missing = () => {
    throw new Error('not expected');
  };
  return {
    login: missing,
    scanCode: missing,
    requestPayment: missing,
    requestSubscribeMessage: missing,
    ...overrides,
  } as unknown as WeappApi;
}

describe('weapp platform', () => {
  it('returns the login code from wx.login and refuses an empty one', async () => {
    await expect(createWeappPlatform(fakeWx({ login: async () => ({ code: 'c1' }) })).login()).resolves.toEqual({
      code: 'c1',
    });
    await expect(createWeappPlatform(fakeWx({ login: async () => ({ code: '' }) })).login()).rejects.toMatchObject({
      code: 'FAILED',
    });
  });

  it('reports a user backing out of the scanner as CANCELLED, other failures as FAILED', async () => {
    const cancelled = fakeWx({ scanCode: async () => Promise.reject({ errMsg: 'scanCode:fail cancel' }) });
    await expect(createWeappPlatform(cancelled).scanCode()).rejects.toMatchObject({ code: 'CANCELLED' });
    const broken = fakeWx({ scanCode: async () => Promise.reject({ errMsg: 'scanCode:fail system error' }) });
    await expect(createWeappPlatform(broken).scanCode()).rejects.toMatchObject({ code: 'FAILED' });
    const scanned = fakeWx({ scanCode: async () => ({ result: 'MEMBER:123' }) });
    await expect(createWeappPlatform(scanned).scanCode()).resolves.toBe('MEMBER:123');
  });

  it('pays with wx.requestPayment (without appId, which WeChat already knows) and reports backing out', async () => {
    const requestPayment = jest.fn(async () => ({ errMsg: 'requestPayment:ok' }));
    const params = {
      appId: 'wx1',
      timeStamp: '1700000000',
      nonceStr: 'n',
      package: 'prepay_id=wx1',
      signType: 'RSA' as const,
      paySign: 's',
    };
    await expect(createWeappPlatform(fakeWx({ requestPayment })).requestPayment(params, '/pages/x')).resolves.toBe(
      'paid',
    );
    expect(requestPayment).toHaveBeenCalledWith({
      timeStamp: '1700000000',
      nonceStr: 'n',
      package: 'prepay_id=wx1',
      signType: 'RSA',
      paySign: 's',
    });
    const cancelled = fakeWx({ requestPayment: async () => Promise.reject({ errMsg: 'requestPayment:fail cancel' }) });
    await expect(createWeappPlatform(cancelled).requestPayment(params, '/pages/x')).rejects.toMatchObject({
      code: 'CANCELLED',
      message: '支付已取消',
    });
    const failed = fakeWx({ requestPayment: async () => Promise.reject({ errMsg: 'requestPayment:fail no money' }) });
    await expect(createWeappPlatform(failed).requestPayment(params, '/pages/x')).rejects.toMatchObject({
      code: 'FAILED',
    });
  });

  it('takes the phone code from the getPhoneNumber button event', async () => {
    const platform = createWeappPlatform(fakeWx({}));
    await expect(platform.getPhoneNumberCode({ code: 'p1', errMsg: 'getPhoneNumber:ok' })).resolves.toBe('p1');
    await expect(platform.getPhoneNumberCode({ errMsg: 'getPhoneNumber:fail user deny' })).rejects.toMatchObject({
      code: 'CANCELLED',
    });
  });

  it('asks for the given templates and returns one decision per template', async () => {
    const requestSubscribeMessage = jest.fn(async () => ({ errMsg: 'requestSubscribeMessage:ok', t1: 'accept' }));
    const platform = createWeappPlatform(fakeWx({ requestSubscribeMessage }));
    await expect(platform.requestSubscribeMessage(['t1', 't2'])).resolves.toEqual({ t1: 'accept', t2: 'reject' });
    expect(requestSubscribeMessage).toHaveBeenCalledWith(expect.objectContaining({ tmplIds: ['t1', 't2'] }));
  });

  it('turns a refused call (not from a tap, switched off) into a PlatformError', async () => {
    const notTapped = fakeWx({
      requestSubscribeMessage: async () =>
        Promise.reject({ errMsg: 'requestSubscribeMessage:fail can only be invoked by user TAP gesture.' }),
    });
    await expect(createWeappPlatform(notTapped).requestSubscribeMessage(['t1'])).rejects.toMatchObject({
      name: 'PlatformError',
      code: 'FAILED',
    });
    const cancelled = fakeWx({
      requestSubscribeMessage: async () => Promise.reject({ errMsg: 'requestSubscribeMessage:fail cancel' }),
    });
    await expect(createWeappPlatform(cancelled).requestSubscribeMessage(['t1'])).rejects.toMatchObject({
      code: 'CANCELLED',
    });
  });
});

describe('weapp images behind authentication', () => {
  it('downloads with the Authorization header and shows the temp file', async () => {
    const downloadFile = jest.fn(async () => ({ statusCode: 200, tempFilePath: 'wxfile://tmp/code.png' }));
    const platform = createWeappPlatform(fakeWx({ downloadFile }));
    await expect(platform.loadImage('https://shop/api/code.png', { Authorization: 'Bearer t' })).resolves.toBe(
      'wxfile://tmp/code.png',
    );
    expect(downloadFile).toHaveBeenCalledWith({
      url: 'https://shop/api/code.png',
      header: { Authorization: 'Bearer t' },
    });
  });

  it('reads a refusal from the saved body, so a stale token reads TOKEN_EXPIRED', async () => {
    const body = JSON.stringify({ error: { code: 'TOKEN_EXPIRED', message: '登录已过期，请重新登录' } });
    const platform = createWeappPlatform(
      fakeWx({
        downloadFile: async () => ({ statusCode: 401, tempFilePath: 'wxfile://tmp/err' }),
        getFileSystemManager: () => ({ readFileSync: () => body }),
      }),
    );
    await expect(platform.loadImage('u', {})).rejects.toMatchObject({ code: 'TOKEN_EXPIRED', status: 401 });
    const unreadable = createWeappPlatform(
      fakeWx({
        downloadFile: async () => ({ statusCode: 502, tempFilePath: 'x' }),
        getFileSystemManager: () => ({
          readFileSync: () => {
            throw new Error('no file');
          },
        }),
      }),
    );
    await expect(unreadable.loadImage('u', {})).rejects.toMatchObject({ code: 'BAD_RESPONSE', status: 502 });
    const offline = createWeappPlatform(fakeWx({ downloadFile: async () => Promise.reject({ errMsg: 'fail' }) }));
    await expect(offline.loadImage('u', {})).rejects.toMatchObject({ code: 'NETWORK_ERROR', status: 0 });
  });
});

describe('subscribeDecisions', () => {
  it('keeps what WeChat said per template, ban and filter too; missing or unknown answers are refusals', () => {
    const result = { errMsg: 'requestSubscribeMessage:ok', a: 'accept', r: 'reject', b: 'ban', f: 'filter', x: 'yes' };
    expect(subscribeDecisions(['a', 'r', 'b', 'f', 'x', 'missing'], result)).toEqual({
      a: 'accept',
      r: 'reject',
      b: 'ban',
      f: 'filter',
      x: 'reject',
      missing: 'reject',
    });
    expect(subscribeDecisions(['errMsg'], result)).toEqual({ errMsg: 'reject' });
  });
});
