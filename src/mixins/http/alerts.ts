import { Rational } from '../../promql/decimal';
import { and, ge, gt, mul, num, series, type Expr } from '../../promql/expr';
import { openMetricsLe } from '../../promql/le';
import type { AlertBody, AlertTemplate, ResolvedParams } from '../../alerts/define';
import { bucketAround, counter, input, minutes, minutesOf } from '../../alerts/examples';
import { humanizeDuration, humanizePercentage } from '../../alerts/humanize';
import { lowTrafficGuard, OUTAGE_EVIDENCE } from '../../alerts/low-traffic';
import type { ExampleSeries, Scenario, SilentExample } from '../../alerts/model';
import type { AlertContext } from '../../mixin';
import { checkHttpConfig, httpParams, type HttpConfig } from './config';
import { httpServerRequestDuration } from './metrics';
import { HTTP_RECORDED as RECORDED } from './recorded';

/**
 * RED alerts: ServiceErrorRatioHigh and ServiceLatencyHigh, written once for a class of services (shared.ts): each
 * service's threshold is a recorded series (`…:threshold{service_name, class}`), the alert compares with it
 * `on (service_name)`. What cannot be data — `for`, severity, labels, the `minRequestRate` guard — makes the class.
 * Quiet under `minRequestRate`. Each carries the promtool examples that test it, on the class's first service.
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
function withTraffic(condition: Expr, minRequestRate: number): Expr {
  return and(condition, ge(series(RECORDED.serviceRequestRate), num(minRequestRate)), { on: [SERVICE] });
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
function errorRatioGuard(minRequestRate: number): Expr {
  return lowTrafficGuard({
    requests: series(RECORDED.serviceRequestRate),
    minRequests: minRequestRate,
    badEvents: mul(series(RECORDED.serviceErrorRate), WINDOW_SECONDS),
    badShare: series(RECORDED.serviceErrorRatio),
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

/** One service of a class, with its threshold (after overrides). */
export interface HttpAlertMember {
  readonly service: string;
  readonly config: HttpConfig;
  readonly threshold: number;
}

/** Services whose alert of one kind is one rule: same `for`, severity, labels and guard; thresholds are data. */
export interface HttpAlertClass {
  readonly id: string;
  readonly params: ResolvedParams;
  readonly minRequestRate: number;
  readonly members: readonly HttpAlertMember[];
}

/** The threshold of the alerting service, read in an alert text: `{{ … }}` querying its recorded threshold. */
const recordedThreshold = (name: string, humanize: string) =>
  `{{ with printf "${name}{service_name=%q}" $labels.service_name | query }}{{ . | first | value | ${humanize} }}{{ end }}`;

/** `value > on (service_name) group_left threshold{class}`: each service against its own threshold. */
const aboveThreshold = (value: Expr, threshold: typeof RECORDED.errorRatioThreshold | typeof RECORDED.latencyThreshold, cls: HttpAlertClass) =>
  gt(value, series(threshold, { class: cls.id }), { on: [SERVICE], groupLeft: [] });

const errorRatioTexts = (service: string, value: string, threshold: string, forDuration: string | undefined) => ({
  summary: `${service} answers too many requests with a server error.`,
  description:
    `${value} of the requests to ${service} over the last 5 minutes were ` +
    `answered with a 5xx status, above the ${threshold} threshold, for more than ${forDuration}.`,
});

/** ServiceErrorRatioHigh of a class: the expression, texts, and examples on its first service. */
export function errorRatioBody(cls: HttpAlertClass): AlertBody {
  const { service, config: red, threshold } = cls.members[0]!;
  const forDuration = cls.params.for;
  const t = Rational.of(threshold);
  const length = 5 + minutesOf(forDuration) + 3;
  const firing = t.times(2).gt(1) ? Rational.of(1) : t.times(2);
  const quiet = t.div(2);
  const traffic = (errors: Rational) => requestSeries(service, red.buckets, { perMinute: busy(red), errors, minutes: length });
  return {
    expr: and(aboveThreshold(series(RECORDED.serviceErrorRatio), RECORDED.errorRatioThreshold, cls), errorRatioGuard(cls.minRequestRate)),
    ...errorRatioTexts(
      '{{ $labels.service_name }}',
      '{{ $value | humanizePercentage }}',
      recordedThreshold(RECORDED.errorRatioThreshold.name, 'humanizePercentage'),
      forDuration,
    ),
    examples: {
      fires: {
        name: `${humanizePercentage(firing.toNumber())} of requests fail`,
        series: traffic(firing),
        evalTime: minutes(length),
        alerts: [
          {
            labels: { service_name: service },
            value: firing.toNumber(),
            ...errorRatioTexts(service, humanizePercentage(firing.toNumber()), humanizePercentage(t.toNumber()), forDuration),
          },
        ],
      },
      silent: [
        { name: `${humanizePercentage(quiet.toNumber())} of requests fail, under the threshold`, series: traffic(quiet), evalTime: minutes(length) },
        ...fewFailures(service, red, t, length),
      ],
      scenarios: lowTrafficOutage(service, red, length),
    },
  };
}

