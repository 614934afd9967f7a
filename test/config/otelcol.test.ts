import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_PORTS, renderContext, type RenderContext } from '../../src/config/context';
import { renderCollectorConfig } from '../../src/config/otelcol';
import { renderNodeAgentConfig } from '../../src/config/otelcol-agent';
import { haSpec } from '../fixtures/ha-spec';
import { toYaml } from '../../src/output/yaml';
import { isAlertRule } from '../../src/alerts/model';
import { mixinRules } from '../../src/alerts';
import { ALL_COMPONENTS, resolveSpec, specForTarget, type Component } from '../../src/spec';
import { demoSpecInput as stack } from '../fixtures/demo-spec';
import { freePort, sleep } from '../support/net';
import { describeWithTools, runTool } from '../support/tools';
import { fullSpec } from '../fixtures/full-spec';

const spec = resolveSpec(stack);
/** Tail sampling (compose variant) and a drop list. */
const tailSpec = specForTarget(
  resolveSpec({
    ...stack,
    intake: { dropAttributes: ['url.full', 'process.command_line'] },
    environments: { compose: { sampling: { tail: { percent: 10, slowerThan: '2s' } } } },
  }),
  'compose',
);
const ctx = renderContext('compose');
/** Tail sampling on every target: Kubernetes routes spans by trace id between its collector replicas. */
const routedSpec = resolveSpec({ ...stack, sampling: { tail: { percent: 10, slowerThan: '2s' } } });

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('renderCollectorConfig', () => {
  const config = renderCollectorConfig(spec, ctx) as Obj;

  it('receives OTLP over gRPC and HTTP on all interfaces at the context ports', () => {
    expect(config.receivers.otlp.protocols).toEqual({
      grpc: { endpoint: '0.0.0.0:4317' },
      http: { endpoint: '0.0.0.0:4318' },
    });
  });

  it('runs memory_limiter, then resource, then (traces and logs) the attribute caps, then batch in every pipeline', () => {
    for (const name of ['traces', 'metrics', 'logs']) {
      expect(config.service.pipelines[name].receivers).toEqual(['otlp']);
      const caps = name === 'metrics' ? [] : ['transform/limits'];
      expect(config.service.pipelines[name].processors).toEqual(['memory_limiter', 'resource', ...caps, 'batch']);
    }
    expect(config.processors.memory_limiter).toMatchObject({ check_interval: '1s', limit_percentage: 80 });
    expect(config.processors.memory_limiter.limit_mib).toBeUndefined();
  });

  it('stamps deployment.environment.name from the spec', () => {
    expect(config.processors.resource.attributes).toEqual([
      { key: 'deployment.environment.name', value: 'local', action: 'upsert' },
    ]);
    const production = renderCollectorConfig(fullSpec, ctx) as Obj;
    expect(production.processors.resource.attributes[0].value).toBe('production');
  });

  it('sends traces to Tempo over gRPC, logs to Loki and metrics to Prometheus over their native OTLP endpoints', () => {
    expect(config.service.pipelines.traces.exporters).toEqual(['otlp_grpc/tempo']);
    expect(config.service.pipelines.logs.exporters).toEqual(['otlp_http/loki']);
    expect(config.service.pipelines.metrics.exporters).toEqual(['otlp_http/prometheus']);
    expect(config.exporters['otlp_grpc/tempo']).toMatchObject({ endpoint: 'tempo:4317', tls: { insecure: true } });
    expect(config.exporters['otlp_http/loki'].endpoint).toBe('http://loki:3100/otlp');
    expect(config.exporters['otlp_http/prometheus'].endpoint).toBe('http://prometheus:9090/api/v1/otlp');
  });

  it('uses no deprecated or removed component names', () => {
    const ids = Object.keys(config.exporters).map((id) => id.split('/')[0]);
    expect(ids.filter((type) => ['otlp', 'otlphttp', 'loki', 'prometheusremotewrite'].includes(type!))).toEqual([]);
  });

  it('bounds every exporter queue and retries', () => {
    for (const exporter of Object.values(config.exporters) as Obj[]) {
      expect(exporter.sending_queue).toMatchObject({ enabled: true, queue_size: 1000 });
      expect(exporter.retry_on_failure).toMatchObject({ enabled: true, max_elapsed_time: '5m' });
    }
  });

  it('exposes health on the health port and its own metrics, with Prometheus suffixes, on the metrics port', () => {
    expect(config.extensions.health_check.endpoint).toBe('0.0.0.0:13133');
    expect(config.service.extensions).toEqual(['health_check']);
    expect(config.service.telemetry.metrics.readers).toEqual([
      {
        pull: {
          exporter: {
            prometheus: { host: '0.0.0.0', port: 8888, without_type_suffix: false, without_units: false },
          },
        },
      },
    ]);
  });

  it('listens where the context says (every interface by default, loopback in the live test)', () => {
    const loopback = renderCollectorConfig(spec, renderContext('compose', { listenHost: '127.0.0.1' })) as Obj;
    expect(loopback.receivers.otlp.protocols).toEqual({ grpc: { endpoint: '127.0.0.1:4317' }, http: { endpoint: '127.0.0.1:4318' } });
    expect(loopback.extensions.health_check.endpoint).toBe('127.0.0.1:13133');
    expect(loopback.service.telemetry.metrics.readers[0].pull.exporter.prometheus.host).toBe('127.0.0.1');
    expect(JSON.stringify(loopback)).not.toContain('0.0.0.0');
  });

  it('takes hosts and ports from the context', () => {
    const custom = renderContext('compose', {
      hosts: { ...ctx.hosts, tempo: 'tempo.example', loki: 'loki.example', prometheus: 'prom.example' },
      ports: { ...DEFAULT_PORTS, tempo: { ...DEFAULT_PORTS.tempo, otlpGrpc: 14317 }, loki: { ...DEFAULT_PORTS.loki, http: 13100 } },
    });
    const rendered = renderCollectorConfig(spec, custom) as Obj;
    expect(rendered.exporters['otlp_grpc/tempo'].endpoint).toBe('tempo.example:14317');
    expect(rendered.exporters['otlp_http/loki'].endpoint).toBe('http://loki.example:13100/otlp');
    expect(rendered.exporters['otlp_http/prometheus'].endpoint).toBe('http://prom.example:9090/api/v1/otlp');
  });

  it('refuses OTLP without the bearer token when intake.otlpToken is set, reading it from a file', () => {
    const full = renderCollectorConfig(fullSpec, ctx) as Obj;
    for (const protocol of ['grpc', 'http']) {
      expect(full.receivers.otlp.protocols[protocol].auth).toEqual({ authenticator: 'bearertokenauth/otlp' });
    }
    expect(full.extensions['bearertokenauth/otlp']).toEqual({ filename: '/etc/otelcol-secrets/otlp/token' });
    expect(full.service.extensions).toEqual(['health_check', 'bearertokenauth/otlp']);
    expect(JSON.stringify(full)).not.toMatch(/"token":/);
    // Off by default.
    expect(config.receivers.otlp.protocols.http.auth).toBeUndefined();
    expect(Object.keys(config.extensions)).toEqual(['health_check']);
  });

  it('masks the values of intake.maskAttributes on every signal, right after the memory limiter', () => {
    const full = renderCollectorConfig(fullSpec, ctx) as Obj;
    expect(full.processors['redaction/mask']).toEqual({
      allow_all_keys: true,
      blocked_key_patterns: ['^user\\.id$', '^session\\.id$'],
      redact_all_types: true,
      summary: 'silent',
    });
    expect(full.service.pipelines.metrics.processors).toEqual(['memory_limiter', 'redaction/mask', 'resource', 'batch']);
    expect(full.service.pipelines.logs.processors).toEqual(['memory_limiter', 'redaction/mask', 'resource', 'transform/limits', 'batch']);
    expect(config.processors['redaction/mask']).toBeUndefined();
  });

  it('head-samples traces only, by trace id, when sampling.tracesPercent is below 100', () => {
    const full = renderCollectorConfig(fullSpec, ctx) as Obj;
    expect(full.processors['probabilistic_sampler/traces']).toEqual({ mode: 'proportional', sampling_percentage: 10 });
    expect(full.service.pipelines.traces.processors).toEqual(['memory_limiter', 'probabilistic_sampler/traces', 'redaction/mask', 'resource', 'transform/limits', 'batch']);
    expect(config.processors['probabilistic_sampler/traces']).toBeUndefined();
    expect(config.service.pipelines.traces.processors).toEqual(['memory_limiter', 'resource', 'transform/limits', 'batch']);
  });

  it('tail-samples traces when sampling.tail is set: every error, every trace over the threshold, a share of the rest', () => {
    const tail = renderCollectorConfig(tailSpec, ctx) as Obj;
    expect(tail.processors['tail_sampling/traces']).toEqual({
      decision_wait: '10000ms',
      policies: [
        { name: 'errors', type: 'status_code', status_code: { status_codes: ['ERROR'] } },
        { name: 'slow', type: 'latency', latency: { threshold_ms: 2000 } },
        { name: 'rest', type: 'probabilistic', probabilistic: { sampling_percentage: 10 } },
      ],
    });
    expect(tail.service.pipelines.traces.processors).toEqual(['memory_limiter', 'tail_sampling/traces', 'attributes/drop', 'resource', 'transform/limits', 'batch']);
    expect(config.processors['tail_sampling/traces']).toBeUndefined();
  });

  it('deletes intake.dropAttributes from span, log and data point attributes and from resources', () => {
    const tail = renderCollectorConfig(tailSpec, ctx) as Obj;
    const deletes = [{ key: 'url.full', action: 'delete' }, { key: 'process.command_line', action: 'delete' }];
    expect(tail.processors['attributes/drop']).toEqual({ actions: deletes });
    expect(tail.processors.resource.attributes.slice(1)).toEqual(deletes);
    expect(tail.service.pipelines.logs.processors).toEqual(['memory_limiter', 'attributes/drop', 'resource', 'transform/limits', 'batch']);
    expect(config.processors['attributes/drop']).toBeUndefined();
    expect(config.processors.resource.attributes).toHaveLength(1);
  });

  it('tails intake.logFiles in compose only, into the logs pipeline, lifting trace context, level, time and message', () => {
    const tailing = resolveSpec({ ...stack, intake: { logFiles: { hostPath: '/var/log/shop', include: ['*.log', 'app-*.json'] } } });
    const compose = renderCollectorConfig(tailing, ctx) as Obj;
    expect(compose.receivers['filelog/files'].include).toEqual(['/var/log/obskit/*.log', '/var/log/obskit/app-*.json']);
    expect(compose.service.pipelines.logs.receivers).toEqual(['otlp', 'filelog/files']);
    const types = compose.receivers['filelog/files'].operators.map((o: Obj) => o.type);
    expect(types).toEqual(expect.arrayContaining(['json_parser', 'trace_parser', 'severity_parser', 'time_parser', 'move']));
    const trace = compose.receivers['filelog/files'].operators.find((o: Obj) => o.type === 'trace_parser');
    expect(trace.trace_id).toEqual({ parse_from: 'attributes.trace_id' });
    // In Kubernetes the node agent tails pod logs; the gateway tails nothing.
    const kubernetes = renderCollectorConfig(tailing, renderContext('kubernetes')) as Obj;
    expect(kubernetes.receivers['filelog/files']).toBeUndefined();
    expect(config.receivers['filelog/files']).toBeUndefined();
  });

  it('gives the Kubernetes node agent the pod logs, container runtime formats parsed, forwarded to the collector Service', () => {
    const agent = renderNodeAgentConfig(fullSpec, renderContext('kubernetes')) as Obj;
    const receiver = agent.receivers['filelog/pods'];
    expect(receiver.include).toEqual(['/var/log/pods/*/*/*.log']);
    expect(receiver.exclude).toEqual([`/var/log/pods/${fullSpec.namespace}-node-agent_*/*/*.log`]);
    expect(receiver.include_file_path).toBe(true);
    expect(receiver.operators[0]).toMatchObject({ type: 'container', add_metadata_from_filepath: true });
    expect(receiver.operators.map((o: Obj) => o.type)).toContain('trace_parser');
    expect(agent.exporters['otlp_grpc/gateway']).toMatchObject({ endpoint: `otel-collector.${fullSpec.namespace}.svc:4317`, auth: { authenticator: 'bearertokenauth/otlp' } });
    expect(agent.service.pipelines).toEqual({
      logs: { receivers: ['filelog/pods'], processors: ['memory_limiter', 'batch'], exporters: ['otlp_grpc/gateway'] },
    });
  });

  it('in Kubernetes, routes spans by trace id to the replica that tail-samples the trace; compose samples in place', () => {
    const k = renderCollectorConfig(routedSpec, renderContext('kubernetes')) as Obj;
    expect(k.service.pipelines.traces).toEqual({ receivers: ['otlp'], processors: ['memory_limiter'], exporters: ['load_balancing/traces'] });
    expect(k.service.pipelines['traces/sampled']).toEqual({
      receivers: ['otlp/routed'],
      processors: ['memory_limiter', 'tail_sampling/traces', 'resource', 'transform/limits', 'batch'],
      exporters: ['otlp_grpc/tempo'],
    });
    expect(k.exporters['load_balancing/traces']).toMatchObject({
      routing_key: 'traceID',
      protocol: { otlp: { tls: { insecure: true } } },
      resolver: { dns: { hostname: 'otel-collector-headless', port: '4319' } },
    });
    expect(k.receivers['otlp/routed']).toEqual({ protocols: { grpc: { endpoint: '0.0.0.0:4319' } } });
    const c = renderCollectorConfig(routedSpec, ctx) as Obj;
    expect(c.exporters['load_balancing/traces']).toBeUndefined();
    expect(c.receivers['otlp/routed']).toBeUndefined();
    expect(c.service.pipelines.traces.processors).toContain('tail_sampling/traces');
    expect(c.service.pipelines['traces/sampled']).toBeUndefined();
  });

  it('caps attribute values and counts on spans, span events, log records and resources, keeping the resource keys', () => {
    const limits = config.processors['transform/limits'];
    const capped = (context: string, kept = '') => ({
      context,
      statements: [`truncate_all(${context}.attributes, 4096)`, `limit(${context}.attributes, 128, [${kept}])`],
    });
    const resourceKeys = '"service.name", "service.namespace", "deployment.environment.name"';
    expect(limits).toEqual({
      error_mode: 'ignore',
      trace_statements: [capped('resource', resourceKeys), capped('span'), capped('spanevent')],
      log_statements: [capped('resource', resourceKeys), capped('log')],
    });
    const valuesOnly = renderCollectorConfig(resolveSpec({ ...stack, intake: { attributeLimits: { count: 0 } } }), ctx) as Obj;
    expect(valuesOnly.processors['transform/limits'].log_statements[1]).toEqual({ context: 'log', statements: ['truncate_all(log.attributes, 4096)'] });
    const off = renderCollectorConfig(resolveSpec({ ...stack, intake: { attributeLimits: { count: 0, valueLength: 0 } } }), ctx) as Obj;
    expect(off.processors['transform/limits']).toBeUndefined();
    expect(off.service.pipelines.logs.processors).toEqual(['memory_limiter', 'resource', 'batch']);
  });

  it('is deterministic and shares no objects between calls', () => {
    const a = renderCollectorConfig(spec, ctx) as Obj;
    const b = renderCollectorConfig(spec, ctx) as Obj;
    expect(toYaml(a)).toBe(toYaml(b));
    a.service.pipelines.traces.processors.push('mutated');
    expect(b.service.pipelines.traces.processors).toEqual(['memory_limiter', 'resource', 'transform/limits', 'batch']);
    expect(a.service.pipelines.metrics.processors).toEqual(['memory_limiter', 'resource', 'batch']);
  });
});


