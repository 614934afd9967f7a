/**
 * Zephyr's metrics, named exactly as its observability proposal gives them (../shared/seeds/002_*, "Must Have › 1.
 * Prometheus Metrics Collection", "Custom Metrics Dashboard", "Database Performance Dashboard", "Critical Alerts").
 * Zephyr exports with `prometheus_client`, so buckets the document leaves open are that client's defaults.
 * Decisions and contradictions: docs/systems-extract/zephyr.md. SDK-safe: nothing here loads generator code.
 */
import { defineDocumentedMetric, defineMetric, withBucketsOf } from '../../sdk/catalog/define';

/** `prometheus_client`'s `Histogram.DEFAULT_BUCKETS` (without +Inf): what Zephyr's histograms record unless told. */
export const PROMETHEUS_CLIENT_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10] as const;

/** Order values in currency units; the document gives none and latency defaults mean nothing for money (ours). */
export const ORDER_VALUE_BUCKETS = [5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000] as const;

export const httpRequestsTotal = defineMetric({
  name: 'http_requests_total',
  help: 'Total HTTP requests',
  type: 'counter',
  unit: '',
  labelNames: ['method', 'endpoint', 'status'],
  // HTTP methods (RFC 9110's and PATCH, with room for one more) and status codes (IANA's registry, about 60): the
  // bounds `obskit check` holds these labels to; `endpoint` is the application's routes, which no catalog knows.
  maxLabelValues: { method: 10, status: 64 },
});

export const httpRequestDurationSeconds = defineMetric({
  name: 'http_request_duration_seconds',
  help: 'HTTP request duration',
  type: 'histogram',
  unit: 'seconds',
  labelNames: ['method', 'endpoint'],
  buckets: PROMETHEUS_CLIENT_BUCKETS,
  maxLabelValues: { method: 10 },
});

export const userRegistrationsTotal = defineMetric({
  name: 'user_registrations_total',
  help: 'Total user registrations',
  type: 'counter',
  unit: '',
  labelNames: ['source'],
});

/** `metrics.timer('user_creation_duration')`: seconds, under the document's name, which has no unit suffix. */
export const userCreationDuration = defineDocumentedMetric({
  name: 'user_creation_duration',
  help: 'Time to create a user, in seconds (metrics.timer).',
  type: 'histogram',
  unit: 'seconds',
  buckets: PROMETHEUS_CLIENT_BUCKETS,
});

export const ordersTotal = defineMetric({
  name: 'orders_total',
  help: 'Orders, by product category and region.',
  type: 'counter',
  unit: '',
  labelNames: ['product_category', 'region'],
});

export const inventoryLevel = defineMetric({
  name: 'inventory_level',
  help: 'Items in stock, per product.',
  type: 'gauge',
  unit: '',
  labelNames: ['product_id'],
});

export const orderValue = defineMetric({
  name: 'order_value',
  help: 'Order value in currency units, by currency.',
  type: 'histogram',
  unit: '',
  labelNames: ['currency'],
  buckets: ORDER_VALUE_BUCKETS,
});

export const databaseQueryDurationSeconds = defineMetric({
  name: 'database_query_duration_seconds',
  help: 'Database query duration.',
  type: 'histogram',
  unit: 'seconds',
  buckets: PROMETHEUS_CLIENT_BUCKETS,
});

export const databaseConnectionsActive = defineMetric({
  name: 'database_connections_active',
  help: 'Database pool connections in use.',
  type: 'gauge',
  unit: '',
});

export const databaseConnectionsIdle = defineMetric({
  name: 'database_connections_idle',
  help: 'Database pool connections idle.',
  type: 'gauge',
  unit: '',
});

export const databaseConnectionsFailedTotal = defineMetric({
  name: 'database_connections_failed_total',
  help: 'Failed attempts to open a database connection.',
  type: 'counter',
  unit: '',
});

export interface ZephyrBuckets {
  readonly httpBuckets: readonly number[];
  readonly dbBuckets: readonly number[];
  readonly orderValueBuckets: readonly number[];
}

/** The metrics of a service listing `zephyr(…)`, with the buckets its config sets. */
export function zephyrMetrics(c: ZephyrBuckets) {
  return [
    httpRequestsTotal,
    withBucketsOf(httpRequestDurationSeconds, c.httpBuckets),
    userRegistrationsTotal,
    withBucketsOf(userCreationDuration, c.httpBuckets),
    ordersTotal,
    inventoryLevel,
    withBucketsOf(orderValue, c.orderValueBuckets),
    withBucketsOf(databaseQueryDurationSeconds, c.dbBuckets),
    databaseConnectionsActive,
    databaseConnectionsIdle,
    databaseConnectionsFailedTotal,
  ] as const;
}
