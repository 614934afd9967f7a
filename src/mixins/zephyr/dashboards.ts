/**
 * Zephyr's dashboards: the Application Overview and Database Performance of its proposal ("Grafana Dashboard
 * Integration", "Grafana Dashboard Specifications"), with the document's queries in working form
 * (docs/systems-extract/zephyr.md Z3–Z5), and Business Metrics (`business_metrics.json` in its "File Structure",
 * panels ours, one per business metric).
 */
import * as units from '@grafana/grafana-foundation-sdk/units';
import {
  alertThresholds,
  bargaugePanel,
  datasourceVariable,
  firingAlerts,
  labelVariable,
  place,
  prom,
  promInstant,
  RATE_INTERVAL,
  serviceVariable,
  statPanel,
  timeseriesPanel,
  VAR,
  type DashboardDefinition,
} from '../../dashboards';
import { bucketSeries, countSeries, div, histogramQuantile, rate, re, series, sub, sum, sumBy, sumSeries, type Expr } from '../../promql/expr';
import { leMatcher } from '../../promql/le';
import type { DashboardContext } from '../../mixin';
import type { ZephyrConfig } from './config';
import {
  databaseConnectionsActive,
  databaseConnectionsFailedTotal,
  databaseConnectionsIdle,
  databaseQueryDurationSeconds,
  httpRequestDurationSeconds,
  httpRequestsTotal,
  inventoryLevel,
  orderValue,
  ordersTotal,
  userCreationDuration,
  userRegistrationsTotal,
} from './metrics';
import { ZEPHYR_RECORDED as R } from './recorded';
import { py } from '../python/metrics';

const MIB = 1024 * 1024;
const svc = { service_name: VAR.service } as const;
const ENDPOINT = '$endpoint';
const http = { ...svc, endpoint: re(ENDPOINT) } as const;

/** `bottomk(k, e)`: the expression builder has topk only. */
const bottomk = (k: number, e: Expr) => `bottomk(${k}, ${e})` as Expr;

const variables = (ctx: DashboardContext<ZephyrConfig>) => [datasourceVariable(), serviceVariable(ctx.services.map((s) => s.name), ctx.defaultService)];

// ---------------------------------------------------------------------------------------------- application overview

const requestRate = () =>
  timeseriesPanel({ title: 'HTTP Request Rate', description: 'Requests per second by method and endpoint (http_requests_total).', unit: units.RequestsPerSecond, min: 0 }).withTarget(
    prom(sumBy(['method', 'endpoint'], rate(series(httpRequestsTotal, http), RATE_INTERVAL)), '{{method}} {{endpoint}}'),
  );

const responseTime = (c: ZephyrConfig) => {
  const buckets = sumBy(['le'], rate(bucketSeries(httpRequestDurationSeconds, http), RATE_INTERVAL));
  return timeseriesPanel({
    title: 'Response Time Percentiles',
    description: 'p95 and p50 of http_request_duration_seconds. Red dashed line: the HighResponseTime threshold.',
    unit: units.Seconds,
    thresholds: alertThresholds(c.p95Seconds),
    showThresholds: true,
    min: 0,
  })
    .withTarget(prom(histogramQuantile(0.95, buckets), '95th percentile'))
    .withTarget(prom(histogramQuantile(0.5, buckets), '50th percentile'));
};

const errorRate = (c: ZephyrConfig) =>
  statPanel({
    title: 'Error Rate',
    description: 'Share of requests answered 5xx over 5m (recorded per service; 0 when nothing failed). HighErrorRate fires above the red threshold.',
    unit: units.PercentUnit,
    thresholds: alertThresholds(c.errorRatio),
  }).withTarget(prom(series(R.errorRatio, svc), 'Error Rate %'));

const memoryUsage = (c: ZephyrConfig) =>
  timeseriesPanel({
    title: 'Memory Usage',
    description: 'Resident memory per instance (prometheus_client). Red dashed line: the HighMemoryUsage threshold.',
    unit: units.BytesIEC,
    thresholds: alertThresholds(c.memoryMiB * MIB),
    showThresholds: true,
    min: 0,
  }).withTarget(prom(sumBy(['instance'], series(py.process_resident_memory_bytes, svc)), '{{instance}}'));

