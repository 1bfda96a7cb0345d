// 券模板: every template with what it did (issued, claimed, used, 核销率, the sales it brought), and the editor
// with the live preview of the coupon as members will see it.
import {
  type CouponKind,
  CouponKindLabels,
  type CouponTemplate,
  couponFace,
  formatFen,
  formatPoints,
  type Store,
} from '@member-hub/shared';
import type { ReactNode } from 'react';
import { createCouponTemplate, updateCouponTemplate } from '../../api/coupons';
import { listStores } from '../../api/stores';
import { CatalogueDialog, CatalogueTable, ShelfCells, useCatalogue, useItemEditor } from '../../catalogue';
import { toggled } from '../../forms';
import { ErrorBanner, FieldWithError, FormField, InlineError, OrDash, RefreshButton } from '../../ui';
import type { TextInputProps } from '../../useFormEditor';
import { type LoadState, useLoad } from '../../useLoad';
import {
  COUPON_KINDS,
  type CouponField,
  type CouponPreview,
  type CouponTemplateForm,
  couponPreview,
  couponTemplateForm,
  emptyCouponForm,
  redemptionText,
  stockText,
  templateServerErrors,
  templateToForm,
} from './couponForms';
import { loadTemplates, MISSING_TEXT } from './loaders';

const COLUMNS = 11;

const NO_STATS = { issued: 0, claimed: 0, used: 0, redemptionRateBp: 0, salesFen: 0 };

/**
 * Save answers leave the stats out: an edited row keeps the ones it had rather than showing dashes, and a new
 * template has issued nothing yet.
 */
function withStats(saved: CouponTemplate, before: CouponTemplate | null): CouponTemplate {
  if (saved.stats) return saved;
  if (!before) return { ...saved, stats: NO_STATS };
  return before.stats ? { ...saved, stats: before.stats } : saved;
}

export function TemplatesTab() {
  const templates = useLoad(loadTemplates);
  const stores = useLoad(listStores);
  const catalogue = useCatalogue(templates, (template) => template.title, { newFirst: true });

  return (
    <>
      <div className="toolbar">
        <RefreshButton
          loading={templates.state.status === 'loading'}
          onRefresh={() => {
            templates.reload();
            stores.reload();
          }}
        />
      </div>
      <CatalogueTable
        catalogue={catalogue}
        missingText={MISSING_TEXT}
        header={
          <div className="section-header table-card-header">
            <h3 className="section-title">券模板</h3>
            <button
              className="button button-primary coupon-template-new"
              type="button"
              onClick={() => catalogue.edit('new')}
            >
              新增券模板
            </button>
          </div>
        }
        tableClassName="coupon-templates"
        columns={
          <>
            <th>名称</th>
            <th>类型</th>
            <th>券面</th>
            <th className="num">剩余 / 总量</th>
            <th className="num">已发</th>
            <th className="num">领取</th>
            <th className="num">已用</th>
            <th className="num">核销率</th>
            <th className="num">带动销售</th>
            <th>状态</th>
            <th className="actions-col">操作</th>
          </>
        }
        colSpan={COLUMNS}
        empty="暂无券模板，点击「新增券模板」，例如 满 ¥100 减 ¥20"
        row={(template, onEdit, onSaved) => (
          <TemplateRow template={template} onEdit={onEdit} onSaved={(saved) => onSaved(withStats(saved, template))} />
        )}
        dialog={(template, onClose, onSaved) => (
          <TemplateDialog
            template={template}
            stores={stores.state}
            onClose={onClose}
            onSaved={(saved) => onSaved(withStats(saved, template))}
          />
        )}
      />
    </>
  );
}

