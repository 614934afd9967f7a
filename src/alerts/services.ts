import { Rational } from '../promql/decimal';
import {
  absent,
  absentOverTime,
  and,
  bucketSeries,
  countSeries,
  div,
  eqOp,
  ge,
  gt,
  histogramQuantile,
  maxBy,
  mul,
  num,
  or,
  rate,
  re,
  series,
  sumBy,
  type Expr,
  type Window,
} from '../promql/expr';
import { openMetricsLe } from '../promql/le';
import { blackbox, prometheus } from '../promql/catalogs';
import { RECORDED, RECORDED_QUANTILES } from '../promql/recorded';
import { HTTP_DURATION_BUCKETS, httpServerRequestDuration, runtimeMetrics } from '../sdk/catalog';
import { isPushOnly, staleAfterOf, type RedSpec, type ServiceSpec, type StackSpec } from '../spec';
import { resolveAlerts, type AlertBody, type AlertParams, type AlertTemplate } from './define';
import { counter, gauge, input, minutes, minutesOf } from './examples';
import { humanize1024, humanizeDuration, humanizePercentage } from './humanize';
import { lowTrafficGuard, OUTAGE_EVIDENCE } from './low-traffic';
import type { ExampleSeries, RecordingRule, RuleGroup, Scenario, SilentExample } from './model';

/**
 * Per-service RED: recording rules for what dashboards read often (request rate, error ratio, latency buckets and
 * quantiles per service over 5m, for every service that emits `http_server_request_duration_seconds`), and for
 * each observed service in the spec the alerts ServiceDown, ServiceErrorRatioHigh, ServiceLatencyHigh,
 * ServiceMemoryHigh and ServiceEventLoopLagHigh, with thresholds from `alerting.red` and the service's `red`.
 * Rendered to dist/rules/services.yaml.
 */
export const RED_RECORDING_GROUP = 'obskit.red.recording';
export const redAlertGroup = (service: string) => `obskit.red.${service}`;

const SERVICE = 'service_name';
const WINDOW = '5m';
const WINDOW_SECONDS = 300;
/** A 5xx status: the request failed on the server's side. */
export const SERVER_ERROR = re('5..');

type RuntimeMetric = (typeof runtimeMetrics)[number];
function runtimeMetric<N extends RuntimeMetric['name']>(name: N): Extract<RuntimeMetric, { readonly name: N }> {
  const def = runtimeMetrics.find((m): m is Extract<RuntimeMetric, { readonly name: N }> => m.name === name);
  if (!def) throw new Error(`runtime metric ${name} is not in the catalog`);
  return def;
}
const residentMemory = runtimeMetric('process_resident_memory_bytes');
const eventLoopLagP99 = runtimeMetric('nodejs_eventloop_lag_p99_seconds');

const requests = (matchers: { service_name?: string } = {}) => countSeries(httpServerRequestDuration, matchers);

/** The recording rules, shared by every service (they aggregate by `service_name`). */
export function redRecordingRules(): RecordingRule[] {
  const { serviceRequestRate, serviceErrorRate, serviceErrorRatio, serviceLatencyBuckets, serviceLatencyQuantile } = RECORDED;
  return [
    { record: serviceRequestRate.name, expr: sumBy([SERVICE], rate(requests(), WINDOW)) },
    {
      record: serviceErrorRate.name,
      // With requests but no 5xx series yet, the rate is 0 rather than missing (so the ratio is 0, not a gap).
      expr: or(
        sumBy([SERVICE], rate(countSeries(httpServerRequestDuration, { http_response_status_code: SERVER_ERROR }), WINDOW)),
        mul(0, series(serviceRequestRate)),
        { on: [SERVICE] },
      ),
    },
    { record: serviceErrorRatio.name, expr: div(series(serviceErrorRate), series(serviceRequestRate)) },
    { record: serviceLatencyBuckets.name, expr: sumBy([SERVICE, 'le'], rate(bucketSeries(httpServerRequestDuration), WINDOW)) },
    ...RECORDED_QUANTILES.map((q) => ({
      record: serviceLatencyQuantile.name,
      expr: histogramQuantile(q, series(serviceLatencyBuckets)),
      labels: { quantile: q },
    })),
  ];
}

