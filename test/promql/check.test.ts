import { renderContext } from '../../src/config/context';
import { renderPrometheusConfig } from '../../src/config/prometheus';
import { checkPromQL, formatProblems, INGESTION_LABELS, KnownSeries, knownSeries, recordedSeries, RECORDED } from '../../src/promql';
import { HTTP_RECORDED } from '../../src/mixins/http';
import { mixinsInUse } from '../../src/mixin/compose';
import { stackCatalog, STACK_CATALOGS } from '../../src/mixins/stack-health/metrics';
import { alertsOf, buildRuleFiles, checkRuleFiles, ruleKnownSeries } from '../../src/alerts';
import { catalog, metricNames, seriesNames, type AnyMetricDef } from '../../src/sdk/catalog';
import { resolveSpec } from '../../src/spec';
import { demoSpecInput as stack } from '../fixtures/demo-spec';
import { fullSpec } from '../fixtures/full-spec';

const known = knownSeries(resolveSpec(stack));
const messages = (expr: string) => checkPromQL(expr, known, 'test').map((p) => p.message);

describe('checkPromQL', () => {
  it('accepts catalog metrics, stack metrics, recorded series and the built-in alert series', () => {
    expect(messages('sum by (service_name) (rate(http_server_request_duration_seconds_count{http_response_status_code=~"5.."}[5m]))')).toEqual([]);
    expect(messages('up{job="prometheus"} == 0 or absent(up{service_name="demo"})')).toEqual([]);
    expect(messages('slo:burn_rate:ratio_rate1h{service_name="demo", slo="availability"} > 14.4')).toEqual([]);
    expect(messages('count by (alertname) (ALERTS{alertstate="firing", severity="critical"})')).toEqual([]);
    expect(messages('histogram_quantile(0.95, sum by (le) (rate(traces_spanmetrics_latency_bucket{service="demo"}[5m])))')).toEqual([]);
  });

  it('rejects a name no catalog or recording rule defines, and suggests the close one', () => {
    expect(messages('rate(http_server_request_duration_seconds_countt[5m])')).toEqual([
      '"http_server_request_duration_seconds_countt" is neither in a metric catalog nor written by a recording rule; did you mean "http_server_request_duration_seconds_count"?',
    ]);
    expect(messages('rate(http_requests_total[5m])')[0]).toMatch(/"http_requests_total" is neither in a metric catalog/);
  });

  it('rejects selecting names by regex, or not naming a metric at all', () => {
    expect(messages('sum(rate({__name__=~"http_.*_total"}[5m]))')).toEqual([
      'selects metric names with =~ on __name__ ("http_.*_total"); name each metric instead',
    ]);
    expect(messages('{__name__!="up", job="x"}')).toEqual(['selects metric names with != on __name__ ("up"); name each metric instead']);
    expect(messages('{job="prometheus"}')).toEqual(['selector {job="prometheus"} names no metric']);
    expect(messages('{__name__="up"}')).toEqual([]);
    expect(messages('{"up", job="x"}')).toEqual([]);
  });

  it('rejects a matcher on a label the series does not have', () => {
    expect(messages('up{service="demo"}')).toEqual([
      '"up" has no label "service" (its labels: deployment_environment_name, instance, job, namespace, pod, service_name, ' +
        'service_namespace; from the stack-health mixin)',
    ]);
    expect(messages('service_name:http_server_requests:rate5m{http_route="/"}')[0]).toMatch(/has no label "http_route"/);
  });

  it('reports a parse error once, with where it is', () => {
    expect(messages('sum(rate(up[5m])')).toEqual([expect.stringMatching(/^does not parse at offset 16/)]);
    expect(messages('up +')).toHaveLength(1);
    expect(messages('   ')).toEqual(['is empty']);
  });

  it('names the expression and where it came from', () => {
    const problems = checkPromQL('nope', known, 'dashboard "RED", panel "Errors"');
    expect(formatProblems(problems)).toContain('dashboard "RED", panel "Errors": "nope" is neither');
    expect(problems[0]).toMatchObject({ where: 'dashboard "RED", panel "Errors"', expr: 'nope' });
  });

  it('learns recording rules it is given', () => {
    const own = known.clone().addRecordingRules([{ rules: [{ record: 'team:orders:rate5m', expr: 'x' }] }], 'team rules');
    expect(checkPromQL('team:orders:rate5m > 1', own)).toEqual([]);
    expect(checkPromQL('team:orders:rate5m > 1', known)).toHaveLength(1);
  });
});

