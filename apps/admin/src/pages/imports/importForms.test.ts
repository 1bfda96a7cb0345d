import { suggestMapping } from '@member-hub/shared';
import { dryRun, IMPORT_ID, queuedJob } from '../../testing/segment-fixtures';
import {
  columnLetter,
  dryRunLines,
  fileProblem,
  fileSizeText,
  isStarted,
  jobProgress,
  jobResultText,
  mappingForm,
  mappingServerErrors,
  mappingToForm,
  reportColumnOptions,
  validationText,
  validationTotalsText,
} from './importForms';

const header = ['手机号', '姓名', '备注', '积分'];

describe('files', () => {
  it('takes CSV and XLSX files up to 20 MB', () => {
    expect(fileProblem({ name: '会员.CSV', size: 10 })).toBeNull();
    expect(fileProblem({ name: 'a.xlsx', size: 20 * 1024 * 1024 })).toBeNull();
    expect(fileProblem({ name: 'a.xls', size: 10 })).toBe('只支持 CSV 或 Excel（.xlsx）文件');
    expect(fileProblem({ name: 'a.csv', size: 0 })).toBe('文件是空的');
    expect(fileProblem({ name: 'a.csv', size: 20 * 1024 * 1024 + 1 })).toBe('文件不能超过 20 MB');
    expect([fileSizeText(512), fileSizeText(12_600), fileSizeText(1_572_864)]).toEqual(['512 B', '12.3 KB', '1.5 MB']);
  });

  it('names columns as Excel does', () => {
    expect([0, 25, 26, 27, 51, 52, 701, 702].map(columnLetter)).toEqual([
      'A',
      'Z',
      'AA',
      'AB',
      'AZ',
      'BA',
      'ZZ',
      'AAA',
    ]);
  });
});

describe('the column mapping', () => {
  it('is prefilled from the header names, one select per column', () => {
    const form = mappingToForm(header, suggestMapping(header));
    expect(form).toEqual({ columns: ['phone', 'name', '', 'points'], externalSource: 'import' });
    expect(mappingForm(form, header)).toEqual({
      ok: true,
      body: { columns: { phone: 0, name: 1, points: 3 }, externalSource: 'import' },
    });
  });

  it('refuses a field picked twice, naming the column it is already on', () => {
    const result = mappingForm({ columns: ['phone', 'name', 'name', ''], externalSource: 'import' }, header);
    expect(result).toEqual({
      ok: false,
      errors: { 'column.2': '「姓名」已选给第 B 列（姓名），每项只能选一列' },
    });
  });

  it('needs a phone or external id column, and a usable source', () => {
    expect(mappingForm({ columns: ['', 'name', '', 'points'], externalSource: 'import' }, header)).toEqual({
      ok: false,
      errors: { columns: '请至少把一列设为「手机号」或「外部会员编号」，用来识别会员' },
    });
    expect(mappingForm({ columns: ['externalId', '', '', ''], externalSource: '老 系统' }, header)).toEqual({
      ok: false,
      errors: { externalSource: '来源只能包含字母、数字、下划线和短横线，最多 32 个字符' },
    });
    expect(mappingServerErrors([{ path: ['columns'], message: '两个字段不能用同一列' }])).toEqual({
      columns: '两个字段不能用同一列',
    });
  });
});

describe('texts', () => {
  const validation = {
    importId: IMPORT_ID,
    mapping: { columns: { phone: 0 }, externalSource: 'import' },
    rows: 4,
    goodRows: 3,
    badRows: 1,
    issues: 2,
    issuesByColumn: { phone: 1, row: 0, points: 1, nonsense: 3 },
    points: 1_300,
    balanceFen: 1_234,
    validatedAt: '2030-01-01T00:00:00.000Z',
  };

  it('summarise the validation and offer the columns with problems', () => {
    expect(validationText(validation)).toBe('共 4 行：3 行可导入，1 行有问题（共 2 处），有问题的行不会导入');
    expect(validationText({ ...validation, goodRows: 4, badRows: 0, issues: 0 })).toBe('共 4 行：4 行可导入，没有问题');
    expect(validationTotalsText(validation)).toBe('可导入的期初积分合计 1,300，储值合计 ¥12.34');
    expect(reportColumnOptions(validation)).toEqual([
      { column: 'phone', text: '手机号（1）' },
      { column: 'points', text: '积分（1）' },
    ]);
  });

  it('list what a dry run would do', () => {
    expect(dryRunLines(dryRun)).toEqual([
      '新建会员 2 位',
      '关联已有会员 1 位',
      '无需变动 0 行（之前已导入过）',
      '有问题不导入 1 行',
      '将入账期初积分 300，储值 ¥500.00',
    ]);
  });

  it('fill the progress bar and say how it ended', () => {
    expect(jobProgress(queuedJob)).toEqual({
      percent: 0,
      text: '已处理 0 / 4 行 · 新建 0 · 关联 0 · 跳过 0 · 有问题 0',
    });
    const done = {
      ...queuedJob,
      state: 'done' as const,
      processed: 4,
      created: 2,
      linked: 1,
      bad: 1,
      pointsEntered: 300,
    };
    expect(jobProgress({ ...done, processed: 3, state: 'running' }).percent).toBe(75);
    expect(jobProgress({ ...done, total: 0, processed: 0 }).percent).toBe(100);
    expect(jobResultText(done)).toBe('导入完成：新建 2 位，关联 1 位，入账积分 300，储值 ¥0.00');
    expect(jobResultText({ ...done, state: 'failed', error: '数据库不可用' })).toBe('导入失败：数据库不可用');
    expect([isStarted('validated'), isStarted('queued'), isStarted('done')]).toEqual([false, true, true]);
  });
});
