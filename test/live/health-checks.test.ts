/**
 * The live health-check test (issue 13, item 7): the pinned Prometheus and the pinned blackbox exporter (both
 * built by tools/install.sh) run the configs synth renders, on 127.0.0.1 and free ports. Two services declare a
 * health endpoint: one answers 200, the other 503. Prometheus's `health-checks` job probes both through the
 * exporter; only the failing one has probe_success 0 and fires ServiceHealthCheckFailing, labelled with the
 * endpoint. When it recovers, the alert resolves. Every process runs in its own process group, stopped in afterAll.
 */
import { logsTraces, stackHealth } from '../../src/mixins';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { renderedRuleFiles } from '../../src/alerts';
import { blackboxArgs, HEALTH_CHECK_JOB } from '../../src/config/blackbox';
import { prometheusArgs } from '../../src/config/prometheus';
import { renderConfigFiles } from '../../src/config/render-all';
import type { StackSpec } from '../../src/spec';
import { describeWithTools } from '../support/tools';
import { PrometheusApi, waitFor } from './support/api';
import { freePorts, Processes, waitUntilReady } from './support/processes';
import { liveContext, livePorts, resolve } from './support/stack';

const HEALTH_PATH = '/health/ready';
const SERVICES = ['steady', 'flaky'] as const;
type Name = (typeof SERVICES)[number];

/** A service serving /metrics and a health endpoint whose status the test sets. */
async function startService(): Promise<{ port: number; setStatus: (s: number) => void; close: () => Promise<void> }> {
  let status = 200;
  const server = createServer((req, res) => {
    if (req.url === HEALTH_PATH) res.writeHead(status, { 'content-type': 'text/plain' }).end(status === 200 ? 'ok' : 'not ready');
    else res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end('# TYPE health_test_up gauge\nhealth_test_up 1\n');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as AddressInfo).port,
    setStatus: (s) => (status = s),
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

describeWithTools('live health checks: Prometheus and the blackbox exporter', ['prometheus', 'blackbox_exporter'], (tools) => {
  const procs = new Processes();
  const services = {} as Record<Name, Awaited<ReturnType<typeof startService>>>;
  let dir: string;
  let spec: StackSpec;
  let prom: PrometheusApi;
  let promConfig: Record<string, unknown>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'obskit-health-'));
    const pool = await freePorts(20);
    let next = 0;
    const ctx = liveContext(livePorts(() => pool[next++]!), dir);
    for (const name of SERVICES) services[name] = await startService();
    services.flaky.setStatus(503);
    spec = resolve({
      namespace: 'observability',
      environment: 'live',
      scrapeInterval: '1s',
      evaluationInterval: '1s',
      services: SERVICES.map((name) => ({ name, host: '127.0.0.1', port: services[name].port, healthChecks: [{ path: HEALTH_PATH }] })),
      mixins: [stackHealth({ healthCheckFor: '2s' }), logsTraces()],
    });
    mkdirSync(ctx.paths.prometheusRules, { recursive: true });
    for (const [file, content] of Object.entries(renderedRuleFiles(spec, 'compose'))) writeFileSync(join(ctx.paths.prometheusRules, file), content);
    const configs = renderConfigFiles(spec, ctx);
    promConfig = parseYaml(configs.prometheus) as Record<string, unknown>;
    writeFileSync(join(dir, 'prometheus.yml'), configs.prometheus);
    writeFileSync(join(dir, 'blackbox.yml'), configs.blackbox);

    const blackbox = procs.start('blackbox_exporter', tools.blackbox_exporter, blackboxArgs(ctx, { configFile: join(dir, 'blackbox.yml') }));
    await waitUntilReady(blackbox, `http://127.0.0.1:${ctx.ports.blackbox.http}/-/healthy`);
    prom = new PrometheusApi(`http://127.0.0.1:${ctx.ports.prometheus.http}`);
    const prometheus = procs.start('prometheus', tools.prometheus, prometheusArgs(spec, ctx, { configFile: join(dir, 'prometheus.yml'), dataDir: join(dir, 'prom-data') }));
    await waitUntilReady(prometheus, `${prom.base}/-/ready`);
  }, 90_000);

  afterAll(async () => {
    await procs.stopAll();
    await Promise.all(SERVICES.map((name) => services[name]?.close()));
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const probe = async (name: Name) => (await prom.query(`probe_success{job="${HEALTH_CHECK_JOB}",service_name="${name}"}`))[0];
  const failing = async () =>
    (await prom.alerts()).filter((a) => a.labels.alertname === 'ServiceHealthCheckFailing' && a.state === 'firing');

  it('probes each declared endpoint through the exporter, labelled with its service and path', async () => {
    const jobs = (promConfig.scrape_configs as Array<Record<string, unknown>>).map((j) => j.job_name);
    expect(jobs).toContain(HEALTH_CHECK_JOB);
    const steady = await waitFor('a probe of steady', probe.bind(null, 'steady'), 20_000);
    const flaky = await waitFor('a probe of flaky', probe.bind(null, 'flaky'), 20_000);
    expect(steady.metric).toMatchObject({ health_path: HEALTH_PATH, instance: `http://127.0.0.1:${services.steady.port}${HEALTH_PATH}` });
    expect(steady.value?.[1]).toBe('1');
    expect(flaky.value?.[1]).toBe('0');
    const [status] = await prom.query(`probe_http_status_code{service_name="flaky"}`);
    expect(status?.value?.[1]).toBe('503');
  }, 30_000);

  it('fires ServiceHealthCheckFailing for the failing endpoint only, and resolves it when it recovers', async () => {
    const firing = await waitFor('ServiceHealthCheckFailing for flaky', async () => {
      const alerts = await failing();
      return alerts.length > 0 ? alerts : undefined;
    }, 30_000);
    expect(firing.map((a) => a.labels.service_name)).toEqual(['flaky']);
    expect(firing[0]!.labels).toMatchObject({ severity: 'critical', health_path: HEALTH_PATH });

    services.flaky.setStatus(200);
    await waitFor('ServiceHealthCheckFailing to resolve', async () => ((await failing()).length === 0 ? true : undefined), 30_000);
    expect((await probe('flaky'))?.value?.[1]).toBe('1');
  }, 70_000);
});
