// The owner's RFM settings (window, churn factor, minimum orders), one document in the shared `settings`
// collection. The job reads them at the start of each run and stores the copy it used on the run.
import { DEFAULT_RFM_SETTINGS, RfmSettings } from '@member-hub/shared';
import type { Connection } from 'mongoose';

const SETTINGS_ID = 'rfm';
/** Which run readers see: set by the job once its rows are complete (run times can tie; a pointer cannot). */
const CURRENT_RUN_ID = 'rfmCurrentRun';

function collection(conn: Connection) {
  const db = conn.db;
  if (!db) throw new Error('not connected');
  return db.collection<{ _id: string; settings?: RfmSettings; runId?: string; updatedAt: Date }>('settings');
}

export async function readRfmSettings(conn: Connection): Promise<RfmSettings> {
  const doc = await collection(conn).findOne({ _id: SETTINGS_ID });
  // Parsed with defaults, so a setting added later reads as its default on an older document.
  return doc?.settings ? RfmSettings.parse(doc.settings) : { ...DEFAULT_RFM_SETTINGS };
}

export async function writeRfmSettings(conn: Connection, settings: RfmSettings, at: Date): Promise<RfmSettings> {
  await collection(conn).updateOne({ _id: SETTINGS_ID }, { $set: { settings, updatedAt: at } }, { upsert: true });
  return settings;
}

export async function currentRunId(conn: Connection): Promise<string | null> {
  return (await collection(conn).findOne({ _id: CURRENT_RUN_ID }))?.runId ?? null;
}

export async function setCurrentRun(conn: Connection, runId: string, at: Date): Promise<void> {
  await collection(conn).updateOne({ _id: CURRENT_RUN_ID }, { $set: { runId, updatedAt: at } }, { upsert: true });
}
