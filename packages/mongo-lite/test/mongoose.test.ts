// The operations the member-hub server relies on, through mongoose 9 exactly as the app uses it.
import mongoose, { type Connection, Schema } from 'mongoose';
import { freshDbName, startTarget, type Target } from './target';

let target: Target;
let conn: Connection;

const memberSchema = new Schema(
  {
    shop: { type: String, required: true },
    phone: { type: String, required: true },
    email: { type: String, unique: true, sparse: true },
    points: { type: Number, default: 0 },
    tags: [String],
  },
  { timestamps: true },
);
memberSchema.index({ shop: 1, phone: 1 }, { unique: true });

beforeAll(async () => {
  target = await startTarget();
  conn = await mongoose.createConnection(target.uri, { dbName: freshDbName('mg') }).asPromise();
});
afterAll(async () => {
  await conn.dropDatabase();
  await conn.close();
  await target.stop();
});

test('schema indexes via init/syncIndexes, create/insertMany, finds, lean, counts', async () => {
  const Member = conn.model('Member', memberSchema);
  await Member.init();
  await Member.syncIndexes();
  const names = (await Member.listIndexes()).map((i) => i.name).sort();
  expect(names).toEqual(['_id_', 'email_1', 'shop_1_phone_1']);

  const ann = await Member.create({ shop: 's1', phone: '1', email: 'ann@x.cn' });
  await Member.insertMany([
    { shop: 's1', phone: '2', points: 5 },
    { shop: 's2', phone: '1', points: 7 },
  ]);
  expect((await Member.findById(ann._id))?.email).toBe('ann@x.cn');
  const top = await Member.find({ points: { $gt: 0 } })
    .sort({ points: -1 })
    .limit(1)
    .lean();
  expect(top[0]?.points).toBe(7);
  expect(await Member.countDocuments({ shop: 's1' })).toBe(2);
  expect(await Member.estimatedDocumentCount()).toBe(3);
  expect((await Member.findOne({ phone: '2' }).lean())?.createdAt).toBeInstanceOf(Date);
});

test('unique violations surface as MongoServerError 11000 with keyPattern/keyValue', async () => {
  const Member = conn.model('Member', memberSchema);
  const err = await Member.create({ shop: 's1', phone: '1' }).catch((e: unknown) => e);
  expect(err).toMatchObject({
    name: 'MongoServerError',
    code: 11000,
    keyPattern: { shop: 1, phone: 1 },
    keyValue: { shop: 's1', phone: '1' },
  });
  const emailErr = await Member.create({ shop: 's9', phone: '9', email: 'ann@x.cn' }).catch((e: unknown) => e);
  expect(emailErr).toMatchObject({ code: 11000, keyValue: { email: 'ann@x.cn' } });
});

test('findOneAndUpdate with upsert, conditional filter, $inc/$set/$setOnInsert/$push', async () => {
  const Member = conn.model('Member', memberSchema);
  const created = await Member.findOneAndUpdate(
    { shop: 's3', phone: '3' },
    { $inc: { points: 10 }, $setOnInsert: { email: 'new@x.cn' }, $push: { tags: 'vip' } },
    { returnDocument: 'after', upsert: true },
  ).lean();
  expect(created).toMatchObject({ shop: 's3', phone: '3', points: 10, email: 'new@x.cn', tags: ['vip'] });
  const spent = await Member.findOneAndUpdate(
    { shop: 's3', phone: '3', points: { $gte: 8 } },
    { $inc: { points: -8 }, $set: { lastSpend: 8 } },
    { returnDocument: 'after', strict: false },
  ).lean();
  expect(spent?.points).toBe(2);
  const refused = await Member.findOneAndUpdate(
    { shop: 's3', phone: '3', points: { $gte: 8 } },
    { $inc: { points: -8 } },
    { returnDocument: 'after' },
  );
  expect(refused).toBeNull();
  expect((await Member.updateOne({ shop: 's3' }, { $set: { points: 1 } })).modifiedCount).toBe(1);
  expect((await Member.updateMany({}, { $inc: { points: 1 } })).modifiedCount).toBe(4);
  expect((await Member.deleteOne({ shop: 's3' })).deletedCount).toBe(1);
});

test('connection.transaction commits, and a thrown error rolls everything back', async () => {
  const Ledger = conn.model('Ledger', new Schema({ member: String, delta: Number }));
  await Ledger.createCollection();
  await conn.transaction(async (session) => {
    await Ledger.create([{ member: 'm1', delta: 5 }], { session });
    await Ledger.updateOne({ member: 'm1' }, { $inc: { delta: 1 } }, { session });
  });
  expect((await Ledger.findOne({ member: 'm1' }).lean())?.delta).toBe(6);

  const failed = await conn
    .transaction(async (session) => {
      await Ledger.create([{ member: 'm2', delta: 1 }], { session });
      await Ledger.updateOne({ member: 'm1' }, { $inc: { delta: 100 } }, { session });
      throw new Error('business rule failed');
    })
    .catch((e: Error) => e.message);
  expect(failed).toBe('business rule failed');
  expect(await Ledger.countDocuments({ member: 'm2' })).toBe(0);
  expect((await Ledger.findOne({ member: 'm1' }).lean())?.delta).toBe(6);
});

test('db.admin().ping() and closing a connection leaves the server up', async () => {
  const other = await mongoose.createConnection(target.uri).asPromise();
  expect((await other.db?.admin().ping())?.ok).toBe(1);
  await other.close();
  expect((await conn.db?.admin().ping())?.ok).toBe(1);
});
