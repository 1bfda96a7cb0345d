export interface SandboxAppConfig {
  appid: string;
  secret: string;
  /**
   * Whether the mini-program is bound to an open-platform account, which makes code2Session return a unionid.
   * All bound sandbox apps share one open platform, so a user has one unionid across them. Default true.
   */
  boundToOpenPlatform?: boolean;
}

export interface SandboxApp {
  appid: string;
  secret: string;
  boundToOpenPlatform: boolean;
}

export const DEFAULT_APP: SandboxAppConfig = { appid: 'wx_sandbox_app', secret: 'sandbox_secret' };

/** The mini-programs the sandbox knows, fixed at start. */
export class AppRegistry {
  private readonly apps: Map<string, SandboxApp>;

  constructor(configs: readonly SandboxAppConfig[]) {
    const list = configs.length > 0 ? configs : [DEFAULT_APP];
    this.apps = new Map(
      list.map((config) => [
        config.appid,
        { appid: config.appid, secret: config.secret, boundToOpenPlatform: config.boundToOpenPlatform ?? true },
      ]),
    );
    if (this.apps.size !== list.length) throw new Error('wechat-sandbox: duplicate appid in apps');
  }

  find(appid: string): SandboxApp | undefined {
    return this.apps.get(appid);
  }

  /** The first configured app: the one control calls use when they name none. */
  primary(): SandboxApp {
    const [first] = this.apps.values();
    if (!first) throw new Error('wechat-sandbox: no apps');
    return first;
  }

  list(): SandboxApp[] {
    return [...this.apps.values()];
  }
}
