// 积分商城: the gifts and coupons members can redeem with points — list, add, edit, put on / take off the shelf.
import { type CouponTemplate, formatPoints, type MallItem } from '@member-hub/shared';
import { useCallback } from 'react';
import { isRouteMissing } from '../../api';
import { listCouponTemplates } from '../../api/coupons';
import { createMallItem, listMallItems, updateMallItem } from '../../api/loyalty';
import { CatalogueDialog, CatalogueTable, ShelfCells, useCatalogue, useItemEditor } from '../../catalogue';
import { ErrorBanner, FormField, OrDash, PageHeader, RefreshButton } from '../../ui';
import { useLoad } from '../../useLoad';
import { templateOptionText } from '../coupons/couponForms';
import {
  emptyMallForm,
  limitText,
  MALL_KIND_LABELS,
  type MallItemForm,
  mallForm,
  mallItemBody,
  mallItemToForm,
} from './mallForms';

const COLUMNS = 6;

/** The coupon templates a 优惠券 item can issue; [] while the server has no coupon routes. */
const loadTemplates = (token: string): Promise<CouponTemplate[]> =>
  listCouponTemplates(token).catch((error: unknown) => {
    if (isRouteMissing(error)) return [];
    throw error;
  });

export function MallPage() {
  // null: the server does not have the mall routes yet.
  const load = useCallback(
    (token: string): Promise<MallItem[] | null> =>
      listMallItems(token).catch((error: unknown) => {
        if (isRouteMissing(error)) return null;
        throw error;
      }),
    [],
  );
  const loaded = useLoad(load);
  const templates = useLoad(loadTemplates);
  const catalogue = useCatalogue(loaded, (item) => item.title);
  const templateList = templates.state.data ?? [];

  return (
    <section className="page">
      <PageHeader
        title="积分商城"
        description="会员用积分兑换的礼品（凭取货码到店领取）或优惠券（兑换后直接发到会员券包）"
      >
        <div className="header-actions">
          <RefreshButton
            loading={loaded.state.status === 'loading'}
            onRefresh={() => {
              loaded.reload();
              templates.reload();
            }}
          />
          {!catalogue.missing && (
            <button className="button button-primary mall-new" type="button" onClick={() => catalogue.edit('new')}>
              新增商品
            </button>
          )}
        </div>
      </PageHeader>

      <CatalogueTable
        catalogue={catalogue}
        missingText="积分商城即将上线：服务器暂未开放商城接口。"
        tableClassName="mall-table"
        columns={
          <>
            <th>商品</th>
            <th>积分价格</th>
            <th>库存</th>
            <th>每人限兑</th>
            <th>状态</th>
            <th className="actions-col">操作</th>
          </>
        }
        colSpan={COLUMNS}
        empty="暂无商品，点击右上角「新增商品」"
        row={(item, onEdit, onSaved) => (
          <MallRow item={item} templates={templateList} onEdit={onEdit} onSaved={onSaved} />
        )}
        dialog={(item, onClose, onSaved) => (
          <MallItemDialog item={item} templates={templateList} onClose={onClose} onSaved={onSaved} />
        )}
      />
    </section>
  );
}

function MallRow({
  item,
  templates,
  onEdit,
  onSaved,
}: {
  item: MallItem;
  templates: readonly CouponTemplate[];
  onEdit(): void;
  onSaved(item: MallItem): void;
}) {
  const template = item.kind === 'coupon' ? templates.find((row) => row.id === item.couponTemplateId) : undefined;
  return (
    <tr className={item.active ? 'mall-row' : 'mall-row is-inactive'} data-item-id={item.id}>
      <td>
        <div className="mall-item">
          {item.imageUrl && <img className="mall-thumb" src={item.imageUrl} alt="" loading="lazy" />}
          <div>
            <strong>{item.title}</strong>
            <span className={`tag mall-kind mall-kind-${item.kind}`}>{MALL_KIND_LABELS[item.kind]}</span>
            {item.kind === 'coupon' && (
              <p className="muted mall-coupon">兑换券：{template ? template.title : '（模板已不存在）'}</p>
            )}
            <p className="muted mall-description">
              <OrDash value={item.description} />
            </p>
          </div>
        </div>
      </td>
      <td>{formatPoints(item.pointsPrice)} 积分</td>
      <td>{limitText(item.stock)}</td>
      <td>{limitText(item.perMemberLimit, ' 件')}</td>
      <ShelfCells
        active={item.active}
        activeLabel="已上架"
        onEdit={onEdit}
        toggle={(token) => updateMallItem(token, item.id, mallItemBody(item, !item.active))}
        onSaved={onSaved}
      />
    </tr>
  );
}

