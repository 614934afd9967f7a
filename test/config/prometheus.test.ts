import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_PATHS, DEFAULT_PORTS, renderContext, type RenderContext } from '../../src/config/context';
import { prometheusArgs, renderPrometheusConfig } from '../../src/config/prometheus';
import { toYaml } from '../../src/output/yaml';
import { renderRuleFile } from '../../src/alerts/render';
import { mixinRules } from '../../src/alerts';
import { ALL_COMPONENTS, resolveSpec, type Component, type StackSpec } from '../../src/spec';
import { demoSpecInput as stack } from '../fixtures/demo-spec';
import { freePort, sleep } from '../support/net';
import { describeWithTools, runTool } from '../support/tools';
import { fullSpec } from '../fixtures/full-spec';
import { haExternalStoreSpec, haSpec } from '../fixtures/ha-spec';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const spec = resolveSpec(stack);
const compose = renderContext('compose');
const kubernetes = renderContext('kubernetes');
const STACK_JOBS = ['prometheus', 'otel-collector', 'alertmanager', 'loki', 'tempo', 'grafana'];

const jobs = (config: Obj): Obj[] => config.scrape_configs;
const job = (config: Obj, name: string): Obj => {
  const found = jobs(config).find((j) => j.job_name === name);
  if (!found) throw new Error(`no scrape job ${name}`);
  return found;
};

/** Prometheus's relabeling, as far as these configs use it (replace, keep, drop), for checking SD rules. */
function relabel(input: Readonly<Record<string, string>>, configs: readonly Obj[]): Record<string, string> | undefined {
  const labels: Record<string, string> = { ...input };
  for (const c of configs) {
    const value = ((c.source_labels ?? []) as string[]).map((l) => labels[l] ?? '').join(c.separator ?? ';');
    const match = new RegExp(`^(?:${c.regex ?? '(.*)'})$`).exec(value);
    switch (c.action ?? 'replace') {
      case 'keep':
        if (!match) return undefined;
        break;
      case 'drop':
        if (match) return undefined;
        break;
      case 'replace': {
        if (!match) break;
        const out = String(c.replacement ?? '$1').replace(/\$(\d+)/g, (_, i: string) => match[Number(i)] ?? '');
        if (out === '') delete labels[c.target_label];
        else labels[c.target_label] = out;
        break;
      }
      default:
        throw new Error(`relabel action ${c.action} not simulated`);
    }
  }
  return labels;
}

/** What the endpointslice role discovers for one endpoint of a Service. */
function endpoint(service: string, port: number, extra: Record<string, string> = {}): Record<string, string> {
  return {
    __address__: `10.0.0.7:${port}`,
    __metrics_path__: '/metrics',
    __meta_kubernetes_namespace: 'monitoring',
    __meta_kubernetes_service_name: service,
    __meta_kubernetes_endpointslice_port: String(port),
    __meta_kubernetes_endpointslice_endpoint_conditions_terminating: 'false',
    __meta_kubernetes_pod_name: `${service}-7d9f-abcde`,
    ...extra,
  };
}

