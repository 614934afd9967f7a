/**
 * The live intake test (issue 13): what reaches the stack other than by a scrape, and what is refused at the door,
 * with the real collector (tools/otelcol), the pinned Prometheus and Alertmanager running the configs synth renders
 * (a RenderContext on 127.0.0.1 and free ports, as in pipeline.test.ts), and in-test webhook receivers.
 *
 * - A push-only service (`ingest: 'otlp'`) has no scrape job; two short "runs" push a delta counter over OTLP and
 *   Prometheus shows one cumulative series holding the sum of both; when it stops pushing, ServiceDown fires (from
 *   the freshness of its `target_info`, not from `up`) and reaches both receivers critical is routed to, labelled
 *   with the environment.
 *
 * - With `intake.otlpToken` set, an OTLP push without the token (or with a wrong one) is refused (401); the masked
 *   attribute (`intake.maskAttributes`) arrives as `****`.
 * - A scrape over `sample_limit` fails whole (nothing stored, up = 0) while another target keeps flowing.
 *
 * Loki and Tempo do not run here: the collector's log and trace exporters retry into nothing, which nothing here
 * reads. Every process is started in its own process group and stopped in afterAll (support/processes.ts).
 */
import { logsTraces, stackHealth } from '../../src/mixins';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { renderedRuleFiles } from '../../src/alerts';
import { alertmanagerArgs, secretFile } from '../../src/config/alertmanager';
import type { RenderContext } from '../../src/config/context';
import { collectorArgs, collectorSecretFile } from '../../src/config/otelcol';
import { prometheusArgs } from '../../src/config/prometheus';
import { renderConfigFiles } from '../../src/config/render-all';
import type { StackSpec, StackSpecInput } from '../../src/spec';
import { describeWithTools } from '../support/tools';
import { AlertmanagerApi, PrometheusApi, waitFor } from './support/api';
import { freePorts, Processes, waitUntilReady } from './support/processes';
import { startTempoStandIn, startWebhookReceiver, type TempoStandIn, type WebhookReceiver } from './support/sinks';
import { createHash } from 'node:crypto';
import { liveContext, livePorts, resolve } from './support/stack';

type Json = Record<string, unknown>;

/** The push-only service, its freshness window and ServiceDown's `for`, short so the suite stays within a minute. */
const PUSHER = 'hooks';
const STALE_AFTER = '5s';
const DOWN_FOR = '1s';

const WEBHOOK_SECRET = (key: string) => ({ name: 'intake-webhooks', key });
/** OTLP senders must present this token (intake.otlpToken); the collector reads it from the referenced file. */
const OTLP_TOKEN = 'intake-live-token-4f2a9c';
const AUTH = { authorization: `Bearer ${OTLP_TOKEN}` };

/** Two scraped services with the same sample limit: one exposes more samples than it, one fewer. */
const SAMPLE_LIMIT = 100;
const EXPOSED = { big: 150, small: 10 } as const;
type Scraped = keyof typeof EXPOSED;

function intakeSpecInput(scrapePorts: Record<Scraped, number>): StackSpecInput {
  return {
    namespace: 'observability',
    environment: 'live',
    scrapeInterval: '1s',
    evaluationInterval: '1s',
    mixins: [stackHealth({ serviceDownFor: DOWN_FOR }), logsTraces()],
    services: [
      { name: PUSHER, ingest: 'otlp', staleAfter: STALE_AFTER },
      ...(Object.keys(EXPOSED) as Scraped[]).map((name) => ({ name, host: '127.0.0.1', port: scrapePorts[name], scrapeLimits: { sampleLimit: SAMPLE_LIMIT } })),
    ],
    alerting: {
      receivers: [
        { name: 'pager', type: 'webhook', url: WEBHOOK_SECRET('pager-url') },
        { name: 'chat', type: 'webhook', url: WEBHOOK_SECRET('chat-url') },
      ],
      routes: [
        { severity: 'critical', receiver: ['pager', 'chat'] },
        { severity: 'warning', receiver: 'chat' },
      ],
      groupWait: '1s',
      groupInterval: '2s',
      repeatInterval: '1h',
    },
    intake: { otlpToken: { name: 'intake-otlp', key: 'token' }, maskAttributes: ['session.id'], promoteResourceAttributes: ['service.version'] },
    sampling: { tracesPercent: SAMPLED_PERCENT },
  };
}

/** Head sampling: the share kept, and how many one-span traces are sent through it. */
const SAMPLED_PERCENT = 25;
const TRACES_SENT = 4000;

/** A trace id that looks random (as W3C requires for proportional sampling) but is the same on every run. */
const traceIdOf = (i: number) => createHash('sha256').update(`intake-trace-${i}`).digest('hex').slice(0, 32);

