// 导入: upload a CSV or Excel file of members (picked or dropped), then set its columns on the import's own page;
// the past imports, newest first, paged by the server.
import { type ImportList, ImportStateLabels } from '@member-hub/shared';
import { type DragEvent, useCallback, useId, useState } from 'react';
import { listImports, uploadImport } from '../../api/imports';
import { useAuth } from '../../auth';
import { formatDateTime } from '../../format';
import { navigate, type Route, routeHref } from '../../route';
import { ErrorBanner, FormField, PageHeader, PageNumbers, RefreshButton, TableRows } from '../../ui';
import { useAction } from '../../useAction';
import { useLoad } from '../../useLoad';
import { ACCEPTED_FILES, fileProblem, fileSizeText, jobProgress } from './importForms';
import { rememberUpload } from './uploads';

type ImportsRoute = Extract<Route, { page: 'imports' }>;

const COLUMNS = 5;

export function ImportsPage({ route }: { route: ImportsRoute }) {
  const { pageNo } = route;
  const load = useCallback((token: string): Promise<ImportList> => listImports(token, pageNo), [pageNo]);
  const { state, reload } = useLoad(load);
  const page = state.data;
  const loading = state.status === 'loading';

  return (
    <section className="page imports-page">
      <PageHeader
        title="导入会员"
        description="从原有系统或表格导入会员、期初积分和储值余额；可先校验、试运行，再正式导入"
      >
        <RefreshButton loading={loading} onRefresh={reload} />
      </PageHeader>
      <UploadCard />

      {state.status === 'failed' && <ErrorBanner message={state.message} />}
      <div className="card table-card" aria-busy={loading}>
        <div className="section-header table-card-header">
          <h3 className="section-title">导入记录</h3>
        </div>
        <table className="table import-table">
          <thead>
            <tr>
              <th>文件</th>
              <th className="num">行数</th>
              <th>状态</th>
              <th>进度</th>
              <th>上传时间</th>
            </tr>
          </thead>
          <tbody>
            <TableRows rows={page?.items ?? null} loading={loading} colSpan={COLUMNS} empty="还没有导入过">
              {(item) => (
                <tr key={item.importId} className="import-row" data-id={item.importId} data-state={item.state}>
                  <td>
                    <a href={routeHref({ page: 'import', id: item.importId })}>{item.fileName}</a>
                    <div className="muted">
                      {item.format.toUpperCase()} · {fileSizeText(item.sizeBytes)}
                    </div>
                  </td>
                  <td className="num">{item.rowCount.toLocaleString('zh-CN')}</td>
                  <td className="nowrap">
                    <span className={`status import-state import-state-${item.state}`}>
                      {ImportStateLabels[item.state]}
                    </span>
                  </td>
                  <td className="muted">{item.job.startedAt ? jobProgress(item.job).text : '—'}</td>
                  <td className="nowrap">{formatDateTime(item.createdAt)}</td>
                </tr>
              )}
            </TableRows>
          </tbody>
        </table>
        <PageNumbers
          page={page ?? null}
          pageNo={pageNo}
          busy={loading}
          onChange={(next) => navigate({ page: 'imports', pageNo: next })}
        />
      </div>
    </section>
  );
}

/** A file picked with the input (the keyboard way) or dropped on the card; uploaded at once. */
function UploadCard() {
  const { withToken } = useAuth();
  const inputId = useId();
  const [dragging, setDragging] = useState(false);
  const upload = useAction('上传失败，请稍后再试');

  async function send(file: File | undefined) {
    if (!file) return;
    const problem = fileProblem(file);
    if (problem) {
      upload.setError(problem);
      return;
    }
    await upload.run(async () => {
      const answer = await withToken((token) => uploadImport(token, file, file.name));
      rememberUpload(answer);
      navigate({ page: 'import', id: answer.importId });
    });
  }

  function onDrop(event: DragEvent<HTMLElement>) {
    event.preventDefault();
    setDragging(false);
    void send(event.dataTransfer.files[0]);
  }

  return (
    <section
      className={dragging ? 'card section import-drop is-dragging' : 'card section import-drop'}
      aria-label="上传文件"
      aria-busy={upload.busy}
      onDragOver={(event) => {
        event.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={onDrop}
    >
      <h3 className="section-title">上传文件</h3>
      <p className="muted">
        把 CSV 或
        Excel（.xlsx）文件拖到这里，或选择文件。第一行为表头；需要手机号或原会员编号一列，可带姓名、生日、积分、储值余额、等级。
      </p>
      <FormField label="选择文件" htmlFor={inputId}>
        <input
          id={inputId}
          className="import-file"
          type="file"
          accept={ACCEPTED_FILES}
          disabled={upload.busy}
          onChange={(event) => {
            void send(event.target.files?.[0]);
            event.target.value = '';
          }}
        />
      </FormField>
      {upload.busy && (
        <p className="muted" role="status">
          上传中…
        </p>
      )}
      <ErrorBanner message={upload.error} />
    </section>
  );
}
