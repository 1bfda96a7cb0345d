import type { StaffAccount, StaffInvite, StaffRole, Store } from '@member-hub/shared';
import { type FormEvent, useCallback, useState } from 'react';
import { createInvite, createStaff, listStaff, type UpdateStaffBody, updateStaff } from '../api/staff';
import { listStores } from '../api/stores';
import { useAuth } from '../auth';
import { formatDateTime, ROLE_LABELS } from '../format';
import { routeHref } from '../route';
import { ErrorBanner, FormField, InlineError, PageHeader, RefreshButton, SuccessBanner, TableRows } from '../ui';
import { useAction } from '../useAction';
import { useLoad } from '../useLoad';
import { createStaffForm, resetPasswordForm } from './storeForms';

const COLUMNS = 6;
const ROLES: readonly StaffRole[] = ['staff', 'manager'];

function RoleSelect({
  value,
  onChange,
  className = 'input',
  disabled = false,
  label = '角色',
}: {
  value: StaffRole;
  onChange(role: StaffRole): void;
  className?: string;
  disabled?: boolean;
  label?: string;
}) {
  return (
    <select
      className={className}
      aria-label={label}
      value={value}
      disabled={disabled}
      onChange={(event) => onChange(event.target.value === 'manager' ? 'manager' : 'staff')}
    >
      {ROLES.map((role) => (
        <option key={role} value={role}>
          {ROLE_LABELS[role]}
        </option>
      ))}
    </select>
  );
}

function StoreSelect({
  stores,
  value,
  onChange,
  label,
  className = 'input',
}: {
  stores: readonly Store[];
  value: string;
  onChange(storeId: string): void;
  label: string;
  className?: string;
}) {
  return (
    <select className={className} aria-label={label} value={value} onChange={(event) => onChange(event.target.value)}>
      <option value="">请选择门店</option>
      {stores.map((store) => (
        <option key={store.id} value={store.id}>
          {store.name}（{store.code}）
        </option>
      ))}
    </select>
  );
}

/** Until the owner picks one: the store being filtered on (if it takes staff), or the only store there is. */
function preselectedStore(stores: readonly Store[], picked: string, filter: string): string {
  if (picked !== '' && stores.some((store) => store.id === picked)) return picked;
  if (filter !== '' && stores.some((store) => store.id === filter)) return filter;
  return stores.length === 1 ? (stores[0]?.id ?? '') : '';
}

export function StaffPage() {
  const storesLoad = useLoad(listStores);
  const stores = storesLoad.state.data ?? [];
  const activeStores = stores.filter((store) => store.active);
  const [filter, setFilter] = useState('');

  const load = useCallback((token: string) => listStaff(token, filter === '' ? null : filter), [filter]);
  const { state, reload, update } = useLoad(load);
  const staff = state.data;

  const storeName = (id: string) => {
    const store = stores.find((item) => item.id === id);
    return store ? store.name : id;
  };
  const replace = (account: StaffAccount) =>
    update((list) => list.map((item) => (item.id === account.id ? account : item)));

  const noStores = storesLoad.state.status === 'ready' && activeStores.length === 0;

  return (
    <section className="page">
      <PageHeader title="员工" description="店员和店长用账号密码登录小程序的店员入口，可扫会员码识别会员">
        <RefreshButton loading={state.status === 'loading'} onRefresh={reload} />
      </PageHeader>

      {storesLoad.state.status === 'failed' && <ErrorBanner message={`门店列表：${storesLoad.state.message}`} />}
      {noStores && (
        <p className="banner banner-warning">
          还没有营业中的门店，请先到 <a href={routeHref({ page: 'stores' })}>门店</a> 新增门店，再添加员工。
        </p>
      )}

      <div className="two-columns">
        <CreateStaffForm
          stores={activeStores}
          defaultStoreId={filter}
          onCreated={(account) => {
            if (filter === '' || filter === account.storeId) update((list) => [...list, account]);
          }}
        />
        <InviteBox stores={activeStores} defaultStoreId={filter} storeName={storeName} />
      </div>

      <div className="toolbar">
        <label className="inline-field">
          <span>门店</span>
          <select
            className="input staff-store-filter"
            aria-label="按门店筛选"
            value={filter}
            onChange={(event) => setFilter(event.target.value)}
          >
            <option value="">全部门店</option>
            {stores.map((store) => (
              <option key={store.id} value={store.id}>
                {store.name}
                {store.active ? '' : '（已停用）'}
              </option>
            ))}
          </select>
        </label>
      </div>

      {state.status === 'failed' && <ErrorBanner message={state.message} />}
      <div className="card table-card" aria-busy={state.status === 'loading'}>
        <table className="table">
          <thead>
            <tr>
              <th>姓名</th>
              <th>账号</th>
              <th>门店</th>
              <th>角色</th>
              <th>状态</th>
              <th className="actions-col">操作</th>
            </tr>
          </thead>
          <tbody>
            <TableRows rows={staff} loading={state.status === 'loading'} colSpan={COLUMNS} empty="暂无数据">
              {(account) => (
                <StaffRow key={account.id} account={account} storeName={storeName(account.storeId)} onSaved={replace} />
              )}
            </TableRows>
          </tbody>
        </table>
      </div>
    </section>
  );
}

