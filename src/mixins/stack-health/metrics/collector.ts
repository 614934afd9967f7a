import { defineMetric } from '../../../sdk/catalog/define';

/**
 * The OpenTelemetry Collector's internal metrics (pinned contrib 0.162), as its Prometheus pull reader exposes them
 * with `without_type_suffix: false` and `without_units: false` (src/config/otelcol.ts), so counters end in `_total`
 * and units are in the names. Names and labels were read from the running 0.162 build (tools/otelcol);
 * test/config/otelcol.test.ts scrapes one and checks every collector name the rules use. The `metric_points`
 * series follow the same pattern as `spans` and `log_records` (also checked by that test).
 */

const receiverLabels = ['receiver', 'transport'] as const;
/** `server_address`, `server_port` and `url_path` (HTTP exporters) describe the backend an exporter sends to. */
const exporterLabels = ['exporter', 'server_address', 'server_port', 'url_path'] as const;

export const receiverAcceptedSpans = defineMetric({
  name: 'otelcol_receiver_accepted_spans_total',
  help: 'Spans successfully pushed into the pipeline.',
  type: 'counter',
  unit: '',
  labelNames: receiverLabels,
});
export const receiverRefusedSpans = defineMetric({
  name: 'otelcol_receiver_refused_spans_total',
  help: 'Spans that could not be pushed into the pipeline.',
  type: 'counter',
  unit: '',
  labelNames: receiverLabels,
});
export const receiverFailedSpans = defineMetric({
  name: 'otelcol_receiver_failed_spans_total',
  help: 'Spans that failed to be processed by the receiver due to internal errors.',
  type: 'counter',
  unit: '',
  labelNames: receiverLabels,
});
export const receiverAcceptedMetricPoints = defineMetric({
  name: 'otelcol_receiver_accepted_metric_points_total',
  help: 'Metric points successfully pushed into the pipeline.',
  type: 'counter',
  unit: '',
  labelNames: receiverLabels,
});
export const receiverRefusedMetricPoints = defineMetric({
  name: 'otelcol_receiver_refused_metric_points_total',
  help: 'Metric points that could not be pushed into the pipeline.',
  type: 'counter',
  unit: '',
  labelNames: receiverLabels,
});
export const receiverFailedMetricPoints = defineMetric({
  name: 'otelcol_receiver_failed_metric_points_total',
  help: 'Metric points that failed to be processed by the receiver due to internal errors.',
  type: 'counter',
  unit: '',
  labelNames: receiverLabels,
});
export const receiverAcceptedLogRecords = defineMetric({
  name: 'otelcol_receiver_accepted_log_records_total',
  help: 'Log records successfully pushed into the pipeline.',
  type: 'counter',
  unit: '',
  labelNames: receiverLabels,
});
export const receiverRefusedLogRecords = defineMetric({
  name: 'otelcol_receiver_refused_log_records_total',
  help: 'Log records that could not be pushed into the pipeline.',
  type: 'counter',
  unit: '',
  labelNames: receiverLabels,
});
export const receiverFailedLogRecords = defineMetric({
  name: 'otelcol_receiver_failed_log_records_total',
  help: 'Log records that failed to be processed by the receiver due to internal errors.',
  type: 'counter',
  unit: '',
  labelNames: receiverLabels,
});

export const exporterSentSpans = defineMetric({
  name: 'otelcol_exporter_sent_spans_total',
  help: 'Spans successfully sent to destination.',
  type: 'counter',
  unit: '',
  labelNames: exporterLabels,
});
export const exporterSendFailedSpans = defineMetric({
  name: 'otelcol_exporter_send_failed_spans_total',
  help: 'Spans in failed attempts to send to destination.',
  type: 'counter',
  unit: '',
  labelNames: exporterLabels,
});
export const exporterSentMetricPoints = defineMetric({
  name: 'otelcol_exporter_sent_metric_points_total',
  help: 'Metric points successfully sent to destination.',
  type: 'counter',
  unit: '',
  labelNames: exporterLabels,
});
export const exporterSendFailedMetricPoints = defineMetric({
  name: 'otelcol_exporter_send_failed_metric_points_total',
  help: 'Metric points in failed attempts to send to destination.',
  type: 'counter',
  unit: '',
  labelNames: exporterLabels,
});
export const exporterSentLogRecords = defineMetric({
  name: 'otelcol_exporter_sent_log_records_total',
  help: 'Log records successfully sent to destination.',
  type: 'counter',
  unit: '',
  labelNames: exporterLabels,
});
export const exporterSendFailedLogRecords = defineMetric({
  name: 'otelcol_exporter_send_failed_log_records_total',
  help: 'Log records in failed attempts to send to destination.',
  type: 'counter',
  unit: '',
  labelNames: exporterLabels,
});

export const exporterQueueSize = defineMetric({
  name: 'otelcol_exporter_queue_size',
  help: 'Current size of the retry queue (in batches).',
  type: 'gauge',
  unit: '',
  labelNames: ['exporter', 'data_type'],
});
export const exporterQueueCapacity = defineMetric({
  name: 'otelcol_exporter_queue_capacity',
  help: 'Fixed capacity of the retry queue (in batches).',
  type: 'gauge',
  unit: '',
  labelNames: ['exporter', 'data_type'],
});
export const processMemoryRss = defineMetric({
  name: 'otelcol_process_memory_rss_bytes',
  help: 'Total physical memory (resident set size) of the collector.',
  type: 'gauge',
  unit: 'bytes',
});
export const processCpuSeconds = defineMetric({
  name: 'otelcol_process_cpu_seconds_total',
  help: 'Total CPU user and system time in seconds.',
  type: 'counter',
  unit: 'seconds',
});
export const processUptime = defineMetric({
  name: 'otelcol_process_uptime_seconds_total',
  help: 'Uptime of the process.',
  type: 'counter',
  unit: 'seconds',
});

/** Per signal, the receiver and exporter counters the stack-health rules compare. */
export const COLLECTOR_SIGNALS = {
  spans: { title: 'Spans', noun: 'spans', accepted: receiverAcceptedSpans, refused: receiverRefusedSpans, sent: exporterSentSpans, sendFailed: exporterSendFailedSpans },
  metricPoints: {
    title: 'MetricPoints',
    noun: 'metric points',
    accepted: receiverAcceptedMetricPoints,
    refused: receiverRefusedMetricPoints,
    sent: exporterSentMetricPoints,
    sendFailed: exporterSendFailedMetricPoints,
  },
  logRecords: {
    title: 'LogRecords',
    noun: 'log records',
    accepted: receiverAcceptedLogRecords,
    refused: receiverRefusedLogRecords,
    sent: exporterSentLogRecords,
    sendFailed: exporterSendFailedLogRecords,
  },
} as const;

export const collectorMetrics = [
  receiverAcceptedSpans,
  receiverRefusedSpans,
  receiverFailedSpans,
  receiverAcceptedMetricPoints,
  receiverRefusedMetricPoints,
  receiverFailedMetricPoints,
  receiverAcceptedLogRecords,
  receiverRefusedLogRecords,
  receiverFailedLogRecords,
  exporterSentSpans,
  exporterSendFailedSpans,
  exporterSentMetricPoints,
  exporterSendFailedMetricPoints,
  exporterSentLogRecords,
  exporterSendFailedLogRecords,
  exporterQueueSize,
  exporterQueueCapacity,
  processMemoryRss,
  processCpuSeconds,
  processUptime,
] as const;