function MallItemDialog({
  item,
  templates,
  onClose,
  onSaved,
}: {
  item: MallItem | null;
  templates: readonly CouponTemplate[];
  onClose(): void;
  onSaved(item: MallItem): void;
}) {
  const editor = useItemEditor(item, onSaved, {
    toForm: mallItemToForm,
    empty: emptyMallForm,
    check: mallForm,
    create: createMallItem,
    update: updateMallItem,
  });
  const { form, set, error } = editor;

  return (
    <CatalogueDialog name="mall" title={item ? '编辑商品' : '新增商品'} editor={editor} onClose={onClose}>
      <div className="form-row">
        <FormField label="类型" htmlFor="mall-kind">
          <select
            id="mall-kind"
            className="input mall-kind-select"
            value={form.kind}
            onChange={(event) => set('kind', event.target.value as MallItemForm['kind'])}
          >
            <option value="gift">{MALL_KIND_LABELS.gift}（到店领取）</option>
            <option value="coupon">{MALL_KIND_LABELS.coupon}（兑换后发到券包）</option>
          </select>
        </FormField>
        {form.kind === 'coupon' && (
          <FormField label="兑换的优惠券" className="field field-grow" htmlFor="mall-coupon-template">
            <select
              id="mall-coupon-template"
              className="input mall-coupon-template"
              value={form.couponTemplateId}
              onChange={(event) => set('couponTemplateId', event.target.value)}
            >
              <option value="">请选择优惠券模板</option>
              {templates
                .filter((template) => template.active || template.id === form.couponTemplateId)
                .map((template) => (
                  <option key={template.id} value={template.id}>
                    {templateOptionText(template)}
                  </option>
                ))}
            </select>
          </FormField>
        )}
      </div>
      {form.kind === 'coupon' && templates.length === 0 && (
        <p className="muted">还没有优惠券模板，请先在「优惠券 → 券模板」中新增。</p>
      )}
      <FormField label="名称">
        <input
          className="input mall-title"
          maxLength={30}
          placeholder="例如：招牌帆布袋"
          value={form.title}
          onChange={(event) => set('title', event.target.value)}
        />
      </FormField>
      <FormField label="描述（选填）">
        <textarea
          className="input mall-desc"
          rows={3}
          maxLength={200}
          value={form.description}
          onChange={(event) => set('description', event.target.value)}
        />
      </FormField>
      <FormField label="图片地址（选填）">
        <input
          className="input mall-image"
          type="url"
          maxLength={512}
          placeholder="https://"
          value={form.imageUrl}
          onChange={(event) => set('imageUrl', event.target.value)}
        />
      </FormField>
      <div className="form-row">
        <FormField label="积分价格">
          <input
            className="input input-number mall-price"
            inputMode="numeric"
            value={form.pointsPrice}
            onChange={(event) => set('pointsPrice', event.target.value)}
          />
        </FormField>
        <FormField label="库存（留空 = 不限）">
          <input
            className="input input-number mall-stock"
            inputMode="numeric"
            placeholder="不限"
            value={form.stock}
            onChange={(event) => set('stock', event.target.value)}
          />
        </FormField>
        <FormField label="每人限兑（留空 = 不限）">
          <input
            className="input input-number mall-limit"
            inputMode="numeric"
            placeholder="不限"
            value={form.perMemberLimit}
            onChange={(event) => set('perMemberLimit', event.target.value)}
          />
        </FormField>
      </div>
      <label className="checkbox">
        <input type="checkbox" checked={form.active} onChange={(event) => set('active', event.target.checked)} />
        <span>上架（会员可以看到并兑换）</span>
      </label>
      <ErrorBanner message={error} />
    </CatalogueDialog>
  );
}