function CreateStaffForm({
  stores,
  defaultStoreId,
  onCreated,
}: {
  stores: readonly Store[];
  defaultStoreId: string;
  onCreated(account: StaffAccount): void;
}) {
  const { withToken } = useAuth();
  const [storeId, setStoreId] = useState('');
  const [name, setName] = useState('');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState<StaffRole>('staff');
  const { busy: saving, error, setError, run } = useAction();
  const [done, setDone] = useState<string | null>(null);

  const chosenStore = preselectedStore(stores, storeId, defaultStoreId);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setDone(null);
    const form = createStaffForm({ storeId: chosenStore, name, username, password, role });
    if (!form.ok) {
      setError(form.message);
      return;
    }
    await run(async () => {
      const account = await withToken((token) => createStaff(token, form.body));
      onCreated(account);
      setName('');
      setUsername('');
      setPassword('');
      setDone(`已新增${ROLE_LABELS[account.role]}「${account.name}」，账号 ${account.username}`);
    });
  }

  return (
    <form className="card create-form staff-create" onSubmit={submit} noValidate>
      <h3 className="section-title">新增员工</h3>
      <div className="form-grid">
        <div className="field">
          <span>门店</span>
          <StoreSelect stores={stores} value={chosenStore} onChange={setStoreId} label="门店" />
        </div>
        <div className="field">
          <span>角色</span>
          <RoleSelect value={role} onChange={setRole} />
        </div>
        <FormField label="姓名">
          <input className="input" maxLength={20} value={name} onChange={(event) => setName(event.target.value)} />
        </FormField>
        <FormField label="账号">
          <input
            className="input"
            maxLength={32}
            autoComplete="off"
            placeholder="3-32 位字母、数字、下划线"
            value={username}
            onChange={(event) => setUsername(event.target.value)}
          />
        </FormField>
        <FormField label="初始密码">
          <input
            className="input"
            type="password"
            autoComplete="new-password"
            placeholder="至少 8 位"
            maxLength={128}
            value={password}
            onChange={(event) => setPassword(event.target.value)}
          />
        </FormField>
      </div>
      <div className="form-actions">
        <button className="button button-primary" type="submit" disabled={saving}>
          {saving ? '保存中…' : '新增员工'}
        </button>
      </div>
      <ErrorBanner message={error} />
      <SuccessBanner message={done} />
    </form>
  );
}

