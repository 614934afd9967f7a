/**
 * The two dashboards of git-notes-memory's document ("Pre-built Dashboards": Memory Operations, Hook Performance)
 * with every panel it lists, its queries in working form (docs/systems-extract/git-notes-memory.md), the
 * `session_id` variable ("Trace Explorer: Filter by session_id"), and a few panels of ours so every metric of the
 * catalog is shown ("Latency by operation", "Instrumentation", "Hook timeout rate").
 */
import * as barchart from '@grafana/grafana-foundation-sdk/barchart';
import * as common from '@grafana/grafana-foundation-sdk/common';
import * as gauge from '@grafana/grafana-foundation-sdk/gauge';
import * as heatmap from '@grafana/grafana-foundation-sdk/heatmap';
import * as prometheus from '@grafana/grafana-foundation-sdk/prometheus';
import * as units from '@grafana/grafana-foundation-sdk/units';
import {
  alertThresholds,
  bargaugePanel,
  datasourceVariable,
  firingAlerts,
  labelVariable,
  place,
  prom,
  promInstant,
  RANGE,
  RATE_INTERVAL,
  serviceVariable,
  statPanel,
  tablePanel,
  thresholds,
  timeseriesPanel,
  VAR,
  type DashboardDefinition,
} from '../../dashboards';
import { PROMETHEUS } from '../../dashboards/datasources';
import { ALERTS } from '../../promql/builtin';
import { bucketSeries, countBy, countSeries, div, histogramQuantile, increase, maxBy, mul, rate, re, series, sub, sum, sumBy, type Expr } from '../../promql/expr';
import { leMatcher } from '../../promql/le';
import type { DashboardContext } from '../../mixin';
import { hookTimeouts, type GitNotesMemoryConfig } from './config';
import {
  captureErrorsTotal,
  HOOKS,
  hookErrorsTotal,
  hookExecutionDurationMs,
  hookInvocationsTotal,
  hookTimeoutPctUsed,
  memoriesCapturedTotal,
  memoryCaptureDurationMs,
  memoryEmbedDurationMs,
  memoryIndexDurationMs,
  memorySearchDurationMs,
  memorySearchTotal,
  observabilityExportErrorsTotal,
  observabilityMemoryBytes,
  observabilityMetricsCount,
} from './metrics';
import { GIT_NOTES_MEMORY_RECORDED as R } from './recorded';

const SESSION = '$session_id';
const HOOK = '$hook';
const svc = { service_name: VAR.service } as const;
const inSession = { ...svc, session_id: re(SESSION) } as const;
const W = '5m';

type LatencyHistogram = typeof memoryCaptureDurationMs | typeof memorySearchDurationMs | typeof memoryEmbedDurationMs | typeof memoryIndexDurationMs;

const variables = (ctx: DashboardContext<GitNotesMemoryConfig>) => [
  datasourceVariable(),
  serviceVariable(ctx.services.map((s) => s.name), ctx.defaultService),
  labelVariable('session_id', 'session_id', series(hookInvocationsTotal, svc), 'Session'),
];

/** Panels the shared helpers do not build (heatmap, gauge, bar chart): same title, description, unit, thresholds. */
function decorate<B extends { title(t: string): B; description(d: string): B; unit(u: string): B; thresholds(t: ReturnType<typeof thresholds>): B; datasource(d: common.DataSourceRef): B }>(
  b: B,
  o: { title: string; description: string; unit: string; thresholds?: ReturnType<typeof thresholds> },
): B {
  return b.title(o.title).description(o.description).unit(o.unit).thresholds(o.thresholds ?? thresholds('green')).datasource({ ...PROMETHEUS });
}

const quantiles = (h: LatencyHistogram, title: string, what: string, qs: readonly number[]) => {
  const buckets = sumBy(['le'], rate(bucketSeries(h, inSession), RATE_INTERVAL));
  const panel = timeseriesPanel({ title, description: `${what} (${h.name}), in the selected sessions.`, unit: units.Milliseconds, min: 0 });
  for (const q of qs) panel.withTarget(prom(histogramQuantile(q, buckets), `p${q * 100}`));
  return panel;
};

// ---------------------------------------------------------------------------------------------- Memory Operations

const operationsPerMinute = () =>
  statPanel({ title: 'Operations/min', description: 'Memory captures per minute (memories_captured_total), over 5m.', unit: units.OpsPerMinute }).withTarget(
    prom(mul(sum(rate(series(memoriesCapturedTotal, inSession), W)), 60), 'captures/min'),
  );

const searchesPerMinute = () =>
  statPanel({ title: 'Searches/min', description: 'Memory searches per minute (memory_search_total), over 5m.', unit: units.OpsPerMinute }).withTarget(
    prom(mul(sum(rate(series(memorySearchTotal, inSession), W)), 60), 'searches/min'),
  );

