/**
 * Galway's six alerts ("Alert Definitions") in its two groups: critical_alerts evaluated every minute and
 * warning_alerts every five (configurable), with the document's thresholds, `for`s and severities. Where its
 * expressions cannot mean what its texts say, the texts win (docs/systems-extract/galway.md G1, G3, G9). Each alert
 * carries promtool examples and a runbook in docs/runbooks.
 */
import type { AlertBody, AlertTemplate } from '../../alerts/define';
import { bucketAround, counter, gauge, input, minutes, minutesOf, type GaugeSegment } from '../../alerts/examples';
import { humanizePercentage } from '../../alerts/humanize';
import type { ExampleSeries } from '../../alerts/model';
import { Rational } from '../../promql/decimal';
import { avgBy, duration, gt, increase, lt, num, re, series, sumBy } from '../../promql/expr';
import { openMetricsLe } from '../../promql/le';
import type { AlertContext } from '../../mixin';
import { galwayParams, type GalwayConfig } from './config';
import { backlogBlockedTasks, backlogStaleTasks, ciPipelineDuration, ciPipelineRuns, ciTestCoverage, securityFindings } from './metrics';
import { GALWAY_RECORDED as R } from './recorded';

const S = 'service_name';
const required = (value: number | undefined): number => {
  if (value === undefined) throw new Error('threshold missing');
  return value;
};
const targetOf = (service: string) => ({ job: service, instance: `${service}:9090`, service_name: service });

type Group = NonNullable<AlertTemplate['group']>;
const critical = (c: GalwayConfig): Group => ({ name: 'critical_alerts', interval: c.criticalInterval });
const warning = (c: GalwayConfig): Group => ({ name: 'warning_alerts', interval: c.warningInterval });

function highSecurityFindings(service: string, c: GalwayConfig): AlertTemplate {
  return {
    alert: 'HighSecurityFindings',
    runbook: 'HighSecurityFindings.md',
    service,
    group: critical(c),
    labels: { service_name: service },
    severity: 'critical',
    build: (): AlertBody => {
      const findings = (severity: string, ...segments: GaugeSegment[]) => [
        input(securityFindings.name, { ...targetOf(service), severity, category: 'A03:2021-Injection', tool: 'semgrep' }, gauge(...segments)),
      ];
      const window = minutesOf(c.recentFindingsWindow);
      return {
        // The document's `sum(security_findings_total{severity="critical"}) > 0` never resolves: a counter only grows.
        expr: gt(sumBy([S], increase(series(securityFindings, { service_name: service, severity: 'critical' }), duration(c.recentFindingsWindow))), num(0)),
        summary: 'Critical security vulnerability detected',
        description: `{{ $value | humanize }} critical findings detected in recent scan (the last ${c.recentFindingsWindow}).`,
        examples: {
          fires: { name: 'a scan finds 2 critical findings', series: findings('critical', { minutes: 10, value: 0 }, { minutes: 5, value: 2 }), evalTime: minutes(15), alerts: [{ labels: { service_name: service }, value: 2 }] },
          silent: [
            { name: 'only high-severity findings', series: findings('high', { minutes: 10, value: 0 }, { minutes: 5, value: 2 }), evalTime: minutes(15) },
            { name: `critical findings, but none new in the last ${c.recentFindingsWindow}`, series: findings('critical', { minutes: window + 10, value: 2 }), evalTime: minutes(window + 10) },
          ],
        },
      };
    },
  };
}

/** CI runs of one job: `perMinute` a minute, a share failing. */
function runs(service: string, failing: Rational, length: number): ExampleSeries[] {
  const labels = (status: string) => ({ ...targetOf(service), exported_job: 'test', status });
  const perMinute = Rational.of(4);
  return [
    input(ciPipelineRuns.name, labels('success'), counter({ minutes: length, perMinute: perMinute.minus(failing.times(perMinute)) })),
    input(ciPipelineRuns.name, labels('failure'), counter({ minutes: length, perMinute: failing.times(perMinute) })),
  ];
}

