/**
 * `/metrics` render time for 10,000 series: the SDK's `telemetry.metrics()` ÷ raw prom-client's
 * `registry.metrics()` holding the same series (same labels, `service_name` default label, Prometheus text
 * format), for a counter (10,000 label sets) and a histogram (589 label sets × 17 series). Renders of the two
 * are interleaved; each side's fastest render counts (other work on the machine only slows renders down),
 * the median is shown too.
 */
import { Counter as PCounter, Histogram as PHistogram, Registry } from 'prom-client';
import { createTelemetry, defineMetric } from '../src/sdk';
import type { BenchResult } from './run';

const ROUNDS = 40;
const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

const counterDef = defineMetric({ name: 'bench_jobs_total', help: 'Jobs.', type: 'counter', unit: '', labelNames: ['queue', 'tenant'] });
const histogramDef = defineMetric({
  name: 'bench_job_duration_seconds',
  help: 'Job duration.',
  type: 'histogram',
  unit: 'seconds',
  labelNames: ['queue', 'tenant'],
  buckets: BUCKETS,
});

type Scenario = 'counter' | 'histogram';

function labelSets(n: number): { queue: string; tenant: string }[] {
  return Array.from({ length: n }, (_, i) => ({ queue: `q${i % 10}`, tenant: `tenant-${i}` }));
}

function sdkSide(scenario: Scenario): () => Promise<string> {
  const t = createTelemetry({ serviceName: 'bench', defaultMetrics: false, maxSeries: 20_000 });
  if (scenario === 'counter') for (const l of labelSets(10_000)) t.counter(counterDef).inc(l, 3);
  else for (const l of labelSets(589)) t.histogram(histogramDef).observe(l, 0.3);
  return () => t.metrics('prometheus');
}

function promClientSide(scenario: Scenario): () => Promise<string> {
  const registry = new Registry();
  registry.setDefaultLabels({ service_name: 'bench' });
  if (scenario === 'counter') {
    const c = new PCounter({ name: 'bench_jobs_total', help: 'Jobs.', labelNames: ['queue', 'tenant'], registers: [registry] });
    for (const l of labelSets(10_000)) c.inc(l, 3);
  } else {
    const h = new PHistogram({ name: 'bench_job_duration_seconds', help: 'Job duration.', labelNames: ['queue', 'tenant'], buckets: BUCKETS, registers: [registry] });
    for (const l of labelSets(589)) h.observe(l, 0.3);
  }
  return () => registry.metrics();
}

async function timeOnce(render: () => Promise<string>): Promise<number> {
  const start = performance.now();
  await render();
  return performance.now() - start;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

async function compare(scenario: Scenario): Promise<BenchResult> {
  const sdk = sdkSide(scenario);
  const raw = promClientSide(scenario);
  const sdkSeries = (await sdk()).split('\n').filter((l) => l.startsWith('bench_')).length;
  const rawSeries = (await raw()).split('\n').filter((l) => l.startsWith('bench_')).length;
  if (sdkSeries !== rawSeries) throw new Error(`series differ: sdk ${sdkSeries}, prom-client ${rawSeries}`);
  for (let i = 0; i < 10; i += 1) {
    await sdk();
    await raw();
  }
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < ROUNDS; i += 1) {
    a.push(await timeOnce(sdk));
    b.push(await timeOnce(raw));
  }
  const best = Math.min(...a) / Math.min(...b);
  return {
    name: `sdk-render: /metrics render of ${sdkSeries} ${scenario} series, SDK ÷ raw prom-client`,
    ratio: best,
    subject: `SDK ${Math.min(...a).toFixed(2)} ms (median ${median(a).toFixed(2)} ms)`,
    baseline: `prom-client ${Math.min(...b).toFixed(2)} ms (median ${median(b).toFixed(2)} ms)`,
    goal: '≤ 1.1',
    met: best <= 1.1,
  };
}

export async function run(): Promise<BenchResult[]> {
  return [await compare('counter'), await compare('histogram')];
}
