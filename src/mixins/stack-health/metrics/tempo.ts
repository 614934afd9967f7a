import { defineMetric } from '../../../sdk/catalog/define';

/**
 * Tempo (pinned 3.1.0): its distributor's ingestion metrics, scraped by the `tempo` job, and the series its
 * metrics-generator remote-writes to Prometheus (the `span-metrics` and `service-graphs` processors that
 * src/config/tempo.ts enables).
 *
 * Sources (grafana/tempo): modules/distributor/distributor.go (`tempo_distributor_spans_received_total`,
 * `tempo_distributor_bytes_received_total`, label `tenant`), modules/overrides (`tempo_discarded_spans_total`, labels
 * `reason`, `tenant`), modules/generator/processor/spanmetrics (`traces_spanmetrics_calls_total`,
 * `traces_spanmetrics_latency`, `traces_spanmetrics_size_total` with dimensions `service`, `span_name`,
 * `span_kind`, `status_code`), modules/generator/processor/servicegraphs (`traces_service_graph_*`, labels
 * `client`, `server`, `connection_type`). Tempo's `tempo_receiver_accepted_spans`/`tempo_receiver_refused_spans`
 * are left out: they are counters registered without `_total`, so their scraped name depends on the
 * exposition format Prometheus negotiates.
 *
 * Span metrics also carry `service_name` (src/config/tempo.ts maps `service.name` to it).
 */

export const distributorSpansReceived = defineMetric({
  name: 'tempo_distributor_spans_received_total',
  help: 'The total number of spans received per tenant.',
  type: 'counter',
  unit: '',
  labelNames: ['tenant'],
});
export const distributorBytesReceived = defineMetric({
  name: 'tempo_distributor_bytes_received_total',
  help: 'The total number of proto bytes received per tenant.',
  type: 'counter',
  unit: '',
  labelNames: ['tenant'],
});
export const discardedSpans = defineMetric({
  name: 'tempo_discarded_spans_total',
  help: 'The total number of samples that were discarded.',
  type: 'counter',
  unit: '',
  labelNames: ['reason', 'tenant'],
});

const spanDimensions = ['service', 'span_name', 'span_kind', 'status_code'] as const;
export const spanmetricsCalls = defineMetric({
  name: 'traces_spanmetrics_calls_total',
  help: 'Spans seen by the metrics-generator, by service, span name, kind and status.',
  type: 'counter',
  unit: '',
  labelNames: spanDimensions,
});
/** Span durations in seconds; Tempo's name carries no unit suffix. */
export const spanmetricsLatency = defineMetric({
  name: 'traces_spanmetrics_latency',
  help: 'Span durations in seconds, by service, span name, kind and status.',
  type: 'histogram',
  unit: '',
  labelNames: spanDimensions,
});
export const spanmetricsSize = defineMetric({
  name: 'traces_spanmetrics_size_total',
  help: 'Bytes of spans seen by the metrics-generator.',
  type: 'counter',
  unit: '',
  labelNames: spanDimensions,
});

const edgeLabels = ['client', 'server', 'connection_type'] as const;
export const serviceGraphRequests = defineMetric({
  name: 'traces_service_graph_request_total',
  help: 'Requests between two services (client → server).',
  type: 'counter',
  unit: '',
  labelNames: edgeLabels,
});
export const serviceGraphRequestsFailed = defineMetric({
  name: 'traces_service_graph_request_failed_total',
  help: 'Failed requests between two services.',
  type: 'counter',
  unit: '',
  labelNames: edgeLabels,
});
export const serviceGraphServerSeconds = defineMetric({
  name: 'traces_service_graph_request_server_seconds',
  help: 'Request durations as seen by the server.',
  type: 'histogram',
  unit: 'seconds',
  labelNames: edgeLabels,
});
export const serviceGraphClientSeconds = defineMetric({
  name: 'traces_service_graph_request_client_seconds',
  help: 'Request durations as seen by the client.',
  type: 'histogram',
  unit: 'seconds',
  labelNames: edgeLabels,
});
export const tempoMetrics = [
  distributorSpansReceived,
  distributorBytesReceived,
  discardedSpans,
  spanmetricsCalls,
  spanmetricsLatency,
  spanmetricsSize,
  serviceGraphRequests,
  serviceGraphRequestsFailed,
  serviceGraphServerSeconds,
  serviceGraphClientSeconds,
] as const;
