/**
 * CovetPy's metrics as its ADR names them (../shared/seeds/004_*): the request middleware of `setup_observability`
 * ("Integration with CovetPy": http_requests_total, http_request_duration, http_requests_errors_total), the core
 * gauges of the Rust MetricsCollector (active_connections, memory_usage_bytes) and the example business counter
 * (user_requests_total). The Rust core's own spellings of the request metrics (requests_total,
 * request_duration_seconds) are not used: nothing in the document records them (docs/systems-extract/covetpy.md K1).
 * SDK-safe: nothing here loads generator code.
 */
import { defineDocumentedMetric, defineMetric, withBucketsOf } from '../../sdk/catalog/define';

/** The Python `Histogram` default of the ADR ("5. Python Observability API"), in seconds. */
export const COVETPY_BUCKETS = [0.1, 0.25, 0.5, 1, 2.5, 5, 10] as const;

/**
 * The middleware counts requests whose handler returned (`.inc()` without labels). Declared with the labels Zephyr's
 * definition of the same name has, so both systems can share a spec (one name, one label set); CovetPy's label-less
 * series are members of it (an absent label is an empty one) and every CovetPy query aggregates with `sum` (K5).
 */
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

/** Requests whose handler raised: counted here and not in http_requests_total (K3). */
export const httpRequestsErrorsTotal = defineMetric({
  name: 'http_requests_errors_total',
  help: 'HTTP requests whose handler raised an exception.',
  type: 'counter',
  unit: '',
});

/** Seconds (`time.perf_counter()` differences) of requests that returned, under the ADR's suffix-less name (K2). */
export const httpRequestDuration = defineDocumentedMetric({
  name: 'http_request_duration',
  help: 'Duration of HTTP requests that completed, in seconds.',
  type: 'histogram',
  unit: 'seconds',
  buckets: COVETPY_BUCKETS,
});

export const activeConnections = defineMetric({ name: 'active_connections', help: 'Active connections', type: 'gauge', unit: '' });

export const memoryUsageBytes = defineMetric({ name: 'memory_usage_bytes', help: 'Memory usage in bytes', type: 'gauge', unit: 'bytes' });

export const userRequestsTotal = defineMetric({
  name: 'user_requests_total',
  help: 'Requests for user records (the ADR\'s example business counter).',
  type: 'counter',
  unit: '',
});

export function covetpyMetrics(buckets: readonly number[]) {
  return [httpRequestsTotal, httpRequestsErrorsTotal, withBucketsOf(httpRequestDuration, buckets), activeConnections, memoryUsageBytes, userRequestsTotal] as const;
}
