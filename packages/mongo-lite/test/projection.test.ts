// The fast inclusion projection against mingo's, on generated documents and projections.
import fc from 'fast-check';
import { Query } from 'mingo';
import { includeFields, simpleInclusion } from '../src/storage/projection';

const field = fc.constantFrom('a', 'b', 'c', 'tier', 'points');
const value = fc.oneof(
  fc.integer(),
  fc.string(),
  fc.constant(null),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.record({ x: fc.integer() }),
);

describe('simple inclusion projections', () => {
  it('return what mingo returns, in the stored document field order as MongoDB does', () => {
    fc.assert(
      fc.property(
        fc.dictionary(field, value),
        fc.uniqueArray(field, { minLength: 1, maxLength: 4 }),
        fc.boolean(),
        (body, picked, hideId) => {
          const doc = { _id: 7, ...body };
          const projection = { ...Object.fromEntries(picked.map((f) => [f, 1])), ...(hideId && { _id: 0 }) };
          const simple = simpleInclusion(projection);
          expect(simple).not.toBeNull();
          const ours = includeFields(doc, simple as NonNullable<typeof simple>);
          const theirs = new Query({}).find([doc], projection).all()[0];
          expect(ours).toEqual(theirs);
          // mingo orders by the projection with _id last; mongod keeps the document's order (_id first).
          expect(Object.keys(ours)).toEqual(Object.keys(doc).filter((k) => k in ours));
        },
      ),
    );
  });

  it('leave dotted paths, exclusions and operators to mingo', () => {
    expect(simpleInclusion({ 'a.b': 1 })).toBeNull();
    expect(simpleInclusion({ a: 0 })).toBeNull();
    expect(simpleInclusion({ a: { $slice: 1 } })).toBeNull();
    expect(simpleInclusion({ _id: 0 })).toBeNull();
  });
});
