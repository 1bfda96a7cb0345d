// The identity keys of a member. One unique multikey index over all of them makes "one person, one member"
// a database guarantee rather than a hope.
export const identityKey = {
  wechat: (appid: string, openid: string) => `wx:${appid}:${openid}`,
  unionid: (unionid: string) => `union:${unionid}`,
  phone: (blindIndex: string) => `phone:${blindIndex}`,
  external: (source: string, id: string) => `ext:${source}:${id}`,
  /**
   * What a merged or deleted member keeps instead of its keys. A unique multikey index treats an empty array as
   * one shared "missing" key, so two members with no keys would collide; this one is unique and never looked up.
   */
  retired: (memberId: string) => `retired:${memberId}`,
};

export function describeKey(key: string): { kind: string; value: string } {
  const [kind = 'unknown', ...rest] = key.split(':');
  const labels: Record<string, string> = {
    wx: 'wechat',
    union: 'unionid',
    phone: 'phone',
    ext: 'external',
    retired: 'retired',
  };
  // The phone key is a blind index; showing it would help nobody and hint at a lookup oracle.
  return { kind: labels[kind] ?? kind, value: kind === 'phone' ? '(手机号)' : rest.join(':') };
}