function ciPipelineFailureRate(service: string, c: GalwayConfig): AlertTemplate {
  return {
    alert: 'CIPipelineFailureRate',
    runbook: 'CIPipelineFailureRate.md',
    thresholdCheck: galwayParams.pipelineFailureRatio.check,
    service,
    group: critical(c),
    labels: { service_name: service },
    severity: 'critical',
    for: c.pipelineFailureFor,
    threshold: c.pipelineFailureRatio,
    build: ({ threshold, for: forDuration }): AlertBody => {
      const t = Rational.of(required(threshold));
      const length = 10 + minutesOf(forDuration) + 3;
      const high = t.plus(Rational.of(1).minus(t).div(2));
      const pct = humanizePercentage(t.toNumber());
      return {
        expr: gt(series(R.pipelineFailureRatio10m, { service_name: service }), num(t)),
        summary: `CI pipeline failure rate > ${pct}`,
        description: `{{ $value | humanizePercentage }} of CI runs failed in the last 10 minutes (threshold ${pct}), for more than ${forDuration}.`,
        examples: {
          fires: { name: `${humanizePercentage(high.toNumber())} of runs fail`, series: runs(service, high, length), evalTime: minutes(length), alerts: [{ labels: { service_name: service }, value: high.toNumber() }] },
          silent: { name: `${humanizePercentage(t.div(2).toNumber())} of runs fail`, series: runs(service, t.div(2), length), evalTime: minutes(length) },
        },
      };
    },
  };
}

function deploymentBlocked(service: string, c: GalwayConfig): AlertTemplate {
  return {
    alert: 'DeploymentBlocked',
    runbook: 'DeploymentBlocked.md',
    service,
    group: critical(c),
    labels: { service_name: service },
    severity: 'critical',
    for: c.deploymentBlockedFor,
    build: ({ for: forDuration }): AlertBody => {
      const length = minutesOf(forDuration) + 3;
      const blocked = (labels: string) => [input(backlogBlockedTasks.name, { ...targetOf(service), reason: 'waiting-on-infra', labels }, gauge({ minutes: length, value: 1 }))];
      return {
        expr: gt(sumBy([S], series(backlogBlockedTasks, { service_name: service, labels: re(c.deploymentLabels) })), num(0)),
        summary: `Deployment blocked for > ${forDuration}`,
        description: '{{ $value | humanize }} deployment tasks blocked',
        examples: {
          fires: { name: `a deploy task blocked for ${length} minutes`, series: blocked('backend,deploy'), evalTime: minutes(length), alerts: [{ labels: { service_name: service }, value: 1 }] },
          silent: { name: 'a docs task blocked as long', series: blocked('docs'), evalTime: minutes(length) },
        },
      };
    },
  };
}

function staleTasksAccumulating(service: string, c: GalwayConfig): AlertTemplate {
  return {
    alert: 'StaleTasksAccumulating',
    runbook: 'StaleTasksAccumulating.md',
    thresholdCheck: galwayParams.staleTasksMax.check,
    service,
    group: warning(c),
    labels: { service_name: service },
    severity: 'warning',
    for: c.staleFor,
    threshold: c.staleTasksMax,
    build: ({ threshold, for: forDuration }): AlertBody => {
      const t = Rational.of(required(threshold));
      // Samples every 5 minutes: a `for` of a day is 288 of them.
      const steps = Math.ceil(minutesOf(forDuration) / 5) + 3;
      const at = (value: Rational) => [input(backlogStaleTasks.name, { ...targetOf(service), state: 'To Do', days_old_bucket: '7+' }, gauge({ minutes: steps, value }))];
      const high = t.plus(2);
      return {
        expr: gt(sumBy([S], series(backlogStaleTasks, { service_name: service, days_old_bucket: '7+' })), num(t)),
        summary: `More than ${t} stale tasks (>7 days old)`,
        description: 'Run archive-tasks.sh to clean up',
        examples: {
          fires: { name: `${high} stale tasks for a day`, interval: '5m', series: at(high), evalTime: minutes(steps * 5), alerts: [{ labels: { service_name: service } }] },
          silent: { name: `${t} stale tasks, not more`, interval: '5m', series: at(t), evalTime: minutes(steps * 5) },
        },
      };
    },
  };
}

