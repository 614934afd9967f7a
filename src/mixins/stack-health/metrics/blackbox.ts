import { defineMetric } from '../../../sdk/catalog/define';

/**
 * What the blackbox exporter (pinned v0.27.0) returns for one probe of a health endpoint, scraped by the
 * `health-checks` job (src/config/prometheus.ts), which adds `service_name` and `health_path`. Names read from the
 * v0.27.0 source (prober/handler.go, prober/http.go) and from the running exporter in test/live.
 */
export const probeSuccess = defineMetric({
  name: 'probe_success',
  help: '1 when the probe succeeded (for http_2xx: a 2xx answer within the timeout), 0 otherwise.',
  type: 'gauge',
  unit: '',
  labelNames: ['health_path'],
});
export const probeDurationSeconds = defineMetric({
  name: 'probe_duration_seconds',
  help: 'How long the probe took.',
  type: 'gauge',
  unit: 'seconds',
  labelNames: ['health_path'],
});
export const probeHttpStatusCode = defineMetric({
  name: 'probe_http_status_code',
  help: 'The HTTP status the endpoint answered (0 when it did not answer).',
  type: 'gauge',
  unit: '',
  labelNames: ['health_path'],
});

export const blackboxMetrics = [probeSuccess, probeDurationSeconds, probeHttpStatusCode];
