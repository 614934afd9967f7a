import { defineRecorded } from '../../promql/expr';

const SERVICE = ['service_name'] as const;

/** The latency quantiles recorded per service, as the `quantile` label values. */
export const RECORDED_QUANTILES = ['0.5', '0.95', '0.99'] as const;

/** What the HTTP mixin's recording rules write (rules.ts), per service over 5 minutes. */
export const HTTP_RECORDED = {
  // Per service, over 5 minutes (rules.ts), from http_server_request_duration_seconds.
  serviceRequestRate: defineRecorded({
    name: 'service_name:http_server_requests:rate5m',
    labelNames: SERVICE,
    help: 'Requests per second per service, over 5m.',
  }),
  serviceErrorRate: defineRecorded({
    name: 'service_name:http_server_request_errors:rate5m',
    labelNames: SERVICE,
    help: 'Requests answered with a 5xx status per second per service, over 5m (0 when there are requests but no errors).',
  }),
  serviceErrorRatio: defineRecorded({
    name: 'service_name:http_server_request_errors_per_requests:ratio_rate5m',
    labelNames: SERVICE,
    help: 'Share of requests answered with a 5xx status per service, over 5m (errors rate / requests rate).',
  }),
  serviceLatencyBuckets: defineRecorded({
    name: 'service_name_le:http_server_request_duration_seconds_bucket:rate5m',
    labelNames: ['service_name', 'le'],
    help: 'Request duration histogram buckets per service, as rates over 5m (for heatmaps and quantiles).',
  }),
  serviceLatencyQuantile: defineRecorded({
    name: 'service_name_quantile:http_server_request_duration_seconds:histogram_quantile_rate5m',
    labelNames: ['service_name', 'quantile'],
    help: 'Request duration quantiles per service over 5m, in seconds; quantile is one of 0.5, 0.95, 0.99.',
  }),
  // Per service listing http(), its alerts' thresholds as data (shared.ts): the alerts are written once per class.
  errorRatioThreshold: defineRecorded({
    name: 'service_name:http_error_ratio:threshold',
    labelNames: ['service_name', 'class'],
    help: 'ServiceErrorRatioHigh\'s threshold of the service (a share of requests); class names the alert rule that reads it.',
  }),
  latencyThreshold: defineRecorded({
    name: 'service_name:http_latency_p95:threshold',
    labelNames: ['service_name', 'class'],
    help: 'ServiceLatencyHigh\'s p95 threshold of the service, in seconds; class names the alert rule that reads it.',
  }),
} as const;
