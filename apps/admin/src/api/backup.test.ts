// The backup download: the bearer, the archive's suggested name, and a refusal passed through.
import { answerOnce, firstRequest, stubFetch } from '../testing/fetch-stub';
import { downloadBackup } from './backup';

const fetchMock = stubFetch();

describe('backup download', () => {
  it('downloads with the bearer and keeps the name the server suggests', async () => {
    fetchMock.mockResolvedValueOnce(
      new Response(new Uint8Array([0x1f, 0x8b]), {
        status: 200,
        headers: {
          'Content-Type': 'application/gzip',
          'Content-Disposition': 'attachment; filename="member-hub-backup-20261202-1405.tar.gz"',
        },
      }),
    );
    await expect(downloadBackup('tok')).resolves.toMatchObject({ filename: 'member-hub-backup-20261202-1405.tar.gz' });
    const { url, headers } = firstRequest(fetchMock);
    expect(url).toBe('/api/v1/admin/backup.tar.gz');
    expect(headers.Authorization).toBe('Bearer tok');
  });

  it('passes a refusal through', async () => {
    answerOnce(fetchMock, 403, { error: { code: 'FORBIDDEN', message: '没有权限' } });
    await expect(downloadBackup('tok')).rejects.toMatchObject({ code: 'FORBIDDEN', status: 403 });
  });
});