const cpuUsage = () =>
  timeseriesPanel({ title: 'CPU Usage', description: 'CPU seconds per second per instance (1 = one core busy).', unit: units.PercentUnit, min: 0 }).withTarget(
    prom(sumBy(['instance'], rate(series(py.process_cpu_seconds_total, svc), RATE_INTERVAL)), '{{instance}}'),
  );

export function applicationOverview(ctx: DashboardContext<ZephyrConfig>): DashboardDefinition {
  return {
    file: 'zephyr-application-overview',
    uid: 'obskit-zephyr-overview',
    title: 'Zephyr Application Overview',
    description:
      'Request rate, response time, errors, memory and CPU of a Zephyr service. The document also lists "Active Connections", ' +
      'but names no metric for it, so that panel is left out (docs/systems.md).',
    tags: ['zephyr', 'service'],
    variables: [...variables(ctx), labelVariable('endpoint', 'endpoint', series(httpRequestsTotal, svc), 'Endpoint')],
    annotations: [firingAlerts()],
    rows: [
      { title: 'Requests', panels: [place(requestRate(), 12, 8), place(responseTime(ctx.config), 8, 8), place(errorRate(ctx.config), 4, 8)] },
      { title: 'Process', panels: [place(memoryUsage(ctx.config), 12, 8), place(cpuUsage(), 12, 8)] },
    ],
  };
}

// ---------------------------------------------------------------------------------------------- database

const queryDuration = () => {
  const buckets = sumBy(['le'], rate(bucketSeries(databaseQueryDurationSeconds, svc), RATE_INTERVAL));
  return timeseriesPanel({ title: 'Query Duration', description: 'p95 and p50 of database_query_duration_seconds.', unit: units.Seconds, min: 0 })
    .withTarget(prom(histogramQuantile(0.95, buckets), '95th percentile'))
    .withTarget(prom(histogramQuantile(0.5, buckets), '50th percentile'));
};

const connectionPool = () =>
  timeseriesPanel({ title: 'Connection Pool Usage', description: 'Pool connections in use and idle.', unit: units.Short, stacked: true, min: 0 })
    .withTarget(prom(sum(series(databaseConnectionsActive, svc)), 'Active Connections'))
    .withTarget(prom(sum(series(databaseConnectionsIdle, svc)), 'Idle Connections'));

const slowQueries = (c: ZephyrConfig) =>
  timeseriesPanel({
    title: 'Slow Queries',
    description: `Queries per second slower than ${c.slowQuerySeconds}s (all queries minus those in the ${c.slowQuerySeconds}s bucket).`,
    unit: units.OpsPerSecond,
    min: 0,
  }).withTarget(
    prom(
      sub(
        sum(rate(countSeries(databaseQueryDurationSeconds, svc), RATE_INTERVAL)),
        sum(rate(bucketSeries(databaseQueryDurationSeconds, { ...svc, le: leMatcher(c.slowQuerySeconds) }), RATE_INTERVAL)),
      ),
      'slower than ' + String(c.slowQuerySeconds) + 's',
    ),
  );

const databaseErrors = () =>
  timeseriesPanel({
    title: 'Database Errors',
    description: 'Failed connection attempts per second: the only database error Zephyr counts (query errors have no metric).',
    unit: units.OpsPerSecond,
    min: 0,
  }).withTarget(prom(sum(rate(series(databaseConnectionsFailedTotal, svc), RATE_INTERVAL)), 'connection failures'));

export function databasePerformance(ctx: DashboardContext<ZephyrConfig>): DashboardDefinition {
  return {
    file: 'zephyr-database',
    uid: 'obskit-zephyr-database',
    title: 'Zephyr Database Performance',
    description: 'Query duration, connection pool, slow queries and database errors of a Zephyr service.',
    tags: ['zephyr', 'database'],
    variables: variables(ctx),
    annotations: [firingAlerts()],
    rows: [
      { title: 'Queries', panels: [place(queryDuration(), 12, 8), place(slowQueries(ctx.config), 12, 8)] },
      { title: 'Connections', panels: [place(connectionPool(), 12, 8), place(databaseErrors(), 12, 8)] },
    ],
  };
}

// ---------------------------------------------------------------------------------------------- business

