// The rule builder of a rule tag: one row per condition (its kind, then that kind's own fields, each with its problem
// next to it), 添加条件, and the sentence the rule reads as.
import { RfmClassInfo, type Store, TagConditionInfo, TierNames } from '@member-hub/shared';
import { inputClass } from '../../forms';
import { CheckGroup, InlineError } from '../../ui';
import { RFM_CLASSES } from '../rfm/rfmForms';
import {
  COMPARISON_LABELS,
  CONDITION_FIELDS,
  CONDITION_KINDS,
  type ConditionField,
  type ConditionForm,
  conditionKey,
  conditionKeys,
  emptyCondition,
  MAX_CONDITIONS,
  type RuleNames,
  ruleSentence,
  type TagErrors,
} from './tagForms';

const TIER_OPTIONS = TierNames.map((tier) => [tier, tier] as const);
const RFM_OPTIONS = RFM_CLASSES.map((rfmClass) => [rfmClass, RfmClassInfo[rfmClass].name] as const);
const MONTH_OPTIONS = Array.from({ length: 12 }, (_, index) => [index + 1, `${index + 1} 月`] as const);

export function RuleBuilder({
  conditions,
  errors,
  stores,
  onChange,
}: {
  conditions: readonly ConditionForm[];
  errors: TagErrors;
  stores: readonly Store[];
  /** The new list, and the fields whose problems go (`conditions.<i>.<field>`, or all of them on a removal). */
  onChange(conditions: ConditionForm[], ...fields: string[]): void;
}) {
  const names: RuleNames = { store: (id) => stores.find((store) => store.id === id)?.name };
  const allFields = conditions.flatMap((_, index) => conditionKeys(index));
  return (
    <fieldset className="field rule-builder" data-path="conditions">
      <legend>规则（同时满足以下全部条件的会员带此标签）</legend>
      <ol className="rule-conditions">
        {conditions.map((condition, index) => (
          <ConditionRow
            // Rows have no id of their own; a removal re-keys the ones after it, which only resets focus.
            // biome-ignore lint/suspicious/noArrayIndexKey: see above
            key={index}
            index={index}
            condition={condition}
            errors={errors}
            stores={stores}
            onChange={(next, ...fields) =>
              onChange(
                conditions.map((row, at) => (at === index ? next : row)),
                ...fields,
              )
            }
            onRemove={() =>
              onChange(
                conditions.filter((_, at) => at !== index),
                'conditions',
                ...allFields,
              )
            }
          />
        ))}
      </ol>
      <InlineError message={errors.conditions ?? null} />
      <div className="row-actions">
        <button
          className="button button-small rule-add"
          type="button"
          disabled={conditions.length >= MAX_CONDITIONS}
          onClick={() => onChange([...conditions, emptyCondition()], 'conditions')}
        >
          添加条件
        </button>
        <span className="muted">最多 {MAX_CONDITIONS} 个条件</span>
      </div>
      <p className="sentence-line rule-sentence" aria-live="polite">
        <span className="muted">规则：</span>
        {ruleSentence(conditions, names)}
      </p>
    </fieldset>
  );
}

