import type { Store } from '@member-hub/shared';
import { type FormEvent, useState } from 'react';
import { createStore, listStores, type UpdateStoreBody, updateStore } from '../api/stores';
import { useAuth } from '../auth';
import {
  ErrorBanner,
  FormField,
  InlineError,
  OrDash,
  PageHeader,
  RefreshButton,
  SuccessBanner,
  TableRows,
} from '../ui';
import { useAction } from '../useAction';
import { useLoad } from '../useLoad';
import { createStoreForm, updateStoreForm } from './storeForms';

const COLUMNS = 5;

export function StoresPage() {
  const { state, reload, update } = useLoad(listStores);
  const stores = state.data;
  const replace = (store: Store) => update((list) => list.map((item) => (item.id === store.id ? store : item)));

  return (
    <section className="page">
      <PageHeader title="门店" description="门店编码用于员工账号和收银对接，创建后不能修改">
        <RefreshButton loading={state.status === 'loading'} onRefresh={reload} />
      </PageHeader>

      <CreateStoreForm onCreated={(store) => update((list) => [...list, store])} />

      {state.status === 'failed' && <ErrorBanner message={state.message} />}
      <div className="card table-card" aria-busy={state.status === 'loading'}>
        <table className="table">
          <thead>
            <tr>
              <th>名称</th>
              <th>编码</th>
              <th>地址</th>
              <th>状态</th>
              <th className="actions-col">操作</th>
            </tr>
          </thead>
          <tbody>
            <TableRows
              rows={stores}
              loading={state.status === 'loading'}
              colSpan={COLUMNS}
              empty="暂无数据，请先在上方新增门店"
            >
              {(store) => <StoreRow key={store.id} store={store} onSaved={replace} />}
            </TableRows>
          </tbody>
        </table>
      </div>
    </section>
  );
}

function CreateStoreForm({ onCreated }: { onCreated(store: Store): void }) {
  const { withToken } = useAuth();
  const [name, setName] = useState('');
  const [code, setCode] = useState('');
  const [address, setAddress] = useState('');
  const { busy: saving, error, setError, run } = useAction();
  const [done, setDone] = useState<string | null>(null);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = createStoreForm({ name, code, address });
    setDone(null);
    if (!form.ok) {
      setError(form.message);
      return;
    }
    await run(async () => {
      const store = await withToken((token) => createStore(token, form.body));
      onCreated(store);
      setName('');
      setCode('');
      setAddress('');
      setDone(`已新增门店「${store.name}」`);
    });
  }

  return (
    <form className="card section create-form store-create" onSubmit={submit} noValidate>
      <h3 className="section-title">新增门店</h3>
      <div className="form-row">
        <FormField label="名称">
          <input
            className="input store-name"
            maxLength={40}
            placeholder="例如：西湖店"
            value={name}
            onChange={(event) => setName(event.target.value)}
          />
        </FormField>
        <FormField label="编码">
          <input
            className="input store-code"
            maxLength={16}
            placeholder="例如：HZ-01"
            value={code}
            onChange={(event) => setCode(event.target.value)}
          />
        </FormField>
        <FormField label="地址" className="field field-grow">
          <input
            className="input store-address"
            maxLength={120}
            placeholder="选填"
            value={address}
            onChange={(event) => setAddress(event.target.value)}
          />
        </FormField>
        <button className="button button-primary store-create-submit" type="submit" disabled={saving}>
          {saving ? '保存中…' : '新增'}
        </button>
      </div>
      <ErrorBanner message={error} />
      <SuccessBanner message={done} />
    </form>
  );
}

function StoreRow({ store, onSaved }: { store: Store; onSaved(store: Store): void }) {
  const { withToken } = useAuth();
  const [editing, setEditing] = useState(false);
  const [name, setName] = useState(store.name);
  const [address, setAddress] = useState(store.address);
  const { busy: saving, error, setError, run } = useAction();

  async function save(body: UpdateStoreBody) {
    await run(async () => {
      const saved = await withToken((token) => updateStore(token, store.id, body));
      onSaved(saved);
      setEditing(false);
    });
  }

  function startEditing() {
    setName(store.name);
    setAddress(store.address);
    setError(null);
    setEditing(true);
  }

  function submitEdit() {
    const form = updateStoreForm({ name, address });
    if (!form.ok) {
      setError(form.message);
      return;
    }
    void save(form.body);
  }

  return (
    <tr className={store.active ? 'store-row' : 'store-row is-inactive'} data-store-id={store.id}>
      <td>
        {editing ? (
          <input
            className="input input-compact"
            aria-label="门店名称"
            maxLength={40}
            value={name}
            onChange={(event) => setName(event.target.value)}
          />
        ) : (
          store.name
        )}
      </td>
      <td className="mono">{store.code}</td>
      <td>
        {editing ? (
          <input
            className="input input-compact input-wide"
            aria-label="地址"
            maxLength={120}
            value={address}
            onChange={(event) => setAddress(event.target.value)}
          />
        ) : (
          <OrDash value={store.address} />
        )}
      </td>
      <td>
        <span className={store.active ? 'status status-active' : 'status status-inactive'}>
          {store.active ? '营业中' : '已停用'}
        </span>
      </td>
      <td className="actions-col">
        <div className="row-actions">
          {editing ? (
            <>
              <button
                className="button button-small button-primary"
                type="button"
                onClick={submitEdit}
                disabled={saving}
              >
                {saving ? '保存中…' : '保存'}
              </button>
              <button className="button button-small" type="button" onClick={() => setEditing(false)} disabled={saving}>
                取消
              </button>
            </>
          ) : (
            <>
              <button className="button button-small" type="button" onClick={startEditing} disabled={saving}>
                编辑
              </button>
              <button
                className="button button-small"
                type="button"
                onClick={() => void save({ active: !store.active })}
                disabled={saving}
              >
                {store.active ? '停用' : '启用'}
              </button>
            </>
          )}
        </div>
        <InlineError message={error} />
      </td>
    </tr>
  );
}
