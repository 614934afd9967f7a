import { defineRecorded } from '../../promql/expr';

/**
 * What Galway's recording rules write (rules.ts) per service — the document's "recording_rules.yml: Pre-computed
 * queries", which it does not list; these are the queries its dashboards and alerts share.
 */
export const GALWAY_RECORDED = {
  pipelineSuccessRatio24h: defineRecorded({
    name: 'service_name:ci_pipeline_runs_success:ratio_rate24h',
    labelNames: ['service_name'],
    help: 'Share of CI runs that succeeded over 24h ("Pipeline Success Rate").',
  }),
  pipelineFailureRatio10m: defineRecorded({
    name: 'service_name:ci_pipeline_runs_failure:ratio_rate10m',
    labelNames: ['service_name'],
    help: 'Share of CI runs that failed over 10m (CIPipelineFailureRate).',
  }),
  pipelineP95: defineRecorded({
    name: 'service_name_exported_job:ci_pipeline_duration_seconds:p95_rate1h',
    labelNames: ['service_name', 'exported_job'],
    help: 'p95 CI pipeline duration per job over 1h, in seconds (Pipeline Duration P95, SlowCIPipeline).',
  }),
  tasksCompleted1d: defineRecorded({
    name: 'service_name:backlog_task_completed:increase1d',
    labelNames: ['service_name'],
    help: 'Tasks completed over the last day (Task Throughput).',
  }),
  taskDurationMean7d: defineRecorded({
    name: 'service_name_state_transition:backlog_task_duration_seconds:mean7d',
    labelNames: ['service_name', 'state_transition'],
    help: 'Mean task duration per state transition over 7 days (average lead time).',
  }),
  taskDurationMean5m: defineRecorded({
    name: 'service_name_state_transition:backlog_task_duration_seconds:mean5m',
    labelNames: ['service_name', 'state_transition'],
    help: 'Mean task duration per state transition over 5m (the document\'s "Example Correlation Query").',
  }),
} as const;
