// The dashboard calls against the shared fetch stub: the query, the bearer, the answer checked by the contract,
// and the CSV export as a blob with the server's file name.
import { isRouteMissing } from '../api';
import { dashboardFixture } from '../testing/dashboard-fixtures';
import { answerOnce, firstRequest, sentRequest, stubFetch } from '../testing/fetch-stub';
import { dashboardExportPath, dashboardPath, exportDashboardFigure, getDashboard } from './dashboard';

const STORE = '65f0c0ffee0000000000aaaa';
const fetchMock = stubFetch();
const params = { from: '2030-01-01', to: '2030-01-03', storeId: null };

describe('dashboard', () => {
  it('asks for the range, with the store only when one is picked', async () => {
    expect(dashboardPath(params)).toBe('/api/v1/admin/dashboard?from=2030-01-01&to=2030-01-03');
    expect(dashboardPath({ ...params, storeId: STORE })).toBe(
      `/api/v1/admin/dashboard?from=2030-01-01&to=2030-01-03&storeId=${STORE}`,
    );
    const answer = dashboardFixture();
    answerOnce(fetchMock, 200, answer);
    await expect(getDashboard('tok', params)).resolves.toEqual(answer);
    expect(sentRequest(fetchMock)).toEqual({
      url: '/api/v1/admin/dashboard?from=2030-01-01&to=2030-01-03',
      method: 'GET',
      auth: 'Bearer tok',
      body: undefined,
    });
  });

  it('refuses an answer that is not a dashboard, and reports a missing route', async () => {
    answerOnce(fetchMock, 200, { figures: {} });
    await expect(getDashboard('tok', params)).rejects.toMatchObject({ code: 'UNEXPECTED_RESPONSE' });
    answerOnce(fetchMock, 404, { error: { code: 'ROUTE_NOT_FOUND', message: '接口不存在' } });
    expect(isRouteMissing(await getDashboard('tok', params).catch((error: unknown) => error))).toBe(true);
  });
});

describe('CSV export', () => {
  it('GETs the figure path with the bearer and hands back the bytes and the server file name', async () => {
    expect(dashboardExportPath('topUps', { ...params, storeId: STORE })).toBe(
      `/api/v1/admin/dashboard/export/topUps?from=2030-01-01&to=2030-01-03&storeId=${STORE}`,
    );
    fetchMock.mockResolvedValueOnce(
      new Response('\uFEFF日期,新增会员\n2030-01-01,1\n', {
        status: 200,
        headers: {
          'Content-Type': 'text/csv; charset=utf-8',
          'Content-Disposition': `attachment; filename="dashboard-newMembers.csv"; filename*=UTF-8''${encodeURIComponent('新增会员_2030-01-01_2030-01-03.csv')}`,
        },
      }),
    );
    const file = await exportDashboardFigure('tok', 'newMembers', params);
    expect(file.filename).toBe('新增会员_2030-01-01_2030-01-03.csv');
    expect(await file.blob.text()).toContain('2030-01-01,1');
    const { url, headers } = firstRequest(fetchMock);
    expect(url).toBe('/api/v1/admin/dashboard/export/newMembers?from=2030-01-01&to=2030-01-03');
    expect(headers.Authorization).toBe('Bearer tok');
  });

  it('turns an error answer into the server message', async () => {
    answerOnce(fetchMock, 400, { error: { code: 'VALIDATION_FAILED', message: '时间范围最长 366 天' } });
    await expect(exportDashboardFigure('tok', 'newMembers', params)).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      message: '时间范围最长 366 天',
      status: 400,
    });
    fetchMock.mockRejectedValueOnce(new TypeError('offline'));
    await expect(exportDashboardFigure('tok', 'newMembers', params)).rejects.toMatchObject({ code: 'NETWORK_ERROR' });
  });
});
