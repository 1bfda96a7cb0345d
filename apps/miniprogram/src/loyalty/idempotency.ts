import { ApiError } from '../api/errors';

/**
 * A client key for one intended action (a purchase, a redemption): the server returns the first result for a
 * repeated key. Not a secret, so `Math.random` is enough; it also runs where `crypto` does not (older WeChat).
 */
export function newIdempotencyKey(random: () => number = Math.random, now: () => number = Date.now): string {
  let suffix = '';
  for (let i = 0; i < 16; i += 1) suffix += Math.floor(random() * 16).toString(16);
  return `${now().toString(36)}-${suffix}`;
}

/**
 * Keeps one key per intended action: an attempt whose outcome is unknown (no answer, a server error) retries
 * with the same key, so a retried submit can never record the action twice; `renew` starts a new action.
 */
export function createActionKey(make: () => string = newIdempotencyKey) {
  let key = make();
  return {
    current: () => key,
    renew() {
      key = make();
      return key;
    },
  };
}

/**
 * Whether the server may have done the action although we got no proper answer: no response, a server error
 * midway, or a success body we could not read. Only then is the same key resent; a clear refusal starts afresh.
 */
export function outcomeUnknown(error: unknown): boolean {
  return !(error instanceof ApiError) || error.status === 0 || error.status >= 500 || error.code === 'BAD_RESPONSE';
}

/**
 * One key per target (a mall item, a top-up package, a charge) until the server answers for sure: tapping the
 * same target again after a lost answer resends the same key, so the server returns the first result instead of
 * acting twice; an answer, or a clear refusal, lets the next tap start a new action.
 */
export function createKeyedAction<T, Args extends unknown[] = []>(
  act: (targetId: string, idempotencyKey: string, ...args: Args) => Promise<T>,
  makeKey: () => string = newIdempotencyKey,
) {
  const pending = new Map<string, string>();
  return async (targetId: string, ...args: Args): Promise<T> => {
    const key = pending.get(targetId) ?? makeKey();
    pending.set(targetId, key);
    try {
      const result = await act(targetId, key, ...args);
      pending.delete(targetId);
      return result;
    } catch (error) {
      if (!outcomeUnknown(error)) pending.delete(targetId);
      throw error;
    }
  };
}