/** One OTLP/JSON export of one-span traces, ids `from` to `to` - 1. */
function spans(from: number, to: number): Json {
  const now = Date.now();
  return {
    resourceSpans: [
      {
        resource: { attributes: [attribute('service.name', 'sampled')] },
        scopeSpans: [
          {
            scope: { name: 'obskit-intake-test' },
            spans: Array.from({ length: to - from }, (_, k) => ({
              traceId: traceIdOf(from + k),
              spanId: traceIdOf(from + k).slice(0, 16),
              name: 'GET /sampled',
              kind: 2,
              startTimeUnixNano: nanos(now - 5),
              endTimeUnixNano: nanos(now),
            })),
          },
        ],
      },
    ],
  };
}

const nanos = (ms: number) => `${BigInt(ms) * 1_000_000n}`;
const attribute = (key: string, value: string) => ({ key, value: { stringValue: value } });

/** One OTLP/JSON export of a monotonic sum with delta temporality: `value` counted between `startMs` and `atMs`. */
function deltaCounter(service: string, name: string, value: number, startMs: number, atMs: number, session = 'run-1'): Json {
  return {
    resourceMetrics: [
      {
        resource: { attributes: [attribute('service.name', service), attribute('session.id', session), attribute('service.version', '1.2.3')] },
        scopeMetrics: [
          {
            scope: { name: 'obskit-intake-test' },
            metrics: [
              {
                name,
                sum: {
                  aggregationTemporality: 1, // AGGREGATION_TEMPORALITY_DELTA
                  isMonotonic: true,
                  dataPoints: [{ asInt: String(value), startTimeUnixNano: nanos(startMs), timeUnixNano: nanos(atMs), attributes: [] }],
                },
              },
            ],
          },
        ],
      },
    ],
  };
}

/** A /metrics endpoint exposing `samples` gauge samples of one metric. */
async function startExposition(name: string, samples: number): Promise<{ port: number; close: () => Promise<void> }> {
  const body = [`# TYPE ${name} gauge`, ...Array.from({ length: samples }, (_, i) => `${name}{n="${i}"} ${i}`), ''].join('\n');
  const server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(body));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as AddressInfo).port, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

async function postOtlp(url: string, body: Json, headers: Record<string, string> = {}): Promise<number> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  await res.arrayBuffer();
  return res.status;
}

