// Collections whose documents belong to one member (coupons, referrals, orders...). A merge re-points them to the
// survivor. Modules register here as they are built, so the merge flow never needs to know them by name.
// Ledgers are deliberately absent: entries are history and never change owner; a merge posts transfers instead.
export interface MemberOwnedCollection {
  collection: string;
  field: string;
}

const registry: MemberOwnedCollection[] = [];

export function registerMemberOwned(entry: MemberOwnedCollection): void {
  if (!registry.some((r) => r.collection === entry.collection && r.field === entry.field)) registry.push(entry);
}

export function memberOwnedCollections(): readonly MemberOwnedCollection[] {
  return registry;
}
