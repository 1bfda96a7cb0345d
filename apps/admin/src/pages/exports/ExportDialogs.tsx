// The export controls the pages share: the members export (its tier from the list's filter, a join date range, masked
// or full phones), the ledger export (account, date range, optionally one member), and a plain button for the RFM
// lists. Each says whether phone numbers leave masked.
import { TierNames } from '@member-hub/shared';
import { type FormEvent, useState } from 'react';
import { exportLedger, exportMembers, exportRfmList, type RfmExportParams } from '../../api/exports';
import { inputClass } from '../../forms';
import type { TierName } from '../../route';
import { FieldWithError, FormField, FormModal, InlineError } from '../../ui';
import { useDownload } from '../../useDownload';
import {
  ACCOUNT_LABELS,
  exportErrorMessage,
  FULL_PHONE_NOTE,
  type LedgerExportForm,
  ledgerExportForm,
  MASKED_PHONE_NOTE,
  type MemberExportForm,
  memberExportForm,
  NO_PHONE_NOTE,
} from './exportForms';

type Problems = Partial<Record<string, string>>;

export function MemberExportDialog({
  tier,
  otherFilters,
  onClose,
}: {
  /** The list's tier filter, the starting choice. */
  tier: TierName | null;
  /** The list has filters the export does not take (search, tag, segment): say so. */
  otherFilters: boolean;
  onClose(): void;
}) {
  const [form, setForm] = useState<MemberExportForm>({
    tier: tier ?? '',
    joinedFrom: '',
    joinedTo: '',
    fullPhone: false,
  });
  const [errors, setErrors] = useState<Problems>({});
  const download = useDownload((error) => exportErrorMessage(error, form.fullPhone));
  const change = (next: Partial<MemberExportForm>) => {
    setForm((current) => ({ ...current, ...next }));
    setErrors({});
  };

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const checked = memberExportForm(form);
    if (!checked.ok) {
      setErrors(checked.errors);
      return;
    }
    if (await download.run((token) => exportMembers(token, checked.body), '会员.csv')) onClose();
  }

  return (
    <FormModal
      title="导出会员"
      formId="member-export-form"
      formClassName="member-export-form"
      submitClassName="member-export-submit"
      submitLabel="导出 CSV"
      savingLabel="导出中…"
      saving={download.busy}
      onSubmit={submit}
      onClose={onClose}
    >
      <FormField label="会员等级" htmlFor="member-export-tier">
        <select
          id="member-export-tier"
          className="input"
          value={form.tier}
          onChange={(event) => change({ tier: TierNames.find((t) => t === event.target.value) ?? '' })}
        >
          <option value="">全部等级</option>
          {TierNames.map((name) => (
            <option key={name} value={name}>
              {name}
            </option>
          ))}
        </select>
      </FormField>
      <DateRange
        label="入会日期"
        ids={['member-export-from', 'member-export-to']}
        fields={['joinedFrom', 'joinedTo']}
        values={[form.joinedFrom, form.joinedTo]}
        errors={errors}
        onChange={(joinedFrom, joinedTo) => change({ joinedFrom, joinedTo })}
      />
      <label className="checkbox">
        <input
          type="checkbox"
          className="member-export-full-phone"
          checked={form.fullPhone}
          onChange={(event) => change({ fullPhone: event.target.checked })}
        />
        <span>导出完整手机号</span>
      </label>
      <p className="muted member-export-phone-note">{form.fullPhone ? FULL_PHONE_NOTE : MASKED_PHONE_NOTE}</p>
      {otherFilters && <p className="muted">列表的搜索、标签和分群条件不参与导出，导出按上面的等级和入会日期筛选。</p>}
      <InlineError message={download.error} />
    </FormModal>
  );
}

