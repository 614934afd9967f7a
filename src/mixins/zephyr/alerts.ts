/**
 * The five alerts of Zephyr's proposal ("Alert Rules Specifications"), with its thresholds, `for`s and severities,
 * as the document means them where its expressions say otherwise (docs/systems-extract/zephyr.md Z1–Z3, Z6). Each
 * carries the promtool examples that test it and a runbook in docs/runbooks.
 */
import type { AlertBody, AlertTemplate } from '../../alerts/define';
import { bucketAround, counter, gauge, input, minutes, minutesOf, type GaugeSegment } from '../../alerts/examples';
import { humanizeDuration, humanizePercentage } from '../../alerts/humanize';
import type { ExampleSeries, SilentExample } from '../../alerts/model';
import { Rational } from '../../promql/decimal';
import { UP } from '../../promql/builtin';
import { div, eqOp, gt, increase, maxBy, num, series, sumBy } from '../../promql/expr';
import { openMetricsLe } from '../../promql/le';
import type { AlertContext } from '../../mixin';
import { checkZephyrConfig, zephyrParams, type ZephyrConfig } from './config';
import { databaseConnectionsFailedTotal, httpRequestDurationSeconds, httpRequestsTotal } from './metrics';
import { ZEPHYR_RECORDED as R } from './recorded';
import { py } from '../python/metrics';

const SERVICE = 'service_name';
const MIB = 1024 * 1024;
const PER_MINUTE = 600;

const required = (value: number | undefined): number => {
  if (value === undefined) throw new Error('threshold missing');
  return value;
};

const targetOf = (service: string) => ({ job: service, instance: `${service}:8000`, service_name: service });

/** Requests of one instance: `perMinute` a minute, a share answered 500, every one in the bucket ending at `upper`. */
function requests(service: string, buckets: readonly number[], o: { errors?: Rational; upper?: number; length: number }): ExampleSeries[] {
  const labels = { ...targetOf(service), method: 'GET', endpoint: '/users/{user_id}' };
  const bad = (o.errors ?? Rational.of(0)).times(PER_MINUTE);
  const out = [input(httpRequestsTotal.name, { ...labels, status: '200' }, counter({ minutes: o.length, perMinute: Rational.of(PER_MINUTE).minus(bad) }))];
  if (bad.gt(0)) out.push(input(httpRequestsTotal.name, { ...labels, status: '500' }, counter({ minutes: o.length, perMinute: bad })));
  if (o.upper !== undefined) {
    for (const bound of [...buckets, Infinity]) {
      const perMinute = bound >= o.upper ? PER_MINUTE : 0;
      out.push(input(`${httpRequestDurationSeconds.name}_bucket`, { ...labels, le: openMetricsLe(bound) }, counter({ minutes: o.length, perMinute })));
    }
  }
  return out;
}

function highErrorRate(service: string, c: ZephyrConfig): AlertTemplate {
  return {
    alert: 'HighErrorRate',
    runbook: 'HighErrorRate.md',
    thresholdCheck: zephyrParams.errorRatio.check,
    service,
    labels: { service_name: service },
    severity: 'critical',
    for: c.errorRatioFor,
    threshold: c.errorRatio,
    build: ({ threshold, for: forDuration }): AlertBody => {
      const t = Rational.of(required(threshold));
      const length = 5 + minutesOf(forDuration) + 3;
      const firing = t.times(2).gt(1) ? Rational.of(1) : t.times(2);
      const quiet = t.div(2);
      return {
        expr: gt(series(R.errorRatio, { service_name: service }), num(t)),
        summary: 'High error rate detected',
        description: `Error rate is {{ $value | humanizePercentage }} for the last ${forDuration} (threshold ${humanizePercentage(t.toNumber())}).`,
        examples: {
          fires: {
            name: `${humanizePercentage(firing.toNumber())} of requests answered 500`,
            series: requests(service, c.httpBuckets, { errors: firing, length }),
            evalTime: minutes(length),
            alerts: [{ labels: { service_name: service }, value: firing.toNumber() }],
          },
          silent: {
            name: `${humanizePercentage(quiet.toNumber())} of requests answered 500, under the threshold`,
            series: requests(service, c.httpBuckets, { errors: quiet, length }),
            evalTime: minutes(length),
          },
        },
      };
    },
  };
}

function applicationDown(service: string, c: ZephyrConfig): AlertTemplate {
  return {
    alert: 'ApplicationDown',
    runbook: 'ApplicationDown.md',
    service,
    labels: { service_name: service },
    severity: 'critical',
    for: c.downFor,
    build: ({ for: forDuration }): AlertBody => {
      const wait = minutesOf(forDuration);
      const length = wait + 3;
      const target = targetOf(service);
      const up = (...segments: GaugeSegment[]) => [input(UP.name, target, gauge(...segments))];
      const silent: SilentExample[] = [{ name: 'up all along', series: up({ minutes: length, value: 1 }), evalTime: minutes(length) }];
      if (wait >= 1) {
        silent.push({
          name: `down for less than ${forDuration}`,
          series: up({ minutes: length - 1, value: 1 }, { minutes: 1, value: 0 }),
          evalTime: minutes(length - 1),
        });
      }
      return {
        // The document's `up{job="zephyr-app"} == 0`: obskit names each service's scrape job after the service.
        expr: eqOp(series(UP, { job: service }), num(0)),
        summary: 'Application is down',
        description: `Zephyr application {{ $labels.instance }} has been down for more than ${forDuration}`,
        examples: {
          fires: { name: `down for ${length} minutes`, series: up({ minutes: length, value: 0 }), evalTime: minutes(length), alerts: [{ labels: target }] },
          silent,
        },
      };
    },
  };
}

