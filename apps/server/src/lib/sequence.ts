// Counters (member numbers): one atomic upsert + $inc per call, safe across server copies.
import { type Connection, type Model, Schema } from 'mongoose';

interface CounterDoc {
  _id: string;
  value: number;
}

const CounterSchema = new Schema<CounterDoc>(
  { _id: String, value: { type: Number, required: true } },
  { versionKey: false },
);

/** Returns 1, 2, 3... for each name. */
export async function nextSequence(conn: Connection, name: string): Promise<number> {
  const Counter =
    (conn.models.Counter as Model<CounterDoc> | undefined) ??
    conn.model<CounterDoc>('Counter', CounterSchema, 'counters');
  const doc = await Counter.findOneAndUpdate(
    { _id: name },
    { $inc: { value: 1 } },
    { upsert: true, returnDocument: 'after' },
  ).lean<CounterDoc>();
  if (!doc) throw new Error(`sequence ${name} did not return a value`);
  return doc.value;
}
