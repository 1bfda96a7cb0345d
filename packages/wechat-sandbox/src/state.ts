import { AppRegistry, type SandboxAppConfig } from './apps';
import { CallLog } from './core/call-log';
import { SandboxClock } from './core/clock';
import { Faults } from './core/faults';
import type { WechatApiRuntime } from './core/wechat-api';
import { AccessTokens } from './modules/access-token/access-tokens';
import { Identities } from './modules/login/identities';
import { LoginCodes } from './modules/login/login-codes';
import { MessageStore } from './modules/messages/message-store';
import { Payments, type PayOptions } from './modules/pay/payments';
import { PhoneCodes } from './modules/phone/phone-codes';
import { SubscribeQuotas } from './modules/subscribe-message/quotas';
import { SubscribeTemplates } from './modules/subscribe-message/templates';
import { WxaCodes } from './modules/wxacode/wxa-codes';

/** Everything the sandbox holds, in memory. Each module owns its store; this only wires them together. */
export interface SandboxState {
  runtime: WechatApiRuntime;
  apps: AppRegistry;
  identities: Identities;
  loginCodes: LoginCodes;
  accessTokens: AccessTokens;
  phoneCodes: PhoneCodes;
  messages: MessageStore;
  subscribeTemplates: SubscribeTemplates;
  subscribeQuotas: SubscribeQuotas;
  wxaCodes: WxaCodes;
  /** WeChat Pay, when the sandbox was started with pay keys. */
  pay?: Payments;
}

export function createSandboxState(options: {
  apps?: readonly SandboxAppConfig[];
  now?: () => number;
  pay?: PayOptions;
}): SandboxState {
  const clock = new SandboxClock(options.now);
  return {
    runtime: { clock, calls: new CallLog(), faults: new Faults(), apis: new Map() },
    apps: new AppRegistry(options.apps ?? []),
    identities: new Identities(),
    loginCodes: new LoginCodes(clock),
    accessTokens: new AccessTokens(clock),
    phoneCodes: new PhoneCodes(clock),
    messages: new MessageStore(),
    subscribeTemplates: new SubscribeTemplates(),
    subscribeQuotas: new SubscribeQuotas(),
    wxaCodes: new WxaCodes(),
    pay: options.pay && new Payments(options.pay.keys, clock, options.pay),
  };
}
