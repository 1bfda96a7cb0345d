// What the routes need, built once per app. Tests build their own with a real engine and the sandbox.
import type { Connection } from 'mongoose';
import type { AppConfig } from './config';
import type { Logger } from './logger';
import { TokenService } from './modules/auth/tokens';
import { IdentityService } from './modules/identity/service';
import { OwnerService } from './modules/owners/service';
import { WechatClient } from './wechat/client';

export interface AppDeps {
  config: AppConfig;
  logger: Logger;
  conn: Connection;
  wechat: WechatClient;
  tokens: TokenService;
  identity: IdentityService;
  owners: OwnerService;
  /** Where the H5 build's platform layer finds the WeChat sandbox; null when real WeChat is used. */
  sandboxBaseUrl: string | null;
}

export function buildDeps(input: {
  config: AppConfig;
  logger: Logger;
  conn: Connection;
  wechatBaseUrl: string;
  sandboxBaseUrl: string | null;
  now?: () => number;
}): AppDeps {
  const { config, conn } = input;
  if (!config.auth.sessionSecret) throw new Error('auth.sessionSecret is required');
  if (!config.wechat.appid || !config.wechat.secret) throw new Error('wechat.appid and wechat.secret are required');
  const wechat = new WechatClient({
    baseUrl: input.wechatBaseUrl,
    appid: config.wechat.appid,
    secret: config.wechat.secret,
    now: input.now,
  });
  const tokens = new TokenService(
    config.auth.sessionSecret,
    { member: config.auth.memberTokenTtlSeconds, owner: config.auth.ownerTokenTtlSeconds },
    input.now,
  );
  return {
    config,
    logger: input.logger,
    conn,
    wechat,
    tokens,
    identity: new IdentityService(conn, wechat),
    owners: new OwnerService(conn),
    sandboxBaseUrl: input.sandboxBaseUrl,
  };
}
