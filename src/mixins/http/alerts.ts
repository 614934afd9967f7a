import { Rational } from '../../promql/decimal';
import { and, ge, gt, mul, num, series, type Expr } from '../../promql/expr';
import { openMetricsLe } from '../../promql/le';
import type { AlertBody, AlertParams, AlertTemplate } from '../../alerts/define';
import { bucketAround, counter, input, minutes, minutesOf } from '../../alerts/examples';
import { humanizeDuration, humanizePercentage } from '../../alerts/humanize';
import { lowTrafficGuard, OUTAGE_EVIDENCE } from '../../alerts/low-traffic';
import type { ExampleSeries, Scenario, SilentExample } from '../../alerts/model';
import type { AlertContext } from '../../mixin';
import { checkHttpConfig, httpParams, type HttpConfig } from './config';
import { httpServerRequestDuration } from './metrics';
import { HTTP_RECORDED as RECORDED } from './recorded';

/**
 * RED alerts of one service: ServiceErrorRatioHigh and ServiceLatencyHigh, with thresholds and `for`s from the
 * service's http() config, quiet under `minRequestRate`. Each carries the promtool examples that test it.
 */
const SERVICE = 'service_name';
const WINDOW_SECONDS = 300;

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
function requestSeries(service: string, buckets: readonly number[], t: Traffic): ExampleSeries[] {
  const target = { job: service, instance: `${service}:8080`, service_name: service };
  const labels = (code: string) => ({ ...target, http_request_method: 'GET', http_route: '/orders', http_response_status_code: code });
  const errorShare = t.errors ?? Rational.of(0);
  const bad = errorShare.times(t.perMinute);
  const good = Rational.of(t.perMinute).minus(bad);
  const name = httpServerRequestDuration.name;
  const out = [input(`${name}_count`, labels('200'), counter({ minutes: t.minutes, perMinute: good }))];
  if (bad.gt(0)) out.push(input(`${name}_count`, labels('500'), counter({ minutes: t.minutes, perMinute: bad })));
  const upper = t.slowerThan ?? buckets[0]!;
  for (const bound of [...buckets, Infinity]) {
    const perMinute = bound >= upper ? t.perMinute : 0;
    out.push(input(`${name}_bucket`, { ...labels('200'), le: openMetricsLe(bound) }, counter({ minutes: t.minutes, perMinute })));
  }
  return out;
}

// -------------------------------------------------------------------------------------- alerts

/** `condition and on (service_name) requests >= minimum`: too little traffic says nothing about errors or latency. */
function withTraffic(condition: Expr, service: string, minRequestRate: number): Expr {
  return and(condition, ge(series(RECORDED.serviceRequestRate, { service_name: service }), num(minRequestRate)), { on: [SERVICE] });
}

/** Requests per minute for examples: plenty above the low-traffic guard. */
const busy = (red: HttpConfig) => Math.max(600, Math.ceil(red.minRequestRate * 60 * 4));

/** A low-traffic silent example, unless the guard is off. */
function lowTraffic(service: string, red: HttpConfig, length: number, traffic: Omit<Traffic, 'perMinute' | 'minutes'>): SilentExample[] {
  if (red.minRequestRate <= 0) return [];
  const perMinute = Rational.of(red.minRequestRate).times(60).div(4).toNumber();
  return [
    {
      name: `as bad, but only ${perMinute} requests a minute, under the ${red.minRequestRate}/s low-traffic guard`,
      series: requestSeries(service, red.buckets, { ...traffic, perMinute, minutes: length }),
      evalTime: minutes(length),
    },
  ];
}

/**
 * ServiceErrorRatioHigh's guard: enough requests (`minRequestRate`), or an outage plain in the 5m window itself —
 * at least OUTAGE_EVIDENCE.minBadEvents failures, and at least its badShare of the requests failing (the same rule
 * as the SLO alerts', see src/alerts/low-traffic.ts). Needs about one request a minute and a half; below that the
 * SLO page does.
 */
