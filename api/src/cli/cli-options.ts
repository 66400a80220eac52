import { parseArgs } from 'node:util';

import { CliUsageError } from './password-input';

/** What a command needs of the application context (Nest's `get`). */
export interface CliApp {
  get<T>(type: new (...args: never[]) => T): T;
}

/** `--name value` options only; anything else is a usage error naming it. */
export function options(args: string[], names: string[]): Record<string, string | undefined> {
  try {
    const { values } = parseArgs({
      args,
      options: Object.fromEntries(names.map((name) => [name, { type: 'string' }] as const)),
      strict: true,
      allowPositionals: false,
    });
    return values as Record<string, string | undefined>;
  } catch (error) {
    throw new CliUsageError((error as Error).message);
  }
}