const registrations = () =>
  timeseriesPanel({ title: 'User Registrations', description: 'Registrations per second by source.', unit: units.OpsPerSecond, min: 0 }).withTarget(
    prom(sumBy(['source'], rate(series(userRegistrationsTotal, svc), RATE_INTERVAL)), '{{source}}'),
  );

const userCreation = () => {
  const buckets = sumBy(['le'], rate(bucketSeries(userCreationDuration, svc), RATE_INTERVAL));
  return timeseriesPanel({ title: 'User Creation Duration', description: 'p95 and p50 of user_creation_duration (seconds).', unit: units.Seconds, min: 0 })
    .withTarget(prom(histogramQuantile(0.95, buckets), 'p95'))
    .withTarget(prom(histogramQuantile(0.5, buckets), 'p50'));
};

const orders = () =>
  timeseriesPanel({ title: 'Orders', description: 'Orders per second by product category and region.', unit: units.OpsPerSecond, stacked: true, min: 0 }).withTarget(
    prom(sumBy(['product_category', 'region'], rate(series(ordersTotal, svc), RATE_INTERVAL)), '{{product_category}} {{region}}'),
  );

const orderValues = () =>
  timeseriesPanel({ title: 'Order Value', description: 'Median and mean order value by currency (currency units).', unit: units.Short, min: 0 })
    .withTarget(prom(histogramQuantile(0.5, sumBy(['currency', 'le'], rate(bucketSeries(orderValue, svc), RATE_INTERVAL))), 'median {{currency}}'))
    .withTarget(
      prom(div(sumBy(['currency'], rate(sumSeries(orderValue, svc), RATE_INTERVAL)), sumBy(['currency'], rate(countSeries(orderValue, svc), RATE_INTERVAL))), 'mean {{currency}}'),
    );

const lowestInventory = () =>
  bargaugePanel({ title: 'Lowest Inventory', description: 'The ten products with the fewest items in stock.', unit: units.Short }).withTarget(
    promInstant(bottomk(10, sumBy(['product_id'], series(inventoryLevel, svc))), '{{product_id}}'),
  );

export function businessMetrics(ctx: DashboardContext<ZephyrConfig>): DashboardDefinition {
  return {
    file: 'zephyr-business',
    uid: 'obskit-zephyr-business',
    title: 'Zephyr Business Metrics',
    description: 'User registrations, orders, order value and inventory of a Zephyr service.',
    tags: ['zephyr', 'business'],
    variables: variables(ctx),
    annotations: [firingAlerts()],
    rows: [
      { title: 'Users', panels: [place(registrations(), 12, 8), place(userCreation(), 12, 8)] },
      { title: 'Orders', panels: [place(orders(), 8, 8), place(orderValues(), 8, 8), place(lowestInventory(), 8, 8)] },
    ],
  };
}

// ---------------------------------------------------------------------------------------------- fleet

const everyService = (services: readonly { name: string }[]) => ({ service_name: re(services.map((s) => s.name).join('|')) });

/** Request rate, 5xx ratio and p95 of every Zephyr service, for the fleet overview (from the recorded series). */
export function zephyrFleetPanels({ config: c, services }: DashboardContext<ZephyrConfig>) {
  const scope = everyService(services);
  return [
    bargaugePanel({ title: 'Zephyr request rate', description: 'Requests per second per Zephyr service (http_requests_total, 5m).', unit: units.RequestsPerSecond }).withTarget(
      promInstant(series(R.requestRate, scope), '{{service_name}}'),
    ),
    bargaugePanel({ title: 'Zephyr error rate', description: 'Share of requests answered 5xx per Zephyr service (5m); red from the HighErrorRate threshold.', unit: units.PercentUnit, thresholds: alertThresholds(c.errorRatio) }).withTarget(
      promInstant(series(R.errorRatio, scope), '{{service_name}}'),
    ),
    bargaugePanel({ title: 'Zephyr p95', description: 'p95 request duration per Zephyr service (5m); red from the HighResponseTime threshold.', unit: units.Seconds, thresholds: alertThresholds(c.p95Seconds) }).withTarget(
      promInstant(series(R.latencyP95, scope), '{{service_name}}'),
    ),
  ];
}
