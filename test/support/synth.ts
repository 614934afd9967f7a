import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const REPO_ROOT = resolve(__dirname, '../..');
const TSX = join(REPO_ROOT, 'node_modules', '.bin', 'tsx');

export interface SynthRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** The spec synth tests run on: the demo service as a fixture, so editing src/stack.ts never turns them red. */
export const FIXTURE_SPEC = join(REPO_ROOT, 'test/fixtures/demo-spec.ts');
/** The shipped spec, for the one check that is about it: the committed dist/ and compose/ are its synth. */
export const SHIPPED_SPEC = join(REPO_ROOT, 'src/stack.ts');

/** Runs `npm run synth` as a real process (what a user runs), with extra arguments; the fixture spec unless `--spec`. */
export function runSynth(args: readonly string[]): SynthRun {
  const spec = args.includes('--spec') ? [] : ['--spec', FIXTURE_SPEC];
  const result = spawnSync(TSX, [join(REPO_ROOT, 'src/main.ts'), ...spec, ...args], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `obskit-${prefix}-`));
}

/** Synthesises a spec (the fixture spec by default) into a fresh folder and returns it. */
export function synthInto(prefix: string, spec: string = FIXTURE_SPEC): string {
  const out = tempDir(prefix);
  const run = runSynth(['--spec', spec, '--out', out]);
  if (run.status !== 0) throw new Error(`synth failed (${run.status}):\n${run.stdout}${run.stderr}`);
  return out;
}