function databaseConnectionIssues(service: string, c: ZephyrConfig): AlertTemplate {
  return {
    alert: 'DatabaseConnectionIssues',
    runbook: 'DatabaseConnectionIssues.md',
    thresholdCheck: zephyrParams.dbFailures.check,
    service,
    labels: { service_name: service },
    severity: 'critical',
    for: c.dbFailuresFor,
    threshold: c.dbFailures,
    build: ({ threshold, for: forDuration }): AlertBody => {
      const t = Rational.of(required(threshold));
      const length = 5 + minutesOf(forDuration) + 3;
      // A steady rate gives exactly 5 minutes' worth in increase(…[5m]) (extrapolated to the window's start).
      const failing = (per5m: Rational) => [input(databaseConnectionsFailedTotal.name, targetOf(service), counter({ minutes: length, perMinute: per5m.div(5) }))];
      const high = t.times(2);
      return {
        // The document's `database_connections_failed_total > 10` compares a counter's lifetime total; its
        // description says "in the last 5 minutes" (Z2).
        expr: gt(sumBy([SERVICE], increase(series(databaseConnectionsFailedTotal, { service_name: service }), '5m')), num(t)),
        summary: 'Database connection issues',
        description: '{{ $value | humanize }} database connection failures in the last 5 minutes',
        examples: {
          fires: { name: `${high} failures per 5 minutes`, series: failing(high), evalTime: minutes(length), alerts: [{ labels: { service_name: service }, value: high.toNumber() }] },
          silent: { name: `${t.div(2)} failures per 5 minutes, under the threshold`, series: failing(t.div(2)), evalTime: minutes(length) },
        },
      };
    },
  };
}

function highResponseTime(service: string, c: ZephyrConfig): AlertTemplate {
  return {
    alert: 'HighResponseTime',
    runbook: 'HighResponseTime.md',
    thresholdCheck: (v) => zephyrParams.p95Seconds.check(v) ?? checkZephyrConfig({ ...c, p95Seconds: v }).find(([k]) => k === 'p95Seconds')?.[1],
    service,
    labels: { service_name: service },
    severity: 'warning',
    for: c.p95For,
    threshold: c.p95Seconds,
    build: ({ threshold, for: forDuration }): AlertBody => {
      const t = required(threshold);
      const length = 5 + minutesOf(forDuration) + 3;
      const slow = bucketAround(c.httpBuckets, t, true);
      const fast = bucketAround(c.httpBuckets, t, false);
      return {
        expr: gt(series(R.latencyP95, { service_name: service }), num(t)),
        summary: 'High response time',
        description: `95th percentile response time is {{ $value | humanizeDuration }} (threshold ${humanizeDuration(t)})`,
        examples: {
          fires: {
            name: `every request between ${slow.lower}s and ${slow.upper}s`,
            series: requests(service, c.httpBuckets, { upper: slow.upper, length }),
            evalTime: minutes(length),
            alerts: [{ labels: { service_name: service }, value: slow.p95 }],
          },
          silent: {
            name: `every request between ${fast.lower}s and ${fast.upper}s, at most the threshold`,
            series: requests(service, c.httpBuckets, { upper: fast.upper, length }),
            evalTime: minutes(length),
          },
        },
      };
    },
  };
}

function highMemoryUsage(service: string, c: ZephyrConfig): AlertTemplate {
  return {
    alert: 'HighMemoryUsage',
    runbook: 'HighMemoryUsage.md',
    thresholdCheck: zephyrParams.memoryMiB.check,
    service,
    labels: { service_name: service },
    severity: 'warning',
    for: c.memoryFor,
    threshold: c.memoryMiB,
    build: ({ threshold, for: forDuration }): AlertBody => {
      const t = Rational.of(required(threshold));
      const length = minutesOf(forDuration) + 3;
      const target = targetOf(service);
      const rss = (mib: Rational) => [input(py.process_resident_memory_bytes.name, target, gauge({ minutes: length, value: mib.times(MIB) }))];
      const high = t.times(2);
      return {
        // The document's `process_resident_memory_bytes / 1024 / 1024 > 512`, per instance (python mixin's metric).
        expr: gt(div(maxBy([SERVICE, 'instance'], series(py.process_resident_memory_bytes, { service_name: service })), num(MIB)), num(t)),
        summary: 'High memory usage',
        description: 'Memory usage is {{ $value }}MB',
        examples: {
          fires: {
            name: `${high} MiB for ${length} minutes`,
            series: rss(high),
            evalTime: minutes(length),
            alerts: [{ labels: { service_name: service, instance: target.instance }, value: high.toNumber() }],
          },
          silent: { name: `${t.div(2)} MiB, half the threshold`, series: rss(t.div(2)), evalTime: minutes(length) },
        },
      };
    },
  };
}

/** The alerts of a service listing zephyr(). HighMemoryUsage reads pythonRuntime()'s metric: list both. */
export function zephyrAlerts({ service, config }: AlertContext<ZephyrConfig>): AlertTemplate[] {
  if (!service) throw new Error('zephyr is a service mixin');
  const s = service.name;
  return [highErrorRate(s, config), applicationDown(s, config), databaseConnectionIssues(s, config), highResponseTime(s, config), highMemoryUsage(s, config)];
}
