// One API call a form or button starts: busy while it runs (to disable the button), and its failure as the
// message to show. Checks that fail before the call use `setError` directly.
import { useState } from 'react';
import { errorMessage } from './api';

export interface Action {
  busy: boolean;
  error: string | null;
  setError(message: string | null): void;
  /** Runs `work` with the error cleared; true when it succeeded, false when its failure is now `error`. */
  run(work: () => Promise<void>): Promise<boolean>;
}

/** `fallback`: the message for a failure that does not say why, or a function that words every failure. */
export function useAction(fallback?: string | ((error: unknown) => string)): Action {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function run(work: () => Promise<void>): Promise<boolean> {
    setBusy(true);
    setError(null);
    try {
      await work();
      return true;
    } catch (cause) {
      setError(typeof fallback === 'function' ? fallback(cause) : errorMessage(cause, fallback));
      return false;
    } finally {
      setBusy(false);
    }
  }

  return { busy, error, setError, run };
}
