/** A command line the user got wrong: said with the command's usage, exit status 2. */
export class UsageError extends Error {}

/** Exit statuses of every obskit command. */
export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;

export const wantsHelp = (argv: readonly string[]): boolean => argv.includes('--help') || argv.includes('-h');

/**
 * Walks `argv` option by option: `handle(arg, value)` gets each argument and a function that takes the next one as
 * its value (a UsageError when there is none).
 */
export function eachOption(argv: readonly string[], handle: (arg: string, value: () => string) => void): void {
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    handle(arg, () => {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--')) throw new UsageError(`${arg} needs a value`);
      i += 1;
      return next;
    });
  }
}