function errorRatioGuard(service: string, red: HttpConfig): Expr {
  const matchers = { service_name: service };
  return lowTrafficGuard({
    requests: series(RECORDED.serviceRequestRate, matchers),
    minRequests: red.minRequestRate,
    badEvents: mul(series(RECORDED.serviceErrorRate, matchers), WINDOW_SECONDS),
    badShare: series(RECORDED.serviceErrorRatio, matchers),
  });
}

/** Few requests, only minBadEvents − 1 of them failing in 5 minutes: a ratio over the threshold that proves nothing. */
function fewFailures(service: string, red: HttpConfig, threshold: Rational, length: number): SilentExample[] {
  if (red.minRequestRate <= 0) return [];
  const perMinute = Rational.of(red.minRequestRate).times(60).div(4);
  const failuresPerMinute = Rational.ratio(OUTAGE_EVIDENCE.minBadEvents - 1, 5);
  const share = failuresPerMinute.gt(perMinute) ? Rational.of(1) : failuresPerMinute.div(perMinute);
  if (!share.gt(threshold)) return [];
  return [
    {
      name: `${perMinute} requests a minute (under the ${red.minRequestRate}/s guard), ${OUTAGE_EVIDENCE.minBadEvents - 1} failures in 5 minutes`,
      series: requestSeries(service, red.buckets, { perMinute: perMinute.toNumber(), errors: share, minutes: length }),
      evalTime: minutes(length),
    },
  ];
}

/** Every request failing at half the guard's request rate: an outage, which fires however little the traffic. */
function lowTrafficOutage(service: string, red: HttpConfig, length: number): Scenario[] {
  const perMinute = Rational.of(red.minRequestRate).times(60).div(2);
  if (red.minRequestRate <= 0 || perMinute.times(5).lt(OUTAGE_EVIDENCE.minBadEvents)) return [];
  return [
    {
      name: `every request failing at ${perMinute} requests a minute, under the ${red.minRequestRate}/s guard`,
      series: requestSeries(service, red.buckets, { perMinute: perMinute.toNumber(), errors: Rational.of(1), minutes: length }),
      labels: { service_name: service },
      checks: [{ until: minutes(length), episodes: 1 }],
    },
  ];
}

function errorRatioHigh(service: string, red: HttpConfig): AlertTemplate {
  return {
    alert: 'ServiceErrorRatioHigh',
    runbook: 'ServiceErrorRatioHigh.md',
    thresholdCheck: httpParams.errorRatio.check,
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
      const traffic = (errors: Rational) => requestSeries(service, red.buckets, { perMinute: busy(red), errors, minutes: length });
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

function latencyHigh(service: string, red: HttpConfig): AlertTemplate {
  return {
    alert: 'ServiceLatencyHigh',
    runbook: 'ServiceLatencyHigh.md',
    thresholdCheck: (v) => httpParams.latencyP95Seconds.check(v) ?? checkHttpConfig({ ...red, latencyP95Seconds: v })[0]?.[1],
    service,
    labels: { service_name: service },
    severity: 'warning',
    for: red.latencyFor,
    threshold: red.latencyP95Seconds,
    build: ({ threshold, for: forDuration }) => {
      const t = required(threshold);
      const length = 5 + minutesOf(forDuration) + 3;
      const slow = bucketAround(red.buckets, t, true);
      const fast = bucketAround(red.buckets, t, false);
      const traffic = (upper: number) => requestSeries(service, red.buckets, { perMinute: busy(red), slowerThan: upper, minutes: length });
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

/** The alerts of the service listing http(). */
export function httpAlerts({ service, config }: AlertContext<HttpConfig>): AlertTemplate[] {
  if (!service) throw new Error('http is a service mixin');
  return [errorRatioHigh(service.name, config), latencyHigh(service.name, config)];
}
