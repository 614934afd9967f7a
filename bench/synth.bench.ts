import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { BenchResult } from './run';

const REPO = resolve(__dirname, '..');
const TSX = join(REPO, 'node_modules', '.bin', 'tsx');
const RUNS = 7;

function medianMs(command: string, args: readonly string[]): number {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i += 1) {
    const start = process.hrtime.bigint();
    const result = spawnSync(command, args, { cwd: REPO, encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed:\n${result.stderr}`);
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

/** Whole-process `npm run synth` of the default spec, against the floor: tsx starting an empty script. */
export async function run(): Promise<BenchResult[]> {
  const out = mkdtempSync(join(tmpdir(), 'obskit-bench-'));
  const empty = join(out, 'empty.ts');
  writeFileSync(empty, 'export {};\n');
  try {
    const baseline = medianMs(TSX, [empty]);
    const synth = medianMs(TSX, [join(REPO, 'src/main.ts'), '--out', join(out, 'tree')]);
    return [
      {
        name: 'synth (whole process, default spec)',
        ratio: synth / baseline,
        subject: `${synth.toFixed(0)} ms median of ${RUNS}`,
        baseline: `${baseline.toFixed(0)} ms for tsx on an empty script`,
        goal: 'under 3000 ms',
        met: synth < 3000,
      },
    ];
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
