/**
 * Memory under hostile input: heap growth (after full GCs) of the SDK fed 1,000,000 distinct raw paths
 * through its node:http instrumentation and 100,000 distinct values of one label, ÷ the heap growth of
 * raw prom-client fed a tenth of that (100,000 raw paths as a label, 100,000 label values), which is what an
 * instrumentation that labels by URL and has no cap keeps. Each side runs in a child process with
 * --expose-gc (this file, started with OBSKIT_BENCH_MEMORY=<side>).
 */
import { spawnSync } from 'node:child_process';
import { Writable } from 'node:stream';
import { Counter as PCounter, Histogram as PHistogram, Registry } from 'prom-client';
import { createTelemetry, defineMetric, HTTP_DURATION_BUCKETS } from '../src/sdk';
import { drive } from '../test/sdk/support/drive';
import type { BenchResult } from './run';

type Side = 'sdk' | 'prom-client';
interface Figures {
  readonly heapGrowthBytes: number;
  readonly series: number;
}

const tenants = defineMetric({ name: 'tenant_requests_total', help: 'Requests by tenant.', type: 'counter', unit: '', labelNames: ['tenant'] });

function heapAfterGc(): number {
  const gc = (globalThis as { gc?: () => void }).gc as () => void;
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

const rawPath = (i: number) => (i % 2 ? `/users/${i}` : `/files/${i.toString(36)}/v${i % 7}`);

async function measure(side: Side): Promise<Figures> {
  if (side === 'sdk') {
    const sink = new Writable({ write: (_c, _e, cb) => cb() });
    const t = createTelemetry({ serviceName: 'bench', defaultMetrics: false, http: { accessLog: 'none' }, log: { destination: sink } });
    const listener = t.http((_req, res) => res.statusCode, { routes: ['/users/:id'] });
    const counter = t.counter(tenants);
    await t.metrics();
    const before = heapAfterGc();
    for (let i = 0; i < 1_000_000; i += 1) drive(listener, 'GET', `${rawPath(i)}?q=${i}`, 200);
    for (let i = 0; i < 100_000; i += 1) counter.inc({ tenant: `tenant-${i}` });
    const text = await t.metrics();
    return { heapGrowthBytes: heapAfterGc() - before, series: text.split('\n').filter((l) => /^(http_server_request_duration_seconds|tenant_requests_total)[_{]/.test(l)).length };
  }
  const registry = new Registry();
  registry.setDefaultLabels({ service_name: 'bench' });
  const h = new PHistogram({ name: 'http_request_duration_seconds', help: 'x', labelNames: ['method', 'path', 'code'], buckets: [...HTTP_DURATION_BUCKETS], registers: [registry] });
  const c = new PCounter({ name: 'tenant_requests_total', help: 'x', labelNames: ['tenant'], registers: [registry] });
  const before = heapAfterGc();
  for (let i = 0; i < 100_000; i += 1) h.observe({ method: 'GET', path: rawPath(i), code: '200' }, 0.01);
  for (let i = 0; i < 100_000; i += 1) c.inc({ tenant: `tenant-${i}` });
  const text = await registry.metrics();
  return { heapGrowthBytes: heapAfterGc() - before, series: text.split('\n').filter((l) => l && !l.startsWith('#')).length };
}

function child(side: Side): Figures {
  const out = spawnSync(process.execPath, ['--expose-gc', '--max-old-space-size=4096', '--import', 'tsx', __filename], {
    env: { ...process.env, OBSKIT_BENCH_MEMORY: side },
    encoding: 'utf8',
    timeout: 300_000,
  });
  const line = out.stdout.split('\n').find((l) => l.startsWith('{'));
  if (out.status !== 0 || !line) throw new Error(`${side} failed: ${out.stderr}`);
  return JSON.parse(line) as Figures;
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

export async function run(): Promise<BenchResult[]> {
  const sdk = child('sdk');
  const raw = child('prom-client');
  return [
    {
      name: 'sdk-memory: heap growth, SDK (1M raw paths + 100k label values) ÷ uncapped prom-client labelled by path (100k + 100k)',
      ratio: sdk.heapGrowthBytes / raw.heapGrowthBytes,
      subject: `SDK +${mb(sdk.heapGrowthBytes)}, ${sdk.series} series lines`,
      baseline: `prom-client +${mb(raw.heapGrowthBytes)}, ${raw.series} series lines`,
    },
  ];
}

const side = process.env.OBSKIT_BENCH_MEMORY as Side | undefined;
if (side && require.main === module) {
  void measure(side).then((f) => process.stdout.write(`${JSON.stringify(f)}\n`));
}
