/** Where the id is kept (Taro storage in the app): one value under one key. */
export interface DeviceIdStore {
  get(): unknown;
  set(id: string): void;
}

const ID = /^dev_[0-9a-f]{32}$/;

/**
 * A random id this device keeps for good, sent when accepting an invite: the server hashes it and only uses it to
 * spot one phone accepting many invites. `Math.random` is enough (it is no secret) and runs on older WeChat.
 */
export function deviceId(store: DeviceIdStore, random: () => number = Math.random): string {
  const stored = store.get();
  if (typeof stored === 'string' && ID.test(stored)) return stored;
  let hex = '';
  for (let i = 0; i < 32; i += 1) hex += Math.floor(random() * 16).toString(16);
  const created = `dev_${hex}`;
  store.set(created);
  return created;
}
