/** getwxacodeunlimit's `scene`: 1 to 32 of these visible characters (WeChat's docs; no `%`, so no URL encoding). */
export const SCENE_PATTERN = /^[0-9A-Za-z!#$&'()*+,/:;=?@\-._~]{1,32}$/;

/**
 * A page path as app.json lists it: segments of letters, digits, `_`, `-` and `.`, no leading slash, no query
 * (parameters go in the scene), at most 1024 characters.
 */
export const PAGE_PATTERN = /^[\w-][\w.-]*(?:\/[\w-][\w.-]*)*$/;
export const PAGE_MAX_LENGTH = 1024;

export const WIDTH_DEFAULT = 430;
export const WIDTH_MIN = 280;
export const WIDTH_MAX = 1280;

export const ENV_VERSIONS = ['release', 'trial', 'develop'] as const;
export type EnvVersion = (typeof ENV_VERSIONS)[number];

/** A mini-program code the sandbox drew (getwxacodeunlimit), as the control API lists it. */
export interface WxaCode {
  appid: string;
  scene: string;
  /** The page given; absent means the mini-program's home page. */
  page?: string;
  /** The image's side in px, after clamping to 280..1280. */
  width: number;
  check_path: boolean;
  env_version: EnvVersion;
  /** What the QR code in the PNG says: `page?scene=<scene, URI-encoded>`. */
  text: string;
  /** Sandbox time (epoch ms) the code was made. */
  at: number;
}

export class WxaCodes {
  private codes: WxaCode[] = [];

  record(code: WxaCode): void {
    this.codes.push(code);
  }

  /** Oldest first. */
  list(filter: { appid?: string; scene?: string } = {}): WxaCode[] {
    return this.codes
      .filter(
        (code) =>
          (filter.appid === undefined || code.appid === filter.appid) &&
          (filter.scene === undefined || code.scene === filter.scene),
      )
      .map((code) => ({ ...code }));
  }

  reset(): void {
    this.codes = [];
  }
}
