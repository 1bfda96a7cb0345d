import { ConfigError } from '../../src/env';

/** The problem lines a settings check reports; fails the test when it reports none. */
export function configProblemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error('expected a ConfigError');
}
