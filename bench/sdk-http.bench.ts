/**
 * HTTP throughput with the SDK, against bare node:http and against OpenTelemetry's own HTTP
 * auto-instrumentation + metrics SDK + Prometheus exporter. Each server runs in its own child process (this
 * same file, started with OBSKIT_BENCH_SERVER=<variant>) and autocannon loads it over loopback from this
 * process. Variants are interleaved over several short rounds. Other work on the machine only ever slows a
 * round down, so each variant's best round is used: highest req/s, and lowest server CPU time per request
 * (user + system, read from the server process around each round), which is the steadier of the two.
 *
 * Tracing is a no-op in both instrumented variants (no tracer provider registered), so both pay for metrics
 * and context propagation only. The OTel variant opts into the stable HTTP semconv, so it records the same
 * `http.server.request.duration` histogram the SDK records.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import type { BenchResult } from './run';

/** `sdk-lean`: the SDK with `asyncContext: false` (no per-request AsyncLocalStorage scope), for comparison. */
type Variant = 'bare' | 'sdk' | 'sdk-lean' | 'otel';
const VARIANTS: readonly Variant[] = ['bare', 'sdk', 'sdk-lean', 'otel'];
const ROUNDS = Number(process.env.OBSKIT_BENCH_ROUNDS ?? 5);
const SECONDS = Number(process.env.OBSKIT_BENCH_SECONDS ?? 3);
const CONNECTIONS = 32;
const PATH = '/users/12345';
const BODY = '{"ok":true}';

// ---- the servers (child side) ------------------------------------------------------------------------

async function serve(variant: Variant): Promise<void> {
  const load = createRequire(__filename);
  type Listener = (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => void;
  let served = 0;
  const app: Listener = (_req, res) => {
    served += 1;
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': BODY.length });
    res.end(BODY);
  };
  let listener: Listener = app;
  let metricsText: () => Promise<string> = async () => '';
  if (variant === 'sdk' || variant === 'sdk-lean') {
    const { createTelemetry } = await import('../src/sdk');
    const t = createTelemetry({ serviceName: 'bench', http: variant === 'sdk-lean' ? { asyncContext: false } : {} });
    listener = t.http(app, { routes: ['/users/:id'] });
    metricsText = () => t.metrics();
  }
  if (variant === 'otel') {
    process.env.OTEL_SEMCONV_STABILITY_OPT_IN = 'http';
    const { MeterProvider } = load('@opentelemetry/sdk-metrics') as typeof import('@opentelemetry/sdk-metrics');
    const { PrometheusExporter } = load('@opentelemetry/exporter-prometheus') as typeof import('@opentelemetry/exporter-prometheus');
    const { registerInstrumentations } = load('@opentelemetry/instrumentation') as typeof import('@opentelemetry/instrumentation');
    const { HttpInstrumentation } = load('@opentelemetry/instrumentation-http') as typeof import('@opentelemetry/instrumentation-http');
    const exporter = new PrometheusExporter({ preventServerStart: true });
    const meterProvider = new MeterProvider({ readers: [exporter] });
    registerInstrumentations({ instrumentations: [new HttpInstrumentation()], meterProvider });
    metricsText = async () => {
      const { resourceMetrics } = await exporter.collect();
      return JSON.stringify(resourceMetrics.scopeMetrics.flatMap((s) => s.metrics.map((m) => [m.descriptor.name, m.dataPoints.length])));
    };
  }
  // Required after the instrumentation is registered, so OpenTelemetry can patch it.
  const http = load('node:http') as typeof import('node:http');
  const server = http.createServer((req, res) => {
    if (req.url === '/__bench_metrics') {
      void metricsText().then((text) => res.end(text));
      return;
    }
    if (req.url === '/__bench_stats') {
      const cpu = process.cpuUsage();
      res.end(JSON.stringify({ cpuMicros: cpu.user + cpu.system, served }));
      return;
    }
    listener(req, res);
  });
  server.keepAliveTimeout = 30_000;
  server.listen(0, '127.0.0.1', () => {
    process.stdout.write(`${JSON.stringify({ port: (server.address() as AddressInfo).port })}\n`);
  });
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
}

// ---- the driver (bench side) -------------------------------------------------------------------------

interface Running {
  readonly child: ChildProcess;
  readonly port: number;
}

function start(variant: Variant): Promise<Running> {
  const child = spawn(process.execPath, ['--import', 'tsx', __filename], {
    env: { ...process.env, OBSKIT_BENCH_SERVER: variant, NODE_ENV: 'production' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`${variant} server did not start`)), 30_000);
    child.once('exit', (code) => reject(new Error(`${variant} server exited ${code}`)));
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /\{"port":(\d+)\}/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, port: Number(m[1]) });
      }
    });
  });
}

function stop(r: Running): Promise<void> {
  return new Promise((resolve) => {
    const kill = setTimeout(() => r.child.kill('SIGKILL'), 5000);
    r.child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    r.child.kill('SIGTERM');
  });
}

