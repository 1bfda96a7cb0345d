import { OwnerLoginRequest } from '@member-hub/shared';
import { type FormEvent, useState } from 'react';
import { errorMessage } from '../api';
import { useAuth } from '../auth';
import { FormField } from '../ui';

/** The first problem with what the owner typed, in the shared schema's own words, or null when it can be sent. */
export function loginInputProblem(username: string, password: string): string | null {
  const result = OwnerLoginRequest.safeParse({ username, password });
  return result.success ? null : (result.error.issues[0]?.message ?? '请检查账号和密码');
}

export function LoginPage() {
  const { login, notice } = useAuth();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const problem = loginInputProblem(username.trim(), password);
    if (problem) {
      setError(problem);
      return;
    }
    setSubmitting(true);
    setError(null);
    try {
      await login(username.trim(), password);
    } catch (cause) {
      setError(errorMessage(cause, '登录失败，请稍后再试'));
      setSubmitting(false);
    }
  }

  const message = error ?? notice;
  return (
    <main className="login-screen">
      <form className="login-card" onSubmit={handleSubmit} noValidate>
        <div className="login-brand">
          <span className="brand-mark" aria-hidden="true">
            会
          </span>
          <div>
            <h1>会员中心管理后台</h1>
            <p className="muted">店主登录</p>
          </div>
        </div>
        <FormField label="账号" htmlFor="login-username">
          <input
            id="login-username"
            name="username"
            autoComplete="username"
            placeholder="请输入账号"
            value={username}
            onChange={(event) => setUsername(event.target.value)}
          />
        </FormField>
        <FormField label="密码" htmlFor="login-password">
          <input
            id="login-password"
            name="password"
            type="password"
            autoComplete="current-password"
            placeholder="请输入密码"
            value={password}
            onChange={(event) => setPassword(event.target.value)}
          />
        </FormField>
        <button className="button button-primary button-block" type="submit" disabled={submitting}>
          {submitting ? '登录中…' : '登录'}
        </button>
        {message && (
          <p className="form-error" role="alert">
            {message}
          </p>
        )}
      </form>
    </main>
  );
}
