// Stores: the list, creating one, renaming / moving / switching it off and on.
import { type CreateStoreRequest, IdentityPaths, Store, type UpdateStoreRequest } from '@member-hub/shared';
import { apiRequest } from '../api';
import { pathId } from './query';

export type CreateStoreBody = ReturnType<typeof CreateStoreRequest.parse>;
export type UpdateStoreBody = ReturnType<typeof UpdateStoreRequest.parse>;

const StoreList = { parse: (input: unknown): Store[] => Store.array().parse(input) };

export function listStores(token: string): Promise<Store[]> {
  return apiRequest(IdentityPaths.adminStores, { token, schema: StoreList });
}

export function createStore(token: string, body: CreateStoreBody): Promise<Store> {
  return apiRequest(IdentityPaths.adminStores, { method: 'POST', token, body, schema: Store });
}

export function updateStore(token: string, id: string, body: UpdateStoreBody): Promise<Store> {
  return apiRequest(IdentityPaths.adminStore(pathId(id)), { method: 'PATCH', token, body, schema: Store });
}