/** The effective RED settings of a service. */
export function redFor(spec: StackSpec, service: ServiceSpec): RedSpec {
  return { ...spec.alerting.red, ...service.red };
}

const required = (value: number | undefined): number => {
  if (value === undefined) throw new Error('threshold missing');
  return value;
};

// -------------------------------------------------------------------------------------- example input

interface Traffic {
  /** Requests per minute. */
  readonly perMinute: number;
  /** Share answered 5xx. */
  readonly errors?: Rational;
  /** Upper bucket bound every request falls under (and not under the one before); 0.005 when omitted. */
  readonly slowerThan?: number;
  readonly minutes: number;
}

/** SDK-shaped request series of one instance of a service: `_count` by status, and the buckets. */
function requestSeries(service: string, t: Traffic): ExampleSeries[] {
  const target = { job: service, instance: `${service}:8080`, service_name: service };
  const labels = (code: string) => ({ ...target, http_request_method: 'GET', http_route: '/orders', http_response_status_code: code });
  const errorShare = t.errors ?? Rational.of(0);
  const bad = errorShare.times(t.perMinute);
  const good = Rational.of(t.perMinute).minus(bad);
  const name = httpServerRequestDuration.name;
  const out = [input(`${name}_count`, labels('200'), counter({ minutes: t.minutes, perMinute: good }))];
  if (bad.gt(0)) out.push(input(`${name}_count`, labels('500'), counter({ minutes: t.minutes, perMinute: bad })));
  const upper = t.slowerThan ?? HTTP_DURATION_BUCKETS[0];
  for (const bound of [...HTTP_DURATION_BUCKETS, Infinity]) {
    const perMinute = bound >= upper ? t.perMinute : 0;
    out.push(input(`${name}_bucket`, { ...labels('200'), le: openMetricsLe(bound) }, counter({ minutes: t.minutes, perMinute })));
  }
  return out;
}

/** The bucket a p95 lands in when every request falls in (lower, upper]. */
function bucketAround(threshold: number, above: boolean): { lower: number; upper: number; p95: number } {
  const bounds: readonly number[] = HTTP_DURATION_BUCKETS;
  if (above) {
    const index = bounds.findIndex((b) => b >= threshold);
    const lower = bounds[index]!;
    const upper = bounds[index + 1] ?? Infinity;
    // histogram_quantile interpolates inside the bucket; in the +Inf bucket it answers the highest finite bound.
    const p95 = upper === Infinity ? lower : lower + (upper - lower) * 0.95;
    return { lower, upper, p95 };
  }
  const index = bounds.reduce((found, b, i) => (b <= threshold ? i : found), -1);
  const upper = bounds[index]!;
  const lower = bounds[index - 1] ?? 0;
  return { lower, upper, p95: lower + (upper - lower) * 0.95 };
}

// -------------------------------------------------------------------------------------- alerts

/** `job` of what a push-only service sends: `service.name`, or `service.namespace/service.name`. */
const pushedJob = (service: string) => re(`(?:.+/)?${service}`); // service names are DNS labels: nothing to escape

/**
 * Series that keep a service's ServiceDown silent in the examples for `minutes` minutes: its scrape target up, or
 * (push-only) the `target_info` Prometheus's OTLP receiver writes at each push.
 */
function alive(service: ServiceSpec, instance: string, values: string): ExampleSeries {
  return isPushOnly(service)
    ? input(prometheus.targetInfo.name, { job: service.name, instance, deployment_environment_name: 'test' }, values)
    : input(prometheus.up.name, { job: service.name, instance, service_name: service.name }, values);
}

/** `others`: the other observed services, whose ServiceDown rules see their own targets up in the examples. */
function serviceDown(service: ServiceSpec, red: RedSpec, others: readonly ServiceSpec[]): AlertTemplate {
  return isPushOnly(service) ? pushedServiceDown(service, red, others) : scrapedServiceDown(service, red, others);
}

