/**
 * The live pipeline test (issue 7): the generated stack, run for real on this machine, proves every panel and alert.
 *
 * No container engine runs here, so the real programs run natively on loopback, with the generated configs: the
 * pinned Prometheus (3.15, built from its Go module), the pinned Alertmanager (0.34.2) and the collector built for CI
 * (tools/otelcol), plus the SDK's demo service. Configs are rendered by the same renderers synth uses, with a
 * RenderContext that changes only hosts (127.0.0.1), ports (free loopback ports), the listen address (127.0.0.1) and
 * paths (a temporary folder); the first test proves that against the files synth writes for the same spec (test/fixtures/demo-spec.ts). What the spec
 * changes (short intervals and `for`s so the suite takes about a minute, webhook receivers) goes through the spec,
 * as a user would do it: see support/stack.ts.
 *
 * Grafana, Loki and Tempo are AGPL programs, never built or run here. The collector's Tempo and Loki exporters go to
 * in-test stand-ins (support/sinks.ts) that decode what arrives: spans over OTLP gRPC, log records at Loki's native
 * OTLP/HTTP endpoint. The dashboards' TraceQL and LogQL are parsed with Grafana's lezer grammars and evaluated
 * against what the stand-ins received (support/traceql.ts, support/logql.ts). Prometheus still scrapes tempo, loki
 * and grafana as configured and finds them down, which the expectations below account for.
 *
 * Timeline: start everything (a few seconds), deterministic traffic with ~0.14% server errors (support/traffic.ts),
 * then an error burst (50% errors) until ServiceErrorRatioHigh (warning) and the availability ErrorBudgetBurnFast
 * (critical) have fired and reached their webhooks, then every query of every dashboard and every recording rule
 * is run against the running Prometheus (and every LogQL and TraceQL query against the stand-ins' records). Every
 * process is started in its own process group and stopped (SIGTERM,
 * then SIGKILL) by the last test and again in afterAll, with a reaper in case the test process dies first (see
 * support/processes.ts); nothing listens beyond 127.0.0.1.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { alertmanagerArgs, secretFile } from '../../src/config/alertmanager';
import { renderContext, type Ports, type RenderContext } from '../../src/config/context';
import { DATASOURCE_UIDS } from '../../src/config/grafana';
import { CONTAINER_FILES } from '../../src/config/files';
import { lokiArgs } from '../../src/config/loki';
import { collectorArgs } from '../../src/config/otelcol';
import { prometheusArgs } from '../../src/config/prometheus';
import { renderConfigFiles } from '../../src/config/render-all';
import { buildDashboards } from '../../src/dashboards';
import { panelsOf, substituteVariables } from '../../src/dashboards/check';
import { renderedRuleFiles, ruleFiles, renderRuleFile, type RuleGroup } from '../../src/alerts';
import { isAlertRule } from '../../src/alerts/model';
import type { StackSpec } from '../../src/spec';
import { stack } from '../fixtures/demo-spec';
import { configOf } from '../../src/mixin';
import type { httpParams } from '../../src/mixins/http/config';
import { describeWithTools } from '../support/tools';
import { AlertmanagerApi, PrometheusApi, waitFor, type Series } from './support/api';
import { evaluateLogQL, lokiRecord, type LokiRecord } from './support/logql';
import { freePorts, groupAlive, listeningSockets, Processes, type Managed, waitUntilReady } from './support/processes';
import { LOKI_OTLP_PATH, startLokiStandIn, startTempoStandIn, startWebhookReceiver, type LokiStandIn, type TempoStandIn, type WebhookReceiver } from './support/sinks';
import {
  committed,
  DEMO,
  differences,
  liveContext,
  livePorts,
  liveSpecInput,
  loopbackSpecInput,
  OVERRIDES,
  REPO,
  resolve,
  substitute,
  substitutions,
  WEBHOOKS,
} from './support/stack';

type HttpParams = typeof httpParams;
import { evaluateTraceQL, parseTraceQL } from './support/traceql';
import { send, Traffic } from './support/traffic';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Requests per second the traffic driver sends to the demo. */
const RPS = 20;
/** Step of the dashboards' range queries, in seconds. */
const STEP_SECONDS = 2;
/** Traffic before the burst: enough for every rate window and recording rule to have samples. */
const BASELINE_MS = 20_000;

/** Requests sent with a known W3C traceparent, to follow through the collector. */
const PARENT_SPAN = '00f067aa0ba902b7';
const TRACES = {
  checkout: '4bf92f3577b34da6a3ce929d0e0e4736',
  read: '0af7651916cd43dd8448eb211c80319c',
  fail: 'a3ce929d0e0e47364bf92f3577b34da6',
} as const;
const traceparent = (traceId: string) => `00-${traceId}-${PARENT_SPAN}-01`;

/** Scrape jobs whose programs cannot run here (their `up` is 0, and TargetDown fires for them), and why. */
const DOWN_JOBS: Readonly<Record<string, string>> = {
  tempo: 'Tempo does not run here: nothing serves its HTTP port (its OTLP gRPC port is the in-test stand-in)',
  loki: 'Loki does not run here: its HTTP port is the in-test OTLP stand-in, which serves no /metrics',
  grafana: 'Grafana does not run here: nothing serves its port',
};
const UP_JOBS = ['prometheus', 'otel-collector', 'alertmanager', DEMO];

/**
 * Dashboard queries that are legitimately empty here: by dashboard, panel and the metric the query reads, why, and
 * whether it must be empty (it needs a component that cannot run here) or may be (it needs an event that did not
 * happen); `alone` when it is its panel's only query, so the whole panel may be empty. Any other empty query, and any
 * other empty panel, fails the suite.
 */
