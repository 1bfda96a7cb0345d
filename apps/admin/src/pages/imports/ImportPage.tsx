// One import, step by step: the file, its columns mapped (selects prefilled from the header names) and every row
// validated, the report of bad rows (行, 列, 值, 原因; paged, or as CSV), a dry run of what would change, then the import
// itself as a background job whose progress bar the page polls until it is done.
import {
  type ImportDetail,
  type ImportDryRun,
  ImportFieldInfo,
  type ImportReportPage,
  ImportStateLabels,
  type ImportValidation,
  suggestMapping,
} from '@member-hub/shared';
import { type FormEvent, useCallback, useEffect, useState } from 'react';
import {
  downloadImportReport,
  dryRunImport,
  getImport,
  getImportReport,
  mapImport,
  startImport,
} from '../../api/imports';
import { useAuth } from '../../auth';
import { formatDateTime } from '../../format';
import { inputClass } from '../../forms';
import { routeHref } from '../../route';
import { ErrorBanner, FieldWithError, InlineError, PageHeader, PageNumbers, SuccessBanner, TableRows } from '../../ui';
import { useAction } from '../../useAction';
import { useDownload } from '../../useDownload';
import { useFormEditor } from '../../useFormEditor';
import { type Loaded, useLoad } from '../../useLoad';
import {
  columnKey,
  columnLetter,
  dryRunLines,
  fieldOptionText,
  fileSizeText,
  IMPORT_FIELDS,
  isJobRunning,
  isStarted,
  jobProgress,
  jobResultText,
  type MappingErrors,
  type MappingForm,
  mappingForm,
  mappingServerErrors,
  mappingToForm,
  type ReportColumn,
  reportColumnOptions,
  reportColumnText,
  validationText,
  validationTotalsText,
} from './importForms';
import { uploadOf } from './uploads';

/** How often a running import is asked for its progress. */
const POLL_MS = 1_000;
const REPORT_COLUMNS = 4;

/** Keyed by the import's id (App). */
export function ImportPage({ id }: { id: string }) {
  const load = useCallback((token: string) => getImport(token, id), [id]);
  const detail = useLoad(load);
  const data = detail.state.data;
  const running = data ? isJobRunning(data.state) : false;

  const { reload } = detail;
  useEffect(() => {
    if (!running || detail.state.status === 'loading') return;
    const timer = window.setTimeout(reload, POLL_MS);
    return () => window.clearTimeout(timer);
  }, [running, detail.state.status, reload]);

  return (
    <section className="page import-page">
      <a className="back-link" href={routeHref({ page: 'imports', pageNo: 1 })}>
        ← 返回导入记录
      </a>
      <PageHeader
        title={data ? `导入「${data.fileName}」` : '导入'}
        description="设置每一列对应的内容并校验；有问题的行不会导入，其余的行照常导入"
      />
      {detail.state.status === 'failed' && <ErrorBanner message={detail.state.message} />}
      {data ? (
        <ImportSteps detail={data} loaded={detail} />
      ) : (
        detail.state.status === 'loading' && <p className="card muted">加载中…</p>
      )}
    </section>
  );
}

function ImportSteps({ detail, loaded }: { detail: ImportDetail; loaded: Loaded<ImportDetail> }) {
  const upload = uploadOf(detail.importId);
  return (
    <>
      <section className="card section import-file-card">
        <p>
          <strong>{detail.fileName}</strong>
          <span className="muted">
            {' '}
            · {detail.format.toUpperCase()}
            {upload?.encoding ? `（${upload.encoding.toUpperCase()}）` : ''} · {fileSizeText(detail.sizeBytes)} · 共{' '}
            {detail.rowCount.toLocaleString('zh-CN')} 行数据 · 上传于 {formatDateTime(detail.createdAt)}
          </span>
          <span className={`status import-state import-state-${detail.state}`}>{ImportStateLabels[detail.state]}</span>
        </p>
        {upload?.duplicateOf && (
          <p className="banner banner-warning">
            这个文件之前已导入过（{formatDateTime(upload.duplicateOf.createdAt)}，
            {ImportStateLabels[upload.duplicateOf.state]}）。再次导入是安全的：已导入的积分和储值不会重复入账。
          </p>
        )}
      </section>
      <MappingCard detail={detail} onValidated={loaded.reload} />
      {detail.validation && (
        <ReportCard key={detail.validation.validatedAt} importId={detail.importId} validation={detail.validation} />
      )}
      {detail.validation && <RunCard detail={detail} onStarted={loaded.reload} />}
    </>
  );
}

