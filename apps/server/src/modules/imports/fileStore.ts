// Uploaded files in MongoDB (GridFS, 1 MB chunks), named by their SHA-256: any server copy can read a file a job
// needs after a restart, and the same bytes uploaded twice are stored once.
import type { Connection } from 'mongoose';
import { onlyDuplicates } from '../../lib/duplicateKey';
import { importFiles } from './model';

export async function saveFile(conn: Connection, sha256: string, fileName: string, bytes: Buffer): Promise<void> {
  const bucket = importFiles(conn);
  if (await bucket.find({ _id: sha256 as never }, { limit: 1 }).hasNext()) return;
  try {
    await new Promise<void>((resolve, reject) => {
      const upload = bucket.openUploadStreamWithId(sha256 as never, fileName);
      upload.once('error', reject);
      upload.once('finish', () => resolve());
      upload.end(bytes);
    });
  } catch (err) {
    // The same file uploaded at the same moment by another request: its copy is as good as ours.
    if (!onlyDuplicates(err)) throw err;
  }
}

export async function loadFile(conn: Connection, sha256: string): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of importFiles(conn).openDownloadStream(sha256 as never)) parts.push(chunk as Buffer);
  return Buffer.concat(parts);
}
