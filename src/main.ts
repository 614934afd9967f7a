import { resolve } from 'node:path';
import { buildArtifacts, type Artifact } from './synth/artifacts';
import { diffArtifacts, hasDrift, writeArtifacts } from './synth/files';
import { SpecError, resolveSpec, type StackSpec, type StackSpecInput } from './spec';

interface Options {
  readonly check: boolean;
  readonly specModule: string;
  readonly outDir: string;
}

const USAGE = `usage: npm run synth [-- --check] [--spec <module exporting "stack">] [--out <dir>]
  --check   write nothing; exit 1 and list every generated file that differs from a fresh synth
  --spec    the stack spec module (default: src/stack.ts)
  --out     the folder dist/ and compose/ are written under (default: the repository root)`;

function parseArgs(argv: readonly string[]): Options {
  const repoRoot = resolve(__dirname, '..');
  let check = false;
  let specModule = resolve(repoRoot, 'src/stack.ts');
  let outDir = repoRoot;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    const value = () => {
      const next = argv[i + 1];
      if (next === undefined) throw new UsageError(`${arg} needs a value`);
      i += 1;
      return next;
    };
    if (arg === '--check') check = true;
    else if (arg === '--spec') specModule = resolve(value());
    else if (arg === '--out') outDir = resolve(value());
    else if (arg === '--help' || arg === '-h') throw new UsageError('');
    else throw new UsageError(`unknown argument "${arg}"`);
  }
  return { check, specModule, outDir };
}

class UsageError extends Error {}

function loadSpec(specModule: string): StackSpec {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(specModule) as { stack?: StackSpecInput; default?: StackSpecInput };
  const input = mod.stack ?? mod.default;
  if (input === undefined) throw new SpecError([{ path: '(spec)', message: `${specModule} exports no "stack"` }]);
  return resolveSpec(input);
}

function summarise(artifacts: readonly Artifact[]): string {
  const byTop = new Map<string, number>();
  for (const a of artifacts) {
    const parts = a.path.split('/');
    const top = parts.length > 2 ? parts.slice(0, 2).join('/') : parts[0]!;
    byTop.set(top, (byTop.get(top) ?? 0) + 1);
  }
  return [...byTop].map(([dir, n]) => `  ${dir}/  ${n} file${n === 1 ? '' : 's'}`).join('\n');
}

export function main(argv: readonly string[]): number {
  let options: Options;
  try {
    options = parseArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    if (error.message) console.error(`synth: ${error.message}`);
    console.error(USAGE);
    return error.message ? 2 : 0;
  }

  let artifacts: Artifact[];
  try {
    artifacts = buildArtifacts(loadSpec(options.specModule));
  } catch (error) {
    if (!(error instanceof SpecError)) throw error;
    console.error(`synth: ${error.message}\nNothing was written. Fix the spec (${options.specModule}) and run synth again.`);
    return 1;
  }

  if (options.check) {
    const drift = diffArtifacts(options.outDir, artifacts);
    if (!hasDrift(drift)) {
      console.log(`synth --check: all ${artifacts.length} generated files are up to date`);
      return 0;
    }
    console.error('synth --check: generated files differ from a fresh synth (run `npm run synth` and commit):');
    for (const path of drift.changed) console.error(`  changed  ${path}`);
    for (const path of drift.missing) console.error(`  missing  ${path}`);
    for (const path of drift.extra) console.error(`  extra    ${path}`);
    return 1;
  }

  const drift = writeArtifacts(options.outDir, artifacts);
  const touched = drift.changed.length + drift.missing.length;
  console.log(
    `synth: ${artifacts.length} files (${touched} written, ${artifacts.length - touched} unchanged, ` +
      `${drift.extra.length} stale removed) under ${options.outDir}\n${summarise(artifacts)}`,
  );
  return 0;
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2));
}
