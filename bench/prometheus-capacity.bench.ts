/**
 * What one Prometheus of obskit's default size holds: the pinned Prometheus (~/.cache/obskit/tools/bin) runs with
 * the flags and the prometheus.yml obskit generates (prometheusArgs, renderPrometheusConfig, on loopback) for a
 * fleet of SERVICE_STEPS[i] services, each one scrape target, as `ingest: 'scrape'` (the default) makes it: one job
 * per service, the default 15 s interval and scrape limits. In-process HTTP servers play the services (one
 * loopback port each: obskit refuses two services at one host:port), serving the http mixin's histogram (`http_server_request_duration_seconds`, the OpenTelemetry HTTP semconv
 * buckets) for ROUTES routes × CODES, with counters that grow with time so every sample is a new value.
 *
 * Scraping, not OTLP or remote-write push, because that is how obskit's default spec gets service metrics; the
 * cost of the TSDB (series, head chunks, postings) is the same whichever way samples arrive.
 *
 * At each step the config grows (SIGHUP reloads it), and once the head holds the step's series and a few scrapes
 * have gone by, Prometheus's own metrics are read: head series, RSS, Go heap in use, samples appended per second
 * and CPU used over the window, and scrape durations. The run stops after the step where RSS passes the default
 * memory limit. Prints a table (markdown) for docs/scaling.md; returns no goal (a capacity, not a ratio).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus, homedir, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { prometheusArgs, renderPrometheusConfig } from '../src/config/prometheus';
import { toYaml } from '../src/output/yaml';
import { defaults, parsePrometheusDuration, resolveSpec } from '../src/spec';
import { PrometheusApi, waitFor } from '../test/live/support/api';
import { freePorts, Processes, waitUntilReady } from '../test/live/support/processes';
import { liveContext, livePorts } from '../test/live/support/stack';
import type { BenchResult } from './run';

const PROMETHEUS = join(homedir(), '.cache', 'obskit', 'tools', 'bin', 'prometheus');
const SERVICE_STEPS = [100, 500, 1000, 2000, 3000];
const ROUTES = 10;
/** (method, status code) pairs each route answers with. */
const CODES = [['GET', '200'], ['GET', '404'], ['POST', '500']] as const;
const BUCKETS = ['0.005', '0.01', '0.025', '0.05', '0.075', '0.1', '0.25', '0.5', '0.75', '1', '2.5', '5', '7.5', '10', '+Inf'];
/** Series per service: buckets + _sum + _count, per route and code. */
export const SERIES_PER_SERVICE = ROUTES * CODES.length * (BUCKETS.length + 2);
/** Scrapes to wait, once every target has been scraped, before reading the window. */
const SETTLE_SCRAPES = 2;
const WINDOW_SCRAPES = 2;

const memoryLimitBytes = (): number => {
  const limit = defaults.resources.prometheus.limits.memory; // e.g. '2Gi'
  const m = /^(\d+)(Mi|Gi)$/.exec(limit);
  if (!m) throw new Error(`prometheus-capacity: cannot read the default memory limit "${limit}"`);
  return Number(m[1]) * (m[2] === 'Gi' ? 2 ** 30 : 2 ** 20);
};

/** `/metrics`: a service's histogram, in Prometheus text format, its counters grown with time. */
function serveService(req: IncomingMessage, res: ServerResponse): void {
  if (req.url !== '/metrics') {
    res.writeHead(404).end();
    return;
  }
  const seconds = Date.now() / 1000;
  const lines: string[] = ['# TYPE http_server_request_duration_seconds histogram'];
  for (let r = 0; r < ROUTES; r += 1) {
    for (const [c, [method, code]] of CODES.entries()) {
      const count = Math.floor(seconds * (r + 1) * (c === 0 ? 5 : 0.05));
      const labels = `http_request_method="${method}",http_response_status_code="${code}",http_route="/api/v1/resource-${r}/{id}"`;
      for (const [b, le] of BUCKETS.entries()) {
        lines.push(`http_server_request_duration_seconds_bucket{${labels},le="${le}"} ${Math.floor((count * (b + 1)) / BUCKETS.length)}`);
      }
      lines.push(`http_server_request_duration_seconds_sum{${labels}} ${(count * 0.087).toFixed(3)}`);
      lines.push(`http_server_request_duration_seconds_count{${labels}} ${count}`);
    }
  }
  res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(`${lines.join('\n')}\n`);
}

interface Step {
  readonly services: number;
  readonly headSeries: number;
  readonly rssBytes: number;
  readonly heapInuseBytes: number;
  readonly samplesPerSecond: number;
  readonly cpuCores: number;
  readonly scrapeSecondsAvg: number;
  readonly scrapeSecondsMax: number;
}

const scalar = async (prom: PrometheusApi, expr: string): Promise<number> => Number((await prom.query(expr))[0]?.value?.[1] ?? NaN);