function TemplateRow({
  template,
  onEdit,
  onSaved,
}: {
  template: CouponTemplate;
  onEdit(): void;
  onSaved(template: CouponTemplate): void;
}) {
  const face = couponFace(template);
  const { stats } = template;
  const stat = (value: ReactNode) => (stats ? value : <span className="muted">—</span>);
  return (
    <tr className={template.active ? 'coupon-template-row' : 'coupon-template-row is-inactive'} data-id={template.id}>
      <td>
        <strong className="coupon-template-title">{template.title}</strong>
        {template.systemKey && (
          <span className="tag tag-kept coupon-system-tag" title="礼券设置中使用的系统模板">
            系统
          </span>
        )}
        {template.claimable && <span className="tag coupon-claimable-tag">领券中心</span>}
        <p className="muted coupon-template-description">
          <OrDash value={template.description} />
        </p>
      </td>
      <td className="nowrap coupon-template-kind">{CouponKindLabels[template.effect.kind]}</td>
      <td className="coupon-template-face">
        <strong className="coupon-face-headline">{face.headline}</strong>
        <div className="muted">{face.condition}</div>
        <div className="muted">{face.validity}</div>
      </td>
      <td className="num coupon-stat-stock">{stockText(template)}</td>
      <td className="num coupon-stat-issued">{stat(stats && formatPoints(stats.issued))}</td>
      <td className="num coupon-stat-claimed">{stat(stats && formatPoints(stats.claimed))}</td>
      <td className="num coupon-stat-used">{stat(stats && formatPoints(stats.used))}</td>
      <td className="num coupon-stat-rate">{stat(stats && redemptionText(stats.redemptionRateBp))}</td>
      <td className="num coupon-stat-sales">{stat(stats && formatFen(stats.salesFen))}</td>
      <ShelfCells
        active={template.active}
        activeLabel="启用中"
        inactiveLabel="已停用"
        switchLabels={{ on: '启用', off: '停用' }}
        onEdit={onEdit}
        toggle={(token) => updateCouponTemplate(token, template.id, { active: !template.active })}
        onSaved={onSaved}
        editClassName="coupon-template-edit"
        toggleClassName="coupon-template-toggle"
      />
    </tr>
  );
}

/** The coupon as members see it, from what the form holds right now. */
export function CouponPreviewCard({ preview }: { preview: CouponPreview }) {
  return (
    <div className="coupon-preview" aria-live="polite">
      <div className="coupon-preview-face">
        <p className="coupon-preview-headline">{preview.face.headline}</p>
        <p className="coupon-preview-condition">{preview.face.condition}</p>
      </div>
      <div className="coupon-preview-body">
        <p className="coupon-preview-title">{preview.title}</p>
        {preview.description && <p className="coupon-preview-description">{preview.description}</p>}
        <p className="coupon-preview-validity">{preview.face.validity}</p>
      </div>
    </div>
  );
}

