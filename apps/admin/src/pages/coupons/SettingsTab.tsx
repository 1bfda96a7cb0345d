// 礼券设置: which template each tier gets on the birthday and on the first of each month, and the invite-a-friend
// reward with its anti-abuse limits. Saved at once (PUT), like the rules.
import type { CouponTemplate } from '@member-hub/shared';
import type { FormEvent, ReactNode } from 'react';
import { saveCouponSettings } from '../../api/coupons';
import { useAuth } from '../../auth';
import { ErrorBanner, FieldWithError, FormField, RefreshButton, SuccessBanner } from '../../ui';
import { type FormEditor, useFormEditor, useFormFrom } from '../../useFormEditor';
import { useLoad } from '../../useLoad';
import {
  type SettingsErrors,
  type SettingsField,
  type SettingsForm,
  settingsForm,
  settingsToForm,
  templateOptionText,
} from './couponForms';
import { loadSettings, loadTemplates, MISSING_TEXT } from './loaders';

/** The two gifts of each tier: the columns of 等级礼券. */
const GIFTS = [
  { key: 'birthdayTemplateId', className: 'tier-birthday', label: '生日礼券' },
  { key: 'monthlyTemplateId', className: 'tier-monthly', label: '每月礼券' },
] as const;

export function SettingsTab() {
  const { withToken } = useAuth();
  const settings = useLoad(loadSettings);
  const templates = useLoad(loadTemplates);
  const editor = useFormEditor<SettingsForm | null, SettingsErrors>(null);
  const { form, change, done, busy: saving, error } = editor;
  const loaded = settings.state.data;
  // Every load (the first, 刷新, a save's answer) fills the form with the settings as the server has them.
  useFormFrom(editor, loaded, settingsToForm);

  const missing = [settings, templates].some(({ state }) => state.status === 'ready' && state.data === null);
  if (missing) return <p className="card muted coming-soon">{MISSING_TEXT}</p>;

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!form) return;
    await editor.submit(settingsForm(form), async (body) => {
      const saved = await withToken((token) => saveCouponSettings(token, body));
      settings.update(() => saved);
      editor.setDone('礼券设置已保存');
    });
  }

  const templateList = templates.state.data ?? [];
  return (
    <>
      <div className="toolbar">
        <RefreshButton
          loading={settings.state.status === 'loading' || templates.state.status === 'loading'}
          onRefresh={() => {
            settings.reload();
            templates.reload();
          }}
        />
      </div>
      {settings.state.status === 'failed' && <ErrorBanner message={settings.state.message} />}
      {templates.state.status === 'failed' && <ErrorBanner message={templates.state.message} />}
      {!form && settings.state.status === 'loading' && <p className="card muted">加载中…</p>}

      {form && (
        <form className="coupon-settings-form rules-form" onSubmit={submit} noValidate>
          <div className="card table-card">
            <div className="table-card-header">
              <h3 className="section-title">等级礼券</h3>
              <p className="muted">生日礼券在生日前 7 天发放；月礼券在每月 1 日发放。</p>
            </div>
            <table className="table tier-gifts">
              <thead>
                <tr>
                  <th>等级</th>
                  {GIFTS.map(({ key, label }) => (
                    <th key={key}>{label}</th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {form.tierGifts.map((row, index) => (
                  <tr key={row.tier} className="tier-gift-row" data-tier={row.tier}>
                    <td>{row.tier}</td>
                    {GIFTS.map(({ key, className, label }) => (
                      <td key={key}>
                        <TemplateSelect
                          className={className}
                          label={`${row.tier}${label}`}
                          templates={templateList}
                          value={row[key]}
                          none="不发"
                          onChange={(value) =>
                            change((current) => ({
                              ...current,
                              tierGifts: current.tierGifts.map((gift, at) =>
                                at === index ? { ...gift, [key]: value } : gift,
                              ),
                            }))
                          }
                        />
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>

          <ReferralSettings form={form} templates={templateList} editor={editor} />

          <div className="card rules-actions">
            <ErrorBanner message={error} />
            <SuccessBanner message={done} />
            <div className="row-actions">
              <button className="button button-primary coupon-settings-save" type="submit" disabled={saving}>
                {saving ? '保存中…' : '保存设置'}
              </button>
              <button
                className="button"
                type="button"
                disabled={saving || !loaded}
                onClick={() => {
                  if (loaded) editor.undo(settingsToForm(loaded));
                }}
              >
                撤销修改
              </button>
            </div>
          </div>
        </form>
      )}
    </>
  );
}

/** A template or `none`; a chosen template that is switched off still shows (marked 已停用). */
function TemplateSelect({
  className,
  id,
  label,
  templates,
  value,
  none,
  onChange,
}: {
  className: string;
  id?: string;
  label: string;
  templates: readonly CouponTemplate[];
  value: string;
  none: string;
  onChange(value: string): void;
}) {
  const shown = templates.filter((template) => template.active || template.id === value);
  const unknown = value !== '' && !templates.some((template) => template.id === value);
  return (
    <select
      id={id}
      className={`input ${className}`}
      aria-label={label}
      value={value}
      onChange={(event) => onChange(event.target.value)}
    >
      <option value="">{none}</option>
      {shown.map((template) => (
        <option key={template.id} value={template.id}>
          {templateOptionText(template)}
        </option>
      ))}
      {unknown && <option value={value}>（模板已不存在）</option>}
    </select>
  );
}

function ReferralSettings({
  form,
  templates,
  editor,
}: {
  form: SettingsForm;
  templates: readonly CouponTemplate[];
  editor: FormEditor<SettingsForm | null, SettingsErrors>;
}) {
  const { errors, set, input } = editor;
  const number = (name: SettingsField, label: string, id: string, suffix: string): ReactNode => (
    <FieldWithError path={name} label={label} htmlFor={id} error={errors[name]}>
      <span className="input-with-suffix">
        <input id={id} {...input(name, 'input-number')} inputMode="numeric" />
        <span>{suffix}</span>
      </span>
    </FieldWithError>
  );

  return (
    <div className="card referral-settings">
      <h3 className="section-title">邀请有礼</h3>
      <div className="form-stack">
        <label className="checkbox">
          <input
            id="referral-enabled"
            type="checkbox"
            checked={form.referralEnabled}
            onChange={(event) => set('referralEnabled', event.target.checked)}
          />
          <span>开启邀请有礼（会员可以分享邀请码邀请新会员）</span>
        </label>
        <FormField label="奖励券（邀请人和新会员各得一张，在新会员首笔消费后发放）" htmlFor="referral-reward">
          <TemplateSelect
            className="referral-reward"
            id="referral-reward"
            label="奖励券"
            templates={templates}
            value={form.rewardTemplateId}
            none="不发奖励"
            onChange={(value) => set('rewardTemplateId', value)}
          />
        </FormField>
        {form.referralEnabled && form.rewardTemplateId === '' && (
          <p className="banner banner-warning referral-no-reward">未选择奖励券：邀请只记录关系，不发奖励。</p>
        )}
        <div className="form-row">
          {number('holdDays', '奖励冻结天数（期间退款则奖励作废）', 'referral-hold-days', '天')}
          {number('dailyLimit', '每人每日最多邀请', 'referral-daily-limit', '人')}
          {number('acceptWithinHours', '注册后多久内可接受邀请', 'referral-accept-hours', '小时')}
        </div>
      </div>
    </div>
  );
}
