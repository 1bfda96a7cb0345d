// One file the owner asks for (an export, a report): busy while the server streams it, then saved under the name the
// server suggests (or `fallbackName`), and the failure as the message to show.
import type { Download } from './api';
import { useAuth } from './auth';
import { saveBlob } from './download';
import { type Action, useAction } from './useAction';

export interface DownloadAction extends Pick<Action, 'busy' | 'error'> {
  /** True once the file was handed to the browser. */
  run(fetchFile: (token: string) => Promise<Download>, fallbackName: string): Promise<boolean>;
}

/** `describe` words a failure (an export's own words for a refusal). */
export function useDownload(describe: (error: unknown) => string): DownloadAction {
  const { withToken } = useAuth();
  const action = useAction(describe);
  return {
    busy: action.busy,
    error: action.error,
    run: (fetchFile, fallbackName) =>
      action.run(async () => {
        const file = await withToken(fetchFile);
        saveBlob(file.blob, file.filename ?? fallbackName);
      }),
  };
}