interface Round {
  readonly rps: number;
  /** Server CPU time (user + system) per request served, in µs. */
  readonly cpuPerRequest: number;
}

async function stats(port: number): Promise<{ cpuMicros: number; served: number }> {
  return (await (await fetch(`http://127.0.0.1:${port}/__bench_stats`)).json()) as { cpuMicros: number; served: number };
}

async function load(port: number, seconds: number): Promise<Round> {
  const { default: autocannon } = await import('autocannon');
  const before = await stats(port);
  const result = await autocannon({ url: `http://127.0.0.1:${port}${PATH}`, connections: CONNECTIONS, duration: seconds });
  const after = await stats(port);
  if (result.errors > 0 || result.non2xx > 0) throw new Error(`load errors: ${result.errors} errors, ${result.non2xx} non-2xx`);
  return { rps: result.requests.average, cpuPerRequest: (after.cpuMicros - before.cpuMicros) / (after.served - before.served) };
}

export async function run(): Promise<BenchResult[]> {
  const servers = new Map<Variant, Running>();
  try {
    for (const v of VARIANTS) servers.set(v, await start(v));
    for (const v of VARIANTS) await load((servers.get(v) as Running).port, 2); // warm up (JIT)
    const rounds = new Map<Variant, Round[]>(VARIANTS.map((v) => [v, []]));
    for (let round = 0; round < ROUNDS; round += 1) {
      const order = round % 2 === 0 ? VARIANTS : [...VARIANTS].reverse();
      for (const v of order) rounds.get(v)?.push(await load((servers.get(v) as Running).port, SECONDS));
    }
    // sanity: both instrumented servers really recorded the requests
    for (const v of ['sdk', 'sdk-lean', 'otel'] as const) {
      const res = await fetch(`http://127.0.0.1:${(servers.get(v) as Running).port}/__bench_metrics`);
      const text = await res.text();
      if (!/http_server_request_duration|http\.server\.request\.duration/.test(text)) throw new Error(`${v}: no duration metric recorded`);
    }
    const of = (v: Variant) => rounds.get(v) ?? [];
    const bestRps = (v: Variant) => Math.max(...of(v).map((r) => r.rps));
    const bestCpu = (v: Variant) => Math.min(...of(v).map((r) => r.cpuPerRequest));
    const all = (v: Variant) => of(v).map((r) => `${Math.round(r.rps)}`).join('/');
    const [bare, sdk, lean, otel] = [bestRps('bare'), bestRps('sdk'), bestRps('sdk-lean'), bestRps('otel')];
    const [cpuBare, cpuSdk, cpuLean, cpuOtel] = [bestCpu('bare'), bestCpu('sdk'), bestCpu('sdk-lean'), bestCpu('otel')];
    const sdkOverhead = cpuSdk - cpuBare;
    const otelOverhead = cpuOtel - cpuBare;
    return [
      {
        name: 'sdk-http: req/s with the SDK ÷ bare node:http (best of rounds)',
        ratio: sdk / bare,
        subject: `SDK ${Math.round(sdk)} req/s [${all('sdk')}], ${cpuSdk.toFixed(1)} µs CPU/req`,
        baseline: `bare ${Math.round(bare)} req/s [${all('bare')}], ${cpuBare.toFixed(1)} µs CPU/req; CPU-based capacity ratio ${(cpuBare / cpuSdk).toFixed(3)}`,
        goal: '≥ 0.95',
        met: sdk / bare >= 0.95,
      },
      {
        name: 'sdk-http: req/s with the SDK, asyncContext off ÷ bare node:http (best of rounds)',
        ratio: lean / bare,
        subject: `SDK (asyncContext: false) ${Math.round(lean)} req/s [${all('sdk-lean')}], ${cpuLean.toFixed(1)} µs CPU/req`,
        baseline: `bare ${Math.round(bare)} req/s; CPU-based capacity ratio ${(cpuBare / cpuLean).toFixed(3)}`,
        goal: '≥ 0.95',
        met: lean / bare >= 0.95,
      },
      {
        name: 'sdk-http: SDK overhead ÷ OpenTelemetry (http instrumentation + metrics SDK + Prometheus exporter) overhead, server CPU per request',
        ratio: sdkOverhead / otelOverhead,
        subject: `SDK +${sdkOverhead.toFixed(2)} µs CPU/req`,
        baseline: `OTel +${otelOverhead.toFixed(2)} µs CPU/req (OTel ${Math.round(otel)} req/s [${all('otel')}], ${cpuOtel.toFixed(1)} µs CPU/req)`,
        goal: '≤ 0.5',
        met: sdkOverhead / otelOverhead <= 0.5,
      },
    ];
  } finally {
    await Promise.all([...servers.values()].map(stop));
  }
}

const child = process.env.OBSKIT_BENCH_SERVER as Variant | undefined;
if (child && require.main === module) void serve(child);
