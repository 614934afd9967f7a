/**
 * Galway's three dashboards ("Grafana Dashboard Specifications": Developer Productivity, CI/CD Health with DORA,
 * Security Observability) with every panel the document lists, its PromQL in working form
 * (docs/systems-extract/galway.md G2, G4–G6, G9), and rows of ours so every metric of the catalog is on a dashboard.
 */
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
  serviceVariable,
  statPanel,
  tablePanel,
  thresholds,
  timeseriesPanel,
  VAR,
  type DashboardDefinition,
} from '../../dashboards';
import { avgBy, bucketSeries, div, histogramQuantile, increase, max, maxBy, rate, re, series, sub, sum, sumBy, sumSeries, countSeries, ne } from '../../promql/expr';
import type { DashboardContext } from '../../mixin';
import type { GalwayConfig } from './config';
import * as m from './metrics';
import { GALWAY_RECORDED as R } from './recorded';

const svc = { service_name: VAR.service } as const;
const CI_JOB = '$ci_job';
const ASSIGNEE = '$assignee';
const inJob = { ...svc, exported_job: re(CI_JOB) } as const;

const base = (ctx: DashboardContext<GalwayConfig>) => [datasourceVariable(), serviceVariable(ctx.services.map((s) => s.name), ctx.defaultService)];
const series5 = (title: string, description: string, unit: string) => timeseriesPanel({ title, description, unit: unit as never, min: 0 });

// ---------------------------------------------------------------------------------------------- Developer Productivity

