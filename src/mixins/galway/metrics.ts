/**
 * Galway's metrics (specify-cli / jp-spec-kit on the host galway), named as its design gives them
 * (../shared/seeds/003_*: "Prometheus Metric Types", "Key Metrics to Collect", "Alert Definitions"). Choices where
 * the document contradicts itself: docs/systems-extract/galway.md (G1 `labels` on backlog_blocked_tasks, G6
 * ci_test_count a gauge, G7 ci_test_coverage_percent added, G10 a summary without quantiles, G11 a `_total` gauge).
 *
 * The CI metrics carry a label the document calls `job`. Prometheus puts its own `job` (the scrape job) on every
 * series it scrapes and, with obskit's scrape config (`honor_labels: false`, the default), stores the exported one
 * as `exported_job` (Prometheus docs, scrape_config.honor_labels). The catalog describes series as queries see
 * them, so it says `exported_job`; Galway still exports `job`, unchanged (G8).
 * SDK-safe: nothing here loads generator code.
 */
import { defineDocumentedMetric, defineMetric, withBucketsOf, type MetricDef } from '../../sdk/catalog/define';

/** "buckets=[60, 300, 900, 3600, 86400]  # 1m, 5m, 15m, 1h, 1d" (the document's backlog_task_duration_seconds). */
export const TASK_DURATION_BUCKETS = [60, 300, 900, 3600, 86400] as const;
/** Ours: CI runs of 30 s to 1 h, with 600 (SlowCIPipeline's threshold) a bound. */
export const PIPELINE_DURATION_BUCKETS = [30, 60, 120, 300, 600, 900, 1200, 1800, 3600] as const;
const QUEUE_BUCKETS = [5, 15, 30, 60, 120, 300, 600, 1800] as const;
const TEST_BUCKETS = [1, 5, 10, 30, 60, 120, 300, 600, 1800] as const;
const COMMAND_BUCKETS = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60] as const;
const PHASE_BUCKETS = [60, 300, 900, 1800, 3600, 14400, 86400] as const;

// Shorthands for the many unit-less counters and gauges (defineMetric's run-time checks, reserved labels included, apply).
const counter = <const N extends `${string}_total`, const L extends readonly string[]>(name: N, help: string, labelNames: L) =>
  defineMetric({ name, help, type: 'counter', unit: '', labelNames } as never) as MetricDef<N, 'counter', L>;
const gauge = <const N extends string, const L extends readonly string[]>(name: N, help: string, labelNames: L) =>
  defineMetric({ name, help, type: 'gauge', unit: '', labelNames } as never) as MetricDef<N, 'gauge', L>;

// Backlog ("Backlog Metrics", task-204)
export const backlogTaskOperations = counter('backlog_task_operations_total', 'Total task operations by type', ['operation', 'status']);
export const backlogActiveTasks = gauge('backlog_active_tasks', 'Number of tasks in each state', ['state', 'priority', 'assignee']);
export const backlogTaskDuration = defineMetric({
  name: 'backlog_task_duration_seconds',
  help: 'Time to complete tasks',
  type: 'histogram',
  unit: 'seconds',
  labelNames: ['state_transition'],
  buckets: TASK_DURATION_BUCKETS,
});
export const backlogTaskStateTransitions = counter('backlog_task_state_transitions_total', 'Task state transitions.', ['from_state', 'to_state', 'task_id']);
export const backlogTaskCreated = counter('backlog_task_created_total', 'Tasks created.', ['priority', 'labels', 'assignee']);
export const backlogTaskCompleted = counter('backlog_task_completed_total', 'Tasks completed.', ['priority', 'labels', 'assignee', 'duration_bucket']);
export const backlogTaskAge = defineMetric({ name: 'backlog_task_age_seconds', help: 'Age of tasks by state and priority.', type: 'gauge', unit: 'seconds', labelNames: ['state', 'priority'] });
export const backlogStaleTasks = gauge('backlog_stale_tasks', 'Tasks not updated for a while, by age bucket.', ['state', 'days_old_bucket']);
export const backlogBlockedTasks = gauge('backlog_blocked_tasks', 'Blocked tasks by reason and task labels.', ['reason', 'labels']);
/** A per-task count that can go down when criteria are edited: a gauge, under the document's `_total` name (G11). */
export const backlogAcceptanceCriteriaTotal = defineDocumentedMetric({
  name: 'backlog_acceptance_criteria_total',
  help: 'Acceptance criteria of a task.',
  type: 'gauge',
  unit: '',
  labelNames: ['task_id'],
});
export const backlogAcceptanceCriteriaChecked = gauge('backlog_acceptance_criteria_checked', 'Acceptance criteria checked on a task.', ['task_id']);
export const backlogAcceptanceCriteriaCompletionRate = gauge('backlog_acceptance_criteria_completion_rate', 'Share (0-1) of a task’s acceptance criteria checked.', ['task_id']);

// Security scanning ("Security Scanning Metrics", task-248, task-250)
export const securityScans = counter('security_scan_total', 'Security scans run.', ['scan_type', 'tool', 'status']);
/** A prometheus_client Summary: `_count` and `_sum` only, no quantiles (G10). */
export const securityScanDuration = defineMetric({ name: 'security_scan_duration_seconds', help: 'Duration of security scans', type: 'summary', unit: 'seconds', labelNames: ['scan_type', 'tool'] });
export const securityFindings = counter('security_findings_total', 'Security findings.', ['severity', 'category', 'tool']);
export const securityFindingsResolved = counter('security_findings_resolved_total', 'Security findings resolved.', ['severity', 'resolution_type']);
export const securityFalsePositives = counter('security_false_positives_total', 'Findings dismissed as false positives.', ['severity', 'rule_id']);
export const securityScanCoverage = gauge('security_scan_coverage_percent', 'Share (0-100) of the codebase a tool scanned.', ['tool']);
export const securityScanFilesAnalyzed = gauge('security_scan_files_analyzed', 'Files a tool analysed in its last scan.', ['tool']);

