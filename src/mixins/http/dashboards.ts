/**
 * Service overview (the http mixin's dashboard): the RED method for one service (`$service_name`). Rate, errors and latency quantiles come from
 * the mixin's recording rules (rules.ts); breakdowns by status code, route and instance read
 * the SDK's HTTP histogram directly, filtered by `$instance` and `$route`. Firing alerts of the service are
 * annotations on every graph.
 */
import * as units from '@grafana/grafana-foundation-sdk/units';
import {
  bucketSeries,
  countSeries,
  histogramQuantile,
  rate,
  re,
  series,
  sum,
  sumBy,
  topk,
  type Selector,
} from '../../promql/expr';
import {
  alertThresholds,
  bargaugePanel,
  datasourceVariable,
  firingAlerts,
  instanceVariable,
  labelVariable,
  place,
  prom,
  promInstant,
  RANGE,
  RATE_INTERVAL,
  serviceVariable,
  statPanel,
  tablePanel,
  timeseriesPanel,
  VAR,
  type DashboardDefinition,
} from '../../dashboards';
import type { DashboardContext } from '../../mixin';
import type { HttpConfig } from './config';
import { httpServerActiveRequests, httpServerRequestDuration } from './metrics';
import { HTTP_RECORDED as RECORDED } from './recorded';

export const SERVICE_OVERVIEW_UID = 'obskit-service-overview';

/**
 * The alert thresholds drawn (the first service's http() config): panels turn orange from half of them and red from
 * them, so a red line is where the alert fires. Other services' own thresholds are not drawn (one dashboard serves
 * every service listing http()).
 */
export type RedLines = Pick<HttpConfig, 'errorRatio' | 'latencyP95Seconds'>;

const service = { service_name: VAR.service } as const;
/** The HTTP histogram's requests of the selected service, instances and routes. */
const requests = (): Selector => countSeries(httpServerRequestDuration, { ...service, instance: re(VAR.instance), http_route: re(VAR.route) });
const buckets = (): Selector => bucketSeries(httpServerRequestDuration, { ...service, instance: re(VAR.instance), http_route: re(VAR.route) });
const quantile = (q: string) => series(RECORDED.serviceLatencyQuantile, { ...service, quantile: q });

// ---------------------------------------------------------------------------------------------- panels

export const requestRateStat = () =>
  statPanel({ title: 'Request rate', description: 'Requests per second, whole service (recorded over 5m).', unit: units.RequestsPerSecond }).withTarget(
    prom(series(RECORDED.serviceRequestRate, service), 'requests/s'),
  );

export const errorRatioStat = (red: RedLines) =>
  statPanel({
    title: 'Error ratio',
    description: 'Share of requests answered with a 5xx status, whole service (recorded over 5m).',
    unit: units.PercentUnit,
    thresholds: alertThresholds(red.errorRatio),
    min: 0,
  }).withTarget(prom(series(RECORDED.serviceErrorRatio, service), 'errors'));

export const p95Stat = (red: RedLines) =>
  statPanel({
    title: 'Latency p95',
    description: '95th percentile of request duration, whole service (recorded over 5m).',
    unit: units.Seconds,
    thresholds: alertThresholds(red.latencyP95Seconds),
  }).withTarget(prom(quantile('0.95'), 'p95'));

export const inFlightStat = () =>
  statPanel({
    title: 'In-flight requests',
    description: 'Requests being served right now, on the selected instances.',
    unit: units.Short,
  }).withTarget(prom(sum(series(httpServerActiveRequests, { ...service, instance: re(VAR.instance) })), 'in flight'));

export const requestRate = () =>
  timeseriesPanel({ title: 'Request rate', description: 'Requests per second, whole service (recorded over 5m).', unit: units.RequestsPerSecond, min: 0 }).withTarget(
    prom(series(RECORDED.serviceRequestRate, service), 'requests/s'),
  );

export const errorRatio = (red: RedLines) =>
  timeseriesPanel({
    title: 'Error ratio',
    description: 'Share of requests answered with a 5xx status, whole service (recorded over 5m). Red dashed line: the ServiceErrorRatioHigh threshold.',
    unit: units.PercentUnit,
    thresholds: alertThresholds(red.errorRatio),
    showThresholds: true,
    min: 0,
  }).withTarget(prom(series(RECORDED.serviceErrorRatio, service), '5xx share'));

/**
 * Latency quantiles from the recording rules, plus the p99 of the selected routes and instances computed live
 * from the histogram: that query asks for exemplars, which Grafana draws as points linking to the trace in Tempo
 * (the Prometheus datasource maps the `trace_id` exemplar label to the `tempo` datasource).
 */
export const latency = (red: RedLines) =>
  timeseriesPanel({
    title: 'Latency',
    description:
      'Request duration quantiles (recorded over 5m, whole service), and the live p99 of the selected routes and instances with exemplars: ' +
      'click a point to open its trace in Tempo. Red dashed line: the ServiceLatencyHigh threshold (on p95).',
    unit: units.Seconds,
    thresholds: alertThresholds(red.latencyP95Seconds),
    showThresholds: true,
    min: 0,
  })
    .withTarget(prom(quantile('0.5'), 'p50'))
    .withTarget(prom(quantile('0.95'), 'p95'))
    .withTarget(prom(quantile('0.99'), 'p99'))
    .withTarget(prom(histogramQuantile(0.99, sumBy(['le'], rate(buckets(), RATE_INTERVAL))), 'p99 (selected routes, exemplars)').exemplar(true));

