import { selectPlatform } from './select';
import type { Platform } from './types';

function fakePlatform(name: Platform['name']): Platform {
  const unused = async () => {
    throw new Error('not used');
  };
  return {
    name,
    login: unused,
    scanCode: unused,
    requestPayment: unused,
    requestSubscribeMessage: unused,
    getPhoneNumberCode: unused,
    loadImage: unused,
  };
}

describe('selectPlatform', () => {
  const factories = () => ({ weapp: jest.fn(() => fakePlatform('weapp')), h5: jest.fn(() => fakePlatform('h5')) });

  it.each(['weapp', 'h5'] as const)('builds only the %s implementation for TARO_ENV=%s', (env) => {
    const f = factories();
    expect(selectPlatform(env, f).name).toBe(env);
    expect(f[env]).toHaveBeenCalledTimes(1);
    expect(f[env === 'weapp' ? 'h5' : 'weapp']).not.toHaveBeenCalled();
  });

  it.each(['alipay', 'tt', '', undefined])('refuses an unsupported target (%p)', (env) => {
    const f = factories();
    expect(() => selectPlatform(env, f)).toThrow(/不支持的运行平台/);
    expect(f.weapp).not.toHaveBeenCalled();
    expect(f.h5).not.toHaveBeenCalled();
  });
});
