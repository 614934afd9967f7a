import { buildArtifacts } from '../../src/synth/artifacts';
import { pythonRuntime } from '../../src/mixins';
import { zephyr, zephyrAvailability, zephyrLatency } from '../../src/mixins/zephyr';
import { specCatalog } from '../../src/mixin/compose';
import { resolveSpec, type StackSpecInput } from '../../src/spec';
import { alertsWithoutRunbookPage, dashboardQueries, mixinAlerts, panelTitles, promtoolSuite, recordingRuleSuite } from './support';

/** A Zephyr service as its document describes it (../shared/seeds/002_*), with the two suggested SLOs. */
const input = (zephyrConfig: Parameters<typeof zephyr>[0] = {}): StackSpecInput => ({
  namespace: 'monitoring',
  services: [
    {
      name: 'zephyr-app',
      port: 8000,
      mixins: [zephyr(zephyrConfig), pythonRuntime()],
      slos: [
        { name: 'availability', sli: zephyrAvailability(), objective: 99.9, period: '30d' },
        { name: 'latency', sli: zephyrLatency(1), objective: 99, period: '30d' },
      ],
    },
  ],
});
const spec = resolveSpec(input());

describe('the zephyr mixin', () => {
  it('defines every metric the document names, with its type and labels', () => {
    const catalog = specCatalog(spec);
    const zephyrs = [...catalog.values()].filter((e) => e.mixin === 'zephyr').map(({ def }) => [def.name, def.type, def.labelNames.join(',')]);
    expect(zephyrs).toEqual([
      ['http_requests_total', 'counter', 'method,endpoint,status'],
      ['http_request_duration_seconds', 'histogram', 'method,endpoint'],
      ['user_registrations_total', 'counter', 'source'],
      ['user_creation_duration', 'histogram', ''],
      ['orders_total', 'counter', 'product_category,region'],
      ['inventory_level', 'gauge', 'product_id'],
      ['order_value', 'histogram', 'currency'],
      ['database_query_duration_seconds', 'histogram', ''],
      ['database_connections_active', 'gauge', ''],
      ['database_connections_idle', 'gauge', ''],
      ['database_connections_failed_total', 'counter', ''],
    ]);
    expect(catalog.get('http_request_duration_seconds')?.def.buckets).toEqual([0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10]);
  });

  it('has the five alerts of the document with its severities and `for`s', () => {
    const alerts = mixinAlerts(spec, 'zephyr').map((a) => [a.alert, a.severity, a.for]);
    expect(alerts).toEqual([
      ['HighErrorRate', 'critical', '2m'],
      ['ApplicationDown', 'critical', '1m'],
      ['DatabaseConnectionIssues', 'critical', '5m'],
      ['HighResponseTime', 'warning', '5m'],
      ['HighMemoryUsage', 'warning', '10m'],
    ]);
  });

  it('has a runbook page for every alert', () => {
    expect(alertsWithoutRunbookPage(mixinAlerts(spec, 'zephyr'))).toEqual([]);
  });

  it("puts the document's thresholds in the expressions, as the document means them", () => {
    const expr = Object.fromEntries(mixinAlerts(spec, 'zephyr').map((a) => [a.alert, a.expr]));
    expect(expr.HighErrorRate).toBe('service_name:http_requests_5xx_per_requests:ratio_rate5m{service_name="zephyr-app"} > 0.1');
    expect(expr.ApplicationDown).toBe('up{job="zephyr-app"} == 0');
    expect(expr.DatabaseConnectionIssues).toBe('sum by (service_name) (increase(database_connections_failed_total{service_name="zephyr-app"}[5m])) > 10');
    expect(expr.HighResponseTime).toBe('service_name:http_request_duration_seconds:p95_rate5m{service_name="zephyr-app"} > 1');
    expect(expr.HighMemoryUsage).toBe('(max by (service_name, instance) (process_resident_memory_bytes{service_name="zephyr-app"}) / 1048576) > 512');
  });

  it('follows its config: thresholds and `for`s move with it', () => {
    const custom = resolveSpec(input({ errorRatio: 0.05, errorRatioFor: '5m', memoryMiB: 1024 }));
    const alerts = Object.fromEntries(mixinAlerts(custom, 'zephyr').map((a) => [a.alert, a]));
    expect(alerts.HighErrorRate?.expr).toMatch(/> 0\.05$/);
    expect(alerts.HighErrorRate?.for).toBe('5m');
    expect(alerts.HighMemoryUsage?.expr).toMatch(/> 1024$/);
  });

  it('has the dashboards and panels the document lists (Active Connections has no metric)', () => {
    expect(panelTitles(spec, 'zephyr-')).toEqual({
      'zephyr-application-overview.json': ['HTTP Request Rate', 'Response Time Percentiles', 'Error Rate', 'Memory Usage', 'CPU Usage'],
      'zephyr-database.json': ['Query Duration', 'Slow Queries', 'Connection Pool Usage', 'Database Errors'],
      'zephyr-business.json': ['User Registrations', 'User Creation Duration', 'Orders', 'Order Value', 'Lowest Inventory'],
    });
  });

  it('queries every metric of its catalog on some dashboard', () => {
    const queries = dashboardQueries(spec, 'zephyr-').join('\n');
    for (const { def, mixin } of specCatalog(spec).values()) {
      if (mixin === 'zephyr') expect(queries).toContain(def.name);
    }
  });

  it('synthesizes: rules and dashboards pass obskit’s checks', () => {
    const paths = buildArtifacts(spec).map((a) => a.path);
    expect(paths).toEqual(expect.arrayContaining([
      'dist/rules/zephyr.yaml',
      'dist/dashboards/zephyr-application-overview.json',
      'dist/dashboards/zephyr-database.json',
      'dist/dashboards/zephyr-business.json',
    ]));
  });

  it.each([
    [{ slowQuerySeconds: 0.3 }, 'services[0].mixins[0].slowQuerySeconds', 'must be one of dbBuckets'],
    [{ p95Seconds: 20 }, 'services[0].mixins[0].p95Seconds', 'below 10'],
    [{ errorRatio: 1.5 }, 'services[0].mixins[0].errorRatio', 'below 1'],
    [{ dbFailures: 2.5 }, 'services[0].mixins[0].dbFailures', 'whole number'],
  ])('refuses bad config %j, naming %s', (config, path, message) => {
    expect(() => resolveSpec(input(config as never))).toThrow(path);
    expect(() => resolveSpec(input(config as never))).toThrow(message);
  });

  it('refuses a latency SLO whose threshold is not one of its buckets', () => {
    const bad: StackSpecInput = { ...input(), services: [{ ...input().services![0]!, slos: [{ name: 'latency', sli: zephyrLatency(0.3), objective: 99, period: '30d' }] }] };
    expect(() => resolveSpec(bad)).toThrow(/0\.3/);
  });
});

promtoolSuite('zephyr rules against the pinned promtool', spec, ['zephyr.yaml', 'slo.yaml']);

const z = 'job="zephyr-app", instance="zephyr-app:8000", service_name="zephyr-app", method="GET", endpoint="/users"';
recordingRuleSuite('zephyr recording rules against the pinned promtool', spec, 'zephyr.yaml', [
  {
    name: 'request rate; no 5xx series yet: the 5xx ratio is 0, not missing',
    series: [[`http_requests_total{${z}, status="200"}`, '0+60x10']],
    evalTime: '10m',
    expect: [['service_name:http_requests:rate5m{service_name="zephyr-app"}', 1], ['service_name:http_requests_5xx_per_requests:ratio_rate5m{service_name="zephyr-app"}', 0]],
  },
  {
    name: '5xx share over all statuses',
    series: [[`http_requests_total{${z}, status="200"}`, '0+45x10'], [`http_requests_total{${z}, status="503"}`, '0+15x10']],
    evalTime: '10m',
    expect: [['service_name:http_requests_5xx_per_requests:ratio_rate5m{service_name="zephyr-app"}', 0.25]],
  },
]);
