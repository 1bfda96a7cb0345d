// 规则: the owner edits the whole loyalty rules document (points, tiers, tasks, earn rules) and saves it at once.
import type { Store } from '@member-hub/shared';
import { type FormEvent, type ReactNode, useState } from 'react';
import { getRules, saveRules } from '../../api/loyalty';
import { listStores } from '../../api/stores';
import { useAuth } from '../../auth';
import { inputClass, toggled } from '../../forms';
import { ErrorBanner, FieldWithError, InlineError, PageHeader, RefreshButton, SuccessBanner } from '../../ui';
import { useFormEditor, useFormFrom } from '../../useFormEditor';
import { useLoad } from '../../useLoad';
import {
  EARN_RULE_HINTS,
  EARN_RULE_LABELS,
  type EarnRuleForm,
  type FieldErrors,
  formToRules,
  KNOWN_EARN_RULES,
  type KnownEarnRule,
  newEarnRule,
  type RulesForm,
  rulesToForm,
  serverFieldErrors,
  type TierForm,
  unplacedMessages,
  WEEKDAY_LABELS,
} from './rulesForm';

type Tasks = RulesForm['tasks'];

export function RulesPage() {
  const { withToken } = useAuth();
  const { state, reload, update } = useLoad(getRules);
  const stores = useLoad(listStores);
  const editor = useFormEditor<RulesForm | null, FieldErrors>(null);
  const { form, errors, setErrors, change, done, busy: saving, error } = editor;
  const loaded = state.data;
  // Every load (the first, 刷新, a save's answer) fills the form with the rules as the server has them.
  useFormFrom(editor, loaded, rulesToForm);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!form) return;
    await editor.submit(
      formToRules(form),
      async (body) => {
        const saved = await withToken((token) => saveRules(token, body));
        update(() => saved);
        editor.setDone('规则已保存，新的消费和任务立即按新规则计算');
      },
      serverFieldErrors,
    );
  }

  function resetForm() {
    if (loaded) editor.undo(rulesToForm(loaded));
  }

  const others = form ? unplacedMessages(form, errors) : [];
  return (
    <section className="page rules-page">
      <PageHeader
        title="规则"
        description="积分、等级、任务和积分规则；保存后对新的消费和任务立即生效，已发放的积分不变"
      >
        <RefreshButton loading={state.status === 'loading'} onRefresh={reload} />
      </PageHeader>

      {state.status === 'failed' && <ErrorBanner message={state.message} />}
      {!form && state.status === 'loading' && <p className="card muted">加载中…</p>}

      {form && (
        <form className="rules-form" onSubmit={submit} noValidate>
          <PointsSection form={form} errors={errors} change={change} />
          <TiersSection form={form} errors={errors} change={change} />
          <TasksSection tasks={form.tasks} errors={errors} change={change} />
          <EarnRulesSection
            form={form}
            errors={errors}
            change={change}
            stores={stores.state.data}
            clearRuleErrors={() =>
              setErrors((current) =>
                Object.fromEntries(Object.entries(current).filter(([path]) => !path.startsWith('earnRules'))),
              )
            }
          />

          <div className="card rules-actions">
            {others.length > 0 && (
              <ul className="inline-error rules-other-errors" role="alert">
                {others.map((message) => (
                  <li key={message}>{message}</li>
                ))}
              </ul>
            )}
            <ErrorBanner message={error} />
            <SuccessBanner message={done} />
            <div className="row-actions">
              <button className="button button-primary rules-save" type="submit" disabled={saving}>
                {saving ? '保存中…' : '保存规则'}
              </button>
              <button className="button" type="button" onClick={resetForm} disabled={saving}>
                撤销修改
              </button>
            </div>
          </div>
        </form>
      )}
    </section>
  );
}

interface SectionProps {
  errors: FieldErrors;
  change(next: (form: RulesForm) => RulesForm, ...paths: string[]): void;
}

/** "每消费 ¥1 得 [ 1 ] 积分": a sentence with one input in it, and the input's problem under it. */
function SentenceField({
  path,
  before,
  after,
  value,
  errors,
  onChange,
  inputMode = 'numeric',
}: {
  path: string;
  before: ReactNode;
  after?: ReactNode;
  value: string;
  errors: FieldErrors;
  onChange(value: string): void;
  inputMode?: 'numeric' | 'decimal';
}) {
  const message = errors[path] ?? null;
  return (
    <div className="sentence-field" data-path={path}>
      <label className="sentence-line">
        <span>{before}</span>
        <input
          className={inputClass(message, 'input-number')}
          inputMode={inputMode}
          value={value}
          aria-invalid={message ? true : undefined}
          onChange={(event) => onChange(event.target.value)}
        />
        {after && <span>{after}</span>}
      </label>
      <InlineError message={message} />
    </div>
  );
}

