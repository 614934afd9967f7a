import { defineRecorded } from '../../promql/expr';

/** Request and error rates per service over 5m, counting both the requests that returned and those that raised (K3). */
export const COVETPY_RECORDED = {
  requestRate: defineRecorded({
    name: 'service_name:covetpy_http_requests_all:rate5m',
    labelNames: ['service_name'],
    help: 'Requests per second per service over 5m: http_requests_total (returned) plus http_requests_errors_total (raised).',
  }),
  errorRatio: defineRecorded({
    name: 'service_name:covetpy_http_requests_errors_per_requests:ratio_rate5m',
    labelNames: ['service_name'],
    help: 'Share of requests whose handler raised, per service over 5m.',
  }),
} as const;
