import { param, type ConfigOf } from '../../mixin/params';
import { PIPELINE_DURATION_BUCKETS, TASK_DURATION_BUCKETS } from './metrics';

/** galway() parameters: its two rule groups' intervals and every threshold and `for` of "Alert Definitions". */
export const galwayParams = {
  criticalInterval: param.duration('1m', { description: 'Evaluation interval of the critical_alerts group (document: 1m).', max: '1h' }),
  warningInterval: param.duration('5m', { description: 'Evaluation interval of the warning_alerts group (document: 5m).', max: '1h' }),
  recentFindingsWindow: param.duration('1h', { description: 'How far back a critical finding counts as "recent" for HighSecurityFindings (ours: G3).', max: '7d' }),
  pipelineFailureRatio: param.ratio(0.5, 'Share of CI runs failing over 10m above which CIPipelineFailureRate fires (document: 0.5).'),
  pipelineFailureFor: param.duration('5m', { description: 'How long the failure ratio must stay high (document: 5m).', max: '1d' }),
  deploymentBlockedFor: param.duration('1h', { description: 'How long a deployment task must stay blocked (document: 1h).', max: '7d' }),
  deploymentLabels: param.string('.*deploy.*', { description: 'Regex on the `labels` label that marks a deployment task (document: ".*deploy.*").' }),
  staleTasksMax: param.number(10, { description: 'Stale tasks (7+ days) above which StaleTasksAccumulating fires (document: 10).', min: 0, integer: true }),
  staleFor: param.duration('1d', { description: 'How long stale tasks must stay above it (document: 1d).', max: '30d' }),
  coverageMinPercent: param.number(80, { description: 'Test coverage (percent) below which LowTestCoverage fires (document: 80).', min: 0, max: 100, exclusive: true }),
  coverageFor: param.duration('1h', { description: 'How long coverage must stay low (document: 1h).', max: '7d' }),
  pipelineP95Seconds: param.number(600, { description: 'CI pipeline p95 over 1h, in seconds, above which SlowCIPipeline fires (document: 600).', min: 0, exclusive: true }),
  pipelineP95For: param.duration('30m', { description: 'How long p95 must stay high (document: 30m).', max: '7d' }),
  blockedState: param.string('Blocked', { description: 'The task state that means blocked, for the age of blocked tasks (ours).' }),
  taskDurationBuckets: param.buckets(TASK_DURATION_BUCKETS, { description: 'Buckets of backlog_task_duration_seconds (document: 1m, 5m, 15m, 1h, 1d).' }),
  pipelineDurationBuckets: param.buckets(PIPELINE_DURATION_BUCKETS, { description: 'Buckets of ci_pipeline_duration_seconds, in seconds (ours).' }),
};

export type GalwayConfig = ConfigOf<typeof galwayParams>;

/** SlowCIPipeline's threshold inside the pipeline buckets (a p95 at the edge could not be told apart). */
export function checkGalwayConfig(c: GalwayConfig): Array<[string, string]> {
  const b = c.pipelineDurationBuckets;
  if (c.pipelineP95Seconds < b[0]! || c.pipelineP95Seconds >= b[b.length - 1]!) {
    return [['pipelineP95Seconds', `must be at least ${b[0]} and below ${b[b.length - 1]} (the range of pipelineDurationBuckets), got ${c.pipelineP95Seconds}`]];
  }
  return [];
}