function PointsSection({ form, errors, change }: SectionProps & { form: RulesForm }) {
  const set = (key: 'pointsPerYuan' | 'pointsPerYuanOffset' | 'maxOffset' | 'expiryMonths', path: string) => ({
    value: form[key],
    errors,
    path,
    onChange: (value: string) => change((f) => ({ ...f, [key]: value }), path),
  });
  return (
    <div className="card section rules-section">
      <h3 className="section-title">积分</h3>
      <SentenceField
        before="每消费 ¥1 得"
        after="积分（按实付金额的整元计算）"
        {...set('pointsPerYuan', 'pointsPerYuan')}
      />
      <SentenceField before="" after="积分抵 ¥1" {...set('pointsPerYuanOffset', 'pointsPerYuanOffset')} />
      <SentenceField before="最多抵扣订单金额的" after="%" inputMode="decimal" {...set('maxOffset', 'maxOffsetBp')} />
      <SentenceField before="积分有效期" after="个月（到期月底清零）" {...set('expiryMonths', 'expiryMonths')} />
    </div>
  );
}

function TiersSection({ form, errors, change }: SectionProps & { form: RulesForm }) {
  function setTier(index: number, patch: Partial<TierForm>, path: string) {
    change((f) => ({ ...f, tiers: f.tiers.map((tier, i) => (i === index ? { ...tier, ...patch } : tier)) }), path);
  }
  return (
    <div className="card table-card section rules-section">
      <h3 className="section-title">等级</h3>
      <p className="muted section-hint">
        成长值每实付 ¥1 加 1，达到门槛立即升级；倍率乘在消费积分上（需启用下方的「等级倍率」规则）。
      </p>
      <table className="table rules-tiers">
        <thead>
          <tr>
            <th>等级</th>
            <th>成长值门槛</th>
            <th>积分倍率</th>
            <th>权益（每行一条）</th>
          </tr>
        </thead>
        <tbody>
          {form.tiers.map((tier, i) => (
            <tr key={tier.name} data-tier={tier.name}>
              <td>
                <strong>{tier.name}</strong>
              </td>
              <td>
                <CellInput
                  label={`${tier.name}成长值门槛`}
                  path={`tiers.${i}.threshold`}
                  errors={errors}
                  value={tier.threshold}
                  readOnly={i === 0 && tier.threshold === '0'}
                  onChange={(value) => setTier(i, { threshold: value }, `tiers.${i}.threshold`)}
                />
              </td>
              <td>
                <CellInput
                  label={`${tier.name}积分倍率`}
                  path={`tiers.${i}.multiplierBp`}
                  errors={errors}
                  value={tier.multiplier}
                  suffix="倍"
                  inputMode="decimal"
                  onChange={(value) => setTier(i, { multiplier: value }, `tiers.${i}.multiplierBp`)}
                />
              </td>
              <td>
                <textarea
                  className={inputClass(errors[`tiers.${i}.benefits`], 'rules-benefits')}
                  aria-label={`${tier.name}权益`}
                  rows={Math.max(2, tier.benefits.split('\n').length)}
                  value={tier.benefits}
                  onChange={(event) => setTier(i, { benefits: event.target.value }, `tiers.${i}.benefits`)}
                />
                <InlineError message={errors[`tiers.${i}.benefits`] ?? null} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function CellInput({
  label,
  path,
  errors,
  value,
  suffix,
  readOnly = false,
  inputMode = 'numeric',
  onChange,
}: {
  label: string;
  path: string;
  errors: FieldErrors;
  value: string;
  suffix?: string;
  readOnly?: boolean;
  inputMode?: 'numeric' | 'decimal';
  onChange(value: string): void;
}) {
  const message = errors[path] ?? null;
  return (
    <div data-path={path}>
      <span className="input-with-suffix">
        <input
          className={inputClass(message, 'input-compact input-number')}
          aria-label={label}
          aria-invalid={message ? true : undefined}
          inputMode={inputMode}
          readOnly={readOnly}
          title={readOnly ? '第一个等级的门槛固定为 0' : undefined}
          value={value}
          onChange={(event) => onChange(event.target.value)}
        />
        {suffix && <span className="muted">{suffix}</span>}
      </span>
      <InlineError message={message} />
    </div>
  );
}

function TasksSection({ tasks, errors, change }: SectionProps & { tasks: Tasks }) {
  const field = (key: keyof Tasks, path: string, label: string, suffix: string) => (
    <FieldWithError path={path} label={label} error={errors[path]}>
      <span className="input-with-suffix">
        <input
          className={inputClass(errors[path], 'input-number')}
          inputMode="numeric"
          value={tasks[key]}
          aria-invalid={errors[path] ? true : undefined}
          onChange={(event) => change((f) => ({ ...f, tasks: { ...f.tasks, [key]: event.target.value } }), path)}
        />
        <span className="muted">{suffix}</span>
      </span>
    </FieldWithError>
  );
  return (
    <div className="card section rules-section">
      <h3 className="section-title">任务</h3>
      <div className="rules-task-grid">
        {field('checkInPoints', 'tasks.checkIn.points', '每日签到', '积分')}
        {field('streakDays', 'tasks.checkIn.streakDays', '连续签到满', '天')}
        {field('streakBonus', 'tasks.checkIn.streakBonus', '连续签到额外奖励', '积分')}
        {field('profile', 'tasks.profile', '完善资料（一次）', '积分')}
        {field('phone', 'tasks.phone', '绑定手机（一次）', '积分')}
        {field('sharePoints', 'tasks.share.points', '分享（好友打开后）', '积分/次')}
        {field('sharePerDay', 'tasks.share.perDay', '每日分享最多计', '次')}
        {field('review', 'tasks.review', '订单评价', '积分/单')}
        {field('dailyCap', 'tasks.dailyCap', '每日任务积分上限', '积分')}
      </div>
    </div>
  );
}

function EarnRulesSection({
  form,
  errors,
  change,
  stores,
  clearRuleErrors,
}: SectionProps & { form: RulesForm; stores: Store[] | null; clearRuleErrors(): void }) {
  const [adding, setAdding] = useState<KnownEarnRule>('promotion');

  function setRule(index: number, rule: EarnRuleForm, ...paths: string[]) {
    change((f) => ({ ...f, earnRules: f.earnRules.map((r, i) => (i === index ? rule : r)) }), ...paths);
  }

  function removeRule(index: number) {
    change((f) => ({ ...f, earnRules: f.earnRules.filter((_, i) => i !== index) }));
    clearRuleErrors(); // the rules below move up one place, so their errors would point at the wrong rule
  }

  return (
    <div className="card section rules-section">
      <h3 className="section-title">积分规则</h3>
      <p className="muted section-hint">
        消费积分 = 实付整元 × 每元积分 × 所有生效的倍数，最后向下取整；不计积分的类别先从金额中扣除。
      </p>
      {form.earnRules.length === 0 && <p className="muted">暂无积分规则</p>}
      <ol className="earn-rules">
        {form.earnRules.map((rule, i) => (
          <li key={rule.key} className={rule.enabled ? 'earn-rule' : 'earn-rule is-inactive'} data-type={rule.type}>
            <div className="earn-rule-head">
              <strong>
                {rule.type === 'other' ? `未知规则（${rule.originalType}）` : EARN_RULE_LABELS[rule.type]}
              </strong>
              <label className="checkbox">
                <input
                  type="checkbox"
                  checked={rule.enabled}
                  onChange={(event) => setRule(i, { ...rule, enabled: event.target.checked })}
                />
                <span>启用</span>
              </label>
              <button className="button button-small" type="button" onClick={() => removeRule(i)}>
                删除
              </button>
            </div>
            <p className="muted earn-rule-hint">
              {rule.type === 'other' ? '本页面不认识这种规则，参数会原样保留' : EARN_RULE_HINTS[rule.type]}
            </p>
            <EarnRuleFields rule={rule} index={i} errors={errors} stores={stores} setRule={setRule} />
            <InlineError message={errors[`earnRules.${i}.type`] ?? errors[`earnRules.${i}.params`] ?? null} />
          </li>
        ))}
      </ol>
      <div className="row-actions earn-rule-add">
        <select
          className="input"
          aria-label="新规则类型"
          value={adding}
          onChange={(event) => setAdding(event.target.value as KnownEarnRule)}
        >
          {KNOWN_EARN_RULES.map((type) => (
            <option key={type} value={type}>
              {EARN_RULE_LABELS[type]}
            </option>
          ))}
        </select>
        <button
          className="button"
          type="button"
          disabled={form.earnRules.length >= 20}
          onClick={() => change((f) => ({ ...f, earnRules: [...f.earnRules, newEarnRule(adding)] }))}
        >
          添加规则
        </button>
      </div>
    </div>
  );
}

function RuleField({
  label,
  path,
  errors,
  grow = false,
  children,
}: {
  label: string;
  path: string;
  errors: FieldErrors;
  grow?: boolean;
  children: ReactNode;
}) {
  return (
    <FieldWithError path={path} label={label} className={grow ? 'field field-grow' : 'field'} error={errors[path]}>
      {children}
    </FieldWithError>
  );
}

function EarnRuleFields({
  rule,
  index,
  errors,
  stores,
  setRule,
}: {
  rule: EarnRuleForm;
  index: number;
  errors: FieldErrors;
  stores: Store[] | null;
  setRule(index: number, rule: EarnRuleForm, ...paths: string[]): void;
}) {
  const at = (name: string) => `earnRules.${index}.params.${name}`;
  switch (rule.type) {
    case 'excludeCategories':
      return (
        <div className="form-row">
          <RuleField
            label="商品类别（每行一个，与收银系统的类别编码一致）"
            path={at('categories')}
            errors={errors}
            grow
          >
            <textarea
              className={inputClass(errors[at('categories')])}
              rows={3}
              value={rule.categories}
              onChange={(event) => setRule(index, { ...rule, categories: event.target.value }, at('categories'))}
            />
          </RuleField>
        </div>
      );
    case 'storeRate': {
      const known = stores?.some((store) => store.id === rule.storeId) ?? true;
      return (
        <div className="form-row">
          <RuleField label="门店" path={at('storeId')} errors={errors}>
            <select
              className={inputClass(errors[at('storeId')])}
              value={rule.storeId}
              onChange={(event) => setRule(index, { ...rule, storeId: event.target.value }, at('storeId'))}
            >
              <option value="">请选择门店</option>
              {!known && <option value={rule.storeId}>未知门店 {rule.storeId}</option>}
              {(stores ?? []).map((store) => (
                <option key={store.id} value={store.id}>
                  {store.name}（{store.code}）{store.active ? '' : ' 已停用'}
                </option>
              ))}
            </select>
          </RuleField>
          <RuleField label="倍数" path={at('multiplierBp')} errors={errors}>
            <span className="input-with-suffix">
              <input
                className={inputClass(errors[at('multiplierBp')], 'input-number')}
                inputMode="decimal"
                value={rule.multiplier}
                onChange={(event) => setRule(index, { ...rule, multiplier: event.target.value }, at('multiplierBp'))}
              />
              <span className="muted">倍</span>
            </span>
          </RuleField>
          <RuleField label="会员看到的名称" path={at('label')} errors={errors}>
            <input
              className={inputClass(errors[at('label')])}
              maxLength={20}
              placeholder="门店加倍"
              value={rule.label}
              onChange={(event) => setRule(index, { ...rule, label: event.target.value }, at('label'))}
            />
          </RuleField>
        </div>
      );
    }
    case 'promotion':
      return (
        <div className="form-row">
          <RuleField label="活动名称" path={at('label')} errors={errors}>
            <input
              className={inputClass(errors[at('label')])}
              maxLength={20}
              placeholder="例如：周三会员日"
              value={rule.label}
              onChange={(event) => setRule(index, { ...rule, label: event.target.value }, at('label'))}
            />
          </RuleField>
          <RuleField label="倍数" path={at('multiplierBp')} errors={errors}>
            <span className="input-with-suffix">
              <input
                className={inputClass(errors[at('multiplierBp')], 'input-number')}
                inputMode="decimal"
                value={rule.multiplier}
                onChange={(event) => setRule(index, { ...rule, multiplier: event.target.value }, at('multiplierBp'))}
              />
              <span className="muted">倍</span>
            </span>
          </RuleField>
          <RuleField label="开始日期（选填）" path={at('from')} errors={errors}>
            <input
              className={inputClass(errors[at('from')])}
              type="date"
              value={rule.from}
              onChange={(event) => setRule(index, { ...rule, from: event.target.value }, at('from'), at('to'))}
            />
          </RuleField>
          <RuleField label="结束日期（选填）" path={at('to')} errors={errors}>
            <input
              className={inputClass(errors[at('to')])}
              type="date"
              value={rule.to}
              onChange={(event) => setRule(index, { ...rule, to: event.target.value }, at('to'))}
            />
          </RuleField>
          <div className="field" data-path={at('weekdays')}>
            <span>星期（不选 = 每天）</span>
            <div className="weekday-picks">
              {WEEKDAY_LABELS.map((label, i) => {
                const day = i + 1;
                const checked = rule.weekdays.includes(day);
                return (
                  <label key={label} className="checkbox">
                    <input
                      type="checkbox"
                      checked={checked}
                      onChange={() =>
                        setRule(index, { ...rule, weekdays: toggled(rule.weekdays, day, !checked) }, at('weekdays'))
                      }
                    />
                    <span>周{label}</span>
                  </label>
                );
              })}
            </div>
            <InlineError message={errors[at('weekdays')] ?? null} />
          </div>
        </div>
      );
    case 'tierMultiplier':
      return null;
    case 'other':
      return <pre className="mono earn-rule-raw">{JSON.stringify(rule.params, null, 2)}</pre>;
  }
}
