// A one-time message for the page the owner is sent to next (the survivor after a merge, a segment just created),
// keyed by what that page shows (`member:<id>`, `segment:<id>`).
const pending = new Map<string, string>();

export function setFlash(key: string, message: string): void {
  pending.set(key, message);
}

export function peekFlash(key: string): string | null {
  return pending.get(key) ?? null;
}

export function clearFlash(key: string): void {
  pending.delete(key);
}