describeWithTools('collector config against the pinned collector build', ['otelcol'], ({ otelcol }) => {
  const dir = mkdtempSync(join(tmpdir(), 'obskit-otelcol-'));
  const write = (name: string, config: unknown) => {
    const file = join(dir, name);
    writeFileSync(file, toYaml(config));
    return file;
  };


  it.each([
    ['default spec, compose', spec, renderContext('compose')],
    ['full spec, kubernetes', fullSpec, renderContext('kubernetes')],
    ['full spec, compose (tailing log files)', fullSpec, renderContext('compose')],
    ['tail sampling and dropped attributes, compose', tailSpec, renderContext('compose')],
    ['tail sampling routed by trace id, kubernetes', routedSpec, renderContext('kubernetes')],
    ['the ha profile\'s gateway, kubernetes', haSpec, renderContext('kubernetes')],
    ['attribute values capped, counts not, compose', resolveSpec({ ...stack, intake: { attributeLimits: { count: 0 } } }), renderContext('compose')],
  ])('validates (%s)', (_, s, c) => {
    const file = write(`valid-${c.target}.yaml`, renderCollectorConfig(s, c));
    expect(() => runTool(otelcol, ['validate', `--config=${file}`])).not.toThrow();
  });

  it.each([
    ['full spec (with the OTLP token)', fullSpec],
    ['default spec', spec],
    ['ha profile: pod logs and OTLP, traces balanced by trace id', haSpec],
    ['ha profile: OTLP only, no token', resolveSpec({ ...stack, profile: 'ha' })],
  ])('validates the Kubernetes node agent config (%s)', (_, s) => {
    const file = write(`node-agent-${s.namespace}.yaml`, renderNodeAgentConfig(s, renderContext('kubernetes')));
    expect(() => runTool(otelcol, ['validate', `--config=${file}`])).not.toThrow();
  });

  it('rejects a config using the removed loki exporter (so the check can fail)', () => {
    const config = renderCollectorConfig(spec, ctx) as Obj;
    config.exporters.loki = { endpoint: 'http://loki:3100/loki/api/v1/push' };
    config.service.pipelines.logs.exporters = ['loki'];
    const file = write('removed-exporter.yaml', config);
    expect(() => runTool(otelcol, ['validate', `--config=${file}`])).toThrow(/loki/);
  });

  describe('running with the rendered config', () => {
    let child: ChildProcess | undefined;
    let output = '';
    afterAll(() => {
      child?.kill('SIGTERM');
    });

    it('exposes every collector metric the stack-health rules use, under the same name', async () => {
      const [grpc, http, health, metrics, closed] = await Promise.all([freePort(), freePort(), freePort(), freePort(), freePort()]);
      // Backends on a closed port, so every export fails at once and the failure counters appear too.
      const live: RenderContext = renderContext('compose', {
        hosts: Object.fromEntries(ALL_COMPONENTS.map((c) => [c, '127.0.0.1'])) as Record<Component, string>,
        ports: {
          ...DEFAULT_PORTS,
          collector: { otlpGrpc: grpc!, otlpHttp: http!, otlpRouted: closed!, health: health!, metrics: metrics! },
          tempo: { ...DEFAULT_PORTS.tempo, otlpGrpc: closed! },
          loki: { ...DEFAULT_PORTS.loki, http: closed! },
          prometheus: { http: closed! },
        },
        // The test listens on loopback only; containers need the default, every interface.
        listenHost: '127.0.0.1',
      });
      const config = renderCollectorConfig(spec, live) as Obj;
      for (const exporter of Object.values(config.exporters) as Obj[]) exporter.retry_on_failure = { enabled: false };
      const file = write('live.yaml', config);

      child = spawn(otelcol, [`--config=${file}`], { stdio: ['ignore', 'pipe', 'pipe'] });
      child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
      child.stderr?.on('data', (d: Buffer) => (output += d.toString()));

      const healthy = async () => {
        for (let i = 0; i < 60; i++) {
          try {
            if ((await fetch(`http://127.0.0.1:${health}/`)).ok) return;
          } catch {
            /* not up yet */
          }
          await sleep(250);
        }
        throw new Error(`collector did not become healthy:\n${output}`);
      };
      await healthy();

      const now = `${Date.now()}000000`;
      const resource = { attributes: [{ key: 'service.name', value: { stringValue: 'otelcol-test' } }] };
      const post = (path: string, body: unknown) =>
        fetch(`http://127.0.0.1:${http}${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
      const responses = await Promise.all([
        post('/v1/traces', {
          resourceSpans: [{ resource, scopeSpans: [{ spans: [{ traceId: '5b8efff798038103d269b633813fc60c', spanId: 'eee19b7ec3c1b174', name: 't', kind: 1, startTimeUnixNano: now, endTimeUnixNano: now }] }] }],
        }),
        post('/v1/metrics', {
          resourceMetrics: [{ resource, scopeMetrics: [{ metrics: [{ name: 'test_gauge', gauge: { dataPoints: [{ asDouble: 1, timeUnixNano: now }] } }] }] }],
        }),
        post('/v1/logs', {
          resourceLogs: [{ resource, scopeLogs: [{ logRecords: [{ timeUnixNano: now, body: { stringValue: 'hello' } }] }] }],
        }),
      ]);
      expect(responses.map((r) => r.status)).toEqual([200, 200, 200]);

      const wanted = new Set(
        mixinRules(spec, 'stack-health')
          .flatMap((g) => g.rules)
          .filter(isAlertRule)
          .flatMap((r) => r.expr.match(/\botelcol_[a-z_]+\b/g) ?? []),
      );
      expect(wanted.size).toBeGreaterThanOrEqual(12);
      let missing: string[] = [...wanted];
      let exposition = '';
      for (let i = 0; i < 60 && missing.length > 0; i++) {
        await sleep(250);
        exposition = await (await fetch(`http://127.0.0.1:${metrics}/metrics`)).text();
        const present = new Set([...exposition.matchAll(/^([a-zA-Z_:][a-zA-Z0-9_:]*)[{ ]/gm)].map((m) => m[1]));
        missing = [...wanted].filter((name) => !present.has(name));
      }
      expect(missing).toEqual([]);
      // The labels the rules aggregate by are there too.
      expect(exposition).toMatch(/otelcol_receiver_accepted_spans_total\{[^}]*receiver="otlp"/);
      expect(exposition).toMatch(/otelcol_exporter_send_failed_log_records_total\{[^}]*exporter="otlp_http\/loki"/);
    });
  });
});