function MappingCard({ detail, onValidated }: { detail: ImportDetail; onValidated(): void }) {
  const { withToken } = useAuth();
  const { header, importId } = detail;
  const upload = uploadOf(importId);
  const editor = useFormEditor<MappingForm, MappingErrors>(
    () => mappingToForm(header, detail.mapping ?? upload?.suggestedMapping ?? suggestMapping(header)),
    '校验失败，请稍后再试',
  );
  const { form, errors } = editor;
  const locked = isStarted(detail.state);
  const externalMapped = form.columns.includes('externalId');

  async function validate(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    await editor.submit(
      mappingForm(form, header),
      async (body) => {
        const validation = await withToken((token) => mapImport(token, importId, body));
        editor.setDone(`校验完成：${validationText(validation)}`);
        onValidated();
      },
      mappingServerErrors,
    );
  }

  const setColumn = (index: number, value: string) =>
    editor.change(
      (current) => ({
        ...current,
        columns: current.columns.map((field, at) =>
          at === index ? (IMPORT_FIELDS.find((known) => known === value) ?? '') : field,
        ),
      }),
      'columns',
      ...header.map((_, at) => columnKey(at)),
    );

  const preview = upload?.preview ?? [];
  return (
    <form className="card section import-mapping" onSubmit={validate} noValidate>
      <h3 className="section-title">1. 设置列</h3>
      <p className="muted">已按表头自动识别；请确认每一列导入为什么，不需要的列选「不导入」。</p>
      <div className="table-scroll">
        <table className="table import-preview">
          <thead>
            <tr>
              <th>行</th>
              {header.map((name, index) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: a column is its position in the file
                <th key={index} data-path={columnKey(index)}>
                  <div className="muted">
                    {columnLetter(index)} 列 · {name || '（无表头）'}
                  </div>
                  <select
                    className={inputClass(errors[columnKey(index)], 'input-compact import-column')}
                    aria-label={`第 ${columnLetter(index)} 列（${name}）导入为`}
                    aria-invalid={errors[columnKey(index)] ? true : undefined}
                    data-column={index}
                    value={form.columns[index] ?? ''}
                    disabled={locked}
                    onChange={(event) => setColumn(index, event.target.value)}
                  >
                    <option value="">不导入</option>
                    {IMPORT_FIELDS.map((field) => (
                      <option key={field} value={field} title={ImportFieldInfo[field].hint}>
                        {fieldOptionText(field)}
                      </option>
                    ))}
                  </select>
                  <InlineError message={errors[columnKey(index)] ?? null} />
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {preview.length === 0 ? (
              <tr className="table-placeholder">
                <td colSpan={header.length + 1}>预览仅在刚上传时显示；校验结果见下方</td>
              </tr>
            ) : (
              preview.map((row) => (
                <tr key={row.row}>
                  <td className="muted">{row.row}</td>
                  {header.map((_, index) => (
                    // biome-ignore lint/suspicious/noArrayIndexKey: a column is its position in the file
                    <td key={index}>{row.cells[index] ?? ''}</td>
                  ))}
                </tr>
              ))
            )}
          </tbody>
        </table>
      </div>
      <InlineError message={errors.columns ?? null} />
      {externalMapped && (
        <FieldWithError
          path="externalSource"
          label="外部编号来源（原系统名称，字母、数字、下划线或短横线）"
          htmlFor="import-external-source"
          error={errors.externalSource}
        >
          <input id="import-external-source" disabled={locked} {...editor.input('externalSource')} />
        </FieldWithError>
      )}
      <ErrorBanner message={editor.error} />
      <SuccessBanner message={editor.done} />
      {!locked && (
        <div className="form-actions">
          <button className="button button-primary import-validate" type="submit" disabled={editor.busy}>
            {editor.busy ? '校验中…' : detail.validation ? '重新校验' : '校验'}
          </button>
        </div>
      )}
    </form>
  );
}

/** Keyed by the validation (ImportSteps): a new one starts the report over. */
function ReportCard({ importId, validation }: { importId: string; validation: ImportValidation }) {
  const [column, setColumn] = useState<ReportColumn | null>(null);
  const [pageNo, setPageNo] = useState(1);
  const load = useCallback(
    (token: string): Promise<ImportReportPage> => getImportReport(token, importId, { column, pageNo }),
    [importId, column, pageNo],
  );
  const report = useLoad(load);
  const csv = useDownload(() => '下载失败，请稍后再试');
  const page = report.state.data;
  const loading = report.state.status === 'loading';
  const options = reportColumnOptions(validation);

  return (
    <section className="card section import-report" data-bad-rows={validation.badRows}>
      <h3 className="section-title">2. 校验结果</h3>
      <p className="import-validation-summary">{validationText(validation)}</p>
      <p className="muted">
        {validationTotalsText(validation)} · 校验于 {formatDateTime(validation.validatedAt)}
      </p>
      {validation.issues > 0 && (
        <>
          <div className="toolbar">
            <label className="inline-field">
              <span>列</span>
              <select
                className="input input-compact import-report-column"
                value={column ?? ''}
                onChange={(event) => {
                  setColumn(options.find((option) => option.column === event.target.value)?.column ?? null);
                  setPageNo(1);
                }}
              >
                <option value="">全部问题</option>
                {options.map((option) => (
                  <option key={option.column} value={option.column}>
                    {option.text}
                  </option>
                ))}
              </select>
            </label>
            <button
              className="button import-report-csv"
              type="button"
              disabled={csv.busy}
              onClick={() => void csv.run((token) => downloadImportReport(token, importId), '导入问题报告.csv')}
            >
              {csv.busy ? '下载中…' : '下载报告 CSV'}
            </button>
            <InlineError message={csv.error} />
          </div>
          {report.state.status === 'failed' && <ErrorBanner message={report.state.message} />}
          <table className="table import-issues" aria-busy={loading}>
            <thead>
              <tr>
                <th className="num">行</th>
                <th>列</th>
                <th>值</th>
                <th>原因</th>
              </tr>
            </thead>
            <tbody className={loading && page ? 'is-stale' : undefined}>
              <TableRows rows={page?.items ?? null} loading={loading} colSpan={REPORT_COLUMNS} empty="没有问题">
                {(issue) => (
                  <tr
                    key={`${issue.row}-${issue.column ?? 'row'}`}
                    className="import-issue-row"
                    data-row={issue.row}
                    data-column={issue.column ?? 'row'}
                  >
                    <td className="num mono">第 {issue.row} 行</td>
                    <td>
                      {issue.column ? reportColumnText(issue.column) : '整行'}
                      {issue.columnName && <span className="muted">（{issue.columnName}）</span>}
                    </td>
                    <td className="mono">{issue.value === '' ? <span className="muted">（空）</span> : issue.value}</td>
                    <td className="import-issue-reason">{issue.reason}</td>
                  </tr>
                )}
              </TableRows>
            </tbody>
          </table>
          <PageNumbers page={page ?? null} pageNo={pageNo} busy={loading} onChange={setPageNo} />
        </>
      )}
    </section>
  );
}

function RunCard({ detail, onStarted }: { detail: ImportDetail; onStarted(): void }) {
  const { withToken } = useAuth();
  const [dry, setDry] = useState<ImportDryRun | null>(null);
  const dryRun = useAction('试运行失败，请稍后再试');
  const start = useAction('开始导入失败，请稍后再试');
  const { job, validation } = detail;
  const started = isStarted(detail.state);
  const canStart = !started && validation !== null && validation.goodRows > 0;
  const progress = jobProgress(job);

  return (
    <section className="card section import-run" data-state={detail.state}>
      <h3 className="section-title">3. 试运行与导入</h3>
      {!started && (
        <div className="row-actions">
          <button
            className="button import-dry-run"
            type="button"
            disabled={dryRun.busy}
            onClick={() =>
              void dryRun.run(async () => setDry(await withToken((token) => dryRunImport(token, detail.importId))))
            }
          >
            {dryRun.busy ? '试运行中…' : '试运行'}
          </button>
          <button
            className="button button-primary import-start"
            type="button"
            disabled={!canStart || start.busy}
            onClick={() =>
              void start.run(async () => {
                await withToken((token) => startImport(token, detail.importId));
                onStarted();
              })
            }
          >
            {start.busy ? '提交中…' : `开始导入 ${validation?.goodRows.toLocaleString('zh-CN') ?? 0} 行`}
          </button>
        </div>
      )}
      <InlineError message={dryRun.error ?? start.error} />
      {dry && !started && (
        <div className="import-dry-run-result" role="status">
          <p className="muted">试运行（不做任何修改），按当前会员数据：</p>
          <ul>
            {dryRunLines(dry).map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
        </div>
      )}
      {started && (
        <div className="import-progress" data-percent={progress.percent}>
          <progress className="import-progress-bar" max={100} value={progress.percent} aria-label="导入进度" />
          <span className="import-progress-text">
            {progress.percent}% · {progress.text}
          </span>
          {(detail.state === 'done' || detail.state === 'failed') && (
            <p
              className={
                detail.state === 'done' ? 'banner banner-success import-result' : 'banner banner-error import-result'
              }
            >
              {jobResultText(job)}
            </p>
          )}
          {isJobRunning(detail.state) && (
            <p className="muted">导入在后台进行，可离开本页；服务器重启后会从中断处继续。</p>
          )}
        </div>
      )}
    </section>
  );
}