function developerProductivity(ctx: DashboardContext<GalwayConfig>): DashboardDefinition {
  const c = ctx.config;
  const throughput = series5('Task Throughput', 'Tasks completed over the last day (recorded; the document\'s rate(…[1d]) is per second, G4).', units.Short).withTarget(
    prom(series(R.tasksCompleted1d, svc), 'tasks/day'),
  );
  const leadTime = bargaugePanel({ title: 'Lead Time Distribution', description: 'Tasks completed in the time range, by duration bucket (backlog_task_duration_seconds).', unit: units.Short }).withTarget(
    promInstant(sumBy(['le'], increase(bucketSeries(m.backlogTaskDuration, svc), RANGE)), '≤ {{le}}s'),
  );
  const leadTimeMean = statPanel({ title: 'Average lead time (7d)', description: 'Mean task duration per state transition over 7 days (recorded; G5).', unit: units.Seconds }).withTarget(
    prom(series(R.taskDurationMean7d, svc), '{{state_transition}}'),
  );
  const wip = bargaugePanel({ title: 'Work In Progress', description: 'Tasks In Progress by assignee.', unit: units.Short }).withTarget(
    promInstant(sumBy(['assignee'], series(m.backlogActiveTasks, { ...svc, state: 'In Progress', assignee: re(ASSIGNEE) })), '{{assignee}}'),
  );
  const blocked = bargaugePanel({ title: 'Blocked Tasks', description: 'Blocked tasks by reason (the gauge counts tasks: sum, not count of series, G2).', unit: units.Short }).withTarget(
    promInstant(sumBy(['reason'], series(m.backlogBlockedTasks, svc)), '{{reason}}'),
  );
  const blockedAge = statPanel({
    title: 'Oldest blocked task',
    description: `Age of the oldest task in state "${c.blockedState}" (only if Galway records blocked tasks as a state; the document has no metric joining age to blocked).`,
    unit: units.Seconds,
  }).withTarget(prom(max(series(m.backlogTaskAge, { ...svc, state: c.blockedState })), 'oldest'));
  const burndown = series5('Sprint Burndown', 'Remaining work: tasks not Done over the time range (no sprint metric exists, so no sprint boundaries or ideal line).', units.Short).withTarget(
    prom(sum(series(m.backlogActiveTasks, { ...svc, state: ne('Done') })), 'remaining'),
  );
  const operations = series5('Task operations', 'Backlog task operations per hour by operation and status.', units.Short).withTarget(
    prom(sumBy(['operation', 'status'], increase(series(m.backlogTaskOperations, svc), '1h')), '{{operation}} {{status}}'),
  );
  const created = series5('Tasks created per day', 'By priority.', units.Short).withTarget(prom(sumBy(['priority'], increase(series(m.backlogTaskCreated, svc), '1d')), '{{priority}}'));
  const transitions = tablePanel({ title: 'State transitions', description: 'Transitions in the time range, by from and to state.', unit: units.Short }).withTarget(
    promInstant(sumBy(['from_state', 'to_state'], increase(series(m.backlogTaskStateTransitions, svc), RANGE))),
  );
  const age = series5('Task age', 'Oldest task per state.', units.Seconds).withTarget(prom(maxBy(['state'], series(m.backlogTaskAge, svc)), '{{state}}'));
  const stale = series5('Stale tasks', 'Tasks not updated for a while, by age bucket (StaleTasksAccumulating: 7+).', units.Short).withTarget(
    prom(sumBy(['days_old_bucket'], series(m.backlogStaleTasks, svc)), '{{days_old_bucket}}'),
  );
  const acceptance = series5('Acceptance criteria checked', 'Share of all tasks\' criteria checked, and the mean per-task completion rate.', units.PercentUnit)
    .withTarget(prom(div(sum(series(m.backlogAcceptanceCriteriaChecked, svc)), sum(series(m.backlogAcceptanceCriteriaTotal, svc))), 'checked / total'))
    .withTarget(prom(avgBy([], series(m.backlogAcceptanceCriteriaCompletionRate, svc)), 'mean per task'));
  const duration5m = series5('Task duration (5m mean)', 'Mean duration per state transition over 5m (recorded; the document\'s "Example Correlation Query").', units.Seconds).withTarget(
    prom(series(R.taskDurationMean5m, svc), '{{state_transition}}'),
  );
  const commands = series5('Commands', 'specify CLI commands per day by command and status.', units.Short).withTarget(
    prom(sumBy(['command', 'status'], increase(series(m.specifyCommandExecutions, svc), '1d')), '{{command}} {{status}}'),
  );
  const commandP95 = series5('Command duration p95', 'p95 specify command duration over 1h, by command.', units.Seconds).withTarget(
    prom(histogramQuantile(0.95, sumBy(['command', 'le'], rate(bucketSeries(m.specifyCommandDuration, svc), '1h'))), '{{command}}'),
  );
  const phases = series5('Workflow phase duration p50', 'Median workflow phase duration over 1d, by phase.', units.Seconds).withTarget(
    prom(histogramQuantile(0.5, sumBy(['phase', 'le'], rate(bucketSeries(m.specifyWorkflowPhaseDuration, svc), '1d'))), '{{phase}}'),
  );
  const commits = series5('Commits per day', 'By assignee.', units.Short).withTarget(prom(sumBy(['assignee'], series(m.developerCommitsPerDay, { ...svc, assignee: re(ASSIGNEE) })), '{{assignee}}'));
  const prCycle = series5('PR cycle time', 'By assignee.', units.Seconds).withTarget(prom(maxBy(['assignee'], series(m.developerPrCycleTime, { ...svc, assignee: re(ASSIGNEE) })), '{{assignee}}'));
  const review = series5('Review turnaround', 'By reviewer.', units.Seconds).withTarget(prom(maxBy(['reviewer'], series(m.developerReviewTurnaround, svc)), '{{reviewer}}'));
  return {
    file: 'galway-developer-productivity',
    uid: 'obskit-galway-devprod',
    title: 'Galway · Developer Productivity',
    description: 'Task throughput, lead time, work in progress, blocked tasks and burndown; backlog health and developer workflow.',
    tags: ['galway'],
    variables: [...base(ctx), labelVariable('assignee', 'assignee', series(m.backlogActiveTasks, svc), 'Assignee')],
    annotations: [firingAlerts()],
    rows: [
      {
        title: 'Developer Productivity',
        panels: [
          place(throughput, 8, 8), place(leadTime, 8, 8), place(leadTimeMean, 8, 8),
          place(wip, 6, 8), place(blocked, 6, 8), place(blockedAge, 4, 8), place(burndown, 8, 8),
        ],
      },
      {
        title: 'Backlog health',
        panels: [place(operations, 8, 7), place(created, 8, 7), place(transitions, 8, 7), place(age, 6, 7), place(stale, 6, 7), place(acceptance, 6, 7), place(duration5m, 6, 7)],
      },
      { title: 'Workflow', panels: [place(commands, 8, 7), place(commandP95, 8, 7), place(phases, 8, 7), place(commits, 8, 7), place(prCycle, 8, 7), place(review, 8, 7)] },
    ],
  };
}

// ---------------------------------------------------------------------------------------------- CI/CD Health