function scrapedServiceDown(svc: ServiceSpec, red: RedSpec, others: readonly ServiceSpec[]): AlertTemplate {
  const service = svc.name;
  const up = series(prometheus.up, { service_name: service });
  return {
    alert: 'ServiceDown',
    service,
    labels: { service_name: service },
    severity: 'critical',
    for: red.downFor,
    build: ({ for: forDuration }) => {
      const f = minutesOf(forDuration);
      const target = (instance: string, values: string) => alive(svc, instance, values);
      // promtool checks every rule named ServiceDown at once: without their targets, the others would be absent.
      const othersUp = others.map((o) => alive(o, `${o.name}:8080`, gauge({ minutes: f + 3, value: 1 })));
      return {
        expr: or(eqOp(maxBy([SERVICE], up), 0), absent(up)),
        summary: `Every target of ${service} is down.`,
        description:
          `Prometheus has not scraped any instance of {{ $labels.service_name }} for more than ${forDuration}: every ` +
          'target is down, or none is left to scrape (no endpoints). The service is probably not serving.',
        examples: {
          fires: {
            name: `its only instance down for ${f + 1} minutes`,
            series: [target(`${service}:8080`, gauge({ minutes: 1, value: 1 }, { minutes: f + 2, value: 0 })), ...othersUp],
            evalTime: minutes(f + 3),
            alerts: [{ labels: { service_name: service } }],
          },
          silent: {
            name: 'one of two instances down',
            series: [
              target(`${service}-a:8080`, gauge({ minutes: 1, value: 1 }, { minutes: f + 2, value: 0 })),
              target(`${service}-b:8080`, gauge({ minutes: f + 3, value: 1 })),
              ...othersUp,
            ],
            evalTime: minutes(f + 3),
          },
        },
      };
    },
  };
}

/**
 * A push-only service has no `up`: it is down when Prometheus's OTLP receiver has written no `target_info` for it
 * (one per push, per resource) for `staleAfter`, and stays so for `downFor`.
 */
function pushedServiceDown(svc: ServiceSpec, red: RedSpec, others: readonly ServiceSpec[]): AlertTemplate {
  const service = svc.name;
  const staleAfter = staleAfterOf(svc);
  return {
    alert: 'ServiceDown',
    service,
    labels: { service_name: service },
    severity: 'critical',
    for: red.downFor,
    build: ({ for: forDuration }) => {
      const f = minutesOf(forDuration);
      const s = minutesOf(staleAfter);
      const length = 1 + s + f + 2;
      const othersUp = others.map((o) => alive(o, `${o.name}:8080`, gauge({ minutes: length, value: 1 })));
      // One sample a minute for the first minute, then nothing: stale after `staleAfter`, firing `for` later.
      const pushedOnce = alive(svc, `${service}-run-1`, '1 1');
      const pushedThroughout = alive(svc, `${service}-run-2`, gauge({ minutes: length, value: 1 }));
      return {
        expr: absentOverTime(series(prometheus.targetInfo, { job: pushedJob(service) }), staleAfter as Window),
        summary: `${service} has pushed nothing for more than ${staleAfter}.`,
        description:
          // The name is written out: absent_over_time of a regex selector returns no labels to template from.
          `Prometheus has received no OTLP metrics from ${service} (a push-only service) for more than ` +
          `${staleAfter}, and not for ${forDuration} since: it stopped, or cannot reach the collector.`,
        examples: {
          fires: {
            name: `its last push ${length - 1} minutes ago`,
            series: [pushedOnce, ...othersUp],
            evalTime: minutes(length),
            alerts: [{ labels: { service_name: service } }],
          },
          silent: { name: 'a run pushing every minute', series: [pushedOnce, pushedThroughout, ...othersUp], evalTime: minutes(length) },
        },
      };
    },
  };
}

/** `condition and on (service_name) requests >= minimum`: too little traffic says nothing about errors or latency. */
function withTraffic(condition: Expr, service: string, minRequestRate: number): Expr {
  return and(condition, ge(series(RECORDED.serviceRequestRate, { service_name: service }), num(minRequestRate)), { on: [SERVICE] });
}

