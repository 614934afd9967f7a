import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EXIT } from './args';
import { aliasObskitImports } from './obskit-imports';
import { OBSKIT_ROOT } from './root';

export const USAGE = `usage: obskit <command> [options]

commands:
  synth   generate dist/ and compose/ from a stack spec
          obskit synth [--check] [--spec <file> --out <dir>]
  check   compare what a service exposes on /metrics with the mixins the spec declares for it
          obskit check <url|file> --service <name>

  obskit <command> --help   the command's own options
  obskit --version

exit status: 0 ok, 1 failure or drift (a bad spec, files out of date, a breach), 2 usage`;

function version(): string {
  return (JSON.parse(readFileSync(join(OBSKIT_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
}

// Each command is loaded only when it runs: `--help` loads no generator, synth never loads the check (and the reverse).
function synth(argv: readonly string[]): number {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('./synth') as typeof import('./synth')).synth(argv, 'obskit synth');
}

function check(argv: readonly string[]): Promise<number> {
  aliasObskitImports(); // the check reads the spec too
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('../check/cli') as typeof import('../check/cli')).runCheck(argv);
}

/** `obskit <command> …`: dispatches to a command and resolves with the process's exit status. */
export async function run(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'synth':
      return synth(rest);
    case 'check':
      return check(rest);
    case '--help':
    case '-h':
    case 'help':
      console.log(USAGE);
      return EXIT.ok;
    case '--version':
    case '-v':
      console.log(version());
      return EXIT.ok;
    case undefined:
      console.error(USAGE);
      return EXIT.usage;
    default:
      console.error(`obskit: unknown command "${command}"`);
      console.error(USAGE);
      return EXIT.usage;
  }
}