describe('renderPrometheusConfig', () => {
  const config = renderPrometheusConfig(spec, compose) as Obj;

  it('takes global intervals from the spec and loads rules from the rules path', () => {
    expect(config.global).toEqual({ scrape_interval: '15s', evaluation_interval: '15s', external_labels: { environment: 'local' } });
    expect((renderPrometheusConfig(fullSpec, compose) as Obj).global).toEqual({
      scrape_interval: '30s',
      evaluation_interval: '30s',
      external_labels: { environment: 'production' },
    });
    expect(config.rule_files).toEqual(['/etc/prometheus/rules/*.yaml']);
  });

  it('sends alerts to Alertmanager at the context address', () => {
    expect(config.alerting.alertmanagers).toEqual([
      { api_version: 'v2', static_configs: [{ targets: ['alertmanager:9093'] }] },
    ]);
  });

  it('scrapes every stack component and every service, each with service_name', () => {
    expect(jobs(config).map((j) => j.job_name)).toEqual([...STACK_JOBS, 'demo']);
    expect(job(config, 'otel-collector').static_configs).toEqual([
      { targets: ['otel-collector:8888'], labels: { service_name: 'otel-collector' } },
    ]);
    expect(job(config, 'demo').static_configs).toEqual([{ targets: ['demo:8080'], labels: { service_name: 'demo' } }]);
  });

  it('gives a push-only service (ingest: otlp) no scrape job, in compose and Kubernetes', () => {
    for (const ctx of [compose, kubernetes]) {
      const full = renderPrometheusConfig(fullSpec, ctx) as Obj;
      // Kubernetes adds the cluster's own sources for the kubernetes mixin; compose has no cluster.
      const cluster = ctx.target === 'kubernetes' ? ['kube-state-metrics', 'kubelet', 'kubelet-cadvisor'] : [];
      expect(jobs(full).map((j) => j.job_name)).toEqual([...STACK_JOBS, 'checkout', 'payments', 'search', ...cluster]);
    }
  });

  it('promotes the resource attributes intake.promoteResourceAttributes names, after the built-in ones', () => {
    const promoted = resolveSpec({ ...stack, intake: { promoteResourceAttributes: ['service.version', 'host.name'] } });
    expect((renderPrometheusConfig(promoted, kubernetes) as Obj).otlp.promote_resource_attributes).toEqual([
      'service.name',
      'service.namespace',
      'deployment.environment.name',
      'service.version',
      'host.name',
    ]);
  });

  it('labels every alert it sends with the environment, and in Kubernetes with the cluster (external_labels)', () => {
    const named = resolveSpec({ ...stack, environment: 'prod', cluster: 'eu-west-1' });
    expect((renderPrometheusConfig(named, compose) as Obj).global.external_labels).toEqual({ environment: 'prod' });
    expect((renderPrometheusConfig(named, kubernetes) as Obj).global.external_labels).toEqual({ environment: 'prod', cluster: 'eu-west-1' });
  });

  it('guards every scrape job, the stack’s own too, with the spec’s limits, in compose and Kubernetes', () => {
    for (const ctx of [compose, kubernetes]) {
      const limited = renderPrometheusConfig(resolveSpec({ ...stack, scrapeLimits: { sampleLimit: 1000, labelLimit: 30, labelValueLengthLimit: 200 } }), ctx) as Obj;
      for (const j of jobs(limited)) expect(j).toMatchObject({ sample_limit: 1000, label_limit: 30, label_value_length_limit: 200 });
    }
  });

  it('honours a service’s host, metrics path and scrape interval in compose', () => {
    const full = renderPrometheusConfig(fullSpec, compose) as Obj;
    expect(job(full, 'payments')).toEqual({
      job_name: 'payments',
      scrape_interval: '5s',
      metrics_path: '/internal/metrics',
      sample_limit: 10_000,
      label_limit: 64,
      label_value_length_limit: 2048,
      static_configs: [{ targets: ['payments.internal:9464'], labels: { service_name: 'payments' } }],
    });
    expect(job(full, 'checkout')).toEqual({
      job_name: 'checkout',
      metrics_path: '/metrics',
      sample_limit: 50_000,
      label_limit: 64,
      label_value_length_limit: 2048,
      static_configs: [{ targets: ['checkout:8080'], labels: { service_name: 'checkout' } }],
    });
  });

  it('promotes service and environment resource attributes of OTLP metrics to labels', () => {
    expect(config.otlp).toEqual({
      promote_resource_attributes: ['service.name', 'service.namespace', 'deployment.environment.name'],
      translation_strategy: 'UnderscoreEscapingWithSuffixes',
    });
  });

  it('puts retention, the out-of-order window and exemplar storage in the storage block', () => {
    expect(config.storage).toEqual({
      tsdb: { out_of_order_time_window: '30m', retention: { time: '30d', size: '40GB' } },
      exemplars: { max_exemplars: 100000 },
    });
    expect((renderPrometheusConfig(fullSpec, compose) as Obj).storage.tsdb.retention).toEqual({
      time: '30d',
      size: '100GB',
    });
  });

  it('is deterministic', () => {
    expect(toYaml(renderPrometheusConfig(fullSpec, kubernetes))).toBe(toYaml(renderPrometheusConfig(fullSpec, kubernetes)));
  });

  describe('kubernetes service discovery', () => {
    const k8s = renderPrometheusConfig(fullSpec, kubernetes) as Obj;

    it('discovers endpoint slices in the stack namespace only (the nodes, for the kubelet jobs), with no static targets', () => {
      for (const j of jobs(k8s)) {
        expect(j.static_configs).toBeUndefined();
        const sd = j.job_name.startsWith('kubelet') ? [{ role: 'node' }] : [{ role: 'endpointslice', namespaces: { names: ['monitoring'] } }];
        expect(j.kubernetes_sd_configs).toEqual(sd);
      }
    });

    it('looks for a service in its own namespace when the spec names one', () => {
      const elsewhere = resolveSpec({
        ...fullSpec,
        services: [...fullSpec.services, { name: 'billing', port: 8080, namespace: 'payments' }],
      });
      const config = renderPrometheusConfig(elsewhere, kubernetes) as Obj;
      expect(job(config, 'billing').kubernetes_sd_configs).toEqual([
        { role: 'endpointslice', namespaces: { names: ['payments'] } },
      ]);
      expect(job(config, 'checkout').kubernetes_sd_configs).toEqual([
        { role: 'endpointslice', namespaces: { names: ['monitoring'] } },
      ]);
    });

    it('keeps exactly the endpoints of the Service with the spec name and port', () => {
      const checkout = job(k8s, 'checkout');
      expect(relabel(endpoint('checkout', 8080), checkout.relabel_configs)).toEqual(
        expect.objectContaining({
          __address__: '10.0.0.7:8080',
          __metrics_path__: '/metrics',
          service_name: 'checkout',
          namespace: 'monitoring',
          pod: 'checkout-7d9f-abcde',
        }),
      );
      expect(relabel(endpoint('checkout', 9000), checkout.relabel_configs)).toBeUndefined();
      expect(relabel(endpoint('checkout-canary', 8080), checkout.relabel_configs)).toBeUndefined();
      expect(relabel(endpoint('search', 8080), checkout.relabel_configs)).toBeUndefined();
      expect(
        relabel(
          endpoint('checkout', 8080, { __meta_kubernetes_endpointslice_endpoint_conditions_terminating: 'true' }),
          checkout.relabel_configs,
        ),
      ).toBeUndefined();
    });

    it('honours prometheus.io/scrape and prometheus.io/path on a service’s Service', () => {
      const payments = job(k8s, 'payments');
      expect(payments.metrics_path).toBe('/internal/metrics');
      expect(payments.scrape_interval).toBe('5s');
      const base = endpoint('payments', 9464, { __metrics_path__: '/internal/metrics' });
      expect(relabel(base, payments.relabel_configs)?.__metrics_path__).toBe('/internal/metrics');
      expect(
        relabel({ ...base, __meta_kubernetes_service_annotation_prometheus_io_path: '/custom' }, payments.relabel_configs)
          ?.__metrics_path__,
      ).toBe('/custom');
      expect(
        relabel({ ...base, __meta_kubernetes_service_annotation_prometheus_io_scrape: 'false' }, payments.relabel_configs),
      ).toBeUndefined();
      expect(
        relabel({ ...base, __meta_kubernetes_service_annotation_prometheus_io_scrape: 'true' }, payments.relabel_configs),
      ).toBeDefined();
    });

    it('finds the stack’s own components by their Service name and metrics port', () => {
      const collector = job(k8s, 'otel-collector');
      expect(relabel(endpoint('otel-collector', 8888), collector.relabel_configs)?.service_name).toBe('otel-collector');
      expect(relabel(endpoint('otel-collector', 4317), collector.relabel_configs)).toBeUndefined();
      expect(relabel(endpoint('loki', 3100), job(k8s, 'loki').relabel_configs)?.service_name).toBe('loki');
    });

    it('escapes a Service name used in the keep regex', () => {
      const dotted: StackSpec = { ...spec, services: [{ name: 'a', port: 80 }] };
      const ctx: RenderContext = { ...kubernetes, hosts: { ...kubernetes.hosts, grafana: 'graf.ana' } };
      const grafana = job(renderPrometheusConfig(dotted, ctx) as Obj, 'grafana');
      expect(relabel(endpoint('graf.ana', 3000), grafana.relabel_configs)).toBeDefined();
      expect(relabel(endpoint('grafxana', 3000), grafana.relabel_configs)).toBeUndefined();
    });
  });
});

