// The export calls: each filter in the query (blanks left out), the bearer, and the file name the server suggests.
import { answerOnce, firstRequest, stubFetch } from '../testing/fetch-stub';
import {
  exportLedger,
  exportMembers,
  exportRfmList,
  ledgerExportPath,
  memberExportPath,
  rfmExportPath,
} from './exports';

const fetchMock = stubFetch();

function csvAnswer(name: string) {
  fetchMock.mockResolvedValueOnce(
    new Response('\uFEFF会员号\n', {
      status: 200,
      headers: {
        'Content-Type': 'text/csv; charset=utf-8',
        'Content-Disposition': `attachment; filename*=UTF-8''${encodeURIComponent(name)}`,
      },
    }),
  );
}

describe('exports', () => {
  it('builds the paths with only the filters given', () => {
    expect(memberExportPath({})).toBe('/api/v1/admin/exports/members.csv');
    expect(memberExportPath({ tier: '金卡', joinedFrom: '2030-01-01', phone: 'full' })).toBe(
      '/api/v1/admin/exports/members.csv?tier=%E9%87%91%E5%8D%A1&joinedFrom=2030-01-01&phone=full',
    );
    expect(ledgerExportPath({ account: 'wallet', from: '2030-01-01', to: '2030-01-31', memberNo: '10000001' })).toBe(
      '/api/v1/admin/exports/ledger.csv?account=wallet&from=2030-01-01&to=2030-01-31&memberNo=10000001',
    );
    expect(rfmExportPath('rfm', {})).toBe('/api/v1/admin/exports/rfm.csv');
    expect(rfmExportPath('churn', { class: 'general_winback' })).toBe(
      '/api/v1/admin/exports/churn.csv?class=general_winback',
    );
  });

  it('downloads with the bearer and reads the suggested name', async () => {
    csvAnswer('会员-203001010000.csv');
    await expect(exportMembers('tok', { phone: 'masked' })).resolves.toMatchObject({
      filename: '会员-203001010000.csv',
    });
    const { url, headers } = firstRequest(fetchMock);
    expect(url).toBe('/api/v1/admin/exports/members.csv?phone=masked');
    expect(headers.Authorization).toBe('Bearer tok');

    fetchMock.mockReset();
    csvAnswer('流水.csv');
    await expect(exportLedger('tok', { account: 'points' })).resolves.toMatchObject({ filename: '流水.csv' });
    fetchMock.mockReset();
    csvAnswer('流失预警.csv');
    await expect(exportRfmList('tok', 'churn', {})).resolves.toMatchObject({ filename: '流失预警.csv' });
  });

  it('passes the refusal of full phones through', async () => {
    answerOnce(fetchMock, 403, { error: { code: 'FORBIDDEN', message: '没有权限' } });
    await expect(exportMembers('tok', { phone: 'full' })).rejects.toMatchObject({ code: 'FORBIDDEN', status: 403 });
  });
});
