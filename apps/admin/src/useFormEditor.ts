// The state every editor form keeps: what the owner typed, the problems next to the inputs, the banner and the
// success line, and 保存: checked in the browser first, then by the server, whose VALIDATION_FAILED details land
// next to the inputs as well.
import { useCallback, useEffect, useState } from 'react';
import { ApiError } from './api';
import { type FieldErrors, fixMessage, inputClass, withoutErrors } from './forms';
import { useAction } from './useAction';

/** A form's own verdict: the body to send, or the problems by input (or one message for the whole form). */
export type Checked<T, E> = { ok: true; body: T } | { ok: false; errors: E } | { ok: false; message: string };

/** The form once there is one (the forms filled from a load start as null). */
type Filled<F> = NonNullable<F>;
/** The fields typed into a text input. */
type TextField<F> = { [K in keyof Filled<F>]: Filled<F>[K] extends string ? K : never }[keyof Filled<F>] & string;

export interface TextInputProps {
  className: string;
  'aria-invalid': true | undefined;
  value: string;
  onChange(event: { target: { value: string } }): void;
}

export interface FormEditor<F, E extends FieldErrors> {
  form: F;
  errors: E;
  setErrors(errors: E | ((current: E) => E)): void;
  /** 保存 is running (its button disabled). */
  busy: boolean;
  /** The banner: the problems to fix, or why the save failed. */
  error: string | null;
  setError(message: string | null): void;
  /** The last save's success line; the next change or submit clears it. */
  done: string | null;
  setDone(message: string | null): void;
  /** The owner changed the form (nothing while there is none); the problems of `fields` go, as does `done`. */
  change(next: (form: Filled<F>) => Filled<F>, ...fields: string[]): void;
  /** The owner changed one field; its problem goes. */
  set<K extends keyof Filled<F> & string>(field: K, value: Filled<F>[K]): void;
  /** A text input's props for `field`: its value, marked while it has a problem (`extra`: its own classes). */
  input(field: TextField<F>, extra?: string): TextInputProps;
  /** The form as the server has it (a load, a save's answer): no problems; the banners stay. */
  load(form: F): void;
  /** 撤销修改: back to `form`, with no problems and no banners. */
  undo(form: F): void;
  /**
   * 保存: `checked` is the form's own verdict; once it passes, `save` sends the body (and takes in the answer).
   * A VALIDATION_FAILED answer goes through `serverErrors` to the inputs. True when it saved.
   */
  submit<T>(
    checked: Checked<T, E>,
    save: (body: T) => Promise<void>,
    serverErrors?: (details: unknown) => E,
  ): Promise<boolean>;
}

/** `fallback` is the banner for a failed save that does not say why. */
export function useFormEditor<F, E extends FieldErrors>(
  initial: F | (() => F),
  fallback = '保存失败，请稍后再试',
): FormEditor<F, E> {
  const [form, setForm] = useState<F>(initial);
  const [errors, setErrors] = useState<E>(() => ({}) as E);
  const [done, setDone] = useState<string | null>(null);
  const { busy, error, setError, run } = useAction(fallback);

  const change = useCallback((next: (form: Filled<F>) => Filled<F>, ...fields: string[]) => {
    setForm((current) => (current === null || current === undefined ? current : next(current as Filled<F>)));
    setDone(null);
    if (fields.length > 0) setErrors((current) => withoutErrors(current, fields));
  }, []);

  const set = useCallback(
    <K extends keyof Filled<F> & string>(field: K, value: Filled<F>[K]) =>
      change((current) => ({ ...current, [field]: value }), field),
    [change],
  );

  const input = (field: TextField<F>, extra?: string): TextInputProps => ({
    className: inputClass(errors[field], extra),
    'aria-invalid': errors[field] ? true : undefined,
    value: form === null || form === undefined ? '' : (form[field] as string),
    onChange: (event) => set(field, event.target.value as Filled<F>[typeof field]),
  });

  const load = useCallback((next: F) => {
    setForm(next);
    setErrors({} as E);
  }, []);

  function undo(next: F) {
    load(next);
    setError(null);
    setDone(null);
  }

  async function submit<T>(
    checked: Checked<T, E>,
    save: (body: T) => Promise<void>,
    serverErrors?: (details: unknown) => E,
  ): Promise<boolean> {
    setDone(null);
    if (!checked.ok) {
      if ('errors' in checked) {
        setErrors(checked.errors);
        setError(fixMessage(checked.errors));
      } else {
        setError(checked.message);
      }
      return false;
    }
    setErrors({} as E);
    return run(async () => {
      try {
        await save(checked.body);
      } catch (cause) {
        if (!serverErrors || !(cause instanceof ApiError) || cause.code !== 'VALIDATION_FAILED') throw cause;
        const fromServer = serverErrors(cause.details);
        setErrors(fromServer);
        // No problem the inputs can show: the server's own message is the banner.
        if (Object.keys(fromServer).length === 0) throw cause;
        throw new ApiError(cause.code, fixMessage(fromServer, '服务器未通过校验：'), cause.status);
      }
    });
  }

  return { form, errors, setErrors, busy, error, setError, done, setDone, change, set, input, load, undo, submit };
}

/** Fills the editor's form from `loaded` each time that changes (the first load, 刷新, a save's answer). */
export function useFormFrom<T, F, E extends FieldErrors>(
  { load }: Pick<FormEditor<F, E>, 'load'>,
  loaded: T | null,
  toForm: (loaded: T) => F,
): void {
  const [formOf, setFormOf] = useState<T | null>(null);
  useEffect(() => {
    if (loaded && loaded !== formOf) {
      load(toForm(loaded));
      setFormOf(loaded);
    }
  }, [loaded, formOf, load, toForm]);
}
