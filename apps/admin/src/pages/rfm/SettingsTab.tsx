// 设置: the RFM window, the churn factor and the orders a member needs before a churn warning means anything.
// Saved at once (PUT, the whole object); the next run (daily, or 立即重算) uses them.
import type { FormEvent, ReactNode } from 'react';
import { saveRfmSettings } from '../../api/rfm';
import { useAuth } from '../../auth';
import { ErrorBanner, FieldWithError, RefreshButton, SuccessBanner } from '../../ui';
import { useFormEditor, useFormFrom } from '../../useFormEditor';
import { useLoad } from '../../useLoad';
import { loadSettings, MISSING_TEXT } from './loaders';
import {
  type RfmSettingsErrors,
  type RfmSettingsField,
  type RfmSettingsForm,
  rfmServerErrors,
  rfmSettingsForm,
  rfmSettingsToForm,
} from './rfmForms';

export function SettingsTab() {
  const { withToken } = useAuth();
  const settings = useLoad(loadSettings);
  const editor = useFormEditor<RfmSettingsForm | null, RfmSettingsErrors>(null);
  const { form, errors, input, done, busy: saving, error } = editor;
  const loaded = settings.state.data;
  useFormFrom(editor, loaded, rfmSettingsToForm);

  if (settings.state.status === 'ready' && loaded === null) {
    return <p className="card muted coming-soon">{MISSING_TEXT}</p>;
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!form) return;
    await editor.submit(
      rfmSettingsForm(form),
      async (body) => {
        const saved = await withToken((token) => saveRfmSettings(token, body));
        settings.update(() => saved);
        editor.setDone('设置已保存，下次计算（每日自动或「立即重算」）时生效');
      },
      rfmServerErrors,
    );
  }

  const field = (name: RfmSettingsField, label: string, suffix: string, hint: string): ReactNode => (
    <FieldWithError path={name} label={label} htmlFor={`rfm-${name}`} error={errors[name]}>
      <span className="input-with-suffix">
        <input id={`rfm-${name}`} {...input(name, `input-number rfm-setting-${name}`)} inputMode="decimal" />
        <span>{suffix}</span>
      </span>
      <span className="field-hint muted">{hint}</span>
    </FieldWithError>
  );

  return (
    <>
      <div className="toolbar">
        <RefreshButton loading={settings.state.status === 'loading'} onRefresh={settings.reload} />
      </div>
      {settings.state.status === 'failed' && <ErrorBanner message={settings.state.message} />}
      {!form && settings.state.status === 'loading' && <p className="card muted">加载中…</p>}
      {form && (
        <form className="card rfm-settings-form" onSubmit={submit} noValidate>
          <div className="form-stack">
            {field('windowDays', '统计窗口', '天', '只看这段时间内的有效订单（30 天到 3 年）')}
            {field(
              'churnFactor',
              '流失倍数',
              '倍',
              '距上次消费超过“平常间隔 × 倍数”即预警，例如 2 表示比平常晚一倍还没来（1.0–10.0）',
            )}
            {field('churnMinOrders', '最少订单数', '笔', '窗口内至少这么多笔订单才计算平常间隔（至少 2 笔）')}
          </div>
          <ErrorBanner message={error} />
          <SuccessBanner message={done} />
          <div className="row-actions">
            <button className="button button-primary rfm-settings-save" type="submit" disabled={saving}>
              {saving ? '保存中…' : '保存设置'}
            </button>
            <button
              className="button"
              type="button"
              disabled={saving || !loaded}
              onClick={() => {
                if (loaded) editor.undo(rfmSettingsToForm(loaded));
              }}
            >
              撤销修改
            </button>
          </div>
        </form>
      )}
    </>
  );
}
