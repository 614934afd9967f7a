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

/** Runs `npm run synth` as a real process (what a user runs), with extra arguments. */
export function runSynth(args: readonly string[]): SynthRun {
  const result = spawnSync(TSX, [join(REPO_ROOT, 'src/main.ts'), ...args], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `obskit-${prefix}-`));
}

/** Synthesises the default spec into a fresh folder and returns it. */
export function synthInto(prefix: string): string {
  const out = tempDir(prefix);
  const run = runSynth(['--out', out]);
  if (run.status !== 0) throw new Error(`synth failed (${run.status}):\n${run.stdout}${run.stderr}`);
  return out;
}
