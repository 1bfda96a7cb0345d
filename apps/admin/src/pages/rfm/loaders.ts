// The 会员分析 loads: null where the server does not have the RFM routes yet (the page says 即将上线).
import { isRouteMissing } from '../../api';
import { getRfmSettings, getRfmSummary } from '../../api/rfm';

export function orMissing<T>(load: (token: string) => Promise<T>) {
  return (token: string): Promise<T | null> =>
    load(token).catch((error: unknown) => {
      if (isRouteMissing(error)) return null;
      throw error;
    });
}

export const loadSummary = orMissing(getRfmSummary);
export const loadSettings = orMissing(getRfmSettings);

export const MISSING_TEXT = '会员分析即将上线：服务器暂未开放 RFM 接口。';

/** How often the page asks whether a run has finished while one is going on. */
export const RUNNING_POLL_MS = 2_000;
