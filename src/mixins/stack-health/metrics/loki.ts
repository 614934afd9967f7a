import { defineMetric } from '../../../sdk/catalog/define';

/**
 * Loki's ingestion metrics (pinned 3.7.8), scraped by the `loki` job. Names and labels are from the v3.7.8 source:
 * pkg/loghttp/push/push.go (lines and bytes received, counted when a push request is parsed, for both the Loki
 * push API and OTLP, so before any validation or rate limit), pkg/validation/validate.go (discarded samples and
 * bytes, by `reason` such as `rate_limited`, `line_too_long`, `too_far_behind`), and dskit's server middleware
 * (`loki_request_duration_seconds`, namespace `loki`).
 */

export const distributorLinesReceived = defineMetric({
  name: 'loki_distributor_lines_received_total',
  help: 'The total number of lines received per tenant.',
  type: 'counter',
  unit: '',
  labelNames: ['tenant', 'is_internal_stream', 'policy', 'format'],
});
export const distributorBytesReceived = defineMetric({
  name: 'loki_distributor_bytes_received_total',
  help: 'The total number of uncompressed bytes received per tenant. Includes structured metadata bytes.',
  type: 'counter',
  unit: '',
  labelNames: ['tenant', 'retention_hours', 'is_internal_stream', 'policy', 'format'],
});
export const discardedSamples = defineMetric({
  name: 'loki_discarded_samples_total',
  help: 'The total number of samples that were discarded.',
  type: 'counter',
  unit: '',
  labelNames: ['reason', 'tenant', 'retention_hours', 'policy', 'format'],
});
export const discardedBytes = defineMetric({
  name: 'loki_discarded_bytes_total',
  help: 'The total number of bytes that were discarded.',
  type: 'counter',
  unit: '',
  labelNames: ['reason', 'tenant', 'retention_hours', 'policy', 'format'],
});
export const requestDuration = defineMetric({
  name: 'loki_request_duration_seconds',
  help: 'Time (in seconds) spent serving HTTP requests.',
  type: 'histogram',
  unit: 'seconds',
  labelNames: ['method', 'route', 'status_code', 'ws'],
});

export const lokiMetrics = [distributorLinesReceived, distributorBytesReceived, discardedSamples, discardedBytes, requestDuration] as const;
