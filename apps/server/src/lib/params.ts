import { ObjectIdText } from '@member-hub/shared';
import { Types } from 'mongoose';
import { AppError } from '../errors';

/** A path id that is not an ObjectId names nothing: 404, the same answer as an unknown id. */
export function idParam(id: string | undefined, resource: string): Types.ObjectId {
  if (!ObjectIdText.safeParse(id).success) throw new AppError('NOT_FOUND', undefined, { resource });
  return new Types.ObjectId(id);
}
