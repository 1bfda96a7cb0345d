// 礼券设置: which template each tier gets on the birthday and on the first of each month, and the invite-a-friend
// reward with its anti-abuse limits. Saved at once (PUT), like the rules.
import type { CouponSettings, CouponTemplate } from '@member-hub/shared';
import { type FormEvent, type ReactNode, useEffect, useState } from 'react';
import { saveCouponSettings } from '../../api/coupons';
import { useAuth } from '../../auth';
import { ErrorBanner, FormField, InlineError, RefreshButton, SuccessBanner } from '../../ui';
import { useAction } from '../../useAction';
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

export function SettingsTab() {
  const { withToken } = useAuth();
  const settings = useLoad(loadSettings);
  const templates = useLoad(loadTemplates);
  const [form, setForm] = useState<SettingsForm | null>(null);
  const [errors, setErrors] = useState<SettingsErrors>({});
  const [done, setDone] = useState<string | null>(null);
  const { busy: saving, error, setError, run } = useAction('保存失败，请稍后再试');
  const loaded = settings.state.data;

  // Every load (the first, 刷新, a save's answer) fills the form with the settings as the server has them.
  const [formOf, setFormOf] = useState<CouponSettings | null>(null);
  useEffect(() => {
    if (loaded && loaded !== formOf) {
      setForm(settingsToForm(loaded));
      setFormOf(loaded);
      setErrors({});
    }
  }, [loaded, formOf]);

  const missing = [settings, templates].some(({ state }) => state.status === 'ready' && state.data === null);
  if (missing) return <p className="card muted coming-soon">{MISSING_TEXT}</p>;

  function change(next: (form: SettingsForm) => SettingsForm, field?: SettingsField) {
    setForm((current) => (current ? next(current) : current));
    setDone(null);
    if (field && field in errors) {
      setErrors((current) => {
        const rest = { ...current };
        delete rest[field];
        return rest;
      });
    }
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!form) return;
    setDone(null);
    const result = settingsForm(form);
    if (!result.ok) {
      setErrors(result.errors);
      setError(`有 ${Object.keys(result.errors).length} 处需要修改，请查看标红的项`);
      return;
    }
    setErrors({});
    await run(async () => {
      const saved = await withToken((token) => saveCouponSettings(token, result.body));
      settings.update(() => saved);
      setDone('礼券设置已保存');
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
                  <th>生日礼券</th>
                  <th>每月礼券</th>
                </tr>
              </thead>
              <tbody>
                {form.tierGifts.map((row, index) => (
                  <tr key={row.tier} className="tier-gift-row" data-tier={row.tier}>
                    <td>{row.tier}</td>
                    <td>
                      <TemplateSelect
                        className="tier-birthday"
                        label={`${row.tier}生日礼券`}
                        templates={templateList}
                        value={row.birthdayTemplateId}
                        none="不发"
                        onChange={(value) =>
                          change((current) => ({
                            ...current,
                            tierGifts: current.tierGifts.map((gift, at) =>
                              at === index ? { ...gift, birthdayTemplateId: value } : gift,
                            ),
                          }))
                        }
                      />
                    </td>
                    <td>
                      <TemplateSelect
                        className="tier-monthly"
                        label={`${row.tier}每月礼券`}
                        templates={templateList}
                        value={row.monthlyTemplateId}
                        none="不发"
                        onChange={(value) =>
                          change((current) => ({
                            ...current,
                            tierGifts: current.tierGifts.map((gift, at) =>
                              at === index ? { ...gift, monthlyTemplateId: value } : gift,
                            ),
                          }))
                        }
                      />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>

          <ReferralSettings form={form} errors={errors} templates={templateList} change={change} />

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
                  if (!loaded) return;
                  setForm(settingsToForm(loaded));
                  setErrors({});
                  setError(null);
                  setDone(null);
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
  errors,
  templates,
  change,
}: {
  form: SettingsForm;
  errors: SettingsErrors;
  templates: readonly CouponTemplate[];
  change(next: (form: SettingsForm) => SettingsForm, field?: SettingsField): void;
}) {
  const number = (name: SettingsField, label: string, id: string, suffix: string): ReactNode => (
    <div className="field" data-path={name}>
      <FormField label={label} htmlFor={id}>
        <span className="input-with-suffix">
          <input
            id={id}
            className={errors[name] ? 'input input-number is-invalid' : 'input input-number'}
            inputMode="numeric"
            aria-invalid={errors[name] ? true : undefined}
            value={form[name]}
            onChange={(event) => {
              const value = event.target.value;
              change((current) => ({ ...current, [name]: value }), name);
            }}
          />
          <span>{suffix}</span>
        </span>
      </FormField>
      <InlineError message={errors[name] ?? null} />
    </div>
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
            onChange={(event) => {
              const enabled = event.target.checked;
              change((current) => ({ ...current, referralEnabled: enabled }));
            }}
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
            onChange={(value) => change((current) => ({ ...current, rewardTemplateId: value }))}
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