function ConditionRow({
  index,
  condition,
  errors,
  stores,
  onChange,
  onRemove,
}: {
  index: number;
  condition: ConditionForm;
  errors: TagErrors;
  stores: readonly Store[];
  onChange(next: ConditionForm, ...fields: string[]): void;
  onRemove(): void;
}) {
  const id = (field: string) => `condition-${index}-${field}`;
  const error = (field: ConditionField) => errors[conditionKey(index, field)];
  const set = <K extends keyof ConditionForm>(field: K, value: ConditionForm[K]) =>
    onChange({ ...condition, [field]: value }, conditionKey(index, field as ConditionField));
  const info = TagConditionInfo[condition.kind];

  const whole = (field: 'days' | 'count' | 'min' | 'max' | 'amount', label: string, placeholder = '') => (
    <span className="inline-field">
      <input
        id={id(field)}
        className={inputClass(error(field), 'input-number input-compact')}
        aria-label={label}
        aria-invalid={error(field) ? true : undefined}
        inputMode={field === 'amount' ? 'decimal' : 'numeric'}
        placeholder={placeholder}
        value={condition[field]}
        onChange={(event) => set(field, event.target.value)}
      />
    </span>
  );
  const days = (before = '近', after = '天') => (
    <>
      <span>{before}</span>
      {whole('days', '天数')}
      <span>{after}</span>
    </>
  );
  const comparison = (
    <select
      className="input input-compact"
      aria-label="比较方式"
      value={condition.op}
      onChange={(event) => set('op', event.target.value === 'lte' ? 'lte' : 'gte')}
    >
      {(['gte', 'lte'] as const).map((op) => (
        <option key={op} value={op}>
          {COMPARISON_LABELS[op]}
        </option>
      ))}
    </select>
  );

  const fields = (() => {
    switch (condition.kind) {
      case 'spend':
        return (
          <>
            {days()}
            <span>消费</span>
            {comparison}
            <span>¥</span>
            {whole('amount', '金额（元）', '例如 2000')}
          </>
        );
      case 'visits':
        return (
          <>
            {days()}
            <span>消费</span>
            {comparison}
            {whole('count', '次数')}
            <span>次</span>
          </>
        );
      case 'couponsUsed':
        return (
          <>
            {days()}
            <span>用券</span>
            {comparison}
            {whole('count', '张数')}
            <span>张</span>
          </>
        );
      case 'tier':
        return (
          <CheckGroup
            legend="等级为以下之一"
            className="condition-tier"
            options={TIER_OPTIONS}
            value={condition.tiers}
            onChange={(tiers) => set('tiers', tiers)}
          />
        );
      case 'points':
        return (
          <>
            <span>积分在</span>
            {whole('min', '积分下限', '不限')}
            <span>至</span>
            {whole('max', '积分上限', '不限')}
            <span>之间</span>
          </>
        );
      case 'birthdayMonth':
        return (
          <CheckGroup
            legend="生日月份"
            className="condition-month"
            options={MONTH_OPTIONS}
            value={condition.months}
            onChange={(months) => set('months', months)}
          />
        );
      case 'store':
        return (
          <>
            {days('近', '天在以下门店消费过')}
            <CheckGroup
              legend="门店"
              className="condition-store"
              options={stores.map(
                (store) => [store.id, store.active ? store.name : `${store.name}（已停用）`] as const,
              )}
              value={condition.storeIds}
              onChange={(storeIds) => set('storeIds', storeIds)}
            />
          </>
        );
      case 'rfmClass':
        return (
          <CheckGroup
            legend="RFM 分类为以下之一"
            className="condition-rfm"
            options={RFM_OPTIONS}
            value={condition.classes}
            onChange={(classes) => set('classes', classes)}
          />
        );
      case 'joinedWithin':
        return days('近', '天内注册成为会员');
      case 'hasPhone':
        return (
          <select
            className="input input-compact"
            aria-label="是否绑定手机号"
            value={condition.has ? 'yes' : 'no'}
            onChange={(event) => set('has', event.target.value === 'yes')}
          >
            <option value="yes">已绑定手机号</option>
            <option value="no">未绑定手机号</option>
          </select>
        );
    }
  })();

  const problems = CONDITION_FIELDS.map(error).filter((message): message is string => Boolean(message));

  return (
    <li className="rule-condition" data-kind={condition.kind} data-index={index}>
      <div className="rule-condition-head">
        <select
          id={id('kind')}
          className="input input-compact condition-kind"
          aria-label={`第 ${index + 1} 个条件的类型`}
          value={condition.kind}
          onChange={(event) => {
            const kind = CONDITION_KINDS.find((known) => known === event.target.value);
            // A new kind asks for other fields: the old ones' problems go.
            if (kind) onChange({ ...condition, kind }, ...conditionKeys(index));
          }}
        >
          {CONDITION_KINDS.map((kind) => (
            <option key={kind} value={kind}>
              {TagConditionInfo[kind].label}
            </option>
          ))}
        </select>
        <span className="muted">{info.hint}</span>
        <button
          className="button button-text button-small rule-remove"
          type="button"
          aria-label={`删除第 ${index + 1} 个条件`}
          onClick={onRemove}
        >
          删除
        </button>
      </div>
      <div className="rule-condition-fields">{fields}</div>
      {problems.map((message) => (
        <InlineError key={message} message={message} />
      ))}
    </li>
  );
}
