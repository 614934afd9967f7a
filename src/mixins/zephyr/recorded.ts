import { defineRecorded } from '../../promql/expr';

/** The 5m rates and p95 the zephyr mixin records per service (rules.ts), read by its alerts and dashboards. */
export const ZEPHYR_RECORDED = {
  requestRate: defineRecorded({
    name: 'service_name:http_requests:rate5m',
    labelNames: ['service_name'],
    help: 'Requests per second per service over 5m, from http_requests_total.',
  }),
  errorRate: defineRecorded({
    name: 'service_name:http_requests_5xx:rate5m',
    labelNames: ['service_name'],
    help: 'Requests answered 5xx per second per service over 5m (0 when there are requests but no 5xx).',
  }),
  errorRatio: defineRecorded({
    name: 'service_name:http_requests_5xx_per_requests:ratio_rate5m',
    labelNames: ['service_name'],
    help: 'Share of requests answered 5xx per service over 5m.',
  }),
  latencyP95: defineRecorded({
    name: 'service_name:http_request_duration_seconds:p95_rate5m',
    labelNames: ['service_name'],
    help: 'p95 of http_request_duration_seconds per service over 5m, in seconds.',
  }),
} as const;