const captureErrorRate = () =>
  decorate(new gauge.PanelBuilder(), {
    title: 'Error Rate',
    description: 'Failed captures over all captures, over 5m (capture_errors_total / memories_captured_total).',
    unit: units.PercentUnit,
    thresholds: thresholds('green', [0.01, 'orange'], [0.05, 'red']),
  })
    .min(0)
    .max(1)
    .withTarget(prom(div(sum(rate(series(captureErrorsTotal, inSession), W)), sum(rate(series(memoriesCapturedTotal, inSession), W))), 'error rate'));

const hookTimeoutPct = (c: GitNotesMemoryConfig) =>
  tablePanel({
    title: 'Hook Timeout %',
    description: "Percent of its timeout each hook's latest run used (highest over the selected sessions). Red: GitNotesMemoryHookNearTimeout fires.",
    unit: units.Percent,
    thresholds: alertThresholds(c.hookTimeoutWarnPct),
  }).withTarget(promInstant(maxBy(['hook'], series(hookTimeoutPctUsed, inSession))));

const activeSessions = () =>
  statPanel({ title: 'Active Sessions', description: 'Sessions with capture data in the time range (count of session_id values).', unit: units.Short }).withTarget(
    prom(countBy([], countBy(['session_id'], countSeries(memoryCaptureDurationMs, inSession))), 'sessions'),
  );

const sessionDetails = () => {
  const captureBuckets = sumBy(['session_id', 'le'], rate(bucketSeries(memoryCaptureDurationMs, inSession), RANGE));
  const searchBuckets = sumBy(['session_id', 'le'], rate(bucketSeries(memorySearchDurationMs, inSession), RANGE));
  return tablePanel({ title: 'Session Details', description: 'Per session over the time range: captures, and p95 capture and search latency (ms).', unit: units.Short })
    .withTransformation({ id: 'merge', options: {} })
    .withTarget(promInstant(sumBy(['session_id'], increase(series(memoriesCapturedTotal, inSession), RANGE)), 'captures').refId('captures'))
    .withTarget(promInstant(histogramQuantile(0.95, captureBuckets), 'capture p95 ms').refId('capture_p95'))
    .withTarget(promInstant(histogramQuantile(0.95, searchBuckets), 'search p95 ms').refId('search_p95'));
};

const meanLatency = () =>
  timeseriesPanel({ title: 'Average latency (5m)', description: '"/memory:health --timing": mean capture and search latency of the service, over 5m (recorded).', unit: units.Milliseconds, min: 0 })
    .withTarget(prom(series(R.captureMean, svc), 'capture'))
    .withTarget(prom(series(R.searchMean, svc), 'search'));

const instrumentation = () => [
  timeseriesPanel({ title: 'Unique metrics', description: 'Metrics held by the in-process collector (observability_metrics_count).', unit: units.Short, min: 0 }).withTarget(
    prom(sum(series(observabilityMetricsCount, inSession)), 'metrics'),
  ),
  timeseriesPanel({ title: 'Export errors', description: 'Failed exports per second (observability_export_errors_total).', unit: units.OpsPerSecond, min: 0 }).withTarget(
    prom(sum(rate(series(observabilityExportErrorsTotal, inSession), RATE_INTERVAL)), 'errors'),
  ),
  timeseriesPanel({
    title: 'Collector memory',
    description: 'Memory of the in-process collector per session; the document\'s target is under 10 MB an hour (red line).',
    unit: units.BytesIEC,
    thresholds: thresholds('green', [10 * 1024 * 1024, 'red']),
    showThresholds: true,
    min: 0,
  }).withTarget(prom(maxBy(['session_id'], series(observabilityMemoryBytes, inSession)), '{{session_id}}')),
];

export function memoryOperations(ctx: DashboardContext<GitNotesMemoryConfig>): DashboardDefinition {
  const [metricsCount, exportErrors, collectorMemory] = instrumentation();
  return {
    file: 'git-notes-memory-operations',
    uid: 'obskit-gnm-memory-operations',
    title: 'git-notes-memory · Memory Operations',
    description: 'Capture and search latency, throughput, errors, hook timeout use and sessions of git-notes-memory.',
    tags: ['git-notes-memory'],
    variables: variables(ctx),
    annotations: [firingAlerts()],
    rows: [
      {
        title: 'Operations',
        panels: [
          place(quantiles(memoryCaptureDurationMs, 'Capture Latency', 'p95 and p50 capture latency', [0.95, 0.5]), 12, 8),
          place(quantiles(memorySearchDurationMs, 'Search Latency', 'p95 and p50 search latency', [0.95, 0.5]), 12, 8),
          place(operationsPerMinute(), 4, 6),
          place(searchesPerMinute(), 4, 6),
          place(captureErrorRate(), 4, 6),
          place(activeSessions(), 4, 6),
          place(meanLatency(), 8, 6),
        ],
      },
      { title: 'Hooks and sessions', panels: [place(hookTimeoutPct(ctx.config), 8, 8), place(sessionDetails(), 16, 8)] },
      {
        title: 'Latency by operation',
        panels: [
          place(quantiles(memoryEmbedDurationMs, 'Embed Latency', 'p50, p95 and p99 embedding latency', [0.5, 0.95, 0.99]), 12, 8),
          place(quantiles(memoryIndexDurationMs, 'Index Latency', 'p50, p95 and p99 index latency', [0.5, 0.95, 0.99]), 12, 8),
        ],
      },
      { title: 'Instrumentation', panels: [place(metricsCount!, 8, 6), place(exportErrors!, 8, 6), place(collectorMemory!, 8, 6)] },
    ],
  };
}

