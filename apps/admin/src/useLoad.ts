// Loading one thing from the API for a page: loading / ready / failed, the last data kept on screen while
// reloading, stale answers ignored, and session errors left to the auth layer (it shows the login form).
import { useCallback, useEffect, useRef, useState } from 'react';
import { errorMessage, isSessionError } from './api';
import { useAuth } from './auth';

export type LoadState<T> =
  | { status: 'loading'; data: T | null }
  | { status: 'ready'; data: T }
  | { status: 'failed'; data: T | null; message: string };

export interface Loaded<T> {
  state: LoadState<T>;
  reload(): void;
  /** Replace the data after a change the page already knows the result of (a PATCH answer). */
  update(change: (data: T) => T): void;
}

/** `load` must be stable (useCallback): a new function means "load again". */
export function useLoad<T>(load: (token: string) => Promise<T>): Loaded<T> {
  const { withToken } = useAuth();
  const [state, setState] = useState<LoadState<T>>({ status: 'loading', data: null });
  const latest = useRef(0);

  const reload = useCallback(() => {
    const call = ++latest.current;
    setState((previous) => ({ status: 'loading', data: previous.data }));
    withToken(load).then(
      (data) => {
        if (latest.current === call) setState({ status: 'ready', data });
      },
      (error: unknown) => {
        if (latest.current !== call || isSessionError(error)) return;
        const message = errorMessage(error, '加载失败，请稍后再试');
        setState((previous) => ({ status: 'failed', data: previous.data, message }));
      },
    );
  }, [withToken, load]);

  useEffect(() => {
    reload();
  }, [reload]);

  const update = useCallback((change: (data: T) => T) => {
    setState((previous) => (previous.data === null ? previous : { ...previous, data: change(previous.data) }));
  }, []);

  return { state, reload, update };
}