describe('prometheusArgs', () => {
  const args = prometheusArgs(spec, compose, { configFile: '/etc/prometheus/prometheus.yml', dataDir: '/prometheus' });

  it('names the config, data dir and listen port and enables the OTLP and remote-write receivers and exemplars', () => {
    expect(args).toEqual([
      '--config.file=/etc/prometheus/prometheus.yml',
      '--storage.tsdb.path=/prometheus',
      '--web.listen-address=0.0.0.0:9090',
      '--web.enable-otlp-receiver',
      '--web.enable-remote-write-receiver',
      '--enable-feature=exemplar-storage',
      '--enable-feature=otlp-deltatocumulative',
    ]);
  });

  it('listens where the context says', () => {
    const loopback = prometheusArgs(spec, renderContext('compose', { listenHost: '127.0.0.1' }), { configFile: 'p.yml', dataDir: 'd' });
    expect(loopback).toContain('--web.listen-address=127.0.0.1:9090');
  });

  it('does not use the retention flags Prometheus 3.15 deprecates (retention is in the config file)', () => {
    expect(args.filter((a) => a.startsWith('--storage.tsdb.retention'))).toEqual([]);
  });
});

/** Writes prometheus.yml and the stack-health rule file laid out as ctx.paths says, under a fresh folder. */
function layout(s: StackSpec, target: RenderContext['target']): { dir: string; configFile: string; ctx: RenderContext } {
  const dir = mkdtempSync(join(tmpdir(), `obskit-prometheus-${target}-`));
  // The ServiceAccount token and CA the kubelet jobs read, where Kubernetes would mount them.
  const serviceAccount = join(dir, 'serviceaccount');
  mkdirSync(serviceAccount);
  writeFileSync(join(serviceAccount, 'token'), 'not-a-token');
  writeFileSync(join(serviceAccount, 'ca.crt'), '');
  const ctx = renderContext(target, { paths: { ...DEFAULT_PATHS, prometheusRules: join(dir, 'rules'), serviceAccount } });
  mkdirSync(ctx.paths.prometheusRules);
  writeFileSync(join(ctx.paths.prometheusRules, 'stack-health.yaml'), toYaml(renderRuleFile(mixinRules(s, 'stack-health'))));
  const configFile = join(dir, 'prometheus.yml');
  writeFileSync(configFile, toYaml(renderPrometheusConfig(s, ctx)));
  return { dir, configFile, ctx };
}

