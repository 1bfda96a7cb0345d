// Server-to-server requests from a store's POS or online shop: HMAC-SHA256 over method, path, timestamp, nonce and
// body with the store's own key; the timestamp must be within 5 minutes and each nonce is accepted once.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { openApiStringToSign } from '@member-hub/shared';
import type { Middleware, ParameterizedContext } from 'koa';
import { type Connection, type Model, Schema, type Types } from 'mongoose';
import { AppError } from '../../errors';
import type { PersonalDataVault, SealedValue } from '../../lib/personalData';
import { storeModel } from '../stores/model';

const MAX_SKEW_MS = 5 * 60 * 1000;
const KEY_CONTEXT = 'open-api-key';

interface NonceDoc {
  _id: string;
  expiresAt: Date;
}
const NonceSchema = new Schema<NonceDoc>({ _id: String, expiresAt: Date }, { versionKey: false });
// Kept a little longer than the accepted clock window: an old nonce cannot come back inside it.
NonceSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });

export function nonceModel(conn: Connection): Model<NonceDoc> {
  return (
    (conn.models.OpenApiNonce as Model<NonceDoc> | undefined) ??
    conn.model<NonceDoc>('OpenApiNonce', NonceSchema, 'open_api_nonces')
  );
}

declare module 'koa' {
  interface DefaultState {
    openStore?: { id: Types.ObjectId; code: string };
  }
}

/** Issues a new key for the store (the old one stops working) and returns it: the only time it is shown. */
export async function rotateStoreKey(
  conn: Connection,
  vault: PersonalDataVault,
  storeId: Types.ObjectId,
): Promise<string> {
  const key = randomBytes(32).toString('base64url');
  const result = await storeModel(conn).updateOne(
    { _id: storeId },
    { $set: { openApiKey: vault.seal(key, KEY_CONTEXT) } },
    { strict: false },
  );
  if (result.matchedCount === 0) throw new AppError('NOT_FOUND', undefined, { resource: 'store' });
  return key;
}

/**
 * `admit` runs once the signature is good and before the nonce is spent (the rate limit per store): a request it
 * refuses can be sent again, nonce and all.
 */
export function verifyOpenApiSignature(
  deps: { conn: Connection; vault: PersonalDataVault; now: () => number },
  admit: (ctx: ParameterizedContext, store: { id: Types.ObjectId; code: string }) => Promise<void> = async () => {},
): Middleware {
  return async (ctx, next) => {
    const storeCode = ctx.get('x-hub-store');
    const timestamp = ctx.get('x-hub-timestamp');
    const nonce = ctx.get('x-hub-nonce');
    const signature = ctx.get('x-hub-signature');
    if (!storeCode || !/^\d{10}$/.test(timestamp) || !/^[A-Za-z0-9_-]{16,64}$/.test(nonce) || !signature) {
      throw new AppError('SIGNATURE_INVALID', undefined, {
        required: ['X-Hub-Store', 'X-Hub-Timestamp', 'X-Hub-Nonce', 'X-Hub-Signature'],
      });
    }
    if (Math.abs(deps.now() - Number(timestamp) * 1000) > MAX_SKEW_MS) throw new AppError('TIMESTAMP_SKEW');
    const store = await storeModel(deps.conn)
      .findOne({ code: storeCode.toUpperCase(), active: true })
      .lean<{ _id: Types.ObjectId; code: string; openApiKey?: SealedValue }>();
    if (!store?.openApiKey) throw new AppError('SIGNATURE_INVALID');
    const key = deps.vault.open(store.openApiKey, KEY_CONTEXT);
    const raw = (ctx.request as { rawBody?: string }).rawBody ?? '';
    const expected = createHmac('sha256', key)
      .update(openApiStringToSign(ctx.method, ctx.path, timestamp, nonce, raw))
      .digest();
    const given = Buffer.from(signature, 'base64');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new AppError('SIGNATURE_INVALID');
    await admit(ctx, { id: store._id, code: store.code });
    try {
      await nonceModel(deps.conn).create({
        _id: `${store.code}:${nonce}`,
        expiresAt: new Date(deps.now() + 2 * MAX_SKEW_MS),
      });
    } catch (err) {
      if ((err as { code?: number }).code === 11000) throw new AppError('REQUEST_REPLAYED');
      throw err;
    }
    ctx.state.openStore = { id: store._id, code: store.code };
    await next();
  };
}
