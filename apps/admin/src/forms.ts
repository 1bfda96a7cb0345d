// Turning a shared schema's verdict into one Chinese sentence for the form. The shared schemas carry Chinese
// messages for the common mistakes; for the rest (zod's English defaults, e.g. a too-long name) the field's
// label makes a Chinese message here.

export interface FormIssue {
  code: string;
  path: readonly PropertyKey[];
  message: string;
  maximum?: unknown;
}

export type FormResult<T> = { ok: true; body: T } | { ok: false; message: string };

const CJK = /[\u4e00-\u9fff]/;

export function issueMessage(issue: FormIssue | undefined, labels: Readonly<Record<string, string>>): string {
  if (!issue) return '请检查填写的内容';
  if (CJK.test(issue.message)) return issue.message;
  const field = issue.path[0];
  const label = typeof field === 'string' ? (labels[field] ?? field) : '内容';
  if (issue.code === 'too_big' && typeof issue.maximum === 'number') return `${label}最多 ${issue.maximum} 个字`;
  if (issue.code === 'too_small') return `请输入${label}`;
  return `${label}格式不正确`;
}

/**
 * The server's VALIDATION_FAILED details (`[{ path, message, code?, minimum?, maximum? }]`) as form issues, so a form
 * can put them next to its inputs the same way as its own checks.
 */
export function serverIssues(details: unknown): (FormIssue & { minimum?: unknown })[] {
  if (!Array.isArray(details)) return [];
  const issues: (FormIssue & { minimum?: unknown })[] = [];
  for (const detail of details) {
    if (typeof detail !== 'object' || detail === null) continue;
    const { path, message, code, minimum, maximum } = detail as Record<string, unknown>;
    if (typeof message !== 'string') continue;
    const segments = Array.isArray(path) ? path : typeof path === 'string' ? path.split('.') : [];
    issues.push({ code: typeof code === 'string' ? code : '', path: segments, message, minimum, maximum });
  }
  return issues;
}

interface SafeParser<T> {
  safeParse(input: unknown): { success: true; data: T } | { success: false; error: { issues: readonly FormIssue[] } };
}

/** Validates a form with a shared request schema: the parsed body, or the first problem in Chinese. */
export function checkForm<T>(
  schema: SafeParser<T>,
  input: unknown,
  labels: Readonly<Record<string, string>>,
): FormResult<T> {
  const result = schema.safeParse(input);
  if (result.success) return { ok: true, body: result.data };
  return { ok: false, message: issueMessage(result.error.issues[0], labels) };
}

/** Problems keyed by the input they belong to; `form` for the ones no input owns. */
export type FieldErrors<F extends string = string> = Partial<Record<F | 'form', string>>;
export type FormCheck<T, F extends string = string> = { ok: true; body: T } | { ok: false; errors: FieldErrors<F> };

/** `errors` without those of `fields`; the same object when none of them has one (nothing to re-render). */
export function withoutErrors<E extends FieldErrors>(errors: E, fields: readonly string[]): E {
  if (!fields.some((field) => field in errors)) return errors;
  const rest = { ...errors };
  for (const field of fields) delete rest[field];
  return rest;
}

/**
 * The banner over a form with problems next to its inputs: the one no input owns, or how many there are to fix.
 * `source` says who found them (服务器未通过校验：).
 */
export function fixMessage(errors: FieldErrors, source = ''): string {
  return errors.form ?? `${source}有 ${Object.keys(errors).length} 处需要修改，请查看标红的项`;
}

/** An input's classes: `input`, the input's own (`extra`), and `is-invalid` while it has a problem (`error`). */
export function inputClass(error: string | null | undefined, extra = ''): string {
  return ['input', extra, error ? 'is-invalid' : ''].filter((part) => part !== '').join(' ');
}

/** `list` with `item` ticked (added at the end) or unticked (removed): a group of checkboxes. */
export function toggled<T>(list: readonly T[], item: T, on: boolean): T[] {
  return on ? [...list, item] : list.filter((picked) => picked !== item);
}
