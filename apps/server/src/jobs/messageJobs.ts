// Subscription-message jobs: every minute the recent events become outbox rows and the due rows are sent; once a
// day (after the 09:00 birthday coupons) the reminders and win-back offers are found.
import type { AppDeps } from '../deps';
import { type DailyTriggerRun, runDailyTriggers } from '../modules/messages/dailyTriggers';
import type { SendRound } from '../modules/messages/sender';
import { RECENT_TRIGGERS } from '../modules/messages/triggers';
import { withLease } from './lease';

type Deps = Pick<AppDeps, 'conn' | 'messages' | 'messageSender' | 'coupons' | 'rfm' | 'rules' | 'logger' | 'now'>;

async function tierNames(deps: Pick<AppDeps, 'rules'>): Promise<string[]> {
  return (await deps.rules.get()).tiers.map((t) => t.name);
}

/** Outbox rows for the events of the last minutes (points earned, top-ups, tier ups, referral rewards). */
export async function scanRecentEvents(deps: Deps): Promise<{ queued: number; duplicates: number }> {
  const ctx = { conn: deps.conn, now: deps.now(), tierNames: await tierNames(deps) };
  let queued = 0;
  let duplicates = 0;
  for (const trigger of RECENT_TRIGGERS) {
    const result = await deps.messages.enqueue(await trigger.scan(ctx));
    queued += result.queued;
    duplicates += result.duplicates;
  }
  return { queued, duplicates };
}

/** The minutely job: new events into the outbox, then what is due out of it (claims make copies safe together). */
export async function sendMessages(deps: Deps): Promise<{ scanned: { queued: number }; sent: SendRound }> {
  const scanned = await scanRecentEvents(deps);
  return { scanned, sent: await deps.messageSender.sendDue() };
}

export async function dailyMessageTriggers(
  deps: Deps,
  onProgress?: (phase: string, done: number) => void,
): Promise<DailyTriggerRun | { skipped: true }> {
  const run = await withLease(deps.conn, 'dailyMessageTriggers', 30 * 60_000, deps.now, async () =>
    runDailyTriggers({ ...deps, tierNames: await tierNames(deps) }, onProgress),
  );
  return run.ran ? run.result : { skipped: true };
}
