import { spawnSync } from 'node:child_process';
import { pythonMetrics } from '../../src/mixins/python/metrics';

/**
 * The python mixin's catalog against the real `prometheus_client` (PyPI): what its default registry exposes on this
 * machine must be exactly the metrics the mixin defines — names, types, labels and help. The interpreter is
 * `OBSKIT_PYTHON` (a virtualenv with prometheus_client), else `python3`; without prometheus_client the suite is
 * skipped with that message, or fails under OBSKIT_REQUIRE_TOOLS=1.
 */
const PYTHON = process.env.OBSKIT_PYTHON ?? 'python3';
const SCRIPT = 'from prometheus_client import generate_latest, REGISTRY; print(generate_latest(REGISTRY).decode())';

function exposition(): string | undefined {
  const run = spawnSync(PYTHON, ['-c', SCRIPT], { encoding: 'utf8', timeout: 30_000 });
  return run.status === 0 ? run.stdout : undefined;
}

interface Family {
  type: string;
  help: string;
  labels: Set<string>;
}

function families(text: string): Map<string, Family> {
  const out = new Map<string, Family>();
  const family = (name: string) => out.get(name) ?? out.set(name, { type: '', help: '', labels: new Set() }).get(name)!;
  for (const line of text.split('\n')) {
    const meta = /^# (HELP|TYPE) (\S+) (.*)$/.exec(line);
    if (meta) {
      if (meta[1] === 'HELP') family(meta[2]!).help = meta[3]!;
      else family(meta[2]!).type = meta[3]!;
      continue;
    }
    const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? /.exec(line);
    if (!sample) continue;
    for (const pair of (sample[2] ?? '').split(/,(?=[a-zA-Z_]+=)/).filter(Boolean)) family(sample[1]!).labels.add(pair.split('=')[0]!);
  }
  return out;
}

const text = exposition();
const describeIf = text === undefined && process.env.OBSKIT_REQUIRE_TOOLS !== '1' ? describe.skip : describe;
if (text === undefined && process.env.OBSKIT_REQUIRE_TOOLS !== '1') {
  console.warn(`skipping the python mixin check: ${PYTHON} cannot import prometheus_client (pip install prometheus_client, or set OBSKIT_PYTHON)`);
}

describeIf('the python mixin against prometheus_client’s default registry', () => {
  it('defines exactly what prometheus_client exports by default (Linux, CPython): names, types, labels, help', () => {
    expect(text).toBeDefined();
    const real = families(text!);
    const described = (f: Family) => ({ type: f.type, help: f.help, labels: [...f.labels].sort() });
    expect(Object.fromEntries([...real].map(([name, f]) => [name, described(f)]))).toEqual(
      Object.fromEntries(pythonMetrics.map((d) => [d.name, { type: d.type, help: d.help, labels: [...d.labelNames].sort() }])),
    );
  });
});
