import { resolve } from 'node:path';
import { missingSecretFiles, SECRETS_README } from '../compose/secrets';
import { specForTarget, type StackSpec } from '../spec';
import { buildArtifacts, type Artifact } from '../synth/artifacts';
import { explainBuildFailure, explainLoadFailure } from '../synth/failure';
import { diffArtifacts, hasDrift, writeArtifacts } from '../synth/files';
import { driftReport, writeReport } from '../synth/report';
import { eachOption, EXIT, UsageError, wantsHelp } from './args';
import { OBSKIT_ROOT } from './root';
import { loadSpec } from './spec-module';

/** How the command was started, for its usage text and hints: `npm run synth` or `obskit synth`. */
export type SynthInvocation = 'npm run synth' | 'obskit synth';

interface SynthOptions {
  readonly check: boolean;
  readonly specModule: string;
  readonly outDir: string;
}

export function synthUsage(invokedAs: SynthInvocation): string {
  const check = invokedAs === 'npm run synth' ? '[-- --check]' : '[--check]';
  return `usage: ${invokedAs} ${check} [--spec <module exporting "stack">] [--out <dir>]
  --check   write nothing; exit 1 and list every generated file that differs from a fresh synth
  --spec    the stack spec module (default: src/stack.ts of this repository)
  --out     the folder dist/ and compose/ are written under (default: this repository's root;
            required with --spec for obskit synth, so a spec of your own never overwrites this repository's outputs)`;
}

function parseSynthArgs(argv: readonly string[], invokedAs: SynthInvocation): SynthOptions {
  let check = false;
  let specModule: string | undefined;
  let outDir: string | undefined;
  eachOption(argv, (arg, value) => {
    if (arg === '--check') check = true;
    else if (arg === '--spec') specModule = resolve(value());
    else if (arg === '--out') outDir = resolve(value());
    else throw new UsageError(`unknown argument "${arg}"`);
  });
  if (invokedAs === 'obskit synth' && specModule !== undefined && outDir === undefined) {
    throw new UsageError("--spec needs --out (without it, your spec's outputs would replace this repository's own)");
  }
  return { check, specModule: specModule ?? resolve(OBSKIT_ROOT, 'src/stack.ts'), outDir: outDir ?? OBSKIT_ROOT };
}

/**
 * `synth`: validates the whole spec, then writes dist/ and compose/ (or, with --check, writes nothing and reports
 * drift). Exit status 0 when written or up to date, 1 on a bad spec, a failed check or drift, 2 on bad usage.
 */
export function synth(argv: readonly string[], invokedAs: SynthInvocation): number {
  if (wantsHelp(argv)) {
    console.log(synthUsage(invokedAs));
    return EXIT.ok;
  }
  let options: SynthOptions;
  try {
    options = parseSynthArgs(argv, invokedAs);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`synth: ${error.message}`);
    console.error(synthUsage(invokedAs));
    return EXIT.usage;
  }

  let spec: StackSpec;
  try {
    spec = loadSpec(options.specModule);
  } catch (error) {
    console.error(explainLoadFailure(error, options.specModule));
    return EXIT.failure;
  }

  let artifacts: Artifact[];
  try {
    artifacts = buildArtifacts(spec);
  } catch (error) {
    console.error(explainBuildFailure(error));
    return EXIT.failure;
  }

  if (options.check) {
    const drift = diffArtifacts(options.outDir, artifacts);
    if (!hasDrift(drift)) {
      console.log(`synth --check: all ${artifacts.length} generated files are up to date`);
      return EXIT.ok;
    }
    console.error(`synth --check: generated files differ from a fresh synth (run \`${invokedAs}\` and commit):`);
    for (const line of driftReport(drift)) console.error(line);
    return EXIT.failure;
  }

  const drift = writeArtifacts(options.outDir, artifacts);
  console.log(writeReport(options.outDir, artifacts, drift));
  for (const missing of missingSecretFiles(specForTarget(spec, 'compose'), options.outDir)) {
    console.error(
      `synth: warning: ${missing.file} does not exist; receiver "${missing.receiver}" needs ${missing.holds} in it ` +
        `(see ${SECRETS_README})`,
    );
  }
  return EXIT.ok;
}
