/**
 * git-notes-memory's metrics, named as its architecture document gives them (../shared/seeds/000_*: "Component 7 ›
 * Metric Labels", "API Design › /memory:metrics", "Pre-built Dashboards", "Monitoring & Alerting"). Where the
 * document spells one metric two ways, the spelling its Prometheus queries use wins (docs/systems-extract/
 * git-notes-memory.md C1–C4). Every metric carries `session_id` ("All metrics automatically include `session_id`").
 *
 * The latency histograms are in milliseconds and named `_ms`, which is not one of obskit's unit suffixes; they are
 * declared without a unit so the document's names stay exactly as they are (panels show them in ms).
 * SDK-safe: nothing here loads generator code.
 */
import { defineMetric, withBucketsOf } from '../../sdk/catalog/define';

/** `DEFAULT_LATENCY_BUCKETS` ("Histogram Bucket Configuration"), in ms, set by the hook timeouts. */
export const LATENCY_BUCKETS_MS = [1, 2, 5, 10, 25, 50, 100, 250, 500, 750, 1000, 2000, 5000, 10000, 15000, 30000] as const;

/** The `hook` label values: three from the document (`session_start`, `post_tool_use`, `user_prompt`), two by its rule. */
export const HOOKS = ['session_start', 'user_prompt', 'post_tool_use', 'pre_compact', 'stop'] as const;
export type Hook = (typeof HOOKS)[number];

const operation = <const N extends string>(name: N, what: string) =>
  defineMetric({ name, help: `Duration of ${what}, in milliseconds.`, type: 'histogram', unit: '', labelNames: ['session_id', 'status'], buckets: LATENCY_BUCKETS_MS });

export const memoryCaptureDurationMs = operation('memory_capture_duration_ms', 'memory capture operations (CaptureService)');
export const memorySearchDurationMs = operation('memory_search_duration_ms', 'memory search operations (RecallService)');
export const memoryEmbedDurationMs = operation('memory_embed_duration_ms', 'embedding inference (EmbeddingService)');
export const memoryIndexDurationMs = operation('memory_index_duration_ms', 'index database operations (IndexService)');

export const memoriesCapturedTotal = defineMetric({
  name: 'memories_captured_total',
  help: 'Memory capture operations.',
  type: 'counter',
  unit: '',
  labelNames: ['session_id'],
});

export const memorySearchTotal = defineMetric({
  name: 'memory_search_total',
  help: 'Memory search operations.',
  type: 'counter',
  unit: '',
  labelNames: ['session_id'],
});

export const captureErrorsTotal = defineMetric({
  name: 'capture_errors_total',
  help: 'Memory capture operations that failed.',
  type: 'counter',
  unit: '',
  labelNames: ['session_id'],
});

export const hookExecutionDurationMs = defineMetric({
  name: 'hook_execution_duration_ms',
  help: 'Duration of hook handler executions, in milliseconds.',
  type: 'histogram',
  unit: '',
  labelNames: ['session_id', 'hook'],
  buckets: LATENCY_BUCKETS_MS,
});

export const hookInvocationsTotal = defineMetric({
  name: 'hook_invocations_total',
  help: 'Hook handler invocations.',
  type: 'counter',
  unit: '',
  labelNames: ['session_id', 'hook'],
});

export const hookErrorsTotal = defineMetric({
  name: 'hook_errors_total',
  help: 'Hook handler invocations that raised an error.',
  type: 'counter',
  unit: '',
  labelNames: ['session_id', 'hook', 'error'],
});

export const hookTimeoutPctUsed = defineMetric({
  name: 'hook_timeout_pct_used',
  help: "Percent (0-100) of its timeout the hook's latest execution used.",
  type: 'gauge',
  unit: '',
  labelNames: ['session_id', 'hook'],
});

export const observabilityMetricsCount = defineMetric({
  name: 'observability_metrics_count',
  help: 'Number of unique metrics held by the in-process collector.',
  type: 'gauge',
  unit: '',
  labelNames: ['session_id'],
});

export const observabilityExportErrorsTotal = defineMetric({
  name: 'observability_export_errors_total',
  help: 'Failed metric and span exports.',
  type: 'counter',
  unit: '',
  labelNames: ['session_id'],
});

export const observabilityMemoryBytes = defineMetric({
  name: 'observability_memory_bytes',
  help: 'Memory used by the in-process metrics collector.',
  type: 'gauge',
  unit: 'bytes',
  labelNames: ['session_id'],
});

/** The metrics of a service listing `gitNotesMemory(…)`, with its latency buckets. */
export function gitNotesMemoryMetrics(buckets: readonly number[]) {
  return [
    withBucketsOf(memoryCaptureDurationMs, buckets),
    withBucketsOf(memorySearchDurationMs, buckets),
    withBucketsOf(memoryEmbedDurationMs, buckets),
    withBucketsOf(memoryIndexDurationMs, buckets),
    memoriesCapturedTotal,
    memorySearchTotal,
    captureErrorsTotal,
    withBucketsOf(hookExecutionDurationMs, buckets),
    hookInvocationsTotal,
    hookErrorsTotal,
    hookTimeoutPctUsed,
    observabilityMetricsCount,
    observabilityExportErrorsTotal,
    observabilityMemoryBytes,
  ] as const;
}
