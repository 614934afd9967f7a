/**
 * The HTTP server RED set (OpenTelemetry semantic conventions, Prometheus spelling). The definitions are the ones
 * the Node SDK records (src/sdk/catalog/http.ts), so a dashboard queries exactly what the SDK emits; any service
 * emitting the same names (a Python service through OpenTelemetry, for one) fits this mixin. SDK-safe: nothing
 * here loads generator code.
 */
import { withBucketsOf } from '../../sdk/catalog/define';
import { HTTP_DURATION_BUCKETS, httpServerActiveRequests, httpServerRequestDuration } from '../../sdk/catalog/http';

export { HTTP_DURATION_BUCKETS, httpServerActiveRequests, httpServerRequestDuration };

/** The metrics of a service listing `http({ buckets })`. */
export function httpMetrics(buckets: readonly number[] = HTTP_DURATION_BUCKETS) {
  return [withBucketsOf(httpServerRequestDuration, buckets), httpServerActiveRequests] as const;
}