function cicdHealth(ctx: DashboardContext<GalwayConfig>): DashboardDefinition {
  const c = ctx.config;
  const success = statPanel({
    title: 'Pipeline Success Rate',
    description: 'Share of CI runs that succeeded over the last 24h (recorded).',
    unit: units.PercentUnit,
    thresholds: thresholds('red', [c.pipelineFailureRatio, 'orange'], [0.9, 'green']),
  }).withTarget(prom(series(R.pipelineSuccessRatio24h, svc), 'success rate'));
  const p95 = timeseriesPanel({
    title: 'Pipeline Duration P95',
    description: 'p95 run duration per job over 1h (recorded). Red dashed line: the SlowCIPipeline threshold.',
    unit: units.Seconds,
    thresholds: alertThresholds(c.pipelineP95Seconds),
    showThresholds: true,
    min: 0,
  }).withTarget(prom(series(R.pipelineP95, inJob), '{{exported_job}}'));
  const flaky = series5('Test Flakiness', 'Flaky tests now by suite (ci_test_count{result="flaky"}, a gauge: G6), and each suite\'s flakiness rate.', units.Short)
    .withTarget(prom(sumBy(['suite'], series(m.ciTestCount, { ...svc, result: 'flaky' })), '{{suite}} flaky tests'))
    .withTarget(prom(maxBy(['suite'], series(m.ciTestFlakinessRate, svc)), '{{suite}} flakiness rate'));
  const findingsTrend = series5('Security Findings Trend', 'Security findings counted so far, by severity.', units.Short).withTarget(
    prom(sumBy(['severity'], series(m.securityFindings, svc)), '{{severity}}'),
  );
  const dora = statPanel({ title: 'DORA Metrics', description: 'Deployment frequency, lead time for changes, change failure rate and time to restore.', unit: units.Short })
    .withTarget(prom(max(series(m.deploymentFrequency, svc)), 'Deployment frequency (/day)').refId('deploys'))
    .withTarget(prom(max(series(m.leadTimeForChanges, svc)), 'Lead time for changes').refId('lead'))
    .withTarget(prom(max(series(m.changeFailureRate, svc)), 'Change failure rate').refId('cfr'))
    .withTarget(prom(max(series(m.timeToRestore, svc)), 'Time to restore').refId('restore'))
    .overrideByQuery('lead', [{ id: 'unit', value: units.Seconds }])
    .overrideByQuery('cfr', [{ id: 'unit', value: units.Percent }])
    .overrideByQuery('restore', [{ id: 'unit', value: units.Seconds }]);
  const failure10m = timeseriesPanel({
    title: 'Failure ratio (10m)',
    description: 'Share of CI runs failing over 10m (recorded): CIPipelineFailureRate fires above the red line.',
    unit: units.PercentUnit,
    thresholds: alertThresholds(c.pipelineFailureRatio),
    showThresholds: true,
    min: 0,
  }).withTarget(prom(series(R.pipelineFailureRatio10m, svc), 'failure ratio'));
  const runsByStatus = series5('Runs per day', 'CI runs per day by job and status.', units.Short).withTarget(
    prom(sumBy(['exported_job', 'status'], increase(series(m.ciPipelineRuns, inJob), '1d')), '{{exported_job}} {{status}}'),
  );
  const queue = series5('Queue time p95', 'p95 time CI runs waited over 1h, by job.', units.Seconds).withTarget(
    prom(histogramQuantile(0.95, sumBy(['exported_job', 'le'], rate(bucketSeries(m.ciPipelineQueueTime, inJob), '1h'))), '{{exported_job}}'),
  );
  const tests = series5('Test suite duration p95', 'p95 suite duration over 1h, by suite.', units.Seconds).withTarget(
    prom(histogramQuantile(0.95, sumBy(['suite', 'le'], rate(bucketSeries(m.ciTestDuration, svc), '1h'))), '{{suite}}'),
  );
  const coverage = statPanel({
    title: 'Test coverage',
    description: 'Average test coverage; LowTestCoverage fires below the threshold.',
    unit: units.Percent,
    thresholds: thresholds('red', [c.coverageMinPercent, 'green']),
  }).withTarget(prom(avgBy([], series(m.ciTestCoverage, svc)), 'coverage'));
  return {
    file: 'galway-cicd-health',
    uid: 'obskit-galway-cicd',
    title: 'Galway · CI/CD Health',
    description: 'Pipeline success rate and duration, test flakiness, security findings and the four DORA metrics.',
    tags: ['galway', 'ci'],
    variables: [...base(ctx), labelVariable('ci_job', 'exported_job', series(m.ciPipelineRuns, svc), 'CI job')],
    annotations: [firingAlerts()],
    rows: [
      { title: 'CI/CD Health', panels: [place(success, 6, 8), place(p95, 10, 8), place(dora, 8, 8), place(flaky, 12, 8), place(findingsTrend, 12, 8)] },
      { title: 'Pipelines and tests', panels: [place(failure10m, 8, 7), place(runsByStatus, 8, 7), place(queue, 8, 7), place(tests, 12, 7), place(coverage, 12, 7)] },
    ],
  };
}

