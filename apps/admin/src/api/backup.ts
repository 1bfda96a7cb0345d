// The full backup: every collection as the server streams it (a .tar.gz), named by the server with its time.
import { BackupPaths } from '@member-hub/shared';
import { apiDownload, type Download } from '../api';

export function downloadBackup(token: string): Promise<Download> {
  return apiDownload(BackupPaths.download, token);
}
