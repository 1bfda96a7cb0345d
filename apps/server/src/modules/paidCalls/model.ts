// One row per paid WeChat API and China day, counted with $inc: right however many server copies count at once.
import type { PaidCallApi } from '@member-hub/shared';
import { type Connection, type Model, Schema } from 'mongoose';

export interface PaidCallDoc {
  /** `getuserphonenumber:2026-12-02`: one row per api and day, so a range of days is a range of _id. */
  _id: string;
  api: PaidCallApi;
  /** China day, yyyy-MM-dd. */
  day: string;
  count: number;
  /** Each call adds the price of its moment, so a later price change leaves past days as they were. */
  costFen: number;
}

const PaidCallSchema = new Schema<PaidCallDoc>(
  {
    _id: { type: String, required: true },
    api: { type: String, required: true },
    day: { type: String, required: true },
    count: { type: Number, required: true, default: 0 },
    costFen: { type: Number, required: true, default: 0 },
  },
  { versionKey: false, collection: 'paid_calls' },
);

export function paidCallModel(conn: Connection): Model<PaidCallDoc> {
  return (
    (conn.models.PaidCall as Model<PaidCallDoc> | undefined) ?? conn.model<PaidCallDoc>('PaidCall', PaidCallSchema)
  );
}

export const paidCallId = (api: PaidCallApi, day: string): string => `${api}:${day}`;