const LEGITIMATELY_EMPTY: readonly { dashboard: string; panel: string; metric: string; reason: string; always: boolean; alone?: true }[] = [
  ...['lines received', 'bytes received', 'lines discarded'].map((what, i) => ({
    dashboard: 'stack-health.json',
    panel: `Loki: ${what}`,
    metric: ['loki_distributor_lines_received_total', 'loki_distributor_bytes_received_total', 'loki_discarded_samples_total'][i]!,
    reason: DOWN_JOBS.loki!,
    always: true,
  })),
  ...['spans received', 'bytes received', 'spans discarded'].map((what, i) => ({
    dashboard: 'stack-health.json',
    panel: `Tempo: ${what}`,
    metric: ['tempo_distributor_spans_received_total', 'tempo_distributor_bytes_received_total', 'tempo_discarded_spans_total'][i]!,
    reason: DOWN_JOBS.tempo!,
    always: true,
  })),
  ...['spans', 'metric points', 'log records'].map((signal) => ({
    dashboard: 'stack-health.json',
    panel: `Collector: ${signal}`,
    metric: `otelcol_exporter_send_failed_${signal.replace(' ', '_')}_total`,
    reason:
      'no export failed: the collector creates its send-failed counters at the first failure (test/config/otelcol.test.ts shows ' +
      'them with an unreachable backend); the panel\'s accepted, refused and sent lines have data',
    always: false,
  })),
  {
    dashboard: 'runtime.json',
    panel: 'Open handles',
    metric: 'nodejs_active_requests',
    reason:
      'no libuv request (file system, DNS) was pending at any scrape: prom-client reports a series per request type only while ' +
      'one is pending, and the SDK drops the always-present nodejs_active_requests_total (a gauge named _total); the ' +
      'panel\'s handles line has data',
    always: false,
  },
];
const legitimatelyEmpty = (dashboard: string, panel: string, expr: string) =>
  LEGITIMATELY_EMPTY.find((e) => e.dashboard === dashboard && e.panel === panel && new RegExp(`\\b${e.metric}\\b`).test(expr));

/** What Grafana would put in place of the variables (multi-value "All" is the variables' allValue `.+`). */
const VARIABLE_VALUES = {
  service_name: DEMO,
  instance: '.+',
  route: '.+',
  search: '',
  __rate_interval: '1m',
  __interval: '15s',
  __range: '1h',
  __auto: '1m',
};

