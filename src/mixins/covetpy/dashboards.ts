/**
 * CovetPy Service: the ADR names RED and USE metrics, business metrics, a cardinality budget and SLO/SLI monitoring
 * but no panels; these are ours, one per metric it names (docs/systems-extract/covetpy.md). Saturation has no metric,
 * and the StatsD business metrics do not reach Prometheus (docs/systems.md).
 */
import * as units from '@grafana/grafana-foundation-sdk/units';
import {
  alertThresholds,
  bargaugePanel,
  datasourceVariable,
  firingAlerts,
  instanceVariable,
  place,
  prom,
  promInstant,
  RATE_INTERVAL,
  serviceVariable,
  thresholds,
  timeseriesPanel,
  VAR,
  type DashboardDefinition,
} from '../../dashboards';
import { SCRAPE_SERIES } from '../../promql/builtin';
import { bucketSeries, histogramQuantile, rate, re, series, sum, sumBy } from '../../promql/expr';
import type { DashboardContext } from '../../mixin';
import type { CovetpyConfig } from './config';
import { activeConnections, httpRequestDuration, httpRequestsErrorsTotal, memoryUsageBytes, userRequestsTotal } from './metrics';
import { COVETPY_RECORDED as R } from './recorded';

const svc = { service_name: VAR.service } as const;
const inst = { ...svc, instance: re(VAR.instance) } as const;

export function covetpyService(ctx: DashboardContext<CovetpyConfig>): DashboardDefinition {
  const c = ctx.config;
  const requests = timeseriesPanel({ title: 'Request Rate', description: 'Requests per second: those that returned plus those that raised (recorded, 5m).', unit: units.RequestsPerSecond, min: 0 }).withTarget(
    prom(series(R.requestRate, svc), 'requests'),
  );
  const errors = timeseriesPanel({ title: 'Errors', description: 'Requests whose handler raised, per second, and their share of all requests (5m).', unit: units.RequestsPerSecond, min: 0 })
    .withTarget(prom(sum(rate(series(httpRequestsErrorsTotal, inst), RATE_INTERVAL)), 'raised/s'))
    .withTarget(prom(series(R.errorRatio, svc), 'share').refId('share'))
    .overrideByQuery('share', [{ id: 'unit', value: units.PercentUnit }]);
  const buckets = sumBy(['le'], rate(bucketSeries(httpRequestDuration, inst), RATE_INTERVAL));
  const duration = timeseriesPanel({ title: 'Duration', description: 'p50, p95 and p99 of http_request_duration — requests that returned only (a raised request is not observed).', unit: units.Seconds, min: 0 })
    .withTarget(prom(histogramQuantile(0.5, buckets), 'p50'))
    .withTarget(prom(histogramQuantile(0.95, buckets), 'p95'))
    .withTarget(prom(histogramQuantile(0.99, buckets), 'p99'));
  const connections = timeseriesPanel({ title: 'Connections', description: 'Active connections per instance (utilisation; no limit is exported to show saturation).', unit: units.Short, min: 0 }).withTarget(
    prom(sumBy(['instance'], series(activeConnections, inst)), '{{instance}}'),
  );
  const memory = timeseriesPanel({ title: 'Memory', description: 'Memory usage per instance (the Rust core\'s memory_usage_bytes).', unit: units.BytesIEC, min: 0 }).withTarget(
    prom(sumBy(['instance'], series(memoryUsageBytes, inst)), '{{instance}}'),
  );
  const users = timeseriesPanel({ title: 'User Requests', description: 'user_requests_total per second (the ADR\'s example business counter).', unit: units.OpsPerSecond, min: 0 }).withTarget(
    prom(sum(rate(series(userRequestsTotal, inst), RATE_INTERVAL)), 'user requests'),
  );
  const limit = c.maxCardinality * c.cardinalityWarnRatio;
  const seriesPerScrape = timeseriesPanel({
    title: 'Series per scrape',
    description: `Samples each scrape brings, against the ${c.maxCardinality}-series budget (CovetPy max_cardinality); CovetPyCardinalityHigh fires above the red line.`,
    unit: units.Short,
    thresholds: alertThresholds(limit),
    showThresholds: true,
    min: 0,
  }).withTarget(prom(sumBy(['instance'], series(SCRAPE_SERIES.samplesPostRelabeling, { job: VAR.service, instance: re(VAR.instance) })), '{{instance}}'));
  const newSeries = timeseriesPanel({ title: 'New series per scrape', description: 'Series a scrape created: steady growth means an unbounded label.', unit: units.Short, thresholds: thresholds('green'), min: 0 }).withTarget(
    prom(sumBy(['instance'], series(SCRAPE_SERIES.seriesAdded, { job: VAR.service, instance: re(VAR.instance) })), '{{instance}}'),
  );
  return {
    file: 'covetpy-service',
    uid: 'obskit-covetpy-service',
    title: 'CovetPy Service',
    description: 'RED (rate, errors, duration), USE (connections, memory), business and cardinality of a CovetPy service. SLOs: the SLO dashboard.',
    tags: ['covetpy', 'service'],
    variables: [datasourceVariable(), serviceVariable(ctx.services.map((s) => s.name), ctx.defaultService), instanceVariable()],
    annotations: [firingAlerts()],
    rows: [
      { title: 'RED', panels: [place(requests, 8, 8), place(errors, 8, 8), place(duration, 8, 8)] },
      { title: 'USE', panels: [place(connections, 12, 7), place(memory, 12, 7)] },
      { title: 'Business and cardinality', panels: [place(users, 8, 7), place(seriesPerScrape, 8, 7), place(newSeries, 8, 7)] },
    ],
  };
}

/** Request rate and the share of requests that raised, per CovetPy service, for the fleet overview. */
export function covetpyFleetPanels({ services }: DashboardContext<CovetpyConfig>) {
  const scope = { service_name: re(services.map((s) => s.name).join('|')) };
  return [
    bargaugePanel({ title: 'CovetPy request rate', description: 'Requests per second per CovetPy service (returned + raised, 5m).', unit: units.RequestsPerSecond }).withTarget(
      promInstant(series(R.requestRate, scope), '{{service_name}}'),
    ),
    bargaugePanel({ title: 'CovetPy error rate', description: 'Share of requests whose handler raised, per CovetPy service (5m).', unit: units.PercentUnit }).withTarget(
      promInstant(series(R.errorRatio, scope), '{{service_name}}'),
    ),
  ];
}
