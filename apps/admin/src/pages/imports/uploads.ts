// The upload's answer (the first rows and the header's suggested mapping) is only given once, by the upload itself:
// it is kept while the tab is open so the import's page can show the preview after navigating to it.
import type { ImportUpload } from '@member-hub/shared';

const uploads = new Map<string, ImportUpload>();

export function rememberUpload(upload: ImportUpload): void {
  uploads.set(upload.importId, upload);
}

export function uploadOf(importId: string): ImportUpload | null {
  return uploads.get(importId) ?? null;
}