describeWithTools('live pipeline: the generated stack running on this machine', ['prometheus', 'alertmanager', 'otelcol'], (tools) => {
  const procs = new Processes();
  const timeline: Record<string, number> = {};
  /** Stopped first: what sends traffic. Closed last: the in-test servers (after the programs that talk to them). */
  const drivers: (() => void)[] = [];
  const servers: (() => Promise<void>)[] = [];
  const stopEverything = async () => {
    for (const stop of drivers.splice(0)) stop();
    await procs.stopAll();
    await Promise.all(servers.splice(0).map((close) => close()));
  };
  let dir: string;
  let ports: Ports;
  let demoPort: number;
  let ctx: RenderContext;
  let spec: StackSpec;
  let loopbackSpec: StackSpec;
  let tempo: TempoStandIn;
  let loki: LokiStandIn;
  let webhooks: WebhookReceiver;
  let prom: PrometheusApi;
  let am: AlertmanagerApi;
  let traffic: Traffic;
  let demo: Managed;
  const files = { prometheus: '', alertmanager: '', collector: '', loki: '', promData: '', amData: '' };
  const mark = (event: string) => (timeline[event] ??= Date.now());
  const summary: { queries?: number; emptyQueries?: string[] } = {};

  /** Waits for a readiness URL, failing early (with the program's output) if the program exits. */
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'obskit-live-'));
    const pool = await freePorts(20);
    let next = 0;
    ports = livePorts(() => pool[next++]!);
    demoPort = pool[next++]!;
    ctx = liveContext(ports, dir);
    loopbackSpec = resolve(loopbackSpecInput(demoPort));
    spec = resolve(liveSpecInput(demoPort));

    // The stand-ins, at the ports the configs name for Tempo's OTLP gRPC and Loki's HTTP, and the webhooks.
    webhooks = await startWebhookReceiver();
    tempo = await startTempoStandIn(ports.tempo.otlpGrpc);
    loki = await startLokiStandIn(ports.loki.http);
    servers.push(() => webhooks.close(), () => tempo.close(), () => loki.close());

    // Files where ctx.paths says, rendered exactly as synth renders them (plus the webhook URLs as secrets).
    mkdirSync(ctx.paths.prometheusRules, { recursive: true });
    for (const [file, content] of Object.entries(renderedRuleFiles(spec, 'compose'))) writeFileSync(join(ctx.paths.prometheusRules, file), content);
    for (const receiver of spec.alerting.receivers) {
      if (receiver.type !== 'webhook') continue;
      const path = secretFile(ctx, receiver.url);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, webhooks.url(`/${receiver.name}`), { mode: 0o600 });
    }
    Object.assign(files, {
      prometheus: join(dir, 'prometheus.yml'),
      alertmanager: join(dir, 'alertmanager.yml'),
      collector: join(dir, 'otelcol.yaml'),
      loki: join(dir, 'loki.yaml'),
      promData: join(dir, 'prometheus-data'),
      amData: join(dir, 'alertmanager-data'),
    });
    const configs = renderConfigFiles(spec, ctx);
    writeFileSync(files.prometheus, configs.prometheus);
    writeFileSync(files.alertmanager, configs.alertmanager);
    writeFileSync(files.collector, configs.collector);
    writeFileSync(files.loki, configs.loki); // not run: compared with the committed file by the first test

    // In an order compose's depends_on allows: Alertmanager; then Prometheus (which would otherwise evaluate the
    // Watchdog before Alertmanager listens, and drop it until its resend a minute later); then the collector (which
    // exports to Prometheus and the stand-ins), then the demo.
    prom = new PrometheusApi(`http://127.0.0.1:${ports.prometheus.http}`);
    am = new AlertmanagerApi(`http://127.0.0.1:${ports.alertmanager.http}`);
    const alertmanager = procs.start('alertmanager', tools.alertmanager, alertmanagerArgs(spec, ctx, { configFile: files.alertmanager, dataDir: files.amData }));
    await waitUntilReady(alertmanager, `${am.base}/-/ready`);
    const prometheus = procs.start('prometheus', tools.prometheus, prometheusArgs(spec, ctx, { configFile: files.prometheus, dataDir: files.promData }));
    await waitUntilReady(prometheus, `${prom.base}/-/ready`);
    const collector = procs.start('otelcol', tools.otelcol, collectorArgs({ configFile: files.collector }));
    await waitUntilReady(collector, `http://127.0.0.1:${ports.collector.health}/`);
    demo = procs.start('demo', process.execPath, ['--import', 'tsx', join('src', 'sdk', 'demo', 'main.ts')], {
      cwd: REPO,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        PORT: String(demoPort),
        HOST: '127.0.0.1',
        DEMO_LOAD_RPS: '0', // the test drives traffic itself, deterministically
        DEMO_ERROR_RATE: '0',
        OTEL_SERVICE_NAME: DEMO,
        OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${ports.collector.otlpHttp}`,
        // deployment.environment.name is left out on purpose: the collector's resource processor adds it.
        OTEL_RESOURCE_ATTRIBUTES: 'service.version=live-test,service.namespace=obskit',
        OTEL_BSP_SCHEDULE_DELAY: '200',
        OTEL_BLRP_SCHEDULE_DELAY: '200',
        LOG_LEVEL: 'info',
        SHUTDOWN_DRAIN_DELAY_MS: '0',
      },
    });
    await waitUntilReady(demo, `http://127.0.0.1:${demoPort}/health/ready`);
    mark('ready');

    // Requests with known trace ids, then the steady traffic.
    expect(await send(demoPort, 'POST', '/api/checkout', { traceparent: traceparent(TRACES.checkout) })).toBeGreaterThanOrEqual(200);
    expect(await send(demoPort, 'GET', '/api/orders/42', { traceparent: traceparent(TRACES.read) })).toBe(200);
    expect(await send(demoPort, 'GET', '/api/fail', { traceparent: traceparent(TRACES.fail) })).toBe(500);
    traffic = new Traffic(demoPort, RPS);
    traffic.start();
    drivers.push(() => traffic.stop());
    mark('traffic');

    // The SDK exposes metrics for scraping, not over OTLP. The collector's metrics pipeline (→ Prometheus's native
    // OTLP receiver) is for services that push OTLP metrics: the test plays one, every second.
    let pushes = 0;
    const push = setInterval(() => {
      pushes += 1;
      const now = `${Date.now()}000000`;
      void fetch(`http://127.0.0.1:${ports.collector.otlpHttp}/v1/metrics`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          resourceMetrics: [
            {
              resource: { attributes: [{ key: 'service.name', value: { stringValue: 'live-probe' } }] },
              scopeMetrics: [
                {
                  metrics: [
                    {
                      name: 'obskit.live.probe',
                      sum: { aggregationTemporality: 2, isMonotonic: true, dataPoints: [{ asInt: String(pushes), startTimeUnixNano: String(timeline.traffic! * 1e6), timeUnixNano: now }] },
                    },
                  ],
                },
              ],
            },
          ],
        }),
      }).then((r) => r.arrayBuffer(), () => undefined);
    }, 1000);
    drivers.push(() => clearInterval(push));
  }, 120_000);

  afterAll(async () => {
    await stopEverything();
    if (dir) rmSync(dir, { recursive: true, force: true });
    const t0 = timeline.traffic ?? 0;
    const rel = Object.entries(timeline)
      .sort((a, b) => a[1] - b[1])
      .map(([event, at]) => `  ${((at - t0) / 1000).toFixed(1).padStart(6)}s  ${event}`);
    process.stderr.write(
      `live pipeline timeline (seconds after traffic started):\n${rel.join('\n')}\n` +
        `stopped: ${procs.stops.map((s) => `${s.name} ${s.ms} ms${s.killed ? ' (SIGKILL)' : ''}`).join(', ')}\n` +
        (summary.queries ? `dashboard queries run: ${summary.queries}; empty (legitimately):\n${(summary.emptyQueries ?? []).map((q) => `  ${q}`).join('\n')}\n` : ''),
    );
  }, 30_000);

  it('runs the committed configs with only addresses, ports and paths changed', () => {
    const composeCtx = renderContext('compose');
    const from = { ctx: composeCtx, spec: resolve(stack) };
    const to = { ctx, spec: loopbackSpec };
    const live = renderConfigFiles(to.spec, to.ctx);
    const cases = [
      ['compose/otelcol/config.yaml', 'collector'],
      ['compose/prometheus/prometheus.yml', 'prometheus'],
      ['compose/alertmanager/alertmanager.yml', 'alertmanager'],
      ['compose/loki/loki.yaml', 'loki'],
    ] as const;
    for (const [file, component] of cases) {
      const { text, count } = substitute(committed(file), substitutions(component, from, to));
      // alertmanager.yml of the default spec names no address or path at all (no receivers, so no secret files).
      expect({ file, substituted: count > 0 }).toEqual({ file, substituted: component !== 'alertmanager' });
      expect({ file, text }).toEqual({ file, text: live[component] });
    }
    // The rule files have no address in them: identical.
    for (const [file, content] of Object.entries(renderedRuleFiles(loopbackSpec, 'compose'))) {
      expect({ file, text: committed(`dist/rules/${file}`) }).toEqual({ file, text: content });
    }
    // The command-line flags compose runs Prometheus and Alertmanager with, likewise (plus the files' own paths).
    const compose = parseYaml(committed('compose/docker-compose.yaml')) as { services: Record<string, { command: string[] }> };
    const flags = [
      ['prometheus', 'prometheus', prometheusArgs(loopbackSpec, ctx, { configFile: files.prometheus, dataDir: files.promData }), [CONTAINER_FILES.prometheusConfig, files.prometheus], [CONTAINER_FILES.prometheusData, files.promData]],
      ['alertmanager', 'alertmanager', alertmanagerArgs(loopbackSpec, ctx, { configFile: files.alertmanager, dataDir: files.amData }), [CONTAINER_FILES.alertmanagerConfig, files.alertmanager], [CONTAINER_FILES.alertmanagerData, files.amData]],
    ] as const;
    for (const [service, component, live, config, data] of flags) {
      const pairs = new Map([...substitutions(component, from, to), config, data]);
      expect(compose.services[service]!.command.map((arg) => substitute(arg, pairs).text)).toEqual(live);
    }
    const collectorPairs = new Map([[CONTAINER_FILES.collectorConfig, files.collector]]);
    expect(compose.services['otel-collector']!.command.map((arg) => substitute(arg, collectorPairs).text)).toEqual(collectorArgs({ configFile: files.collector }));
    const lokiPairs = new Map([[CONTAINER_FILES.lokiConfig, files.loki]]);
    expect(compose.services.loki!.command.map((arg) => substitute(arg, lokiPairs).text)).toEqual(lokiArgs({ configFile: files.loki }));
  });

  it('changes the spec only where a user would: the demo address, intervals, receivers and alert `for`s', () => {
    const changed = differences(resolve(stack), spec);
    const allowed = [
      'services[0].host',
      'services[0].port',
      'scrapeInterval',
      'evaluationInterval',
      'alerting.receivers',
      'alerting.routes',
      'alerting.watchdogReceiver',
      'alerting.groupWait',
      'alerting.groupInterval',
      'alerting.repeatInterval',
      'alerting.overrides',
    ];
    expect(changed.filter((path) => !allowed.some((a) => path === a || path.startsWith(`${a}.`) || path.startsWith(`${a}[`)))).toEqual([]);
    // In the rule files, only the overridden alerts differ, and only in `for` and the description that states it. An
    // overridden alert written once for many services or SLOs puts its own in an alerting class of their own (label
    // `class`, `slo_alerts` for SLOs), so the class name may differ on their recorded data, the class's alert rules and
    // a period's rule (which lists its classes), and the overridden class adds its own alerts.
    const plain = (groups: RuleGroup[]) => JSON.parse(JSON.stringify(renderRuleFile(groups))) as { groups: { name: string; rules: Json[] }[] };
    const classless = (rule: Json): Json => {
      const { slo_alerts: _sloClass, class: _class, ...labels } = (rule.labels ?? {}) as Record<string, string>; // eslint-disable-line @typescript-eslint/no-unused-vars
      const expr = typeof rule.expr === 'string' ? rule.expr.replace(/\b(slo_alerts|class)(=~?)"[^"]*"/g, '$1$2"…"') : rule.expr;
      return { ...rule, expr, ...(rule.labels ? { labels } : {}) };
    };
    const committedRules = ruleFiles(resolve(stack), 'compose');
    const liveRules = ruleFiles(spec, 'compose');
    const overridden = new Set<string>(OVERRIDES.map((o) => o.alert));
    const changedAlerts = new Set<string>();
    expect(liveRules.map((f) => f.file)).toEqual(committedRules.map((f) => f.file));
    committedRules.forEach(({ groups }, i) => {
      const a = plain(groups);
      const b = plain(liveRules[i]!.groups);
      expect(b.groups.map((g) => g.name)).toEqual(a.groups.map((g) => g.name));
      a.groups.forEach((group, g) => {
        const before = group.rules.map(classless);
        const after = b.groups[g]!.rules.map(classless);
        const same = (x: Json) => (y: Json) => differences(x, y).length === 0;
        for (const rule of [...after, ...before]) {
          if (before.some(same(rule)) && after.some(same(rule))) continue;
          expect({ alert: rule.alert, overridden: overridden.has(String(rule.alert)) }).toEqual({ alert: rule.alert, overridden: true });
          const counterpart = [...before, ...after].find((other) => other !== rule && other.alert === rule.alert);
          expect(differences(rule, counterpart!).filter((d) => d !== 'for' && d !== 'annotations.description')).toEqual([]);
          changedAlerts.add(String(rule.alert));
        }
      });
    });
    expect([...changedAlerts].sort()).toEqual([...overridden].sort());
  });

  it('listens on 127.0.0.1 only', () => {
    // The programs, and this process (the stand-ins and the webhook receiver).
    const sockets = listeningSockets([...procs.list.map((m) => m.pid), process.pid]);
    if (sockets === undefined) return; // no /proc: nothing to look at
    expect(sockets.filter((s) => s.address !== '127.0.0.1' && s.address !== '::ffff:127.0.0.1')).toEqual([]);
    const ports = new Set(sockets.map((s) => s.port));
    // The collector's trace-routing port is Kubernetes's with tail sampling only (several replicas).
    const collectorPorts = Object.entries(ctx.ports.collector).filter(([name]) => name !== 'otlpRouted').map(([, port]) => port);
    const expected = [ctx.ports.prometheus.http, ctx.ports.alertmanager.http, ...collectorPorts, demoPort, tempo.port, loki.port, webhooks.port];
    for (const port of expected) {
      expect({ port, listening: ports.has(port) }).toEqual({ port, listening: true });
    }
  });

  it('scrapes every target that runs here; tempo, loki and grafana are down (they do not run here)', async () => {
    const targets = await waitFor('every target to be scraped once', async () => {
      const t = await prom.targets();
      return t.length > 0 && t.every((x) => x.health !== 'unknown') ? t : undefined;
    }, 20_000);
    const health = Object.fromEntries(targets.map((t) => [t.labels.job, t.health]));
    expect(health).toEqual({ ...Object.fromEntries(UP_JOBS.map((j) => [j, 'up'])), ...Object.fromEntries(Object.keys(DOWN_JOBS).map((j) => [j, 'down'])) });
    for (const t of targets) expect(t.scrapeUrl.startsWith('http://127.0.0.1:')).toBe(true);
    expect(targets.find((t) => t.labels.job === 'loki')?.scrapeUrl).toBe(`http://127.0.0.1:${ctx.ports.loki.http}/metrics`);
    expect(targets.find((t) => t.labels.job === 'tempo')?.lastError).toMatch(/connection refused/);
    // The Loki stand-in has no /metrics: 404, or, when this busy test process answers after the 1 s scrape timeout, that.
    expect(targets.find((t) => t.labels.job === 'loki')?.lastError).toMatch(/404|context deadline exceeded/);
  });

  it(
    'an error burst fires ServiceErrorRatioHigh (pending, then firing), which reaches Alertmanager and the warning webhook; the critical burn-rate alert pages; the Watchdog reaches its own receiver',
    async () => {
      const errorRatio = `service_name:http_server_request_errors_per_requests:ratio_rate5m{service_name="${DEMO}"}`;
      // Baseline: the ratio is computed and well under the 5% threshold, and neither alert is active.
      await new Promise((r) => setTimeout(r, Math.max(0, timeline.traffic! + BASELINE_MS - Date.now())));
      const [baseline] = await waitFor('the error ratio to be recorded', async () => {
        const r = await prom.query(errorRatio);
        return r.length > 0 ? r : undefined;
      }, 20_000);
      const httpUse = spec.services.find((s) => s.name === DEMO)!.mixins!.find((u) => u.mixin.name === 'http')!;
      expect(Number(baseline!.value![1])).toBeLessThan(configOf<HttpParams>(httpUse).errorRatio);
      const watched = (a: { labels: Record<string, string> }) =>
        (a.labels.alertname === 'ServiceErrorRatioHigh' && a.labels.service_name === DEMO) ||
        (a.labels.alertname === 'ErrorBudgetBurnFast' && a.labels.slo === 'availability');
      expect((await prom.alerts()).filter(watched)).toEqual([]);

      mark('burst started');
      traffic.burst(true);
      const key = (labels: Record<string, string>) => `${labels.alertname}${labels.slo ? `/${labels.slo}` : ''}`;
      /** Records when each alert is first seen pending or firing in Prometheus, in Alertmanager, at a webhook. */
      const observe = async (...events: string[]) => {
        for (const a of (await prom.alerts()).filter(watched)) mark(`${key(a.labels)} ${a.state} in Prometheus`);
        for (const a of (await am.alerts()).filter(watched)) mark(`${key(a.labels)} in Alertmanager (receiver ${a.receivers.map((r) => r.name).join(',')})`);
        for (const d of webhooks.deliveries) {
          for (const a of d.payload.alerts) timeline[`${key(a.labels)} ${a.status} at webhook ${d.path}`] ??= d.at;
        }
        return events.every((event) => timeline[event] !== undefined) ? true : undefined;
      };
      // SLO rules evaluate every minute (SLO_INTERVAL), whatever the spec's evaluation interval: the 5m rates, then the
      // windows, then the alerts each take up to a tick, and `for` another; the page comes within about four minutes.
      await waitFor('both alerts to fire and reach their webhooks', () => observe('ServiceErrorRatioHigh firing at webhook /chat', 'ErrorBudgetBurnFast/availability firing at webhook /pager'), 300_000, 200);
      // Prometheus writes ALERTS only once a group has restored its alerts' `for` state, after its second evaluation: a
      // page from that evaluation shows in the dashboards' burn-rate panel from the next one, a minute later.
      await waitFor('the page in ALERTS', async () => ((await prom.query(`ALERTS{alertname="ErrorBudgetBurnFast", alertstate="firing", slo="availability", service_name="${DEMO}"}`)).length > 0 ? true : undefined), 75_000, 500);
      traffic.burst(false);
      mark('burst stopped');
      // Normally there since the start; should Prometheus's first send have been lost, it resends within a minute.
      await waitFor('the Watchdog at its webhook', () => observe('Watchdog firing at webhook /watchdog'), 75_000, 500);

      // pending → firing after `for` → Alertmanager → the webhook of its severity.
      for (const [alert, receiver, forSeconds] of [
        ['ServiceErrorRatioHigh', 'chat', 15],
        ['ErrorBudgetBurnFast/availability', 'pager', 15],
      ] as const) {
        const pending = timeline[`${alert} pending in Prometheus`]!;
        const firing = timeline[`${alert} firing in Prometheus`]!;
        const inAm = timeline[`${alert} in Alertmanager (receiver ${receiver})`]!;
        const atWebhook = timeline[`${alert} firing at webhook /${receiver}`]!;
        expect({ alert, pending, firing, inAm, atWebhook }).toEqual({
          alert,
          pending: expect.any(Number),
          firing: expect.any(Number),
          inAm: expect.any(Number),
          atWebhook: expect.any(Number),
        });
        expect(pending).toBeGreaterThanOrEqual(timeline['burst started']!);
        // Polled every 200 ms, evaluated every second (SLO alerts every minute): allow that much slack around `for`.
        expect(firing - pending).toBeGreaterThanOrEqual(forSeconds * 1000 - 1500);
        expect(inAm).toBeGreaterThanOrEqual(firing - 1500);
        expect(atWebhook).toBeGreaterThanOrEqual(firing - 1500);
      }

      // Each webhook got only what its route promises.
      const delivered = (path: string): Record<string, string>[] =>
        webhooks.deliveries.filter((d) => d.path === path).flatMap((d) => d.payload.alerts.map((a) => ({ ...a.labels, receiver: d.payload.receiver })));
      expect(delivered('/chat').every((a) => a.severity === 'warning' && a.receiver === 'chat')).toBe(true);
      expect(delivered('/pager').every((a) => a.severity === 'critical' && a.receiver === 'pager')).toBe(true);
      expect(delivered('/chat')).toContainEqual(expect.objectContaining({ alertname: 'ServiceErrorRatioHigh', service_name: DEMO, severity: WEBHOOKS.chat.severity }));
      expect(delivered('/pager')).toContainEqual(expect.objectContaining({ alertname: 'ErrorBudgetBurnFast', service_name: DEMO, slo: 'availability', severity: WEBHOOKS.pager.severity }));
      const watchdog = delivered('/watchdog');
      expect(watchdog.length).toBeGreaterThan(0);
      expect(watchdog.every((a) => a.alertname === 'Watchdog' && a.receiver === 'watchdog')).toBe(true);
      // The stack's down targets page nobody but are visible: TargetDown (warning) fired for exactly those jobs.
      const targetDown = new Set(delivered('/chat').filter((a) => a.alertname === 'TargetDown').map((a) => a.job));
      expect([...targetDown].sort()).toEqual(Object.keys(DOWN_JOBS).sort());
    },
    480_000,
  );

  it('every rule evaluates without error, and every recording rule returns data', async () => {
    const groups = await prom.rules();
    const rules = groups.flatMap((g) => g.rules);
    const expected = ruleFiles(spec, 'compose').flatMap((f) => f.groups.flatMap((g) => g.rules));
    expect(rules).toHaveLength(expected.length);
    expect(rules.filter((r) => r.health !== 'ok').map((r) => ({ name: r.name, health: r.health, lastError: r.lastError }))).toEqual([]);
    const empty: string[] = [];
    for (const rule of expected) {
      if (isAlertRule(rule)) continue;
      const matchers = Object.entries(rule.labels ?? {}).map(([k, v]) => `${k}="${v}"`);
      const selector = `${rule.record}{${matchers.join(', ')}}`;
      if ((await prom.query(selector)).length === 0) empty.push(selector);
    }
    expect(empty).toEqual([]);
    expect(expected.filter((r) => !isAlertRule(r)).length).toBeGreaterThan(40);
  });

  it('every Prometheus query of every dashboard returns data, except those that need Tempo or Loki', async () => {
    const end = Date.now();
    // The last step must be `end` itself: an alert that fired in the last two seconds (the page, just before this test)
    // is otherwise between the grid's last step and now, and its panel empty.
    const start = end - Math.ceil((end - timeline.traffic!) / (STEP_SECONDS * 1000)) * STEP_SECONDS * 1000;
    const sloNames = spec.services.find((s) => s.name === DEMO)!.slos!.map((s) => s.name);
    const results: { dashboard: string; panel: string; where: string; expr: string; series: number }[] = [];
    const run = async (dashboard: string, panel: string, where: string, expr: string, instant: boolean) => {
      const variants = expr.includes('$slo') ? sloNames.map((slo) => ({ ...VARIABLE_VALUES, slo })) : [VARIABLE_VALUES];
      for (const values of variants) {
        const q = substituteVariables(expr, values);
        const series: Series[] = instant ? await prom.query(q, end) : await prom.queryRange(q, start, end, STEP_SECONDS);
        results.push({ dashboard, panel, where: 'slo' in values ? `${where} (slo=${values.slo})` : where, expr: q, series: series.length });
      }
    };
    for (const { file, model } of buildDashboards(spec, 'compose')) {
      const m = model as unknown as Json;
      for (const panel of panelsOf(m)) {
        for (const [i, t] of ((panel.targets as Json[] | undefined) ?? []).entries()) {
          if (!isObject(t.datasource) || t.datasource.type !== 'prometheus') continue;
          await run(file, String(panel.title), `${file} panel ${String(panel.id)} "${String(panel.title)}" target ${i}`, String(t.expr), t.instant === true);
        }
      }
      for (const a of ((m.annotations as Json | undefined)?.list as Json[] | undefined) ?? []) {
        if (isObject(a.datasource) && a.datasource.type === 'prometheus') await run(file, `annotation ${String(a.name)}`, `${file} annotation "${String(a.name)}"`, String(a.expr), false);
      }
      for (const v of ((m.templating as Json | undefined)?.list as Json[] | undefined) ?? []) {
        const selector = /^label_values\((.+),\s*[A-Za-z_]\w*\)$/.exec(String(v.query ?? ''));
        if (v.type === 'query' && selector) await run(file, `variable ${String(v.name)}`, `${file} variable $${String(v.name)}`, selector[1]!, true);
      }
    }
    expect(results.length).toBeGreaterThan(90);
    const empty = results.filter((r) => r.series === 0);
    expect(empty.filter((r) => !legitimatelyEmpty(r.dashboard, r.panel, r.expr)).map((r) => `${r.where}: ${r.expr}`)).toEqual([]);
    // Those that need Tempo are empty, and for the stated reason: the component's target is down.
    for (const e of LEGITIMATELY_EMPTY.filter((x) => x.always)) {
      const found = results.filter((r) => legitimatelyEmpty(r.dashboard, r.panel, r.expr) === e);
      expect({ panel: e.panel, queried: found.length, empty: found.every((r) => r.series === 0) }).toEqual({ panel: e.panel, queried: 1, empty: true });
    }
    expect(await prom.query('up{job="tempo"} == 0')).toHaveLength(1);
    expect(await prom.query('up{job="loki"} == 0')).toHaveLength(1);
    // Every panel as a whole shows something (at least one of its queries has data), but those that need Tempo or
    // Loki, which must be empty, and those whose only query may be.
    const byPanel = new Map<string, number>();
    for (const r of results) byPanel.set(`${r.dashboard} / ${r.panel}`, (byPanel.get(`${r.dashboard} / ${r.panel}`) ?? 0) + r.series);
    const emptyPanels = [...byPanel].filter(([, n]) => n === 0).map(([p]) => p);
    const panelOf = (e: (typeof LEGITIMATELY_EMPTY)[number]) => `${e.dashboard} / ${e.panel}`;
    const mustBeEmpty = LEGITIMATELY_EMPTY.filter((e) => e.always).map(panelOf);
    const mayBeEmpty = LEGITIMATELY_EMPTY.filter((e) => e.alone).map(panelOf);
    expect(mustBeEmpty.filter((p) => !emptyPanels.includes(p))).toEqual([]);
    expect(emptyPanels.filter((p) => !mustBeEmpty.includes(p) && !mayBeEmpty.includes(p)).sort()).toEqual([]);
    summary.emptyQueries = empty.map((r) => `${r.where}: ${r.expr}`);
    summary.queries = results.length;
    mark('every panel queried');
  });

  it('the LogQL of each Loki panel matches what the Loki stand-in received; the TraceQL of each Tempo panel, what the Tempo stand-in got', async () => {
    const logs = buildDashboards(spec).find((d) => d.file === 'logs-traces.json')!.model as unknown as Json;
    const targets = panelsOf(logs).flatMap((p) => ((p.targets as Json[] | undefined) ?? []).map((t) => ({ title: String(p.title), t })));
    const lokiTargets = targets.filter(({ t }) => isObject(t.datasource) && t.datasource.type === 'loki');
    const tempoTargets = targets.filter(({ t }) => isObject(t.datasource) && t.datasource.type === 'tempo');
    expect(lokiTargets.map((x) => x.title)).toEqual(['Log volume', 'Logs']);
    expect(tempoTargets.map((x) => x.title)).toEqual(['Recent traces', 'Traces with errors', 'Traces slower than 500ms']);
    const records = await waitFor('log records of both levels at the Loki stand-in', () => {
      const r = loki.records.map(lokiRecord);
      return r.some((x) => x.metadata.detected_level === 'error') && r.some((x) => x.metadata.detected_level === 'info') ? r : undefined;
    }, 20_000);
    const streamLabels = new Set(records.flatMap((r) => Object.keys(r.stream)));
    const metadataLabels = new Set(records.flatMap((r) => Object.keys(r.metadata)));
    for (const { title, t } of lokiTargets) {
      expect({ title, uid: (t.datasource as Json).uid }).toEqual({ title, uid: DATASOURCE_UIDS.loki });
      const run = (search: string) => evaluateLogQL(substituteVariables(String(t.expr), { ...VARIABLE_VALUES, search }), records);
      const { result, uses } = run('');
      // Every label the query names is one the received records carry, where the query looks for it.
      expect({ title, streamLabels: uses.streamLabels.filter((l) => !streamLabels.has(l)) }).toEqual({ title, streamLabels: [] });
      expect({ title, filterLabels: uses.filterLabels.filter((l) => !metadataLabels.has(l) && !streamLabels.has(l)) }).toEqual({ title, filterLabels: [] });
      expect({ title, groupBy: uses.groupBy.filter((l) => !metadataLabels.has(l) && !streamLabels.has(l)) }).toEqual({ title, groupBy: [] });
      expect(uses.streamLabels).toContain('service_name');
      const demoRecords = records.filter((r) => r.stream.service_name === DEMO);
      if (result.kind === 'logs') {
        // The Logs panel: every demo line when the search is empty, only those containing the search text otherwise.
        expect({ title, lines: result.records.length }).toEqual({ title, lines: demoRecords.length });
        const searched = run('request completed').result as { kind: 'logs'; records: LokiRecord[] };
        expect(searched.records.length).toBeGreaterThan(0);
        expect(searched.records.every((r) => r.line.includes('request completed'))).toBe(true);
        expect((run('no line says this').result as { records: LokiRecord[] }).records).toEqual([]);
      } else {
        // Log volume: lines by Loki's detected_level, from the records' severities; the counts add up to every line.
        const levels = [...result.groups.keys()].map((k) => (JSON.parse(k) as { detected_level: string }).detected_level);
        expect(levels).toEqual(expect.arrayContaining(['info', 'error']));
        expect([...result.groups.values()].reduce((a, b) => a + b, 0)).toBe(demoRecords.length);
      }
    }
    for (const { title, t } of tempoTargets) {
      expect({ title, uid: (t.datasource as Json).uid }).toEqual({ title, uid: DATASOURCE_UIDS.tempo });
      const spans = evaluateTraceQL(parseTraceQL(substituteVariables(String(t.query), VARIABLE_VALUES)), tempo.spans);
      expect({ title, matched: spans.length > 0 }).toEqual({ title, matched: true });
    }
  });

  /** The sum of a query's series (NaN when it has none). */
  const sum = async (expr: string) => Number((await prom.query(`sum(${expr})`))[0]?.value?.[1] ?? NaN);
  /** True when no export failed: the series is absent (never created) or zero. */
  const none = async (expr: string) => {
    const total = await sum(expr);
    return Number.isNaN(total) || total === 0;
  };

  it('spans pass through the collector with the service name and resource attributes intact, and its metrics show them accepted and sent', async () => {
    expect(tempo.errors).toEqual([]);
    const checkout = await waitFor('the checkout trace at the Tempo stand-in', () => {
      const spans = tempo.spans.filter((s) => s.traceId === TRACES.checkout);
      return spans.length >= 2 ? spans : undefined;
    }, 20_000);
    const outer = checkout.find((s) => s.name === 'POST /api/checkout');
    const inner = checkout.find((s) => s.name === 'POST /api/orders');
    expect(outer).toMatchObject({ kind: 2, parentSpanId: PARENT_SPAN, scope: 'obskit-sdk', attributes: expect.objectContaining({ 'http.route': '/api/checkout' }) });
    expect(inner).toMatchObject({ kind: 2, parentSpanId: outer?.spanId });
    expect(tempo.spans.find((s) => s.traceId === TRACES.read)).toMatchObject({ name: 'GET /api/orders/:id', parentSpanId: PARENT_SPAN, statusCode: 0 });
    expect(tempo.spans.find((s) => s.traceId === TRACES.fail)).toMatchObject({ name: 'GET /api/fail', statusCode: 2 });
    for (const span of [outer!, inner!]) {
      expect(span.resource).toMatchObject({
        'service.name': DEMO,
        'service.namespace': 'obskit',
        'service.version': 'live-test',
        'deployment.environment.name': spec.environment, // added by the collector's resource processor
        'process.pid': demo.pid,
        'host.name': hostname(),
        'telemetry.sdk.language': 'nodejs',
        'telemetry.sdk.name': 'opentelemetry',
      });
    }
    expect(new Set(tempo.spans.map((s) => s.resource['service.name']))).toEqual(new Set([DEMO]));
    expect(tempo.calls.every((c) => c.encoding === 'gzip')).toBe(true);
    // The collector's own metrics, as Prometheus scraped them.
    const sent = await sum('otelcol_exporter_sent_spans_total{exporter="otlp_grpc/tempo"}');
    expect(await sum('otelcol_receiver_accepted_spans_total{receiver="otlp"}')).toBeGreaterThan(0);
    expect(sent).toBeGreaterThan(0);
    expect(tempo.spans.length).toBeGreaterThanOrEqual(sent); // scraped a moment ago: at most what has arrived since
    expect(await sum('otelcol_receiver_refused_spans_total')).toBe(0);
    expect(await none('otelcol_exporter_send_failed_spans_total')).toBe(true);
  });

  it('log records reach Loki\'s OTLP endpoint (the stand-in) with their resource, severity and trace context; the Loki view has service_name as stream label and the ids as structured metadata', async () => {
    expect(loki.errors).toEqual([]);
    /** The demo's records of a trace, once `line` is among them. */
    const ofTrace = (traceId: string, line: string) =>
      waitFor(`"${line}" of trace ${traceId} at the Loki stand-in`, () => {
        const found = loki.records.filter((r) => r.traceId === traceId);
        return found.some((r) => r.body === line) ? found : undefined;
      }, 20_000);
    const traced = await ofTrace(TRACES.checkout, 'request completed');
    const completed = traced.find((r) => r.body === 'request completed')!;
    expect(completed).toMatchObject({
      severityNumber: 9,
      severityText: 'info',
      spanId: expect.stringMatching(/^[0-9a-f]{16}$/),
      scope: 'obskit-sdk',
      attributes: expect.objectContaining({ http_route: expect.any(String), correlation_id: expect.any(String) }),
      resource: expect.objectContaining({
        'service.name': DEMO,
        'service.namespace': 'obskit',
        'service.version': 'live-test',
        'deployment.environment.name': spec.environment, // added by the collector's resource processor
        'process.pid': demo.pid,
      }),
    });
    // As Loki stores it: index labels from the default resource attributes, everything else structured metadata.
    const view = lokiRecord(completed);
    expect(view.stream).toMatchObject({ service_name: DEMO, service_namespace: 'obskit', deployment_environment_name: spec.environment });
    expect(view.metadata).toMatchObject({ trace_id: TRACES.checkout, span_id: completed.spanId, severity_text: 'info', detected_level: 'info', service_version: 'live-test' });
    expect(view.stream).not.toHaveProperty('trace_id');
    // The ids match spans the Tempo stand-in got: the checkout's server span logged it.
    const outer = tempo.spans.find((s) => s.traceId === TRACES.checkout && s.name === 'POST /api/checkout');
    const spanIds = new Set(tempo.spans.filter((s) => s.traceId === TRACES.checkout).map((s) => s.spanId));
    expect(traced.every((r) => spanIds.has(r.spanId!))).toBe(true);
    expect(traced.some((r) => r.spanId === outer?.spanId)).toBe(true);
    // The trace-to-logs query Grafana runs (a structured metadata filter on trace_id) finds them.
    const linked = evaluateLogQL(`{service_name="${DEMO}"} | trace_id="${TRACES.checkout}"`, loki.records.map(lokiRecord)).result as { records: LokiRecord[] };
    expect(linked.records.map((r) => r.line)).toContain('request completed');
    const failed = await ofTrace(TRACES.fail, 'simulated failure');
    const failure = failed.find((r) => r.body === 'simulated failure')!;
    expect(failure).toMatchObject({ severityNumber: 17, severityText: 'error' });
    expect(lokiRecord(failure).metadata.detected_level).toBe('error');
    expect(tempo.spans.some((s) => s.traceId === TRACES.fail && s.spanId === failure.spanId)).toBe(true);
    expect(loki.records.some((r) => String(r.body).includes('demo listening'))).toBe(true);
    // Protobuf, gzip-compressed, at the path Loki serves.
    expect(loki.calls.length).toBeGreaterThan(0);
    expect(loki.calls.every((c) => c.contentType === 'application/x-protobuf' && c.encoding === 'gzip')).toBe(true);
    expect(LOKI_OTLP_PATH).toBe('/otlp/v1/logs');
    const sent = await sum('otelcol_exporter_sent_log_records_total{exporter="otlp_http/loki"}');
    expect(await sum('otelcol_receiver_accepted_log_records_total{receiver="otlp"}')).toBeGreaterThan(0);
    expect(sent).toBeGreaterThan(0);
    expect(loki.records.length).toBeGreaterThanOrEqual(sent); // scraped a moment ago: at most what has arrived since
    expect(await sum('otelcol_receiver_refused_log_records_total')).toBe(0);
    expect(await none('otelcol_exporter_send_failed_log_records_total')).toBe(true);
  });

  it('OTLP metrics pass through the collector into Prometheus, labelled from the resource', async () => {
    const [probe] = await prom.query('obskit_live_probe_total');
    expect(probe?.metric).toMatchObject({ service_name: 'live-probe', job: 'live-probe', deployment_environment_name: spec.environment });
    expect(await sum('otelcol_exporter_sent_metric_points_total{exporter="otlp_http/prometheus"}')).toBeGreaterThan(0);
    expect(await none('otelcol_exporter_send_failed_metric_points_total')).toBe(true);
  });

  it('exemplars on the latency histogram point at traces the collector delivered', async () => {
    const exemplars = await prom.exemplars(`http_server_request_duration_seconds_bucket{service_name="${DEMO}"}`, timeline.traffic!, Date.now());
    const traceIds = new Set(exemplars.flatMap((s) => s.exemplars.map((e) => e.labels.trace_id)));
    expect(traceIds.size).toBeGreaterThan(0);
    const delivered = new Set(tempo.spans.map((s) => s.traceId));
    expect([...traceIds].filter((id) => id !== undefined && delivered.has(id)).length).toBeGreaterThan(0);
  });

  it('stops every process it started, leaving none behind', async () => {
    const groups = procs.list.flatMap((m) => [m.pid, ...(m.reaper.pid !== undefined ? [m.reaper.pid] : [])]);
    expect(groups).toHaveLength(8); // four programs, each with its reaper
    await stopEverything();
    mark('stopped');
    expect(groups.filter(groupAlive)).toEqual([]);
    // Each exited on SIGTERM, in its own time: none needed SIGKILL.
    expect(procs.stops.filter((s) => s.killed)).toEqual([]);
    expect(procs.list.map((m) => ({ name: m.name, exited: m.exited() }))).toEqual(procs.list.map((m) => ({ name: m.name, exited: true })));
  }, 30_000);
});
