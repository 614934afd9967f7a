import { defineMetric } from './define';

/**
 * The HTTP server RED set, in OpenTelemetry semantic-convention form (Prometheus spelling):
 * `http.server.request.duration` → `http_server_request_duration_seconds`,
 * `http.server.active_requests` → `http_server_active_requests`.
 */

/** The label value for requests that matched no route template (the raw URL is never a label). */
export const UNMATCHED_ROUTE = '_unmatched';
/** The label value for HTTP methods outside the well-known set (semconv `_OTHER`). */
export const OTHER_METHOD = '_OTHER';
/** The methods semconv calls well-known; anything else is recorded as `_OTHER`. */
export const KNOWN_HTTP_METHODS = ['CONNECT', 'DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT', 'TRACE'] as const;

/**
 * Bounds on label values (`maxLabelValues`, checked by `obskit check`): the well-known methods plus `_OTHER`; the
 * status codes of IANA's HTTP Status Code Registry (about 60 are assigned; 64 leaves room for a new one); `http` or
 * `https`. `http_route` is bounded by the routes a service declares (unmatched ones are `_unmatched`), which no
 * catalog can know.
 */
export const HTTP_METHOD_VALUES = KNOWN_HTTP_METHODS.length + 1;
export const HTTP_STATUS_CODE_VALUES = 64;

/** Semconv's advised boundaries for `http.server.request.duration`. */
export const HTTP_DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10] as const;

export const httpServerRequestDuration = defineMetric({
  name: 'http_server_request_duration_seconds',
  help: 'Duration of HTTP server requests.',
  type: 'histogram',
  unit: 'seconds',
  labelNames: ['http_request_method', 'http_route', 'http_response_status_code'],
  buckets: HTTP_DURATION_BUCKETS,
  maxLabelValues: { http_request_method: HTTP_METHOD_VALUES, http_response_status_code: HTTP_STATUS_CODE_VALUES },
});

export const httpServerActiveRequests = defineMetric({
  name: 'http_server_active_requests',
  help: 'Number of active HTTP server requests.',
  type: 'gauge',
  unit: '',
  labelNames: ['http_request_method', 'url_scheme'],
  maxLabelValues: { http_request_method: HTTP_METHOD_VALUES, url_scheme: 2 },
});

export const httpMetrics = [httpServerRequestDuration, httpServerActiveRequests] as const;