// ---------------------------------------------------------------------------------------------- Security

function security(ctx: DashboardContext<GalwayConfig>): DashboardDefinition {
  const scanCoverage = bargaugePanel({ title: 'Scan Coverage', description: 'Share of the codebase each tool scanned.', unit: units.Percent, max: 100, thresholds: thresholds('red', [50, 'orange'], [80, 'green']) }).withTarget(
    promInstant(maxBy(['tool'], series(m.securityScanCoverage, svc)), '{{tool}}'),
  );
  const resolved = series5(
    'Findings resolved',
    'Findings resolved per day by resolution type. The document\'s "Finding Resolution Time" needs a resolution duration no metric carries (docs/systems.md).',
    units.Short,
  ).withTarget(prom(sumBy(['resolution_type'], increase(series(m.securityFindingsResolved, svc), '1d')), '{{resolution_type}}'));
  const falsePositives = statPanel({ title: 'False Positive Rate', description: 'Findings dismissed as false positives over all findings, in the time range.', unit: units.PercentUnit }).withTarget(
    prom(div(sum(increase(series(m.securityFalsePositives, svc), RANGE)), sum(increase(series(m.securityFindings, svc), RANGE))), 'false positives'),
  );
  const effectiveness = tablePanel({ title: 'Tool Effectiveness', description: 'Findings per scan, by tool, in the time range.', unit: units.Short }).withTarget(
    promInstant(div(sumBy(['tool'], increase(series(m.securityFindings, svc), RANGE)), sumBy(['tool'], increase(series(m.securityScans, svc), RANGE)))),
  );
  const owasp = bargaugePanel({ title: 'OWASP Top 10 Distribution', description: 'Findings by category (the OWASP class, when the scanner reports one in `category`).', unit: units.Short }).withTarget(
    promInstant(sumBy(['category'], series(m.securityFindings, svc)), '{{category}}'),
  );
  const scanDuration = series5('Scan duration (mean)', 'Mean scan duration per tool over 1d (a summary without quantiles: G10).', units.Seconds).withTarget(
    prom(div(sumBy(['tool'], rate(sumSeries(m.securityScanDuration, svc), '1d')), sumBy(['tool'], rate(countSeries(m.securityScanDuration, svc), '1d'))), '{{tool}}'),
  );
  const files = series5('Files analysed', 'Files each tool analysed in its last scan.', units.Short).withTarget(prom(maxBy(['tool'], series(m.securityScanFilesAnalyzed, svc)), '{{tool}}'));
  const scans = series5('Scans per day', 'By tool and status.', units.Short).withTarget(prom(sumBy(['tool', 'status'], increase(series(m.securityScans, svc), '1d')), '{{tool}} {{status}}'));
  const open = series5('Open findings', 'Findings minus resolved ones, by severity.', units.Short).withTarget(
    prom(sub(sumBy(['severity'], series(m.securityFindings, svc)), sumBy(['severity'], series(m.securityFindingsResolved, svc))), '{{severity}}'),
  );
  return {
    file: 'galway-security',
    uid: 'obskit-galway-security',
    title: 'Galway · Security Observability',
    description: 'Scan coverage, findings resolved, false positives, tool effectiveness and OWASP categories.',
    tags: ['galway', 'security'],
    variables: base(ctx),
    annotations: [firingAlerts()],
    rows: [
      { title: 'Security Observability', panels: [place(scanCoverage, 8, 8), place(resolved, 8, 8), place(falsePositives, 8, 8), place(effectiveness, 12, 8), place(owasp, 12, 8)] },
      { title: 'Scans', panels: [place(scanDuration, 6, 7), place(files, 6, 7), place(scans, 6, 7), place(open, 6, 7)] },
    ],
  };
}

export const galwayDashboards = (ctx: DashboardContext<GalwayConfig>) => [developerProductivity(ctx), cicdHealth(ctx), security(ctx)];

/** CI success rate over 24h per Galway service, for the fleet overview. */
export const galwayFleetPanels = ({ services }: DashboardContext<GalwayConfig>) => [
  bargaugePanel({ title: 'Galway CI success rate (24h)', description: 'Share of CI runs that succeeded over 24h, per Galway service (recorded).', unit: units.PercentUnit, max: 1 }).withTarget(
    promInstant(series(R.pipelineSuccessRatio24h, { service_name: re(services.map((s) => s.name).join('|')) }), '{{service_name}}'),
  ),
];