async function measure(prom: PrometheusApi, services: number, intervalMs: number): Promise<Step> {
  const expected = services * SERIES_PER_SERVICE;
  const fleetUp = `count(up{job=~"svc-.*"} == 1)`;
  await waitFor(`${services} services scraped`, async () => ((await scalar(prom, fleetUp)) >= services ? true : undefined), 10 * intervalMs + 120_000);
  await new Promise((r) => setTimeout(r, SETTLE_SCRAPES * intervalMs));
  // Prometheus's own metrics, read from its /metrics at both ends of the window (what it scrapes of itself is up
  // to an interval old); a name with several series (samples appended by type) is summed.
  const ownMetrics = async () => {
    const text = await (await fetch(`${prom.base}/metrics`)).text();
    return (name: string) => [...text.matchAll(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'gm'))].reduce((sum, m) => sum + Number(m[1]), 0);
  };
  const startedAt = Date.now();
  const before = await ownMetrics();
  await new Promise((r) => setTimeout(r, WINDOW_SCRAPES * intervalMs));
  const own = await ownMetrics();
  const seconds = (Date.now() - startedAt) / 1000;
  const window = `${Math.round(seconds)}s`;
  const rate = (name: string) => (own(name) - before(name)) / seconds;
  const headSeries = own('prometheus_tsdb_head_series');
  if (headSeries < expected) throw new Error(`head holds ${headSeries} series, expected at least ${expected}`);
  return {
    services,
    headSeries,
    rssBytes: own('process_resident_memory_bytes'),
    heapInuseBytes: own('go_memstats_heap_inuse_bytes'),
    samplesPerSecond: rate('prometheus_tsdb_head_samples_appended_total'),
    cpuCores: rate('process_cpu_seconds_total'),
    scrapeSecondsAvg: await scalar(prom, `avg(avg_over_time(scrape_duration_seconds{job=~"svc-.*"}[${window}]))`),
    scrapeSecondsMax: await scalar(prom, `max(max_over_time(scrape_duration_seconds{job=~"svc-.*"}[${window}]))`),
  };
}

const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(0);

function table(steps: readonly Step[]): string {
  const rows = steps.map((s) =>
    [
      s.services,
      s.headSeries.toLocaleString('en'),
      mib(s.rssBytes),
      mib(s.heapInuseBytes),
      ((s.rssBytes / s.headSeries) * 1e6 / 2 ** 30).toFixed(2),
      ((s.heapInuseBytes / s.headSeries) * 1e6 / 2 ** 30).toFixed(2),
      Math.round(s.samplesPerSecond).toLocaleString('en'),
      s.cpuCores.toFixed(2),
      `${(s.scrapeSecondsAvg * 1000).toFixed(0)} / ${(s.scrapeSecondsMax * 1000).toFixed(0)}`,
    ].join(' | '),
  );
  return [
    '| services | head series | RSS MiB | heap in use MiB | RSS GiB per 1M series | heap GiB per 1M series | samples/s appended | CPU cores | scrape ms avg / max |',
    '|---|---|---|---|---|---|---|---|---|',
    ...rows.map((r) => `| ${r} |`),
  ].join('\n');
}

export async function run(): Promise<BenchResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'obskit-bench-capacity-'));
  const procs = new Processes();
  const fleet: Server[] = [];
  try {
    const servicePorts: number[] = [];
    const listen = async (count: number) => {
      while (fleet.length < count) {
        const server = createServer(serveService);
        await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
        fleet.push(server);
        servicePorts.push((server.address() as AddressInfo).port);
      }
    };
    const pool = await freePorts(40);
    let next = 0;
    const ctx = liveContext(livePorts(() => pool[next++]!), dir);
    mkdirSync(ctx.paths.prometheusRules, { recursive: true });
    const configFile = join(dir, 'prometheus.yml');
    const writeConfig = async (services: number) => {
      await listen(services);
      const spec = resolveSpec({
        namespace: 'bench',
        services: Array.from({ length: services }, (_, i) => ({ name: `svc-${i}`, host: '127.0.0.1', port: servicePorts[i]! })),
      });
      writeFileSync(configFile, toYaml(renderPrometheusConfig(spec, ctx)));
      return spec;
    };
    const spec = await writeConfig(SERVICE_STEPS[0]!);
    const intervalMs = parsePrometheusDuration(spec.scrapeInterval) ?? 15_000;
    const prometheus = procs.start('prometheus', PROMETHEUS, prometheusArgs(spec, ctx, { configFile, dataDir: join(dir, 'data') }));
    const prom = new PrometheusApi(`http://127.0.0.1:${ctx.ports.prometheus.http}`);
    await waitUntilReady(prometheus, `${prom.base}/-/ready`);
    const limit = memoryLimitBytes();
    const steps: Step[] = [];
    for (const services of SERVICE_STEPS) {
      await writeConfig(services);
      process.kill(prometheus.pid, 'SIGHUP');
      const step = await measure(prom, services, intervalMs);
      steps.push(step);
      console.error(`prometheus-capacity: ${services} services, ${step.headSeries} series, RSS ${mib(step.rssBytes)} MiB, heap ${mib(step.heapInuseBytes)} MiB`);
      if (step.rssBytes > limit) break;
    }
    const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`;
    console.log(`\nprometheus-capacity (${SERIES_PER_SERVICE} series per service, scrape every ${spec.scrapeInterval}, default limit ${mib(limit)} MiB; ${new Date().toISOString()}, ${machine}):\n${table(steps)}\n`);
    const last = steps[steps.length - 1]!;
    const rssPerSeries = last.rssBytes / last.headSeries;
    return [
      {
        name: `prometheus-capacity RSS per 1M series (at ${last.headSeries.toLocaleString('en')} series)`,
        ratio: (rssPerSeries * 1e6) / limit,
        subject: `${((rssPerSeries * 1e6) / 2 ** 30).toFixed(2)} GiB RSS per 1M series; ~${Math.round(limit / rssPerSeries).toLocaleString('en')} series at the limit (extrapolated)`,
        baseline: `the default memory limit ${mib(limit)} MiB`,
      },
    ];
  } finally {
    await procs.stopAll();
    await Promise.all(fleet.map((server) => new Promise((r) => server.close(r))));
    rmSync(dir, { recursive: true, force: true });
  }
}
