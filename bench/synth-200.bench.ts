import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { BenchResult } from './run';

const REPO = resolve(__dirname, '..');
const TSX = join(REPO, 'node_modules', '.bin', 'tsx');
const SERVICES = 200;
const RUNS = 3;

function medianMs(args: readonly string[]): number {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i += 1) {
    const start = process.hrtime.bigint();
    const result = spawnSync(TSX, args, { cwd: REPO, encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`tsx ${args.join(' ')} failed:\n${result.stderr}`);
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

/** A spec of `SERVICES` services, each with three mixins (HTTP, Python runtime, a system's) and an SLO. */
function generatedSpec(): string {
  const services = Array.from(
    { length: SERVICES },
    (_, i) =>
      `    { name: 'svc-${i}', port: ${8000 + i}, mixins: [http(), pythonRuntime(), galway()], ` +
      `slos: [{ name: 'availability', sli: httpAvailability(), objective: 99.9, period: '30d' }] },`,
  );
  return [
    `import { galway, http, httpAvailability, pythonRuntime } from ${JSON.stringify(join(REPO, 'src/mixins'))};`,
    `import { defineStack } from ${JSON.stringify(join(REPO, 'src/spec'))};`,
    'export const stack = defineStack({',
    '  services: [',
    ...services,
    '  ],',
    '});',
    '',
  ].join('\n');
}

/** Whole-process `npm run synth` of a 200-service spec, against the same of the default spec. */
export async function run(): Promise<BenchResult[]> {
  const out = mkdtempSync(join(tmpdir(), 'obskit-bench-'));
  const spec = join(out, 'stack-200.ts');
  writeFileSync(spec, generatedSpec());
  try {
    const baseline = medianMs([join(REPO, 'src/main.ts'), '--out', join(out, 'default')]);
    const large = medianMs([join(REPO, 'src/main.ts'), '--spec', spec, '--out', join(out, 'large')]);
    return [
      {
        name: `synth-200 (whole process, ${SERVICES} services × 3 mixins + an SLO each)`,
        ratio: large / baseline,
        subject: `${large.toFixed(0)} ms median of ${RUNS}`,
        baseline: `${baseline.toFixed(0)} ms for the default spec`,
        goal: 'under 10000 ms',
        met: large < 10000,
      },
    ];
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