function TemplateDialog({
  template,
  stores,
  onClose,
  onSaved,
}: {
  template: CouponTemplate | null;
  stores: LoadState<Store[]>;
  onClose(): void;
  onSaved(template: CouponTemplate): void;
}) {
  const editor = useItemEditor(template, onSaved, {
    toForm: templateToForm,
    empty: emptyCouponForm,
    check: couponTemplateForm,
    create: createCouponTemplate,
    update: updateCouponTemplate,
    serverErrors: (details, form) => templateServerErrors(details, form.kind),
  });
  const { form, errors, set, input, error } = editor;

  const field = (name: CouponField, label: string, id: string, control: ReactNode, className?: string) => (
    <FieldWithError path={name} label={label} htmlFor={id} className={className} error={errors[name]}>
      {control}
    </FieldWithError>
  );
  const inputProps = (name: TextField, id: string, extra: string) => ({ id, ...input(name, extra) });

  return (
    <CatalogueDialog
      name="coupon-template"
      title={template ? '编辑券模板' : '新增券模板'}
      editor={editor}
      onClose={onClose}
    >
      <div className="coupon-editor">
        <div className="form-stack coupon-editor-fields">
          {field(
            'title',
            '名称',
            'coupon-title',
            <input {...inputProps('title', 'coupon-title', '')} maxLength={30} placeholder="例如：满100减20" />,
          )}
          {field(
            'description',
            '使用说明（选填，会员可见）',
            'coupon-description',
            <textarea {...inputProps('description', 'coupon-description', '')} rows={2} maxLength={200} />,
          )}

          <div className="form-row">
            <FormField label="类型" htmlFor="coupon-kind">
              <select
                id="coupon-kind"
                className="input"
                value={form.kind}
                onChange={(event) => set('kind', event.target.value as CouponKind)}
              >
                {COUPON_KINDS.map((kind) => (
                  <option key={kind} value={kind}>
                    {CouponKindLabels[kind]}
                  </option>
                ))}
              </select>
            </FormField>
            <KindFields form={form} field={field} inputProps={inputProps} />
          </div>

          <div className="form-row">
            {field(
              'threshold',
              '使用门槛（元，满多少可用；留空 = 无门槛）',
              'coupon-threshold',
              <input
                {...inputProps('threshold', 'coupon-threshold', 'input-number')}
                inputMode="decimal"
                placeholder="0"
              />,
            )}
            {field(
              'categories',
              '限商品类别（逗号隔开；留空 = 全部商品）',
              'coupon-categories',
              <input {...inputProps('categories', 'coupon-categories', '')} placeholder="例如：饮品，甜点" />,
              'field field-grow',
            )}
          </div>

          <StoresField
            stores={stores}
            selected={form.storeIds}
            error={errors.storeIds ?? null}
            onChange={(storeIds) => set('storeIds', storeIds)}
          />

          <label className="checkbox">
            <input
              id="coupon-stackable"
              type="checkbox"
              checked={form.stackable}
              onChange={(event) => set('stackable', event.target.checked)}
            />
            <span>可与其他优惠券叠加（同一订单的券都可叠加时才能一起用）</span>
          </label>

          <div className="form-row">
            <FormField label="有效期" htmlFor="coupon-validity-type">
              <select
                id="coupon-validity-type"
                className="input"
                value={form.validityType}
                onChange={(event) => set('validityType', event.target.value as CouponTemplateForm['validityType'])}
              >
                <option value="relative">领取当日起 N 天内有效</option>
                <option value="fixed">固定日期</option>
              </select>
            </FormField>
            {form.validityType === 'relative' ? (
              field(
                'days',
                '天数（含领取当天）',
                'coupon-validity-days',
                <input {...inputProps('days', 'coupon-validity-days', 'input-number')} inputMode="numeric" />,
              )
            ) : (
              <>
                {field(
                  'from',
                  '开始日期',
                  'coupon-validity-from',
                  <input {...inputProps('from', 'coupon-validity-from', '')} type="date" />,
                )}
                {field(
                  'until',
                  '结束日期（含当天）',
                  'coupon-validity-until',
                  <input {...inputProps('until', 'coupon-validity-until', '')} type="date" />,
                )}
              </>
            )}
          </div>

          <div className="form-row">
            {field(
              'stock',
              '发放总量（张，留空 = 不限）',
              'coupon-stock',
              <input {...inputProps('stock', 'coupon-stock', 'input-number')} inputMode="numeric" placeholder="不限" />,
            )}
            {field(
              'perMemberLimit',
              '每人限领（张）',
              'coupon-limit',
              <input {...inputProps('perMemberLimit', 'coupon-limit', 'input-number')} inputMode="numeric" />,
            )}
          </div>
          {template?.stats && (
            <p className="muted coupon-stock-hint">
              已发出 {formatPoints(template.stats.issued)} 张；总量不能少于已发出的张数。
            </p>
          )}

          <label className="checkbox">
            <input
              id="coupon-claimable"
              type="checkbox"
              checked={form.claimable}
              onChange={(event) => set('claimable', event.target.checked)}
            />
            <span>在领券中心展示（会员可自行领取）</span>
          </label>
          <label className="checkbox">
            <input
              id="coupon-active"
              type="checkbox"
              checked={form.active}
              onChange={(event) => set('active', event.target.checked)}
            />
            <span>启用（停用后不再发放和领取，已发出的券仍可使用）</span>
          </label>
        </div>

        <aside className="coupon-preview-column" aria-label="预览">
          <p className="muted coupon-preview-label">会员看到的券面</p>
          <CouponPreviewCard preview={couponPreview(form)} />
        </aside>
      </div>
      <ErrorBanner message={error} />
    </CatalogueDialog>
  );
}

