import { buildArtifacts } from '../../src/synth/artifacts';
import { covetpy, covetpyAvailability, covetpyLatency, galway, gitNotesMemory, pythonRuntime, zephyr } from '../../src/mixins';
import { specCatalog } from '../../src/mixin/compose';
import { resolveSpec, type StackSpecInput } from '../../src/spec';
import { alertsWithoutRunbookPage, dashboardQueries, mixinAlerts, panelTitles, promtoolSuite, recordingRuleSuite } from './support';

/** A CovetPy service as ADR-006 describes it (../shared/seeds/004_*): metrics at /_metrics, every 10s. */
const covetpyService = (config: Parameters<typeof covetpy>[0] = {}) => ({
  name: 'covetpy',
  port: 8000,
  metricsPath: '/_metrics',
  scrapeInterval: '10s',
  mixins: [covetpy(config)],
  slos: [
    { name: 'availability', sli: covetpyAvailability(), objective: 99.9, period: '30d' },
    { name: 'latency', sli: covetpyLatency(0.5), objective: 99, period: '30d' },
  ],
});
const input = (config: Parameters<typeof covetpy>[0] = {}): StackSpecInput => ({ namespace: 'monitoring', services: [covetpyService(config)] });
const spec = resolveSpec(input());

describe('the covetpy mixin', () => {
  it("defines the ADR's request, core and business metrics", () => {
    const defs = [...specCatalog(spec).values()].filter((e) => e.mixin === 'covetpy').map(({ def }) => [def.name, def.type, def.unit]);
    expect(defs).toEqual([
      ['http_requests_total', 'counter', ''],
      ['http_requests_errors_total', 'counter', ''],
      ['http_request_duration', 'histogram', 'seconds'],
      ['active_connections', 'gauge', ''],
      ['memory_usage_bytes', 'gauge', 'bytes'],
      ['user_requests_total', 'counter', ''],
    ]);
    expect(specCatalog(spec).get('http_request_duration')?.def.buckets).toEqual([0.1, 0.25, 0.5, 1, 2.5, 5, 10]);
  });

  it('watches the cardinality budget of the ADR (max_cardinality 10000)', () => {
    const alerts = mixinAlerts(spec, 'covetpy');
    expect(alerts.map((a) => [a.alert, a.severity, a.for, a.expr])).toEqual([
      ['CovetPyCardinalityHigh', 'warning', '15m', 'max by (service_name, instance) (scrape_samples_post_metric_relabeling{job="covetpy"}) > 8000'],
    ]);
    expect(alertsWithoutRunbookPage(alerts)).toEqual([]);
    const custom = mixinAlerts(resolveSpec(input({ maxCardinality: 2000 })), 'covetpy');
    expect(custom[0]?.expr).toMatch(/> 1600$/);
  });

  it('has RED, USE, business and cardinality panels', () => {
    expect(panelTitles(spec, 'covetpy-')['covetpy-service.json']).toEqual([
      'Request Rate', 'Errors', 'Duration', 'Connections', 'Memory', 'User Requests', 'Series per scrape', 'New series per scrape',
    ]);
    const queries = dashboardQueries(spec, 'covetpy-').join('\n');
    for (const { def, mixin } of specCatalog(spec).values()) if (mixin === 'covetpy' && def.name !== 'http_requests_total') expect(queries).toContain(def.name);
    expect(queries).toContain('service_name:covetpy_http_requests_all:rate5m');
  });

  it('counts raised requests in the total: requests that returned plus those that raised', () => {
    const rule = buildArtifacts(spec).find((a) => a.path === 'dist/rules/covetpy.yaml')!.content;
    expect(rule).toContain('http_requests_errors_total');
    expect(rule).toMatch(/record: service_name:covetpy_http_requests_all:rate5m/);
  });

  it('composes with the other three systems in one spec (shared http_requests_total, one label set), each on the fleet overview', () => {
    const all = resolveSpec({
      namespace: 'monitoring',
      services: [
        covetpyService(),
        { name: 'zephyr-app', port: 8001, mixins: [zephyr(), pythonRuntime()] },
        { name: 'git-notes-memory', port: 9464, mixins: [gitNotesMemory()] },
        { name: 'jp-spec-kit', port: 9090, mixins: [galway()] },
      ],
    });
    const paths = buildArtifacts(all).map((a) => a.path);
    expect(paths).toEqual(expect.arrayContaining(['dist/rules/covetpy.yaml', 'dist/rules/zephyr.yaml', 'dist/rules/git-notes-memory.yaml', 'dist/rules/galway.yaml']));
    expect(panelTitles(all, 'fleet')['fleet.json']).toEqual(
      expect.arrayContaining(['CovetPy request rate', 'Zephyr request rate', 'Zephyr p95', 'Galway CI success rate (24h)', 'git-notes-memory capture latency (mean, 5m)']),
    );
  });

  it.each([
    [{ maxCardinality: 0 }, 'services[0].mixins[0].maxCardinality', 'at least 1'],
    [{ buckets: [] }, 'services[0].mixins[0].buckets', 'non-empty'],
  ])('refuses bad config %j, naming %s', (config, path, message) => {
    const bad: StackSpecInput = { namespace: 'monitoring', services: [{ ...covetpyService(config as never), slos: [] }] };
    expect(() => resolveSpec(bad)).toThrow(path);
    expect(() => resolveSpec(bad)).toThrow(message);
  });
});

promtoolSuite('covetpy rules against the pinned promtool', spec, ['covetpy.yaml', 'slo.yaml']);

const t = 'job="covetpy", instance="covetpy:8000", service_name="covetpy"';
recordingRuleSuite('covetpy recording rules against the pinned promtool', spec, 'covetpy.yaml', [
  {
    name: 'total = returned + raised; ratio = raised / total',
    series: [[`http_requests_total{${t}}`, '0+48x10'], [`http_requests_errors_total{${t}}`, '0+12x10']],
    evalTime: '10m',
    expect: [['service_name:covetpy_http_requests_all:rate5m{service_name="covetpy"}', 1], ['service_name:covetpy_http_requests_errors_per_requests:ratio_rate5m{service_name="covetpy"}', 0.2]],
  },
  {
    name: 'no error counter yet: the ratio is 0, not missing',
    series: [[`http_requests_total{${t}}`, '0+60x10']],
    evalTime: '10m',
    expect: [['service_name:covetpy_http_requests_all:rate5m{service_name="covetpy"}', 1], ['service_name:covetpy_http_requests_errors_per_requests:ratio_rate5m{service_name="covetpy"}', 0]],
  },
  {
    name: 'every request raised: the total still counts them, the ratio is 1',
    series: [[`http_requests_errors_total{${t}}`, '0+30x10']],
    evalTime: '10m',
    expect: [['service_name:covetpy_http_requests_all:rate5m{service_name="covetpy"}', 0.5], ['service_name:covetpy_http_requests_errors_per_requests:ratio_rate5m{service_name="covetpy"}', 1]],
  },
]);
