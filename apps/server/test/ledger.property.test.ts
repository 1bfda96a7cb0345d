// Property: for any sequence of earn / burn / expire / merge operations, with any of them replayed, every
// balance equals the sum of its ledger entries, no burn takes points below zero, and a replay changes nothing.
import fc from 'fast-check';
import type { Types } from 'mongoose';
import { expireDuePoints } from '../src/jobs/expireDuePoints';
import { expiryDay } from '../src/modules/points/expiry';
import { startTestHub, type TestHub } from './helpers/testHub';

let hub: TestHub;
beforeAll(async () => {
  hub = await startTestHub();
});
afterAll(async () => {
  await hub.stop();
});

type Op =
  | { kind: 'earn'; amount: number }
  | { kind: 'burn'; amount: number }
  | { kind: 'advanceDays'; days: number }
  | { kind: 'expire' }
  | { kind: 'mergeIn'; points: number }
  | { kind: 'replay'; index: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('earn' as const), amount: fc.integer({ min: 1, max: 500 }) }),
  fc.record({ kind: fc.constant('burn' as const), amount: fc.integer({ min: 1, max: 600 }) }),
  fc.record({ kind: fc.constant('advanceDays' as const), days: fc.integer({ min: 1, max: 200 }) }),
  fc.record({ kind: fc.constant('expire' as const) }),
  fc.record({ kind: fc.constant('mergeIn' as const), points: fc.integer({ min: 0, max: 300 }) }),
  fc.record({ kind: fc.constant('replay' as const), index: fc.nat() }),
);

let run = 0;

async function newMember(tag: string): Promise<Types.ObjectId> {
  const { member } = await hub.deps.identity.resolveExternal({ source: 'prop', id: tag });
  return member._id;
}

const members = () => hub.deps.conn.collection('members');

it('balances always equal their entries; burns never go below zero; replays change nothing', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 15 }), async (ops) => {
      run++;
      const memberId = await newMember(`m${run}`);
      const done: { key: string; amount: number; reason: 'order' | 'spend' }[] = [];
      for (const [i, o] of ops.entries()) {
        const key = `prop:${run}:${i}`;
        if (o.kind === 'earn' || o.kind === 'burn') {
          const amount = o.kind === 'earn' ? o.amount : -o.amount;
          const before = (await members().findOne({ _id: memberId }))?.points as number;
          try {
            await hub.deps.ledger.post({
              memberId,
              account: 'points',
              amount,
              reason: o.kind === 'earn' ? 'order' : 'spend',
              idempotencyKey: key,
              ...(o.kind === 'earn' && { expiresOn: expiryDay(new Date(hub.clock.now()), 12) }),
            });
            done.push({ key, amount, reason: o.kind === 'earn' ? 'order' : 'spend' });
          } catch (err) {
            expect((err as { code?: string }).code).toBe('INSUFFICIENT_POINTS');
            expect(before).toBeLessThan(-amount);
          }
        } else if (o.kind === 'advanceDays') {
          hub.clock.advance(o.days * 24 * 3600 * 1000);
        } else if (o.kind === 'expire') {
          await expireDuePoints(hub.deps);
        } else if (o.kind === 'mergeIn') {
          const other = await newMember(`m${run}-other${i}`);
          if (o.points > 0) {
            await hub.deps.ledger.post({
              memberId: other,
              account: 'points',
              amount: o.points,
              reason: 'order',
              idempotencyKey: `${key}:seed`,
            });
          }
          await hub.deps.merge.run({
            sourceId: other,
            targetId: memberId,
            reason: 'property',
            actor: { kind: 'system', id: 'prop', name: null },
          });
        } else if (done.length > 0) {
          const first = done[o.index % done.length];
          if (!first) continue;
          const before = await members().findOne({ _id: memberId });
          const replay = await hub.deps.ledger.post({
            memberId,
            account: 'points',
            amount: first.amount,
            reason: first.reason,
            idempotencyKey: first.key,
          });
          expect(replay.replayed).toBe(true);
          const after = await members().findOne({ _id: memberId });
          expect(after?.points).toBe(before?.points);
        }
        const member = await members().findOne({ _id: memberId });
        expect(member?.points).toBeGreaterThanOrEqual(0);
      }
      for (const { cached, sum } of Object.values(await hub.deps.ledger.verify(memberId))) expect(cached).toBe(sum);
    }),
    { numRuns: 40 },
  );
}, 180_000);
