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