describeWithTools('prometheus.yml against the pinned promtool', ['promtool'], ({ promtool }) => {

  const ruleCount = (s: StackSpec) => mixinRules(s, 'stack-health').flatMap((g) => g.rules).length;
  it.each([
    ['default spec, compose', spec, 'compose'],
    ['default spec, kubernetes', spec, 'kubernetes'],
    ['full spec, compose', fullSpec, 'compose'],
    ['full spec, kubernetes', fullSpec, 'kubernetes'],
    ['ha profile, kubernetes', haSpec, 'kubernetes'],
    ['ha profile writing to an external store, kubernetes', haExternalStoreSpec, 'kubernetes'],
  ] as const)('passes promtool check config, rule files included (%s)', (_, s, target) => {
    const { configFile } = layout(s, target);
    const out = runTool(promtool, ['check', 'config', configFile]);
    expect(out).toMatch(/SUCCESS: 1 rule files found/);
    expect(out).toMatch(new RegExp(`SUCCESS: ${ruleCount(s)} rules found`));
  });

  it('fails promtool check config on a key Prometheus does not know (so the check can fail)', () => {
    const { ctx, dir } = layout(spec, 'compose');
    const config = renderPrometheusConfig(spec, ctx) as Obj;
    config.otlp.promote_resource_attribute = ['service.name'];
    const file = join(dir, 'bad.yml');
    writeFileSync(file, toYaml(config));
    expect(() => runTool(promtool, ['check', 'config', file])).toThrow(/promote_resource_attribute/);
  });
});


