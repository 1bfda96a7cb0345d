// A one-time message for the member page the owner is sent to (e.g. the survivor after a merge).
const pending = new Map<string, string>();

export function setMemberFlash(memberId: string, message: string): void {
  pending.set(memberId, message);
}

export function peekMemberFlash(memberId: string): string | null {
  return pending.get(memberId) ?? null;
}

export function clearMemberFlash(memberId: string): void {
  pending.delete(memberId);
}
