import { Button, Input } from '@tarojs/components';
import { useState } from 'react';
import { ErrorList, Field } from '../../components/Field';
import '../../components/ui.css';
import './staff.css';

const isWeapp = process.env.TARO_ENV === 'weapp';

interface TillError {
  field: string;
  message: string;
}

/** What a failed till submit means (describePurchaseError, describeChargeError). */
export interface TillProblem<E extends TillError> {
  errors: E[];
  rescan: boolean;
  unknownOutcome: boolean;
}

/**
 * The state one till form (记录消费, 储值收款) keeps around its submit: the draft, what is wrong with it, whether it
 * is sending, whether the last send may have gone through (重新提交), and whether the scan has to be made again.
 */
export function useTillForm<D, P extends TillProblem<TillError>>(initial: D, describe: (error: unknown) => P) {
  type E = P['errors'][number];
  const [draft, setDraft] = useState<D>(initial);
  const [errors, setErrors] = useState<E[]>([]);
  const [busy, setBusy] = useState(false);
  const [retry, setRetry] = useState(false);
  const [rescan, setRescan] = useState(false);

  /** Typing clears the errors: they were about the draft as it was. */
  const set = (patch: Partial<D>) => {
    setDraft({ ...draft, ...patch });
    setErrors([]);
  };

  return {
    draft,
    set,
    busy,
    retry,
    rescan,
    fieldErrors: (field: E['field']) => errors.filter((e) => e.field === field).map((e) => e.message),
    setErrors,
    /** A fresh form for the next one (after a result). */
    reset(next: D) {
      setDraft(next);
      setErrors([]);
    },
    /**
     * Sends `checked` (the form's own check) unless it failed or a send is running; `send`'s failure is shown as
     * `describe` reads it, and handed to `onProblem` for what only one form tracks.
     */
    async submit<C extends { ok: true }>(
      checked: C | { ok: false; errors: E[] },
      send: (checked: C) => Promise<void>,
      onProblem?: (problem: P) => void,
    ) {
      if (busy) return;
      if (!checked.ok) {
        setErrors(checked.errors);
        return;
      }
      setBusy(true);
      setErrors([]);
      setRescan(false);
      try {
        await send(checked);
        setRetry(false);
      } catch (error) {
        const problem = describe(error);
        setErrors(problem.errors);
        setRetry(problem.unknownOutcome);
        setRescan(problem.rescan);
        onProblem?.(problem);
      } finally {
        setBusy(false);
      }
    },
  };
}

/** The amount in yuan, the first field of every till form. */
export function AmountField({
  label,
  className,
  placeholder,
  value,
  errors,
  onInput,
}: {
  label: string;
  className: string;
  placeholder: string;
  value: string;
  errors: readonly string[];
  onInput: (value: string) => void;
}) {
  return (
    <Field label={label} errors={errors}>
      <Input
        className={`field__input ${className}`}
        type={isWeapp ? 'digit' : 'text'}
        value={value}
        maxlength={12}
        placeholder={placeholder}
        onInput={(e) => onInput(e.detail.value)}
      />
    </Field>
  );
}

/**
 * The foot of a till form: its form-wide errors, 重新识别会员 when the scan expired, and the submit button, which
 * reads 重新提交 while the last send may have gone through. Class names are `${prefix}-errors` / `-rescan` / `-submit`.
 */
export function TillFormFooter({
  till: { busy, retry, rescan, fieldErrors },
  prefix,
  label,
  onRescan,
  onSubmit,
}: {
  till: Pick<ReturnType<typeof useTillForm>, 'busy' | 'retry' | 'rescan'> & {
    fieldErrors: (field: 'form') => string[];
  };
  prefix: string;
  label: string;
  onRescan: () => void;
  onSubmit: () => void;
}) {
  return (
    <>
      <ErrorList className={`${prefix}-errors`} messages={fieldErrors('form')} />
      {rescan && (
        <Button className={`btn btn--ghost btn--spaced ${prefix}-rescan`} onClick={onRescan}>
          重新识别会员
        </Button>
      )}

      <Button
        className={`btn btn--gold btn--spaced ${prefix}-submit`}
        loading={busy}
        disabled={busy || undefined}
        onClick={onSubmit}
      >
        {retry ? '重新提交' : label}
      </Button>
    </>
  );
}