/** Requests per minute for examples: plenty above the low-traffic guard. */
const busy = (red: RedSpec) => Math.max(600, Math.ceil(red.minRequestRate * 60 * 4));

/** A low-traffic silent example, unless the guard is off. */
function lowTraffic(service: string, red: RedSpec, length: number, traffic: Omit<Traffic, 'perMinute' | 'minutes'>): SilentExample[] {
  if (red.minRequestRate <= 0) return [];
  const perMinute = Rational.of(red.minRequestRate).times(60).div(4).toNumber();
  return [
    {
      name: `as bad, but only ${perMinute} requests a minute, under the ${red.minRequestRate}/s low-traffic guard`,
      series: requestSeries(service, { ...traffic, perMinute, minutes: length }),
      evalTime: minutes(length),
    },
  ];
}

/**
 * ServiceErrorRatioHigh's guard: enough requests (`minRequestRate`), or an outage plain in the 5m window itself —
 * at least OUTAGE_EVIDENCE.minBadEvents failures, and at least its badShare of the requests failing (the same rule
 * as the SLO alerts', see low-traffic.ts). Needs about one request a minute and a half; below that the SLO page does.
 */
function errorRatioGuard(service: string, red: RedSpec): Expr {
  const matchers = { service_name: service };
  return lowTrafficGuard({
    requests: series(RECORDED.serviceRequestRate, matchers),
    minRequests: red.minRequestRate,
    badEvents: mul(series(RECORDED.serviceErrorRate, matchers), WINDOW_SECONDS),
    badShare: series(RECORDED.serviceErrorRatio, matchers),
  });
}

/** Few requests, only minBadEvents − 1 of them failing in 5 minutes: a ratio over the threshold that proves nothing. */
function fewFailures(service: string, red: RedSpec, threshold: Rational, length: number): SilentExample[] {
  if (red.minRequestRate <= 0) return [];
  const perMinute = Rational.of(red.minRequestRate).times(60).div(4);
  const failuresPerMinute = Rational.ratio(OUTAGE_EVIDENCE.minBadEvents - 1, 5);
  const share = failuresPerMinute.gt(perMinute) ? Rational.of(1) : failuresPerMinute.div(perMinute);
  if (!share.gt(threshold)) return [];
  return [
    {
      name: `${perMinute} requests a minute (under the ${red.minRequestRate}/s guard), ${OUTAGE_EVIDENCE.minBadEvents - 1} failures in 5 minutes`,
      series: requestSeries(service, { perMinute: perMinute.toNumber(), errors: share, minutes: length }),
      evalTime: minutes(length),
    },
  ];
}

/** Every request failing at half the guard's request rate: an outage, which fires however little the traffic. */
function lowTrafficOutage(service: string, red: RedSpec, length: number): Scenario[] {
  const perMinute = Rational.of(red.minRequestRate).times(60).div(2);
  if (red.minRequestRate <= 0 || perMinute.times(5).lt(OUTAGE_EVIDENCE.minBadEvents)) return [];
  return [
    {
      name: `every request failing at ${perMinute} requests a minute, under the ${red.minRequestRate}/s guard`,
      series: requestSeries(service, { perMinute: perMinute.toNumber(), errors: Rational.of(1), minutes: length }),
      labels: { service_name: service },
      checks: [{ until: minutes(length), episodes: 1 }],
    },
  ];
}