export const statusCodes = () =>
  timeseriesPanel({
    title: 'Responses by status code',
    description: 'Requests per second by HTTP status code, on the selected instances and routes.',
    unit: units.RequestsPerSecond,
    stacked: true,
    min: 0,
  }).withTarget(prom(sumBy(['http_response_status_code'], rate(requests(), RATE_INTERVAL)), '{{http_response_status_code}}'));

export const inFlightByMethod = () =>
  timeseriesPanel({
    title: 'In-flight requests by method',
    description: 'Requests being served, by HTTP method, on the selected instances.',
    unit: units.Short,
    stacked: true,
    min: 0,
  }).withTarget(
    prom(sumBy(['http_request_method'], series(httpServerActiveRequests, { ...service, instance: re(VAR.instance) })), '{{http_request_method}}'),
  );

export const requestRateByInstance = () =>
  timeseriesPanel({
    title: 'Request rate by instance',
    description: 'Requests per second per instance, for the selected routes: an uneven spread points at the load balancer or one bad instance.',
    unit: units.RequestsPerSecond,
    min: 0,
  }).withTarget(prom(sumBy(['instance'], rate(requests(), RATE_INTERVAL)), '{{instance}}'));

export const topRoutesByRate = () =>
  tablePanel({
    title: 'Top routes by request rate',
    description: 'The 10 busiest routes over the selected time range.',
    unit: units.RequestsPerSecond,
  }).withTarget(promInstant(topk(10, sumBy(['http_route'], rate(requests(), RANGE)))));

export const topRoutesByLatency = (red: RedLines) =>
  tablePanel({
    title: 'Top routes by p95 latency',
    description: 'The 10 slowest routes by 95th percentile over the selected time range.',
    unit: units.Seconds,
    thresholds: alertThresholds(red.latencyP95Seconds),
  }).withTarget(promInstant(topk(10, histogramQuantile(0.95, sumBy(['http_route', 'le'], rate(buckets(), RANGE))))));

// ---------------------------------------------------------------------------------------------- dashboard

/** The service's route templates (`http_route`), all by default. */
const routeVariable = () =>
  labelVariable('route', 'http_route', countSeries(httpServerRequestDuration, { service_name: VAR.service }), 'Route');

export function serviceOverview({ config: red, services, defaultService }: DashboardContext<HttpConfig>): DashboardDefinition {
  return {
    file: 'service-overview',
    uid: SERVICE_OVERVIEW_UID,
    title: 'Service overview',
    description: 'RED metrics of one service: request rate, errors and latency, with breakdowns by status code, route and instance.',
    tags: ['red', 'service'],
    variables: [datasourceVariable(), serviceVariable(services.map((s) => s.name), defaultService), instanceVariable(), routeVariable()],
    annotations: [firingAlerts()],
    rows: [
      {
        title: 'Now',
        panels: [place(requestRateStat(), 6, 4), place(errorRatioStat(red), 6, 4), place(p95Stat(red), 6, 4), place(inFlightStat(), 6, 4)],
      },
      {
        title: 'Rate, errors, duration',
        panels: [place(requestRate(), 8, 8), place(errorRatio(red), 8, 8), place(latency(red), 8, 8)],
      },
      {
        title: 'Breakdown',
        panels: [place(statusCodes(), 8, 8), place(requestRateByInstance(), 8, 8), place(inFlightByMethod(), 8, 8)],
      },
      {
        title: 'Routes',
        panels: [place(topRoutesByRate(), 12, 9), place(topRoutesByLatency(red), 12, 9)],
      },
    ],
  };
}

// ---------------------------------------------------------------------------------------------- fleet overview

const everyService = (services: readonly { name: string }[]) => ({ service_name: re(services.map((s) => s.name).join('|')) });

/** Request rate, error ratio and p95 of every service listing http(), for the fleet overview. */
export function fleetPanels({ config: red, services }: DashboardContext<HttpConfig>) {
  const scope = everyService(services);
  return [
    bargaugePanel({ title: 'Request rate', description: 'Requests per second per service (recorded over 5m).', unit: units.RequestsPerSecond, min: 0 }).withTarget(
      promInstant(series(RECORDED.serviceRequestRate, scope), '{{service_name}}'),
    ),
    bargaugePanel({
      title: 'Error ratio',
      description: 'Share of requests answered 5xx per service (recorded over 5m); red from the first service’s ServiceErrorRatioHigh threshold.',
      unit: units.PercentUnit,
      thresholds: alertThresholds(red.errorRatio),
      min: 0,
    }).withTarget(promInstant(series(RECORDED.serviceErrorRatio, scope), '{{service_name}}')),
    bargaugePanel({
      title: 'Latency p95',
      description: '95th percentile request duration per service (recorded over 5m); red from the first service’s ServiceLatencyHigh threshold.',
      unit: units.Seconds,
      thresholds: alertThresholds(red.latencyP95Seconds),
      min: 0,
    }).withTarget(promInstant(series(RECORDED.serviceLatencyQuantile, { ...scope, quantile: '0.95' }), '{{service_name}}')),
  ];
}