function lowTestCoverage(service: string, c: GalwayConfig): AlertTemplate {
  return {
    alert: 'LowTestCoverage',
    runbook: 'LowTestCoverage.md',
    thresholdCheck: galwayParams.coverageMinPercent.check,
    service,
    group: warning(c),
    labels: { service_name: service },
    severity: 'warning',
    for: c.coverageFor,
    threshold: c.coverageMinPercent,
    build: ({ threshold, for: forDuration }): AlertBody => {
      const t = Rational.of(required(threshold));
      const length = minutesOf(forDuration) + 3;
      const at = (value: Rational) => [input(ciTestCoverage.name, targetOf(service), gauge({ minutes: length, value }))];
      const low = t.minus(t.div(16));
      return {
        expr: lt(avgBy([S], series(ciTestCoverage, { service_name: service })), num(t)),
        summary: `Test coverage below ${t}%`,
        description: 'Current coverage: {{ $value | humanize }}%',
        examples: {
          fires: { name: `coverage ${low}%`, series: at(low), evalTime: minutes(length), alerts: [{ labels: { service_name: service }, value: low.toNumber() }] },
          silent: { name: `coverage ${t}%, not below`, series: at(t), evalTime: minutes(length) },
        },
      };
    },
  };
}

function slowCIPipeline(service: string, c: GalwayConfig): AlertTemplate {
  return {
    alert: 'SlowCIPipeline',
    runbook: 'SlowCIPipeline.md',
    thresholdCheck: galwayParams.pipelineP95Seconds.check,
    service,
    group: warning(c),
    labels: { service_name: service },
    severity: 'warning',
    for: c.pipelineP95For,
    threshold: c.pipelineP95Seconds,
    build: ({ threshold, for: forDuration }): AlertBody => {
      const t = required(threshold);
      const length = 60 + minutesOf(forDuration) + 3;
      const buckets = c.pipelineDurationBuckets;
      const slow = bucketAround(buckets, t, true);
      const fast = bucketAround(buckets, t, false);
      const runsUnder = (upper: number) =>
        [...buckets, Infinity].map((bound) =>
          input(`${ciPipelineDuration.name}_bucket`, { ...targetOf(service), exported_job: 'test', status: 'success', le: openMetricsLe(bound) }, counter({ minutes: length, perMinute: bound >= upper ? 2 : 0 })),
        );
      return {
        expr: gt(series(R.pipelineP95, { service_name: service }), num(t)),
        summary: `CI pipeline P95 duration > ${t}s`,
        description: 'P95 duration of {{ $labels.exported_job }} is {{ $value | humanize }}s. Consider optimizing pipeline or investigating bottlenecks',
        examples: {
          fires: {
            name: `every run between ${slow.lower}s and ${slow.upper}s`,
            series: runsUnder(slow.upper),
            evalTime: minutes(length),
            alerts: [{ labels: { service_name: service, exported_job: 'test' }, value: slow.p95 }],
          },
          silent: { name: `every run between ${fast.lower}s and ${fast.upper}s`, series: runsUnder(fast.upper), evalTime: minutes(length) },
        },
      };
    },
  };
}

export function galwayAlerts({ service, config }: AlertContext<GalwayConfig>): AlertTemplate[] {
  if (!service) throw new Error('galway is a service mixin');
  const s = service.name;
  return [
    highSecurityFindings(s, config),
    ciPipelineFailureRate(s, config),
    deploymentBlocked(s, config),
    staleTasksAccumulating(s, config),
    lowTestCoverage(s, config),
    slowCIPipeline(s, config),
  ];
}
