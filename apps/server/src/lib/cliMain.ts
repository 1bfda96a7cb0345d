// How a command-line tool ends: its exit code, or one readable line for a failure (never a stack for bad settings).
import { ConfigError } from '../env';

export function cliMain(name: string, run: () => Promise<number>): void {
  run().then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      console.error(
        err instanceof ConfigError ? err.message : `${name} failed: ${err instanceof Error ? err.message : err}`,
      );
      process.exitCode = 1;
    },
  );
}
