import { synth } from './cli/synth';

/**
 * `npm run synth [-- --check] [--spec <file>] [--out <dir>]`: the same command as `obskit synth` (src/cli/synth.ts),
 * with this repository's src/stack.ts and root as defaults.
 */
export function main(argv: readonly string[]): number {
  return synth(argv, 'npm run synth');
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2));
}