describe('KnownSeries', () => {
  it('is the spec’s mixins’ catalogs (the SDK’s metrics, the stack’s) ∪ the recorded series ∪ up and ALERTS', () => {
    const names = new Set(known.names());
    for (const name of seriesNames(catalog)) expect(names).toContain(name);
    for (const name of seriesNames(stackCatalog)) expect(names).toContain(name);
    for (const def of recordedSeries()) expect(names).toContain(def.name);
    expect(names).toContain('ALERTS');
    expect(known.get('up')?.source).toMatch(/stack-health mixin/);
    expect(known.get('http_server_request_duration_seconds_bucket')?.labels).toEqual(
      new Set([
        'http_request_method',
        'http_route',
        'http_response_status_code',
        'service_name',
        'job',
        'instance',
        'le',
        'namespace',
        'pod',
        'service_name',
        'service_namespace',
        'deployment_environment_name',
      ]),
    );
    expect(new KnownSeries().add('x', 'here').get('x')).toEqual({ source: 'here' });
  });

  it('allows the labels ingestion adds: Kubernetes discovery relabelling and promoted OTLP resource attributes', () => {
    const config = renderPrometheusConfig(resolveSpec(stack), renderContext('kubernetes')) as { scrape_configs: { relabel_configs: { target_label?: string }[] }[] };
    const added = config.scrape_configs.flatMap((job) => job.relabel_configs.flatMap((r) => (r.target_label && !r.target_label.startsWith('__') ? [r.target_label] : [])));
    // `node` only on the kubelet jobs, whose metrics (the kubernetes mixin's) declare it.
    expect([...new Set(added)].sort()).toEqual(['namespace', 'node', 'pod', 'service_name']);
    expect(messages('sum by (node) (kubelet_volume_stats_used_bytes{node="n1"})')).toEqual([]);
    expect(INGESTION_LABELS).toEqual(expect.arrayContaining(['namespace', 'pod', 'deployment_environment_name', 'service_namespace']));
    expect(messages('sum by (pod) (up{namespace="observability", pod=~"demo-.*"})')).toEqual([]);
    expect(messages('demo_orders_total{deployment_environment_name="prod"}')).toEqual([]);
  });

  it('has stack catalogs that do not collide with the SDK catalog', () => {
    const sdk = new Set<string>(metricNames(catalog));
    expect(metricNames(stackCatalog).filter((n) => sdk.has(n))).toEqual([]);
    expect(Object.keys(STACK_CATALOGS)).toEqual(['prometheus', 'alertmanager', 'collector', 'loki', 'tempo', 'blackbox']);
  });

  it('has stack metric names in the pinned versions’ spelling', () => {
    const names = metricNames(stackCatalog);
    expect(names).toEqual(
      expect.arrayContaining([
        'up',
        'prometheus_rule_evaluation_failures_total',
        'prometheus_notifications_errors_total',
        'prometheus_notifications_sent_total',
        'alertmanager_notifications_total',
        'alertmanager_notifications_failed_total',
        'otelcol_receiver_refused_metric_points_total',
        'otelcol_exporter_send_failed_log_records_total',
        'otelcol_process_memory_rss_bytes',
        'loki_discarded_samples_total',
        'loki_distributor_lines_received_total',
        'tempo_discarded_spans_total',
        'tempo_distributor_spans_received_total',
        'traces_spanmetrics_calls_total',
        'traces_spanmetrics_latency',
        'traces_service_graph_request_total',
      ]),
    );
    // Counters end in _total: the collector's Prometheus reader is configured to keep the suffix.
    for (const def of Object.values(stackCatalog) as AnyMetricDef[]) if (def.type === 'counter') expect(def.name).toMatch(/_total$/);
  });

  it('declares the recorded series dashboards read, named level:metric:operations', () => {
    for (const def of recordedSeries()) expect(def.name).toMatch(/^[a-z_]+:[a-z_0-9]+:[a-z_0-9]+$/);
    expect(HTTP_RECORDED.serviceRequestRate.name).toBe('service_name:http_server_requests:rate5m');
    expect(HTTP_RECORDED.serviceLatencyQuantile.labelNames).toEqual(['service_name', 'quantile']);
    expect(Object.keys(RECORDED.sloErrorRatio)).toEqual(['5m', '30m', '1h', '2h', '6h', '1d', '3d']);
  });
});

describe('every generated rule expression', () => {
  const specs = { default: resolveSpec(stack), full: fullSpec };

  it.each(Object.entries(specs))('parses and names only known series (%s spec)', (_name, spec) => {
    const files = buildRuleFiles(spec);
    expect(formatProblems(checkRuleFiles(files, ruleKnownSeries(spec, files)))).toBe('');
    expect(alertsOf(files).length).toBeGreaterThan(10);
  });

  it('is checked against the catalogs alone too: every recording rule writes a series its mixin declares', () => {
    const spec = resolveSpec(stack);
    const files = buildRuleFiles(spec);
    // The SLO series, and what each mixin in use declares it records (the http mixin's, stack health's `up:expected`).
    const declared = new Set([...recordedSeries(), ...mixinsInUse(spec).flatMap(({ mixin }) => mixin.recorded ?? [])].map((d) => d.name));
    const written = files.flatMap((f) => f.groups.flatMap((g) => g.rules.flatMap((r) => ('record' in r ? [r.record] : []))));
    expect(written.filter((name) => !declared.has(name))).toEqual([]);
    expect([...declared].filter((name) => !written.includes(name))).toEqual([]);
    expect(checkRuleFiles(files, knownSeries(spec))).toEqual([]);
    expect(ruleKnownSeries(spec, files).names().length).toBe(knownSeries(spec).names().length);
  });
});