function errorRatioHigh(service: string, red: RedSpec): AlertTemplate {
  return {
    alert: 'ServiceErrorRatioHigh',
    service,
    labels: { service_name: service },
    severity: 'warning',
    for: red.errorRatioFor,
    threshold: red.errorRatio,
    build: ({ threshold, for: forDuration }: AlertParams): AlertBody => {
      const t = Rational.of(required(threshold));
      const length = 5 + minutesOf(forDuration) + 3;
      const firing = t.times(2).gt(1) ? Rational.of(1) : t.times(2);
      const quiet = t.div(2);
      const traffic = (errors: Rational) => requestSeries(service, { perMinute: busy(red), errors, minutes: length });
      return {
        expr: and(gt(series(RECORDED.serviceErrorRatio, { service_name: service }), num(t)), errorRatioGuard(service, red)),
        summary: `${service} answers too many requests with a server error.`,
        description:
          `{{ $value | humanizePercentage }} of the requests to {{ $labels.service_name }} over the last 5 minutes were ` +
          `answered with a 5xx status, above the ${humanizePercentage(t.toNumber())} threshold, for more than ${forDuration}.`,
        examples: {
          fires: {
            name: `${humanizePercentage(firing.toNumber())} of requests fail`,
            series: traffic(firing),
            evalTime: minutes(length),
            alerts: [{ labels: { service_name: service }, value: firing.toNumber() }],
          },
          silent: [
            { name: `${humanizePercentage(quiet.toNumber())} of requests fail, under the threshold`, series: traffic(quiet), evalTime: minutes(length) },
            ...fewFailures(service, red, t, length),
          ],
          scenarios: lowTrafficOutage(service, red, length),
        },
      };
    },
  };
}

function latencyHigh(service: string, red: RedSpec): AlertTemplate {
  return {
    alert: 'ServiceLatencyHigh',
    service,
    labels: { service_name: service },
    severity: 'warning',
    for: red.latencyFor,
    threshold: red.latencyP95Seconds,
    build: ({ threshold, for: forDuration }) => {
      const t = required(threshold);
      const length = 5 + minutesOf(forDuration) + 3;
      const slow = bucketAround(t, true);
      const fast = bucketAround(t, false);
      const traffic = (upper: number) => requestSeries(service, { perMinute: busy(red), slowerThan: upper, minutes: length });
      const p95 = series(RECORDED.serviceLatencyQuantile, { service_name: service, quantile: '0.95' });
      return {
        expr: withTraffic(gt(p95, num(t)), service, red.minRequestRate),
        summary: `${service} is slow: p95 latency above ${humanizeDuration(t)}.`,
        description:
          `The 95th percentile of request durations of {{ $labels.service_name }} over the last 5 minutes is ` +
          `{{ $value | humanizeDuration }}, above the ${humanizeDuration(t)} threshold, for more than ${forDuration}.`,
        examples: {
          fires: {
            name: `every request between ${slow.lower}s and ${slow.upper}s`,
            series: traffic(slow.upper),
            evalTime: minutes(length),
            alerts: [{ labels: { service_name: service, quantile: '0.95' }, value: slow.p95 }],
          },
          silent: [
            { name: `every request between ${fast.lower}s and ${fast.upper}s, at most the threshold`, series: traffic(fast.upper), evalTime: minutes(length) },
            ...lowTraffic(service, red, length, { slowerThan: slow.upper }),
          ],
        },
      };
    },
  };
}

interface GaugeAlert {
  readonly alert: 'ServiceMemoryHigh' | 'ServiceEventLoopLagHigh';
  readonly metric: typeof residentMemory | typeof eventLoopLagP99;
  readonly threshold: number;
  readonly for: string;
  readonly format: (v: number) => string;
  readonly what: string;
  readonly consequence: string;
}

function gaugeAlert(service: string, g: GaugeAlert): AlertTemplate {
  return {
    alert: g.alert,
    service,
    labels: { service_name: service },
    severity: 'warning',
    for: g.for,
    threshold: g.threshold,
    build: ({ threshold, for: forDuration }) => {
      const t = Rational.of(required(threshold));
      const length = minutesOf(forDuration) + 3;
      const labels = { job: service, instance: `${service}:8080`, service_name: service };
      const at = (value: Rational) => [input(g.metric.name, labels, gauge({ minutes: length, value }))];
      const high = t.times(2);
      const low = t.div(2);
      return {
        expr: gt(maxBy([SERVICE, 'instance'], series(g.metric, { service_name: service })), num(t)),
        summary: `${service} instance {{ $labels.instance }}: ${g.what} above ${g.format(t.toNumber())}.`,
        description:
          `The ${g.what} of {{ $labels.service_name }} at {{ $labels.instance }} is {{ $value | ${g.format === humanize1024 ? 'humanize1024' : 'humanizeDuration'} }}, ` +
          `above the ${g.format(t.toNumber())} threshold, for more than ${forDuration}. ${g.consequence}`,
        examples: {
          fires: {
            name: `at ${g.format(high.toNumber())} for ${length} minutes`,
            series: at(high),
            evalTime: minutes(length),
            alerts: [{ labels: { service_name: service, instance: labels.instance }, value: high.toNumber() }],
          },
          silent: { name: `at ${g.format(low.toNumber())}, half the threshold`, series: at(low), evalTime: minutes(length) },
        },
      };
    },
  };
}

