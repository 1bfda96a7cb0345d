// 套餐与设置: the stored-value liability, whether members may ask for refunds, and the top-up packages.
import { formatFen, type TopUpPackage, type WalletSettings } from '@member-hub/shared';
import type { ReactNode } from 'react';
import { isRouteMissing } from '../../api';
import { createPackage, getWalletSettings, listPackages, saveWalletSettings, updatePackage } from '../../api/wallet';
import { useAuth } from '../../auth';
import { CatalogueDialog, CatalogueTable, ShelfCells, useCatalogue, useItemEditor } from '../../catalogue';
import { ErrorBanner, FieldWithError, InlineError, RefreshButton } from '../../ui';
import { useAction } from '../../useAction';
import { type LoadState, useLoad } from '../../useLoad';
import { loadWalletLiability, WalletLiabilityCard } from './WalletLiabilityCard';
import {
  emptyPackageForm,
  limitText,
  type PackageField,
  packageBody,
  packageForm,
  packageServerErrors,
  packageText,
  packageToForm,
  validityText,
} from './walletForms';

const COLUMNS = 7;

/** null: the server does not have the stored-value routes yet. */
function orMissing<T>(load: (token: string) => Promise<T>) {
  return (token: string): Promise<T | null> =>
    load(token).catch((error: unknown) => {
      if (isRouteMissing(error)) return null;
      throw error;
    });
}
const loadPackages = orMissing(listPackages);
const loadSettings = orMissing(getWalletSettings);

export function PackagesTab() {
  const liability = useLoad(loadWalletLiability);
  const settings = useLoad(loadSettings);
  const packages = useLoad(loadPackages);
  const catalogue = useCatalogue(packages, (pkg) => pkg.name);
  const loading = [liability, settings, packages].some((loaded) => loaded.state.status === 'loading');

  return (
    <>
      <div className="toolbar">
        <RefreshButton
          loading={loading}
          onRefresh={() => {
            liability.reload();
            settings.reload();
            packages.reload();
          }}
        />
      </div>
      <div className="stat-grid section">
        <WalletLiabilityCard state={liability.state} />
        <SettingsCard state={settings.state} onSaved={(next) => settings.update(() => next)} />
      </div>

      <CatalogueTable
        catalogue={catalogue}
        missingText="储值即将上线：服务器暂未开放储值接口。"
        header={
          <div className="section-header table-card-header">
            <h3 className="section-title">充值套餐</h3>
            <button
              className="button button-primary wallet-package-new"
              type="button"
              onClick={() => catalogue.edit('new')}
            >
              新增套餐
            </button>
          </div>
        }
        tableClassName="wallet-packages"
        columns={
          <>
            <th>名称</th>
            <th className="num">充值 / 赠送</th>
            <th>有效期</th>
            <th>每人限购</th>
            <th className="num">排序</th>
            <th>状态</th>
            <th className="actions-col">操作</th>
          </>
        }
        colSpan={COLUMNS}
        empty="暂无充值套餐，点击「新增套餐」，例如 充 ¥500 送 ¥50"
        row={(pkg, onEdit, onSaved) => <PackageRow pkg={pkg} onEdit={onEdit} onSaved={onSaved} />}
        dialog={(pkg, onClose, onSaved) => <PackageDialog pkg={pkg} onClose={onClose} onSaved={onSaved} />}
      />
    </>
  );
}

function SettingsCard({
  state,
  onSaved,
}: {
  state: LoadState<WalletSettings | null>;
  onSaved(settings: WalletSettings): void;
}) {
  const { withToken } = useAuth();
  const { busy, error, run } = useAction('保存失败，请稍后再试');
  const settings = state.data;

  function toggle(refundEnabled: boolean) {
    void run(async () => {
      onSaved(await withToken((token) => saveWalletSettings(token, { refundEnabled })));
    });
  }

  return (
    <article className="card stat-card wallet-settings" aria-busy={state.status === 'loading' || busy}>
      <h3 className="stat-label">储值设置</h3>
      {settings ? (
        <>
          <label className="checkbox wallet-refund-setting">
            <input
              type="checkbox"
              className="wallet-refund-enabled"
              checked={settings.refundEnabled}
              disabled={busy}
              onChange={(event) => toggle(event.target.checked)}
            />
            <span>允许会员申请退还未使用的本金</span>
          </label>
          <p className="stat-foot muted">
            {settings.refundEnabled
              ? '会员可在充值详情中申请退款，赠送金额按退款比例作废；退款原路退回微信。'
              : '会员无法自行申请退款；店主仍可在「支付记录」中为会员退款。'}
          </p>
        </>
      ) : state.status === 'ready' ? (
        <p className="stat-value stat-placeholder">即将上线</p>
      ) : state.status === 'failed' ? (
        <p className="stat-foot inline-error">{state.message}</p>
      ) : (
        <p className="stat-value stat-placeholder">加载中…</p>
      )}
      <InlineError message={error} />
    </article>
  );
}

