import { panelsOf } from '../../src/dashboards/check';
import { sharedSloPeriod } from '../../src/dashboards/slo';
import { buildDashboards } from '../../src/dashboards';
import { http, httpAvailability, pythonRuntime } from '../../src/mixins';
import { resolveSpec, type StackSpec } from '../../src/spec';
import { dashboard, dashboards, provisionedDatasource, spec, type Json } from './support';

const panel = (model: Json, title: string): Json => {
  const found = panelsOf(model).find((p) => p.type !== 'row' && p.title === title);
  if (!found) throw new Error(`no panel "${title}"`);
  return found;
};
const titles = (model: Json) => panelsOf(model).filter((p) => p.type !== 'row').map((p) => p.title);
const targets = (p: Json) => p.targets as Json[];
const exprs = (p: Json) => targets(p).map((t) => String(t.expr ?? t.query));

describe('service overview', () => {
  const model = dashboard('service-overview.json');

  it('has the RED panels, breakdowns and top routes', () => {
    expect(titles(model)).toEqual([
      'Request rate',
      'Error ratio',
      'Latency p95',
      'In-flight requests',
      'Request rate',
      'Error ratio',
      'Latency',
      'Responses by status code',
      'Request rate by instance',
      'In-flight requests by method',
      'Top routes by request rate',
      'Top routes by p95 latency',
    ]);
  });

  it('reads rate, error ratio and latency quantiles from the recording rules', () => {
    const latency = panel(model, 'Latency');
    expect(exprs(latency).slice(0, 3)).toEqual(
      ['0.5', '0.95', '0.99'].map(
        (q) => `service_name_quantile:http_server_request_duration_seconds:histogram_quantile_rate5m{service_name="$service_name", quantile="${q}"}`,
      ),
    );
    expect(exprs(panelsOf(model).find((p) => p.title === 'Error ratio' && p.type === 'timeseries')!)).toEqual([
      'service_name:http_server_request_errors_per_requests:ratio_rate5m{service_name="$service_name"}',
    ]);
  });

  it('asks for exemplars on the latency panel, from the raw histogram (recorded series carry none), linked to Tempo by trace_id', () => {
    const withExemplars = targets(panel(model, 'Latency')).filter((t) => t.exemplar === true);
    expect(withExemplars).toHaveLength(1);
    expect(String(withExemplars[0]!.expr)).toContain('http_server_request_duration_seconds_bucket{');
    const jsonData = provisionedDatasource('prometheus').jsonData as Json;
    expect(jsonData.exemplarTraceIdDestinations).toEqual([{ name: 'trace_id', datasourceUid: 'tempo' }]);
  });

  it('turns orange from half the RED alert threshold and red from it (the first service’s http() config)', () => {
    const steps = (m: Json, title: string) =>
      ((panelsOf(m).find((p) => p.type === 'timeseries' && p.title === title)!.fieldConfig as Json).defaults as { thresholds: { steps: Json[] } }).thresholds.steps;
    expect(steps(model, 'Error ratio').map((s) => s.value)).toEqual([null, 0.025, 0.05]);
    expect(steps(model, 'Latency').map((s) => s.value)).toEqual([null, 0.5, 1]);
    const strict = resolveSpec({ namespace: 'x', services: [{ name: 'api', port: 80, mixins: [http({ errorRatio: 0.01, latencyP95Seconds: 0.3 })] }] });
    const custom = buildDashboards(strict).find((d) => d.file === 'service-overview.json')!.model as unknown as Json;
    expect(steps(custom, 'Error ratio').map((s) => s.value)).toEqual([null, 0.005, 0.01]);
    expect(steps(custom, 'Latency').map((s) => s.value)).toEqual([null, 0.15, 0.3]);
  });

  it('marks firing alerts of the service as annotations', () => {
    expect((model.annotations as { list: Json[] }).list).toEqual([
      expect.objectContaining({ enable: true, expr: 'ALERTS{alertstate="firing", service_name="$service_name"}', titleFormat: '{{alertname}}' }),
    ]);
  });

  it('ranks top routes over the dashboard range with instant table queries', () => {
    for (const title of ['Top routes by request rate', 'Top routes by p95 latency']) {
      const p = panel(model, title);
      expect(p.type).toBe('table');
      expect(targets(p)).toEqual([expect.objectContaining({ instant: true, format: 'table' })]);
      expect(exprs(p)[0]).toMatch(/^topk\(10, .*\[\$__range\]/);
    }
  });
});

describe('runtime', () => {
  it('shows CPU, memory, heap, event-loop lag, GC, handles per instance', () => {
    const model = dashboard('runtime.json');
    expect(titles(model)).toEqual([
      'CPU',
      'Resident memory',
      'Heap',
      'Event-loop lag',
      'GC time',
      'Heap spaces used',
      'Open handles',
      'File descriptors in use',
      'Running builds',
    ]);
    for (const p of panelsOf(model).filter((x) => x.type !== 'row')) {
      for (const e of exprs(p)) expect(e).toContain('instance=~"$instance"');
    }
  });
});

describe('SLOs', () => {
  const model = dashboard('slo.json');

  it('repeats one row per SLO of the selected service', () => {
    const rows = panelsOf(model).filter((p) => p.type === 'row');
    expect(rows).toEqual([expect.objectContaining({ title: 'SLO $slo', repeat: 'slo' })]);
    const slo = (model.templating as { list: Json[] }).list.find((v) => v.name === 'slo');
    expect(slo).toMatchObject({ query: 'label_values(slo:objective:ratio{service_name="$service_name"}, slo)', includeAll: true });
  });

  it('shows target, SLI, budget left, a burn-rate panel per window pair and the alerts’ state', () => {
    expect(titles(model)).toEqual([
      'Objective',
      'SLI over the period',
      'Error budget left',
      'Error budget left over time',
      'Burn rate 1h / 5m (page)',
      'Burn rate 6h / 30m (page)',
      'Burn rate 1d / 2h (ticket)',
      'Burn rate 3d / 6h (ticket)',
      'Burn-rate alerts',
    ]);
    expect(exprs(panel(model, 'Burn-rate alerts'))[0]).toContain('alertname=~"ErrorBudgetBurnFast|ErrorBudgetBurnSlow"');
  });

  it('draws each alert’s factor for the spec’s SLO period (30d: 14.4, 6, 3, 1)', () => {
    const steps = (title: string) => ((panel(model, title).fieldConfig as Json).defaults as { thresholds: { steps: Json[] } }).thresholds.steps;
    expect(['1h / 5m', '6h / 30m', '1d / 2h', '3d / 6h'].map((w) => steps(`Burn rate ${w} (${w.startsWith('1h') || w.startsWith('6h') ? 'page' : 'ticket'})`)[1]?.value)).toEqual([
      14.4, 6, 3, 1,
    ]);
  });

  it('draws no factor when SLOs of the spec have different periods', () => {
    const slo = (period: string) => ({ name: `a${period}`, sli: httpAvailability(), objective: 99.9, period });
    const api = (slos: ReturnType<typeof slo>[]) => resolveSpec({ namespace: 'x', services: [{ name: 'api', port: 8080, mixins: [http()], slos }] });
    const mixed = api([slo('30d'), slo('7d')]);
    expect(sharedSloPeriod(mixed)).toBeUndefined();
    const one = api([slo('7d')]);
    expect(sharedSloPeriod(one)).toBe('7d');
    const model7d = buildDashboards(one).find((d) => d.file === 'slo.json')!.model as unknown as Json;
    const steps = ((panel(model7d, 'Burn rate 1h / 5m (page)').fieldConfig as Json).defaults as { thresholds: { steps: Json[] } }).thresholds.steps;
    expect(steps[1]?.value).toBe(3.36); // 0.02 × 7d / 1h
    const modelMixed = buildDashboards(mixed).find((d) => d.file === 'slo.json')!.model as unknown as Json;
    const mixedSteps = ((panel(modelMixed, 'Burn rate 1h / 5m (page)').fieldConfig as Json).defaults as { thresholds: { steps: Json[] } }).thresholds.steps;
    expect(mixedSteps).toHaveLength(1);
  });
});

describe('stack health', () => {
  it('covers Prometheus, the collector, Alertmanager, Loki and Tempo', () => {
    const model = dashboard('stack-health.json');
    expect(panelsOf(model).filter((p) => p.type === 'row').map((p) => p.title)).toEqual([
      'Prometheus',
      'OpenTelemetry Collector',
      'Alertmanager',
      'Loki and Tempo ingestion',
    ]);
    const all = panelsOf(model).flatMap((p) => ((p.targets as Json[] | undefined) ?? []).map((t) => String(t.expr)));
    for (const name of [
      'up',
      'prometheus_tsdb_head_samples_appended_total',
      'prometheus_rule_evaluation_failures_total',
      'prometheus_tsdb_head_series',
      'otelcol_receiver_accepted_spans_total',
      'otelcol_receiver_refused_log_records_total',
      'otelcol_exporter_send_failed_metric_points_total',
      'otelcol_exporter_queue_size',
      'alertmanager_notifications_total',
      'alertmanager_notifications_failed_total',
      'loki_distributor_lines_received_total',
      'tempo_distributor_spans_received_total',
    ]) {
      expect({ name, used: all.some((e) => new RegExp(`\\b${name}\\b`).test(e)) }).toEqual({ name, used: true });
    }
  });
});

describe('logs and traces', () => {
  const model = dashboard('logs-traces.json');

  it('queries Loki (uid loki) by service_name and free text, and Tempo (uid tempo) by service', () => {
    const logs = panel(model, 'Logs');
    expect(logs.type).toBe('logs');
    expect(targets(logs)).toEqual([expect.objectContaining({ datasource: { type: 'loki', uid: 'loki' }, expr: '{service_name="$service_name"} |= "$search"' })]);
    const traces = panel(model, 'Recent traces');
    expect(targets(traces)).toEqual([
      expect.objectContaining({ datasource: { type: 'tempo', uid: 'tempo' }, queryType: 'traceql', query: '{ resource.service.name = "$service_name" }' }),
    ]);
    expect(exprs(panel(model, 'Traces with errors'))).toEqual(['{ resource.service.name = "$service_name" && status = error }']);
    expect(exprs(panel(model, 'Traces slower than 500ms'))).toEqual(['{ resource.service.name = "$service_name" && duration >= 500ms }']);
    for (const p of panelsOf(model).filter((x) => x.type !== 'row')) {
      const type = String((p.datasource as Json).type);
      expect(['loki', 'tempo']).toContain(type);
      for (const t of targets(p)) expect(t.datasource).toEqual({ type, uid: type });
    }
  });

  it('links log lines to their trace: the Loki datasource turns trace_id into a link to Tempo', () => {
    const derived = (provisionedDatasource('loki').jsonData as { derivedFields: Json[] }).derivedFields;
    expect(derived.length).toBeGreaterThan(0);
    for (const field of derived) expect(field.datasourceUid).toBe('tempo');
  });

  it('defines the free-text search variable, empty by default', () => {
    const search = (model.templating as { list: Json[] }).list.find((v) => v.name === 'search');
    expect(search).toMatchObject({ type: 'textbox', current: { value: '' } });
  });
});

it('builds a service mixin’s dashboards only when a service lists it (no Node runtime dashboard without nodejs())', () => {
  const none = { ...spec, services: [] } as StackSpec;
  expect(dashboards(none).map((d) => d.file)).toEqual(['stack-health.json', 'logs-traces.json', 'kubernetes.json', 'slo.json', 'fleet.json']);
  const python = resolveSpec({ namespace: 'x', services: [{ name: 'ingest', port: 8000, mixins: [pythonRuntime()] }] });
  expect(dashboards(python).map((d) => d.file)).toEqual(['stack-health.json', 'logs-traces.json', 'kubernetes.json', 'python-runtime.json', 'slo.json', 'fleet.json']);
});

it('lists in each service picker the services of the spec that dashboard serves', () => {
  const picker = (file: string) => ((dashboard(file).templating as { list: Json[] }).list.find((v) => v.name === 'service_name')!);
  expect(picker('service-overview.json')).toMatchObject({ type: 'custom', query: 'checkout,demo,ingest', current: { value: 'checkout' } });
  expect(picker('runtime.json')).toMatchObject({ query: 'checkout,demo' });
  expect(picker('python-runtime.json')).toMatchObject({ query: 'ingest', current: { value: 'ingest' } });
  expect(picker('logs-traces.json')).toMatchObject({ query: 'checkout,demo,ingest' });
});

describe('fleet overview', () => {
  const model = dashboard('fleet.json');
  const all = panelsOf(model).filter((p) => p.type !== 'row');
  const exprOf = (title: string) => ((all.find((p) => p.title === title)!.targets as Json[])[0]!.expr as string);

  it('shows every service of the spec at once: up, rate, errors, p95 and SLO budget left', () => {
    expect(all.map((p) => p.title)).toEqual(['Services up', 'Request rate', 'Error ratio', 'Latency p95']);
    expect(exprOf('Services up')).toBe('sum by (service_name) (up{service_name=~"checkout|demo|ingest"})');
    expect(exprOf('Request rate')).toBe('service_name:http_server_requests:rate5m{service_name=~"checkout|demo|ingest"}');
    expect(((model.templating as { list: Json[] }).list).map((v) => v.name)).toEqual(['datasource']);
  });

  it('adds the worst SLO’s budget left per service when any service has SLOs', () => {
    const withSlos = dashboards(resolveSpec({ namespace: 'x', services: [{ name: 'api', port: 80, mixins: [http()], slos: [{ name: 'availability', sli: httpAvailability(), objective: 99.9, period: '30d' }] }] }));
    const fleet = withSlos.find((d) => d.file === 'fleet.json')!.model;
    const budget = panelsOf(fleet).find((p) => p.title === 'SLO error budget left (worst SLO)')!;
    expect((budget.targets as Json[])[0]!.expr).toBe('min by (service_name) (slo:error_budget_remaining:ratio)');
  });
});
