import { newIdempotencyKey } from './idempotency';

describe('newIdempotencyKey', () => {
  it('is 32 hex characters, different each time', () => {
    const a = newIdempotencyKey();
    expect(a).toMatch(/^[0-9a-f]{32}$/);
    expect(newIdempotencyKey()).not.toBe(a);
  });

  it('writes every byte as two hex digits', () => {
    expect(newIdempotencyKey((bytes) => bytes.fill(10))).toBe('0a'.repeat(16));
  });
});