function InviteBox({
  stores,
  defaultStoreId,
  storeName,
}: {
  stores: readonly Store[];
  defaultStoreId: string;
  storeName(id: string): string;
}) {
  const { withToken } = useAuth();
  const [storeId, setStoreId] = useState('');
  const [role, setRole] = useState<StaffRole>('staff');
  const { busy: creating, error, setError, run } = useAction();
  const [invite, setInvite] = useState<StaffInvite | null>(null);
  const [copied, setCopied] = useState(false);

  const chosenStore = preselectedStore(stores, storeId, defaultStoreId);

  async function generate() {
    if (chosenStore === '') {
      setError('请选择门店');
      return;
    }
    setCopied(false);
    await run(async () => {
      setInvite(await withToken((token) => createInvite(token, { storeId: chosenStore, role })));
    });
  }

  async function copy(code: string) {
    try {
      await navigator.clipboard.writeText(code);
      setCopied(true);
    } catch {
      setCopied(false);
    }
  }

  return (
    <div className="card create-form staff-invite">
      <h3 className="section-title">邀请员工</h3>
      <p className="muted">不想替员工设置密码时，生成邀请码发给员工，由员工自己开通账号。</p>
      <div className="form-grid">
        <div className="field">
          <span>门店</span>
          <StoreSelect stores={stores} value={chosenStore} onChange={setStoreId} label="邀请到门店" />
        </div>
        <div className="field">
          <span>角色</span>
          <RoleSelect value={role} onChange={setRole} label="邀请的角色" />
        </div>
      </div>
      <div className="form-actions">
        <button className="button invite-generate" type="button" onClick={generate} disabled={creating}>
          {creating ? '生成中…' : '生成邀请码'}
        </button>
      </div>
      <ErrorBanner message={error} />
      {invite && (
        <div className="invite-box" role="status">
          <div className="invite-code-row">
            <span className="invite-code mono">{invite.inviteCode}</span>
            <button className="button button-small" type="button" onClick={() => void copy(invite.inviteCode)}>
              {copied ? '已复制' : '复制'}
            </button>
          </div>
          <p>
            {storeName(invite.storeId)} · {ROLE_LABELS[invite.role]} · 有效期至 {formatDateTime(invite.expiresAt)}
          </p>
          <p className="muted">店员在小程序「我的 → 店员入口 → 使用邀请码开通」中填写</p>
        </div>
      )}
    </div>
  );
}

function StaffRow({
  account,
  storeName,
  onSaved,
}: {
  account: StaffAccount;
  storeName: string;
  onSaved(account: StaffAccount): void;
}) {
  const { withToken } = useAuth();
  const { busy: saving, error, setError, run } = useAction();
  const [notice, setNotice] = useState<string | null>(null);
  const [resetting, setResetting] = useState(false);
  const [password, setPassword] = useState('');

  async function save(body: UpdateStaffBody, doneText: string) {
    setNotice(null);
    return run(async () => {
      onSaved(await withToken((token) => updateStaff(token, account.id, body)));
      setNotice(doneText);
    });
  }

  async function submitPassword() {
    const form = resetPasswordForm(password);
    if (!form.ok) {
      setError(form.message);
      return;
    }
    if (await save(form.body, '密码已重置，请告知员工新密码')) {
      setResetting(false);
      setPassword('');
    }
  }

  return (
    <tr className={account.active ? 'staff-row' : 'staff-row is-inactive'} data-staff-id={account.id}>
      <td>{account.name}</td>
      <td className="mono">{account.username}</td>
      <td>{storeName}</td>
      <td>
        <RoleSelect
          className="input input-compact"
          label={`${account.name}的角色`}
          value={account.role}
          disabled={saving}
          onChange={(role) => {
            if (role !== account.role) void save({ role }, `已改为${ROLE_LABELS[role]}`);
          }}
        />
      </td>
      <td>
        <span className={account.active ? 'status status-active' : 'status status-inactive'}>
          {account.active ? '正常' : '已停用'}
        </span>
      </td>
      <td className="actions-col">
        {resetting ? (
          <div className="row-actions">
            <input
              className="input input-compact"
              type="password"
              aria-label="新密码"
              placeholder="新密码，至少 8 位"
              autoComplete="new-password"
              maxLength={128}
              value={password}
              onChange={(event) => setPassword(event.target.value)}
            />
            <button
              className="button button-small button-primary"
              type="button"
              onClick={submitPassword}
              disabled={saving}
            >
              确认
            </button>
            <button
              className="button button-small"
              type="button"
              onClick={() => {
                setResetting(false);
                setPassword('');
                setError(null);
              }}
              disabled={saving}
            >
              取消
            </button>
          </div>
        ) : (
          <div className="row-actions">
            <button
              className="button button-small"
              type="button"
              disabled={saving}
              onClick={() => void save({ active: !account.active }, account.active ? '已停用' : '已启用')}
            >
              {account.active ? '停用' : '启用'}
            </button>
            <button
              className="button button-small"
              type="button"
              disabled={saving}
              onClick={() => {
                setResetting(true);
                setNotice(null);
                setError(null);
              }}
            >
              重置密码
            </button>
          </div>
        )}
        <InlineError message={error} />
        {notice && <p className="inline-notice">{notice}</p>}
      </td>
    </tr>
  );
}
