import { resolve } from 'node:path';
import { missingSecretFiles, SECRETS_README } from './compose/secrets';
import { buildArtifacts, type Artifact } from './synth/artifacts';
import { explainBuildFailure, explainLoadFailure } from './synth/failure';
import { driftReport, writeReport } from './synth/report';
import { diffArtifacts, hasDrift, writeArtifacts } from './synth/files';
import { SpecError, resolveSpec, specForTarget, type StackSpec, type StackSpecInput } from './spec';

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

  let spec: StackSpec;
  try {
    spec = loadSpec(options.specModule);
  } catch (error) {
    console.error(explainLoadFailure(error, options.specModule));
    return 1;
  }

  let artifacts: Artifact[];
  try {
    artifacts = buildArtifacts(spec);
  } catch (error) {
    console.error(explainBuildFailure(error));
    return 1;
  }

  if (options.check) {
    const drift = diffArtifacts(options.outDir, artifacts);
    if (!hasDrift(drift)) {
      console.log(`synth --check: all ${artifacts.length} generated files are up to date`);
      return 0;
    }
    console.error('synth --check: generated files differ from a fresh synth (run `npm run synth` and commit):');
    for (const line of driftReport(drift)) console.error(line);
    return 1;
  }

  const drift = writeArtifacts(options.outDir, artifacts);
  console.log(writeReport(options.outDir, artifacts, drift));
  for (const missing of missingSecretFiles(specForTarget(spec, 'compose'), options.outDir)) {
    console.error(
      `synth: warning: ${missing.file} does not exist; receiver "${missing.receiver}" needs ${missing.holds} in it ` +
        `(see ${SECRETS_README})`,
    );
  }
  return 0;
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2));
}
