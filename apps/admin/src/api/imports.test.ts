// The import calls against the shared fetch stub: the raw upload with its name and type, the mapping, the paged
// report and its CSV, the dry run, the start and the detail polled for progress.
import { IMPORT_XLSX_MIME } from '@member-hub/shared';
import { answerOnce, firstRequest, sentRequest, stubFetch } from '../testing/fetch-stub';
import { dryRun, IMPORT_ID, importDetail, queuedJob } from '../testing/segment-fixtures';
import {
  downloadImportReport,
  dryRunImport,
  getImport,
  getImportReport,
  importContentType,
  importReportPath,
  listImports,
  mapImport,
  startImport,
  uploadImport,
} from './imports';

const fetchMock = stubFetch();
const sent = () => sentRequest(fetchMock);

const upload = {
  importId: IMPORT_ID,
  fileName: '会员.csv',
  format: 'csv',
  encoding: 'utf-8',
  sizeBytes: 40,
  sha256: 'ab'.repeat(32),
  rowCount: 1,
  header: ['手机号'],
  preview: [{ row: 2, cells: ['13800000001'] }],
  suggestedMapping: { columns: { phone: 0 }, externalSource: 'import' },
  duplicateOf: null,
};
const mapping = { columns: { phone: 0 }, externalSource: 'import' };

describe('imports', () => {
  it('sends the file as the raw body, typed by its ending, named in X-File-Name', async () => {
    expect(importContentType('a.CSV')).toBe('text/csv');
    expect(importContentType('会员.xlsx')).toBe(IMPORT_XLSX_MIME);
    expect(importContentType('members.txt')).toBe('application/octet-stream');

    answerOnce(fetchMock, 201, upload);
    const file = new Blob(['手机号\n13800000001\n'], { type: 'text/csv' });
    await expect(uploadImport('tok', file, '会员.csv')).resolves.toEqual(upload);
    const { url, init, headers } = firstRequest(fetchMock);
    expect(url).toBe('/api/v1/admin/imports');
    expect(init.method).toBe('POST');
    expect(init.body).toBe(file);
    expect(headers).toMatchObject({
      Authorization: 'Bearer tok',
      'Content-Type': 'text/csv',
      'X-File-Name': '%E4%BC%9A%E5%91%98.csv',
    });
  });

  it('passes a too large file refusal through', async () => {
    answerOnce(fetchMock, 413, { error: { code: 'PAYLOAD_TOO_LARGE', message: '文件不能超过 20 MB' } });
    await expect(uploadImport('tok', new Blob(['x']), 'a.csv')).rejects.toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
      message: '文件不能超过 20 MB',
    });
  });

  it('lists past imports and reads one', async () => {
    answerOnce(fetchMock, 200, { items: [importDetail], total: 1, page: 1, pageSize: 20 });
    await expect(listImports('tok', 1)).resolves.toMatchObject({ total: 1 });
    expect(sent().url).toBe('/api/v1/admin/imports?page=1&pageSize=20');
    fetchMock.mockReset();
    answerOnce(fetchMock, 200, importDetail);
    await expect(getImport('tok', IMPORT_ID)).resolves.toEqual(importDetail);
    expect(sent().url).toBe(`/api/v1/admin/imports/${IMPORT_ID}`);
  });

  it('PUTs the mapping and reads the validation', async () => {
    const validation = {
      importId: IMPORT_ID,
      mapping,
      rows: 4,
      goodRows: 3,
      badRows: 1,
      issues: 1,
      issuesByColumn: { phone: 1 },
      points: 300,
      balanceFen: 0,
      validatedAt: '2030-01-01T00:00:00.000Z',
    };
    answerOnce(fetchMock, 200, validation);
    await expect(mapImport('tok', IMPORT_ID, mapping)).resolves.toEqual(validation);
    expect(sent()).toMatchObject({ url: `/api/v1/admin/imports/${IMPORT_ID}/mapping`, method: 'PUT', body: mapping });
  });

  it('pages the report by column and downloads it as CSV', async () => {
    expect(importReportPath(IMPORT_ID, { column: null, pageNo: 1 })).toBe(
      `/api/v1/admin/imports/${IMPORT_ID}/report?page=1&pageSize=50`,
    );
    expect(importReportPath(IMPORT_ID, { column: 'row', pageNo: 2, pageSize: 10 })).toBe(
      `/api/v1/admin/imports/${IMPORT_ID}/report?column=row&page=2&pageSize=10`,
    );
    const page = {
      importId: IMPORT_ID,
      items: [{ row: 3, column: 'phone', columnName: '手机号', value: '123', reason: '手机号格式不正确' }],
      total: 1,
      page: 1,
      pageSize: 50,
    };
    answerOnce(fetchMock, 200, page);
    await expect(getImportReport('tok', IMPORT_ID, { column: 'phone', pageNo: 1 })).resolves.toEqual(page);

    fetchMock.mockReset();
    fetchMock.mockResolvedValueOnce(
      new Response('\uFEFF行号,列\n3,手机号\n', {
        status: 200,
        headers: { 'Content-Disposition': "attachment; filename*=UTF-8''%E6%8A%A5%E5%91%8A.csv" },
      }),
    );
    const file = await downloadImportReport('tok', IMPORT_ID);
    expect(file.filename).toBe('报告.csv');
    expect(firstRequest(fetchMock).url).toBe(`/api/v1/admin/imports/${IMPORT_ID}/report.csv`);
  });

  it('dry runs and starts', async () => {
    answerOnce(fetchMock, 200, dryRun);
    await expect(dryRunImport('tok', IMPORT_ID)).resolves.toEqual(dryRun);
    expect(sent()).toMatchObject({ url: `/api/v1/admin/imports/${IMPORT_ID}/dry-run`, method: 'POST' });
    fetchMock.mockReset();
    answerOnce(fetchMock, 202, queuedJob);
    await expect(startImport('tok', IMPORT_ID)).resolves.toEqual(queuedJob);
    expect(sent()).toMatchObject({ url: `/api/v1/admin/imports/${IMPORT_ID}/start`, method: 'POST', body: {} });
  });
});