/**
 * A declared health endpoint (`services[].healthChecks`) failing its probe: probe_success is 0 (no 2xx answer
 * within the timeout) for `red.healthCheckFor`. One alert per failing endpoint (by `health_path` and `instance`).
 */
function healthCheckFailing(service: ServiceSpec, red: RedSpec): AlertTemplate {
  const name = service.name;
  const path = service.healthChecks?.[0]?.path ?? '/health';
  return {
    alert: 'ServiceHealthCheckFailing',
    service: name,
    labels: { service_name: name },
    severity: 'critical',
    for: red.healthCheckFor,
    build: ({ for: forDuration }) => {
      const f = minutesOf(forDuration);
      const labels = { job: 'health-checks', instance: `http://${name}:8080${path}`, service_name: name, health_path: path };
      const probe = (values: string) => [input(blackbox.probeSuccess.name, labels, values)];
      return {
        expr: eqOp(maxBy([SERVICE, 'health_path', 'instance'], series(blackbox.probeSuccess, { service_name: name })), 0),
        summary: `${name}: health check {{ $labels.health_path }} failing.`,
        description:
          `The blackbox exporter's probe of {{ $labels.instance }} has not had a 2xx answer within its timeout for more ` +
          `than ${forDuration}: the endpoint answers an error, hangs or is unreachable. The service reports itself unhealthy.`,
        examples: {
          fires: {
            name: `failing for ${f + 2} minutes`,
            series: probe(gauge({ minutes: 1, value: 1 }, { minutes: f + 2, value: 0 })),
            evalTime: minutes(f + 3),
            alerts: [{ labels: { service_name: name, health_path: path, instance: labels.instance }, value: 0 }],
          },
          silent: { name: 'answering 2xx', series: probe(gauge({ minutes: f + 3, value: 1 })), evalTime: minutes(f + 3) },
        },
      };
    },
  };
}

/** The RED alerts of one service, before overrides. */
export function redTemplates(spec: StackSpec, service: ServiceSpec): AlertTemplate[] {
  const red = redFor(spec, service);
  return [
    serviceDown(
      service,
      red,
      spec.services.filter((s) => s.name !== service.name),
    ),
    errorRatioHigh(service.name, red),
    latencyHigh(service.name, red),
    gaugeAlert(service.name, {
      alert: 'ServiceMemoryHigh',
      metric: residentMemory,
      threshold: red.memoryBytes,
      for: red.memoryFor,
      format: humanize1024,
      what: 'resident memory',
      consequence: 'It may soon be killed for running out of memory (OOM); a steady climb is usually a leak.',
    }),
    gaugeAlert(service.name, {
      alert: 'ServiceEventLoopLagHigh',
      metric: eventLoopLagP99,
      threshold: red.eventLoopLagSeconds,
      for: red.eventLoopLagFor,
      format: humanizeDuration,
      what: 'p99 event-loop delay',
      consequence: 'Every request it handles waits that long on top of its own work: something blocks the event loop.',
    }),
    ...(service.healthChecks?.length ? [healthCheckFailing(service, red)] : []),
  ];
}

/** The recording group, then one alert group per observed service; rendered to dist/rules/services.yaml. */
export function serviceRules(spec: StackSpec): RuleGroup[] {
  return [
    { name: RED_RECORDING_GROUP, rules: redRecordingRules() },
    ...spec.services.map((service) => ({ name: redAlertGroup(service.name), rules: resolveAlerts(redTemplates(spec, service), spec) })),
  ];
}