function PackageRow({ pkg, onEdit, onSaved }: { pkg: TopUpPackage; onEdit(): void; onSaved(pkg: TopUpPackage): void }) {
  return (
    <tr className={pkg.active ? 'wallet-package-row' : 'wallet-package-row is-inactive'} data-package-id={pkg.id}>
      <td>
        <strong>{pkg.name}</strong>
      </td>
      <td className="num">
        {packageText(pkg)}
        <div className="muted">到账 {formatFen(pkg.payFen + pkg.bonusFen)}</div>
      </td>
      <td className="nowrap">{validityText(pkg)}</td>
      <td>{limitText(pkg.perMemberLimit)}</td>
      <td className="num">{pkg.sort}</td>
      <ShelfCells
        active={pkg.active}
        activeLabel="在售"
        onEdit={onEdit}
        toggle={(token) => updatePackage(token, pkg.id, packageBody(pkg, !pkg.active))}
        onSaved={onSaved}
        editClassName="wallet-package-edit"
        toggleClassName="wallet-package-toggle"
      />
    </tr>
  );
}

function PackageDialog({
  pkg,
  onClose,
  onSaved,
}: {
  pkg: TopUpPackage | null;
  onClose(): void;
  onSaved(pkg: TopUpPackage): void;
}) {
  const editor = useItemEditor(pkg, onSaved, {
    toForm: packageToForm,
    empty: emptyPackageForm,
    check: packageForm,
    create: createPackage,
    update: updatePackage,
    serverErrors: packageServerErrors,
  });
  const { form, errors, set, input, error } = editor;

  const field = (name: PackageField, label: string, control: ReactNode) => (
    <FieldWithError path={name} label={label} error={errors[name]}>
      {control}
    </FieldWithError>
  );

  return (
    <CatalogueDialog
      name="wallet-package"
      title={pkg ? '编辑充值套餐' : '新增充值套餐'}
      editor={editor}
      onClose={onClose}
    >
      {field(
        'name',
        '名称',
        <input {...input('name', 'wallet-package-name')} maxLength={20} placeholder="例如：充500送50" />,
      )}
      <div className="form-row">
        {field(
          'pay',
          '充值金额（元）',
          <input {...input('pay', 'input-number wallet-package-pay')} inputMode="decimal" placeholder="500" />,
        )}
        {field(
          'bonus',
          '赠送金额（元，可为 0）',
          <input {...input('bonus', 'input-number wallet-package-bonus')} inputMode="decimal" placeholder="50" />,
        )}
      </div>
      <div className="form-row">
        {field(
          'validFrom',
          '开始日期（留空 = 不限）',
          <input {...input('validFrom', 'wallet-package-from')} type="date" />,
        )}
        {field(
          'validUntil',
          '结束日期（含当天，留空 = 不限）',
          <input {...input('validUntil', 'wallet-package-until')} type="date" />,
        )}
      </div>
      <div className="form-row">
        {field(
          'perMemberLimit',
          '每人限购次数（留空 = 不限）',
          <input
            {...input('perMemberLimit', 'input-number wallet-package-limit')}
            inputMode="numeric"
            placeholder="不限"
          />,
        )}
        {field(
          'sort',
          '排序（小的在前）',
          <input {...input('sort', 'input-number wallet-package-sort')} inputMode="numeric" />,
        )}
      </div>
      <label className="checkbox">
        <input type="checkbox" checked={form.active} onChange={(event) => set('active', event.target.checked)} />
        <span>在售（会员可以在小程序中看到并购买）</span>
      </label>
      <ErrorBanner message={error} />
    </CatalogueDialog>
  );
}