describeWithTools('live intake: push-only producers and guards, with the real collector and Prometheus', ['prometheus', 'alertmanager', 'otelcol'], (tools) => {
  const procs = new Processes();
  const closers: (() => Promise<void>)[] = [];
  let dir: string;
  let ctx: RenderContext;
  let spec: StackSpec;
  let prom: PrometheusApi;
  let am: AlertmanagerApi;
  let webhooks: WebhookReceiver;
  let tempo: TempoStandIn;
  let otlpHttp: string;
  let promConfig: Json;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'obskit-intake-'));
    const pool = await freePorts(20);
    let next = 0;
    const ports = livePorts(() => pool[next++]!);
    ctx = liveContext(ports, dir);
    webhooks = await startWebhookReceiver();
    tempo = await startTempoStandIn(ports.tempo.otlpGrpc);
    closers.push(() => webhooks.close(), () => tempo.close());
    const scrapePorts = {} as Record<Scraped, number>;
    for (const name of Object.keys(EXPOSED) as Scraped[]) {
      const server = await startExposition(`intake_${name}_thing`, EXPOSED[name]);
      scrapePorts[name] = server.port;
      closers.push(server.close);
    }
    spec = resolve(intakeSpecInput(scrapePorts));

    mkdirSync(ctx.paths.prometheusRules, { recursive: true });
    for (const [file, content] of Object.entries(renderedRuleFiles(spec, 'compose'))) writeFileSync(join(ctx.paths.prometheusRules, file), content);
    for (const receiver of spec.alerting.receivers) {
      if (receiver.type !== 'webhook') continue;
      const path = secretFile(ctx, receiver.url);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, webhooks.url(`/${receiver.name}`), { mode: 0o600 });
    }
    const token = collectorSecretFile(ctx, spec.intake.otlpToken!);
    mkdirSync(dirname(token), { recursive: true });
    writeFileSync(token, `${OTLP_TOKEN}\n`, { mode: 0o600 });
    const configs = renderConfigFiles(spec, ctx);
    const file = (name: string, content: string) => {
      writeFileSync(join(dir, name), content);
      return join(dir, name);
    };
    promConfig = parseYaml(configs.prometheus) as Json;
    const files = {
      prometheus: file('prometheus.yml', configs.prometheus),
      alertmanager: file('alertmanager.yml', configs.alertmanager),
      collector: file('otelcol.yaml', configs.collector),
    };

    prom = new PrometheusApi(`http://127.0.0.1:${ports.prometheus.http}`);
    am = new AlertmanagerApi(`http://127.0.0.1:${ports.alertmanager.http}`);
    otlpHttp = `http://127.0.0.1:${ports.collector.otlpHttp}`;
    const alertmanager = procs.start('alertmanager', tools.alertmanager, alertmanagerArgs(spec, ctx, { configFile: files.alertmanager, dataDir: join(dir, 'am-data') }));
    await waitUntilReady(alertmanager, `${am.base}/-/ready`);
    const prometheus = procs.start('prometheus', tools.prometheus, prometheusArgs(spec, ctx, { configFile: files.prometheus, dataDir: join(dir, 'prom-data') }));
    await waitUntilReady(prometheus, `${prom.base}/-/ready`);
    const collector = procs.start('otelcol', tools.otelcol, collectorArgs({ configFile: files.collector }));
    await waitUntilReady(collector, `http://127.0.0.1:${ports.collector.health}/`);
  }, 90_000);

  afterAll(async () => {
    await procs.stopAll();
    await Promise.all(closers.splice(0).map((close) => close()));
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  describe('a push-only service', () => {
    const counter = 'intake_jobs';
    let lastPush = 0;
    const push = async (value: number, startMs: number, atMs: number) => {
      expect(await postOtlp(`${otlpHttp}/v1/metrics`, deltaCounter(PUSHER, counter, value, startMs, atMs), AUTH)).toBe(200);
      lastPush = Date.now();
    };

    it('has no scrape job', () => {
      const jobs = (promConfig.scrape_configs as Json[]).map((j) => j.job_name);
      expect(jobs).not.toContain(PUSHER);
    });

    it('keeps one correct counter across two short runs pushing deltas (Prometheus converts them to cumulative)', async () => {
      // Run 1 counts 5 jobs, ends; run 2 starts later with a fresh start time and counts 3.
      const t0 = Date.now();
      await push(5, t0 - 2_000, t0 - 1_000);
      await push(3, t0 - 500, t0);
      const total = await waitFor('the summed counter in Prometheus', async () => {
        const [series] = await prom.query(`${counter}_total{service_name="${PUSHER}"}`);
        return series?.value?.[1] === '8' ? series : undefined;
      }, 20_000);
      // service.version is promoted (intake.promoteResourceAttributes): a label on the series itself.
      expect(total.metric).toMatchObject({ job: PUSHER, service_name: PUSHER, deployment_environment_name: 'live', service_version: '1.2.3' });
      // The freshness series ServiceDown reads, written at each push; session.id (intake.maskAttributes) arrives masked.
      const info = await prom.query(`target_info{job="${PUSHER}"}`);
      expect(info.map((s) => s.metric.session_id)).toEqual(['****']);
    }, 30_000);

    it('is not down while it pushes, and fires ServiceDown to both critical receivers once it stops', async () => {
      const start = Date.now();
      // Keep pushing for longer than staleAfter + downFor: ServiceDown must stay quiet.
      let at = start;
      while (Date.now() - start < 8_000) {
        await push(1, at, Date.now());
        at = Date.now();
        await new Promise((r) => setTimeout(r, 1_000));
      }
      const active = (await prom.alerts()).filter((a) => a.labels.alertname === 'ServiceDown' && a.labels.service_name === PUSHER);
      expect(active.filter((a) => Date.parse(a.activeAt) >= start)).toEqual([]);

      const stopped = lastPush;
      const firing = await waitFor('ServiceDown for the push-only service', async () => {
        const alerts = await prom.alerts();
        return alerts.find((a) => a.labels.alertname === 'ServiceDown' && a.labels.service_name === PUSHER && a.state === 'firing' && Date.parse(a.activeAt) > stopped);
      }, 30_000);
      expect(firing.labels.severity).toBe('critical');
      // Critical goes to two receivers: both get it, labelled with the environment (Prometheus's external_labels).
      for (const path of ['/pager', '/chat']) {
        const delivered = await waitFor(`ServiceDown at ${path}`, () =>
          webhooks.deliveries.find(
            (d) => d.path === path && d.payload.alerts.some((a) => a.labels.alertname === 'ServiceDown' && a.labels.service_name === PUSHER && Date.parse(a.startsAt) > stopped),
          ), 30_000);
        expect(delivered.payload.status).toBe('firing');
        expect(delivered.payload.commonLabels).toMatchObject({ alertname: 'ServiceDown', severity: 'critical', environment: 'live' });
      }
    }, 60_000);
  });

  describe('OTLP with a bearer token (intake.otlpToken)', () => {
    const points = (session: string) => deltaCounter('intruder', 'intake_refused', 1, Date.now() - 1000, Date.now(), session);

    it('refuses a push without the token, or with a wrong one, and accepts it with the token', async () => {
      expect(await postOtlp(`${otlpHttp}/v1/metrics`, points('none'))).toBe(401);
      expect(await postOtlp(`${otlpHttp}/v1/metrics`, points('wrong'), { authorization: 'Bearer not-the-token' })).toBe(401);
      expect(await postOtlp(`${otlpHttp}/v1/metrics`, points('right'), AUTH)).toBe(200);
      await waitFor('the accepted push in Prometheus', async () => ((await prom.query('intake_refused_total')).length > 0 ? true : undefined), 20_000);
      expect((await prom.query('intake_refused_total')).map((s) => s.metric.service_name)).toEqual(['intruder']);
    }, 30_000);
  });

  describe('head sampling (sampling.tracesPercent)', () => {
    it('keeps about the configured share of traces, every span of a kept trace, decided by trace id', async () => {
      for (let from = 0; from < TRACES_SENT; from += 500) {
        expect(await postOtlp(`${otlpHttp}/v1/traces`, spans(from, from + 500), AUTH)).toBe(200);
      }
      // Sent again: the same ids get the same decision (so replicas agree), and nothing new is kept.
      expect(await postOtlp(`${otlpHttp}/v1/traces`, spans(0, 500), AUTH)).toBe(200);
      const sampledSpans = () => tempo.spans.filter((s) => s.resource['service.name'] === 'sampled');
      const ids = () => new Set(sampledSpans().map((s) => s.traceId));
      // Wait until the collector has flushed every batch: the count stops changing for a few polls.
      let last = -1;
      let still = 0;
      await waitFor('the sampled traces at the Tempo stand-in', () => {
        const n = sampledSpans().length;
        still = n === last && n > 0 ? still + 1 : 0;
        last = n;
        return still >= 8 ? true : undefined;
      }, 30_000);
      const kept = ids();
      const share = kept.size / TRACES_SENT;
      // Binomial(4000, 0.25): sd ≈ 27 traces; the ids are fixed, so this is deterministic, not a flaky bound.
      expect(share).toBeGreaterThan(0.2);
      expect(share).toBeLessThan(0.3);
      // Exactly the traces OpenTelemetry's consistent probability sampling keeps: randomness R (the trace id's last
      // 56 bits) at or above the rejection threshold (1 - 25%) × 2^56.
      const threshold = (2n ** 56n * BigInt(100 - SAMPLED_PERCENT)) / 100n;
      const expected = [...Array(TRACES_SENT).keys()].map(traceIdOf).filter((id) => BigInt(`0x${id.slice(18)}`) >= threshold);
      expect([...kept].sort()).toEqual(expected.sort());
      const firstBatch = [...kept].filter((id) => [...Array(500).keys()].some((i) => traceIdOf(i) === id)).length;
      // Every kept trace of the first batch arrived twice (its one span, sent twice); no dropped one came back.
      expect(sampledSpans().length).toBe(kept.size + firstBatch);
      expect(tempo.errors).toEqual([]);
    }, 60_000);
  });

  describe('scrape limits', () => {
    it('reject a scrape over sample_limit as a whole, as Prometheus documents, while other targets keep flowing', async () => {
      // A 1s scrape interval means a 1s scrape timeout: on a loaded machine one scrape may time out, which says
      // nothing about the limit, so wait for a completed scrape of each (the assertions below are unchanged).
      const timedOut = (t: { lastError?: string }) => /deadline exceeded|timeout/i.test(t.lastError ?? '');
      const health = await waitFor('both scraped services to have completed a scrape', async () => {
        const targets = await prom.targets();
        const of = (job: string) => targets.find((t) => t.labels.job === job && t.health !== 'unknown' && !timedOut(t));
        const [big, small] = [of('big'), of('small')];
        return big && small ? { big, small } : undefined;
      }, 45_000);
      expect(health.big.health).toBe('down');
      expect(health.big.lastError).toMatch(/sample limit exceeded/);
      expect(health.small.health).toBe('up');
      // None of the big scrape is stored; all of the small one is.
      expect(await prom.query('count(intake_big_thing)')).toEqual([]);
      const [small] = await prom.query('count(intake_small_thing)');
      expect(small?.value?.[1]).toBe(String(EXPOSED.small));
      const [exceeded] = await prom.query('sum(prometheus_target_scrapes_exceeded_sample_limit_total)');
      expect(Number(exceeded?.value?.[1])).toBeGreaterThan(0);
    }, 60_000);
  });
});
