/** `value` as a URL when it is an absolute http(s) one (redirects, return and notify URLs), else undefined. */
export function httpUrl(value: string): URL | undefined {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : undefined;
  } catch {
    return undefined;
  }
}