const latencyTexts = (service: string, value: string, threshold: string, forDuration: string | undefined) => ({
  summary: `${service} is slow: p95 latency above ${threshold}.`,
  description:
    `The 95th percentile of request durations of ${service} over the last 5 minutes is ` +
    `${value}, above the ${threshold} threshold, for more than ${forDuration}.`,
});

/** ServiceLatencyHigh of a class: the expression, texts, and examples on its first service. */
export function latencyBody(cls: HttpAlertClass): AlertBody {
  const { service, config: red, threshold: t } = cls.members[0]!;
  const forDuration = cls.params.for;
  const length = 5 + minutesOf(forDuration) + 3;
  const slow = bucketAround(red.buckets, t, true);
  const fast = bucketAround(red.buckets, t, false);
  const traffic = (upper: number) => requestSeries(service, red.buckets, { perMinute: busy(red), slowerThan: upper, minutes: length });
  const p95 = series(RECORDED.serviceLatencyQuantile, { quantile: '0.95' });
  return {
    expr: withTraffic(aboveThreshold(p95, RECORDED.latencyThreshold, cls), cls.minRequestRate),
    ...latencyTexts(
      '{{ $labels.service_name }}',
      '{{ $value | humanizeDuration }}',
      recordedThreshold(RECORDED.latencyThreshold.name, 'humanizeDuration'),
      forDuration,
    ),
    examples: {
      fires: {
        name: `every request between ${slow.lower}s and ${slow.upper}s`,
        series: traffic(slow.upper),
        evalTime: minutes(length),
        alerts: [
          {
            labels: { service_name: service, quantile: '0.95' },
            value: slow.p95,
            ...latencyTexts(service, humanizeDuration(slow.p95), humanizeDuration(t), forDuration),
          },
        ],
      },
      silent: [
        { name: `every request between ${fast.lower}s and ${fast.upper}s, at most the threshold`, series: traffic(fast.upper), evalTime: minutes(length) },
        ...lowTraffic(service, red, length, { slowerThan: slow.upper }),
      ],
    },
  };
}

/** A class of one service, before overrides: what an override's threshold and `for` are tried on. */
const alone = (service: string, red: HttpConfig, threshold: number | undefined, forDuration: string | undefined): HttpAlertClass => ({
  id: 'alone',
  params: { severity: 'warning', for: forDuration as never, threshold, labels: {} },
  minRequestRate: red.minRequestRate,
  members: [{ service, config: red, threshold: required(threshold) }],
});

/** The per-service templates: what overrides address (and validation checks); rules are built per class (shared.ts). */
function errorRatioHigh(service: string, red: HttpConfig): AlertTemplate {
  return {
    alert: 'ServiceErrorRatioHigh',
    runbook: 'ServiceErrorRatioHigh.md',
    thresholdCheck: httpParams.errorRatio.check,
    service,
    severity: 'warning',
    for: red.errorRatioFor,
    threshold: red.errorRatio,
    build: ({ threshold, for: forDuration }) => errorRatioBody(alone(service, red, threshold, forDuration)),
  };
}

function latencyHigh(service: string, red: HttpConfig): AlertTemplate {
  return {
    alert: 'ServiceLatencyHigh',
    runbook: 'ServiceLatencyHigh.md',
    thresholdCheck: (v) => httpParams.latencyP95Seconds.check(v) ?? checkHttpConfig({ ...red, latencyP95Seconds: v })[0]?.[1],
    service,
    severity: 'warning',
    for: red.latencyFor,
    threshold: red.latencyP95Seconds,
    build: ({ threshold, for: forDuration }) => latencyBody(alone(service, red, threshold, forDuration)),
  };
}

/** The alert templates of the service listing http(). */
export function httpAlerts({ service, config }: AlertContext<HttpConfig>): AlertTemplate[] {
  if (!service) throw new Error('http is a service mixin');
  return [errorRatioHigh(service.name, config), latencyHigh(service.name, config)];
}
