import { defineMixin } from '../../mixin/define';
import { httpAlerts } from './alerts';
import { checkHttpConfig, httpParams } from './config';
import { fleetPanels, serviceOverview } from './dashboards';
import { httpMetrics } from './metrics';
import { HTTP_RECORDED } from './recorded';
import { httpRecordingRules } from './rules';
import { httpSharedAlerts } from './shared';

/**
 * HTTP server RED: request rate, errors and duration of a service, from `http_server_request_duration_seconds`
 * (the Node SDK records it; so does any OpenTelemetry HTTP server instrumentation exported to Prometheus).
 */
export const http = defineMixin({
  name: 'http',
  version: '1.0.0',
  scope: 'service',
  description: 'HTTP server RED: request rate, errors and duration.',
  params: httpParams,
  check: checkHttpConfig,
  metrics: (c) => httpMetrics(c.buckets),
  recorded: Object.values(HTTP_RECORDED),
  recordingRules: httpRecordingRules,
  alerts: httpAlerts,
  sharedAlerts: httpSharedAlerts,
  dashboards: (ctx) => [serviceOverview(ctx)],
  fleetPanels,
});

export { httpAvailability, httpLatency } from './slos';
export { HTTP_RECORDED, RECORDED_QUANTILES } from './recorded';
export { httpServerRequestDuration, httpServerActiveRequests, HTTP_DURATION_BUCKETS } from './metrics';
export { SERVER_ERROR } from './rules';
export type { HttpConfig } from './config';