describeWithTools('prometheus running with the rendered config and flags', ['prometheus'], ({ prometheus }) => {
  let child: ChildProcess | undefined;
  let output = '';
  afterAll(() => {
    child?.kill('SIGTERM');
  });


  it('starts, accepts OTLP and labels it with service_name from service.name', async () => {
    const port = await freePort();
    const { dir } = layout(spec, 'compose');
    const ctx = renderContext('compose', {
      hosts: Object.fromEntries(ALL_COMPONENTS.map((c) => [c, '127.0.0.1'])) as Record<Component, string>,
      ports: { ...DEFAULT_PORTS, prometheus: { http: port } },
      paths: { ...DEFAULT_PATHS, prometheusRules: join(dir, 'rules') },
      listenHost: '127.0.0.1',
    });
    const configFile = join(dir, 'live.yml');
    writeFileSync(configFile, toYaml(renderPrometheusConfig(spec, ctx)));
    const args = prometheusArgs(spec, ctx, { configFile, dataDir: join(dir, 'data') });
    expect(args).toContain(`--web.listen-address=127.0.0.1:${port}`);
    child = spawn(prometheus, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    let exited = false;
    child.on('exit', () => (exited = true));
    const base = `http://127.0.0.1:${port}`;
    let ready = false;
    for (let i = 0; i < 120 && !ready && !exited; i++) {
      await sleep(250);
      ready = await fetch(`${base}/-/ready`).then((r) => r.ok, () => false);
    }
    if (!ready) throw new Error(`prometheus did not become ready:\n${output}`);

    const flags = (await (await fetch(`${base}/api/v1/status/flags`)).json()) as { data: Record<string, string> };
    expect(flags.data).toMatchObject({
      'web.enable-otlp-receiver': 'true',
      'web.enable-remote-write-receiver': 'true',
    });
    expect(flags.data['enable-feature']).toContain('exemplar-storage');
    // Retention comes from the config file, not the deprecated flags.
    const runtime = (await (await fetch(`${base}/api/v1/status/runtimeinfo`)).json()) as { data: { storageRetention: string } };
    expect(runtime.data.storageRetention).toBe('30d or 40GiB');

    const now = `${Date.now()}000000`;
    const push = await fetch(`${base}/api/v1/otlp/v1/metrics`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        resourceMetrics: [
          {
            resource: {
              attributes: [
                { key: 'service.name', value: { stringValue: 'checkout' } },
                { key: 'deployment.environment.name', value: { stringValue: 'local' } },
              ],
            },
            scopeMetrics: [
              { metrics: [{ name: 'obskit.test', unit: 's', gauge: { dataPoints: [{ asDouble: 1, timeUnixNano: now }] } }] },
            ],
          },
        ],
      }),
    });
    expect(push.status).toBe(200);
    const query = await fetch(`${base}/api/v1/query?query=${encodeURIComponent('obskit_test_seconds')}`);
    const result = ((await query.json()) as { data: { result: { metric: Record<string, string> }[] } }).data.result;
    expect(result.map((r) => r.metric)).toEqual([
      expect.objectContaining({
        __name__: 'obskit_test_seconds',
        job: 'checkout',
        service_name: 'checkout',
        deployment_environment_name: 'local',
      }),
    ]);
  });
});