// CI/CD ("CI/CD Metrics", task-248, task-253)
export const ciPipelineDuration = defineMetric({
  name: 'ci_pipeline_duration_seconds',
  help: 'CI pipeline run duration.',
  type: 'histogram',
  unit: 'seconds',
  labelNames: ['exported_job', 'status'],
  buckets: PIPELINE_DURATION_BUCKETS,
});
export const ciPipelineQueueTime = defineMetric({
  name: 'ci_pipeline_queue_time_seconds',
  help: 'Time a CI run waited before starting.',
  type: 'histogram',
  unit: 'seconds',
  labelNames: ['exported_job'],
  buckets: QUEUE_BUCKETS,
});
export const ciPipelineRuns = counter('ci_pipeline_runs_total', 'CI pipeline runs.', ['exported_job', 'status']);
export const ciTestDuration = defineMetric({ name: 'ci_test_duration_seconds', help: 'Test suite duration.', type: 'histogram', unit: 'seconds', labelNames: ['suite', 'status'], buckets: TEST_BUCKETS });
/** A gauge: the document's query rates it, but a prometheus_client Counter of this name would export `_total` (G6). */
export const ciTestCount = gauge('ci_test_count', 'Tests by suite and result.', ['suite', 'result']);
export const ciTestFlakinessRate = gauge('ci_test_flakiness_rate', 'Share (0-1) of a suite’s tests that are flaky.', ['suite']);
/** Used by LowTestCoverage but missing from the document's metric list (G7). */
export const ciTestCoverage = gauge('ci_test_coverage_percent', 'Test coverage (0-100).', []);

// DORA (task-253)
export const deploymentFrequency = gauge('deployment_frequency_per_day', 'DORA: deployments per day.', []);
export const leadTimeForChanges = defineMetric({ name: 'lead_time_for_changes_seconds', help: 'DORA: lead time for changes.', type: 'gauge', unit: 'seconds' });
export const changeFailureRate = gauge('change_failure_rate_percent', 'DORA: change failure rate (0-100).', []);
export const timeToRestore = defineMetric({ name: 'time_to_restore_seconds', help: 'DORA: time to restore service.', type: 'gauge', unit: 'seconds' });

// Developer workflow ("Developer Workflow Metrics", task-197, task-196)
export const specifyCommandExecutions = counter('specify_command_executions_total', 'specify CLI command executions.', ['command', 'status']);
export const specifyCommandDuration = defineMetric({ name: 'specify_command_duration_seconds', help: 'specify CLI command duration.', type: 'histogram', unit: 'seconds', labelNames: ['command'], buckets: COMMAND_BUCKETS });
export const specifyWorkflowPhaseDuration = defineMetric({
  name: 'specify_workflow_phase_duration_seconds',
  help: 'Duration of a workflow phase.',
  type: 'histogram',
  unit: 'seconds',
  labelNames: ['phase'],
  buckets: PHASE_BUCKETS,
});
export const developerCommitsPerDay = gauge('developer_commits_per_day', 'Commits per day by assignee.', ['assignee']);
export const developerPrCycleTime = defineMetric({ name: 'developer_pr_cycle_time_seconds', help: 'Pull request cycle time by assignee.', type: 'gauge', unit: 'seconds', labelNames: ['assignee'] });
export const developerReviewTurnaround = defineMetric({
  name: 'developer_code_review_turnaround_seconds',
  help: 'Code review turnaround by reviewer.',
  type: 'gauge',
  unit: 'seconds',
  labelNames: ['reviewer'],
});

/** The metrics of a service listing `galway(…)`, with the buckets its config sets. */
export function galwayMetrics(c: { readonly taskDurationBuckets: readonly number[]; readonly pipelineDurationBuckets: readonly number[] }) {
  return [
    backlogTaskOperations,
    backlogActiveTasks,
    withBucketsOf(backlogTaskDuration, c.taskDurationBuckets),
    backlogTaskStateTransitions,
    backlogTaskCreated,
    backlogTaskCompleted,
    backlogTaskAge,
    backlogStaleTasks,
    backlogBlockedTasks,
    backlogAcceptanceCriteriaTotal,
    backlogAcceptanceCriteriaChecked,
    backlogAcceptanceCriteriaCompletionRate,
    securityScans,
    securityScanDuration,
    securityFindings,
    securityFindingsResolved,
    securityFalsePositives,
    securityScanCoverage,
    securityScanFilesAnalyzed,
    withBucketsOf(ciPipelineDuration, c.pipelineDurationBuckets),
    ciPipelineQueueTime,
    ciPipelineRuns,
    ciTestDuration,
    ciTestCount,
    ciTestFlakinessRate,
    ciTestCoverage,
    deploymentFrequency,
    leadTimeForChanges,
    changeFailureRate,
    timeToRestore,
    specifyCommandExecutions,
    specifyCommandDuration,
    specifyWorkflowPhaseDuration,
    developerCommitsPerDay,
    developerPrCycleTime,
    developerReviewTurnaround,
  ] as const;
}