// ---------------------------------------------------------------------------------------------- Hook Performance

const inHook = { ...inSession, hook: re(HOOK) } as const;

const hookLatencyHeatmap = () =>
  decorate(new heatmap.PanelBuilder(), { title: 'Hook Latency by Type', description: 'Distribution of hook run durations (hook_execution_duration_ms) of the selected hooks.', unit: units.Milliseconds })
    .calculate(false)
    .withTarget(prom(sumBy(['le'], rate(bucketSeries(hookExecutionDurationMs, inHook), RATE_INTERVAL)), '{{le}}').format(prometheus.PromQueryFormat.Heatmap));

const timeoutWarnings = () =>
  tablePanel({
    title: 'Timeout Warnings',
    description: 'Hooks whose latest run used more than the warning share of their timeout: GitNotesMemoryHookNearTimeout alerts firing now.',
    unit: units.Short,
  }).withTarget(promInstant(series(ALERTS, { alertname: 'GitNotesMemoryHookNearTimeout', alertstate: 'firing', service_name: VAR.service })));

const invocationsPerMinute = () =>
  decorate(new barchart.PanelBuilder(), { title: 'Invocations/min', description: 'Hook invocations per minute by hook, over 5m (hook_invocations_total).', unit: units.OpsPerMinute })
    .xField('hook')
    .withTarget(promInstant(mul(sumBy(['hook'], rate(series(hookInvocationsTotal, inHook), W)), 60), '{{hook}}'));

const errorsByHook = () =>
  tablePanel({ title: 'Error Rate by Hook', description: 'Hook errors over the time range, by hook and error (hook_errors_total).', unit: units.Short }).withTarget(
    promInstant(sumBy(['hook', 'error'], increase(series(hookErrorsTotal, inHook), RANGE))),
  );

/** Per hook, the share of runs slower than its timeout ("/memory:health --timing": "Hook timeout rate"). */
const hookTimeoutRate = (c: GitNotesMemoryConfig) => {
  const panel = timeseriesPanel({
    title: 'Hook timeout rate',
    description: 'Share of each hook\'s runs over 5m that took longer than its timeout (from the bucket at the timeout).',
    unit: units.PercentUnit,
    min: 0,
  });
  for (const [hook, ms] of Object.entries(hookTimeouts(c))) {
    const runs = sum(rate(countSeries(hookExecutionDurationMs, { ...inSession, hook }), W));
    const within = sum(rate(bucketSeries(hookExecutionDurationMs, { ...inSession, hook, le: leMatcher(ms) }), W));
    panel.withTarget(prom(div(sub(runs, within), runs) as Expr, `${hook} (${ms} ms)`));
  }
  return panel;
};

export function hookPerformance(ctx: DashboardContext<GitNotesMemoryConfig>): DashboardDefinition {
  return {
    file: 'git-notes-memory-hooks',
    uid: 'obskit-gnm-hook-performance',
    title: 'git-notes-memory · Hook Performance',
    description: `Latency, timeouts, invocations and errors of the git-notes-memory hooks (${HOOKS.join(', ')}).`,
    tags: ['git-notes-memory'],
    variables: [...variables(ctx), labelVariable('hook', 'hook', series(hookInvocationsTotal, svc), 'Hook')],
    annotations: [firingAlerts()],
    rows: [
      { title: 'Latency', panels: [place(hookLatencyHeatmap(), 16, 9), place(timeoutWarnings(), 8, 9)] },
      { title: 'Invocations and errors', panels: [place(invocationsPerMinute(), 8, 8), place(errorsByHook(), 8, 8), place(hookTimeoutRate(ctx.config), 8, 8)] },
    ],
  };
}

/** Mean capture latency per git-notes-memory service, for the fleet overview. */
export const gitNotesMemoryFleetPanels = ({ services }: DashboardContext<GitNotesMemoryConfig>) => [
  bargaugePanel({ title: 'git-notes-memory capture latency (mean, 5m)', description: 'Mean memory capture duration per git-notes-memory service (recorded).', unit: units.Milliseconds }).withTarget(
    promInstant(series(R.captureMean, { service_name: re(services.map((s) => s.name).join('|')) }), '{{service_name}}'),
  ),
];
