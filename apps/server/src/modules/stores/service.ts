import type { CreateStoreRequest, Store, UpdateStoreRequest } from '@member-hub/shared';
import { type Connection, Types } from 'mongoose';
import { AppError } from '../../errors';
import { type StoreDoc, storeModel } from './model';

export function presentStore(s: StoreDoc): Store {
  return { id: s._id.toHexString(), name: s.name, code: s.code, address: s.address, active: s.active };
}

export class StoreService {
  constructor(private readonly conn: Connection) {}

  list(onlyId?: string): Promise<StoreDoc[]> {
    const filter = onlyId ? { _id: new Types.ObjectId(onlyId) } : {};
    return storeModel(this.conn).find(filter).sort({ createdAt: 1 }).lean<StoreDoc[]>();
  }

  async get(id: string): Promise<StoreDoc> {
    const store = Types.ObjectId.isValid(id) ? await storeModel(this.conn).findById(id).lean<StoreDoc>() : null;
    if (!store) throw new AppError('NOT_FOUND', undefined, { resource: 'store' });
    return store;
  }

  async create(input: CreateStoreRequest): Promise<StoreDoc> {
    try {
      return (await storeModel(this.conn).create({ ...input, code: input.code.toUpperCase() })).toObject();
    } catch (err) {
      if ((err as { code?: number }).code === 11000) throw new AppError('STORE_CODE_TAKEN');
      throw err;
    }
  }

  async update(id: string, input: UpdateStoreRequest): Promise<StoreDoc> {
    await this.get(id);
    const updated = await storeModel(this.conn)
      .findByIdAndUpdate(id, { $set: input }, { returnDocument: 'after' })
      .lean<StoreDoc>();
    if (!updated) throw new AppError('NOT_FOUND', undefined, { resource: 'store' });
    return updated;
  }
}