type FieldRenderer = (name: CouponField, label: string, id: string, input: ReactNode, className?: string) => ReactNode;
/** The inputs typed as text (the stores are checkboxes). */
type TextField = Exclude<CouponField, 'storeIds'>;
type InputProps = (name: TextField, id: string, extra: string) => TextInputProps & { id: string };

/** What the chosen kind takes off: 减免金额 / 折扣 and 最高减 / 兑换商品 / 运费上限. The main one is #coupon-value. */
function KindFields({
  form,
  field,
  inputProps,
}: {
  form: CouponTemplateForm;
  field: FieldRenderer;
  inputProps: InputProps;
}) {
  switch (form.kind) {
    case 'cash_off':
      return field(
        'cashOff',
        '减免金额（元）',
        'coupon-value',
        <input
          {...inputProps('cashOff', 'coupon-value', 'input-number coupon-cash-off')}
          inputMode="decimal"
          placeholder="20"
        />,
      );
    case 'discount':
      return (
        <>
          {field(
            'rate',
            '折扣（折，例如 8.8）',
            'coupon-value',
            <input
              {...inputProps('rate', 'coupon-value', 'input-number coupon-rate')}
              inputMode="decimal"
              placeholder="8.8"
            />,
          )}
          {field(
            'discountCap',
            '最高减（元，留空 = 不限）',
            'coupon-cap',
            <input
              {...inputProps('discountCap', 'coupon-cap', 'input-number coupon-discount-cap')}
              inputMode="decimal"
              placeholder="不限"
            />,
          )}
        </>
      );
    case 'gift':
      return field(
        'giftName',
        '兑换商品',
        'coupon-value',
        <input
          {...inputProps('giftName', 'coupon-value', 'coupon-gift-name')}
          maxLength={30}
          placeholder="例如：招牌奶茶一杯"
        />,
        'field field-grow',
      );
    case 'free_shipping':
      return field(
        'shippingCap',
        '运费上限（元，留空 = 运费全免）',
        'coupon-cap',
        <input
          {...inputProps('shippingCap', 'coupon-cap', 'input-number coupon-shipping-cap')}
          inputMode="decimal"
          placeholder="全免"
        />,
      );
  }
}

/** 适用门店: none ticked = every store. */
function StoresField({
  stores,
  selected,
  error,
  onChange,
}: {
  stores: LoadState<Store[]>;
  selected: readonly string[];
  error: string | null;
  onChange(storeIds: string[]): void;
}) {
  const list = stores.data ?? [];
  // A store picked before it was deleted still shows, so the owner can untick it.
  const unknown = selected.filter((id) => !list.some((store) => store.id === id));
  const toggle = (id: string, on: boolean) => onChange(toggled(selected, id, on));
  return (
    <fieldset className="field coupon-stores" data-path="storeIds">
      <legend>适用门店（都不选 = 全部门店）</legend>
      {stores.status === 'loading' && list.length === 0 && <span className="muted">门店加载中…</span>}
      {stores.status === 'failed' && list.length === 0 && <span className="inline-error">{stores.message}</span>}
      {stores.status === 'ready' && list.length === 0 && <span className="muted">还没有门店</span>}
      <div className="check-grid">
        {list.map((store) => (
          <label key={store.id} className="checkbox">
            <input
              type="checkbox"
              className="coupon-store"
              value={store.id}
              checked={selected.includes(store.id)}
              onChange={(event) => toggle(store.id, event.target.checked)}
            />
            <span>
              {store.name}
              {!store.active && <span className="muted">（已停用）</span>}
            </span>
          </label>
        ))}
        {unknown.map((id) => (
          <label key={id} className="checkbox">
            <input
              type="checkbox"
              className="coupon-store"
              value={id}
              checked
              onChange={(event) => toggle(id, event.target.checked)}
            />
            <span className="muted">已删除的门店</span>
          </label>
        ))}
      </div>
      <InlineError message={error} />
    </fieldset>
  );
}