export function LedgerExportDialog({ memberNo = '', onClose }: { memberNo?: string; onClose(): void }) {
  const [form, setForm] = useState<LedgerExportForm>({ account: 'points', from: '', to: '', memberNo });
  const [errors, setErrors] = useState<Problems>({});
  const download = useDownload((error) => exportErrorMessage(error));
  const change = (next: Partial<LedgerExportForm>) => {
    setForm((current) => ({ ...current, ...next }));
    setErrors({});
  };

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const checked = ledgerExportForm(form);
    if (!checked.ok) {
      setErrors(checked.errors);
      return;
    }
    const name = `${ACCOUNT_LABELS[form.account]}流水.csv`;
    if (await download.run((token) => exportLedger(token, checked.body), name)) onClose();
  }

  return (
    <FormModal
      title="导出流水"
      formId="ledger-export-form"
      formClassName="ledger-export-form"
      submitClassName="ledger-export-submit"
      submitLabel="导出 CSV"
      savingLabel="导出中…"
      saving={download.busy}
      onSubmit={submit}
      onClose={onClose}
    >
      <div className="inline-field" role="radiogroup" aria-label="账户">
        <span>账户</span>
        {(['points', 'wallet'] as const).map((account) => (
          <label key={account} className="radio">
            <input
              type="radio"
              name="ledger-export-account"
              className={`ledger-export-${account}`}
              checked={form.account === account}
              onChange={() => change({ account })}
            />
            {ACCOUNT_LABELS[account]}
            {account === 'wallet' ? '（本金与赠送金各一行）' : ''}
          </label>
        ))}
      </div>
      <DateRange
        label="日期"
        ids={['ledger-export-from', 'ledger-export-to']}
        fields={['from', 'to']}
        values={[form.from, form.to]}
        errors={errors}
        onChange={(from, to) => change({ from, to })}
      />
      <FieldWithError
        path="memberNo"
        label="会员号（留空 = 全部会员）"
        htmlFor="ledger-export-member"
        error={errors.memberNo}
      >
        <input
          id="ledger-export-member"
          className={inputClass(errors.memberNo)}
          inputMode="numeric"
          value={form.memberNo}
          onChange={(event) => change({ memberNo: event.target.value })}
        />
      </FieldWithError>
      <p className="muted">{NO_PHONE_NOTE}时间按北京时间，金额为 ¥ 元。</p>
      <InlineError message={download.error} />
    </FormModal>
  );
}

function DateRange({
  label,
  ids,
  fields,
  values,
  errors,
  onChange,
}: {
  label: string;
  ids: [string, string];
  fields: [string, string];
  values: [string, string];
  errors: Problems;
  onChange(from: string, to: string): void;
}) {
  const [from, to] = values;
  return (
    <div className="form-row">
      <FieldWithError path={fields[0]} label={`${label}从（留空 = 不限）`} htmlFor={ids[0]} error={errors[fields[0]]}>
        <input
          id={ids[0]}
          type="date"
          className={inputClass(errors[fields[0]])}
          value={from}
          onChange={(event) => onChange(event.target.value, to)}
        />
      </FieldWithError>
      <FieldWithError path={fields[1]} label="到" htmlFor={ids[1]} error={errors[fields[1]]}>
        <input
          id={ids[1]}
          type="date"
          className={inputClass(errors[fields[1]])}
          value={to}
          onChange={(event) => onChange(from, event.target.value)}
        />
      </FieldWithError>
    </div>
  );
}

/** 导出 CSV of the RFM members or churn warnings of the current run (the class filter on screen); no phones in it. */
export function RfmExportButton({ list, params }: { list: 'rfm' | 'churn'; params: RfmExportParams }) {
  const download = useDownload((error) => exportErrorMessage(error));
  const name = list === 'rfm' ? 'RFM会员分类.csv' : '流失预警.csv';
  return (
    <span className="export-box">
      <button
        className={`button rfm-export rfm-export-${list}`}
        type="button"
        disabled={download.busy}
        title={NO_PHONE_NOTE}
        onClick={() => void download.run((token) => exportRfmList(token, list, params), name)}
      >
        {download.busy ? '导出中…' : '导出 CSV'}
      </button>
      <span className="muted">{NO_PHONE_NOTE}</span>
      <InlineError message={download.error} />
    </span>
  );
}
