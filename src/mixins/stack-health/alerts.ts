import type { AnyMetricDef } from '../../sdk/catalog/define';
import { alertmanager, loki, prometheus, tempo } from './metrics';
import { COLLECTOR_SIGNALS } from './metrics/collector';
import { Rational } from '../../promql/decimal';
import { add, div, eqOp, gt, increase, num, rate, series, sumBy, vector, type Expr } from '../../promql/expr';
import { type AlertBody, type AlertParams, type AlertTemplate } from '../../alerts/define';
import { counter, gauge, input, minutes, minutesOf } from '../../alerts/examples';
import { humanizePercentage } from '../../alerts/humanize';

/**
 * Alerts on the observability stack itself: is every target scraped, do rules evaluate, do alerts reach
 * Alertmanager and leave it, do the collector, Loki and Tempo accept and deliver telemetry, and is the whole
 * alerting path alive at all (Watchdog).
 *
 * Every metric comes from the stack catalogs (./metrics), which hold the names the pinned versions
 * expose. Every stack scrape job carries `service_name` (src/config/prometheus.ts), so aggregations keep it and
 * Alertmanager's inhibition can compare it. Thresholds and `for` durations are defaults an override may change;
 * the examples (and so the generated promtool tests) follow them.
 */
export const STACK_HEALTH_GROUP = 'obskit.stack-health';

/** The rate window of every ratio alert here. */
const WINDOW = '5m';
const WINDOW_MINUTES = 5;

const PROMETHEUS_TARGET = { job: 'prometheus', instance: 'prometheus:9090', service_name: 'prometheus' };
const ALERTMANAGER_TARGET = { job: 'alertmanager', instance: 'alertmanager:9093', service_name: 'alertmanager' };
const COLLECTOR_TARGET = { job: 'otel-collector', instance: 'otel-collector:8888', service_name: 'otel-collector' };
const LOKI_TARGET = { job: 'loki', instance: 'loki:3100', service_name: 'loki' };
const TEMPO_TARGET = { job: 'tempo', instance: 'tempo:3200', service_name: 'tempo' };

const required = (value: number | undefined, alert: string): number => {
  if (value === undefined) throw new Error(`${alert}: no threshold`);
  return value;
};

// ------------------------------------------------------------------------------------------ ratio alerts

/** A ratio threshold is strictly between 0 and 1. */
const ratioCheck = (v: number) => (v > 0 && v < 1 ? undefined : `compares a ratio: must be between 0 and 1 (exclusive), got ${v}`);

interface RatioAlert {
  readonly alert: string;
  readonly severity: 'critical' | 'warning';
  readonly for: string;
  readonly threshold: number;
  /** The failures. */
  readonly bad: AnyMetricDef & { readonly type: 'counter' };
  /** `total`: the denominator counts every attempt; `good`: it counts successes only (ratio bad / (good + bad)). */
  readonly of: { readonly total: AnyMetricDef & { readonly type: 'counter' } } | { readonly good: AnyMetricDef & { readonly type: 'counter' } };
  readonly by: readonly string[];
  /** Labels of the example series (the bad series may add some, such as `reason`). */
  readonly exampleLabels: Readonly<Record<string, string>>;
  readonly badExtraLabels?: Readonly<Record<string, string>>;
  /** The labels the alert fires with in the examples. */
  readonly alertLabels: Readonly<Record<string, string>>;
  readonly summary: string;
  /** The description, given the threshold and `for` as text; may use `{{ $value | humanizePercentage }}`. */
  readonly description: (threshold: string, forText: string) => string;
  /** What a failure is, for example names: "sends fail". */
  readonly failing: string;
}

/** `sum by (…) (rate(bad)) / sum by (…) (rate(total)) > t`, or `/ (rate(good) + rate(bad))`, with examples either side of t. */
function ratioAlert(a: RatioAlert): AlertTemplate {
  const rateOf = (def: AnyMetricDef & { readonly type: 'counter' }): Expr => sumBy(a.by, rate(series(def), WINDOW));
  const denominator = 'total' in a.of ? rateOf(a.of.total) : add(rateOf(a.of.good), rateOf(a.bad));
  const build = ({ threshold, for: forDuration }: AlertParams): AlertBody => {
    const t = Rational.of(required(threshold, a.alert));
    const length = WINDOW_MINUTES + minutesOf(forDuration) + 3;
    const perMinute = 100;
    const timeline = (share: Rational) => {
      const badPerMinute = share.times(perMinute);
      const other = 'total' in a.of ? perMinute : Rational.of(perMinute).minus(badPerMinute);
      const otherDef = 'total' in a.of ? a.of.total : a.of.good;
      return [
        input(a.bad.name, { ...a.exampleLabels, ...a.badExtraLabels }, counter({ minutes: length, perMinute: badPerMinute })),
        input(otherDef.name, a.exampleLabels, counter({ minutes: length, perMinute: other })),
      ];
    };
    const firing = Rational.of(1).compare(t.times(2)) < 0 ? Rational.of(1) : t.times(2);
    const quiet = t.div(2);
    const thresholdText = humanizePercentage(t.toNumber());
    return {
      expr: gt(div(rateOf(a.bad), denominator), num(t)),
      summary: a.summary,
      description: a.description(thresholdText, forDuration ?? '0s'),
      examples: {
        fires: {
          name: `${humanizePercentage(firing.toNumber())} of ${a.failing} for ${length}m`,
          series: timeline(firing),
          evalTime: minutes(length),
          alerts: [{ labels: a.alertLabels, value: firing.toNumber() }],
        },
        silent: {
          name: `${humanizePercentage(quiet.toNumber())} of ${a.failing}, under the ${thresholdText} threshold`,
          series: timeline(quiet),
          evalTime: minutes(length),
        },
      },
    };
  };
  return { alert: a.alert, runbook: `${a.alert}.md`, thresholdCheck: ratioCheck, severity: a.severity, for: a.for, threshold: a.threshold, build };
}

// ------------------------------------------------------------------------------------------ the alerts

const watchdog: AlertTemplate = {
  alert: 'Watchdog',
  runbook: 'Watchdog.md',
  severity: 'none',
  build: ({ for: forDuration }) => ({
    expr: vector(1),
    summary: 'The alerting pipeline is alive; this alert always fires.',
    description:
      "A dead man's switch: Prometheus evaluates rules and delivers this alert to Alertmanager, which sends it to " +
      'the watchdog receiver. If that receiver stops hearing from it, alerting itself is broken.',
    examples: {
      fires: { name: 'fires with no input at all', series: [], evalTime: minutes(minutesOf(forDuration) + 1), alerts: [{ labels: {} }] },
      silent: { neverSilent: "it is a dead man's switch: it must fire whenever rules are evaluated" },
    },
  }),
};

const DEMO_TARGET = { job: 'demo', instance: 'demo:8080', service_name: 'demo' };

const targetDown: AlertTemplate = {
  alert: 'TargetDown',
  runbook: 'TargetDown.md',
  severity: 'warning',
  for: '5m',
  build: ({ for: forDuration }) => {
    const f = minutesOf(forDuration);
    const down = (n: number) => [input(prometheus.up.name, DEMO_TARGET, gauge({ minutes: 1, value: 1 }, { minutes: n, value: 0 }))];
    return {
      expr: eqOp(series(prometheus.up), 0),
      summary: 'Prometheus cannot scrape {{ $labels.job }} at {{ $labels.instance }}.',
      description:
        `The scrape target {{ $labels.instance }} of job {{ $labels.job }} has been down for more than ${forDuration}: ` +
        'its metrics are missing, and alerts that depend on them cannot fire.',
      examples: {
        fires: { name: `down for ${f + 1} minutes`, series: down(f + 2), evalTime: minutes(f + 3), alerts: [{ labels: DEMO_TARGET }] },
        silent: { name: `down for ${Math.max(f - 1, 0)} minutes, shorter than \`for\``, series: down(f), evalTime: minutes(f + 1) },
      },
    };
  },
};

const ruleEvaluationFailures: AlertTemplate = {
  alert: 'PrometheusRuleEvaluationFailures',
  runbook: 'PrometheusRuleEvaluationFailures.md',
  severity: 'critical',
  for: '10m',
  build: ({ for: forDuration }) => {
    const labels = { ...PROMETHEUS_TARGET, rule_group: '/etc/prometheus/rules/stack-health.yaml;g' };
    const length = WINDOW_MINUTES + minutesOf(forDuration) + 3;
    return {
      expr: gt(increase(series(prometheus.ruleEvaluationFailures), WINDOW), 0),
      summary: 'Prometheus {{ $labels.instance }} fails to evaluate rules of group {{ $labels.rule_group }}.',
      description:
        `Rule evaluations in group {{ $labels.rule_group }} have been failing for more than ${forDuration}. Alerts and ` +
        'recording rules of that group are not being computed, so alerts that should fire may not.',
      examples: {
        fires: {
          name: `a failure every minute for ${length} minutes`,
          series: [input(prometheus.ruleEvaluationFailures.name, labels, counter({ minutes: length, perMinute: 1 }))],
          evalTime: minutes(length),
          alerts: [{ labels }],
        },
        silent: {
          name: 'failures that stopped 7 minutes ago',
          series: [input(prometheus.ruleEvaluationFailures.name, labels, counter({ minutes: length, perMinute: 1 }, { minutes: 7, perMinute: 0 }))],
          evalTime: minutes(length + 7),
        },
      },
    };
  },
};

const ALERTMANAGER_URL = 'http://alertmanager:9093/api/v2/alerts';

const notificationsFailing = ratioAlert({
  alert: 'PrometheusNotificationsFailing',
  severity: 'critical',
  for: '10m',
  threshold: 0.01,
  bad: prometheus.notificationsErrors,
  // In Prometheus 3.15 sent_total counts only delivered alerts; failed ones count in errors_total alone.
  of: { good: prometheus.notificationsSent },
  by: ['job', 'instance', 'service_name', 'alertmanager'],
  exampleLabels: { ...PROMETHEUS_TARGET, alertmanager: ALERTMANAGER_URL },
  alertLabels: { ...PROMETHEUS_TARGET, alertmanager: ALERTMANAGER_URL },
  summary: 'Prometheus {{ $labels.instance }} cannot deliver alerts to Alertmanager {{ $labels.alertmanager }}.',
  description: (t) =>
    '{{ $value | humanizePercentage }} of the alerts Prometheus {{ $labels.instance }} sent to ' +
    `{{ $labels.alertmanager }} over the last 5 minutes failed (threshold ${t}). Alertmanager is unreachable or ` +
    'rejecting them, so no alert reaches a person.',
  failing: 'sends failing',
});

const alertmanagerFailedToSend = ratioAlert({
  alert: 'AlertmanagerFailedToSendAlerts',
  severity: 'warning',
  for: '5m',
  threshold: 0.01,
  bad: alertmanager.notificationsFailed,
  // notifications_total counts every attempt, failed or not.
  of: { total: alertmanager.notifications },
  by: ['job', 'instance', 'service_name', 'integration'],
  exampleLabels: { ...ALERTMANAGER_TARGET, integration: 'slack' },
  badExtraLabels: { reason: 'clientError' },
  alertLabels: { ...ALERTMANAGER_TARGET, integration: 'slack' },
  summary: 'Alertmanager {{ $labels.instance }} fails to send notifications via {{ $labels.integration }}.',
  description: (t) =>
    '{{ $value | humanizePercentage }} of the {{ $labels.integration }} notifications Alertmanager ' +
    `{{ $labels.instance }} attempted over the last 5 minutes failed (threshold ${t}); people routed to that ` +
    'integration are not being notified.',
  failing: 'notifications failing',
});

type Signal = (typeof COLLECTOR_SIGNALS)[keyof typeof COLLECTOR_SIGNALS];

function collectorRefusing(signal: Signal): AlertTemplate {
  const receiver = { ...COLLECTOR_TARGET, receiver: 'otlp' };
  return ratioAlert({
    alert: `OtelCollectorRefusing${signal.title}`,
    severity: 'warning',
    for: '5m',
    threshold: 0.01,
    bad: signal.refused,
    of: { good: signal.accepted },
    by: ['job', 'instance', 'service_name', 'receiver'],
    exampleLabels: { ...receiver, transport: 'grpc' },
    alertLabels: receiver,
    summary: `The collector {{ $labels.instance }} refuses incoming ${signal.noun}.`,
    description: (t) =>
      `{{ $value | humanizePercentage }} of the ${signal.noun} sent to receiver {{ $labels.receiver }} of ` +
      `{{ $labels.instance }} over the last 5 minutes were refused (threshold ${t}), usually by the memory limiter ` +
      'under back-pressure. Senders get errors and may drop the data.',
    failing: `incoming ${signal.noun} refused`,
  });
}

function collectorFailingToSend(signal: Signal): AlertTemplate {
  const exporter = { ...COLLECTOR_TARGET, exporter: 'otlp_http/loki' };
  return ratioAlert({
    alert: `OtelCollectorFailingToSend${signal.title}`,
    severity: 'warning',
    for: '10m',
    threshold: 0.01,
    bad: signal.sendFailed,
    of: { good: signal.sent },
    by: ['job', 'instance', 'service_name', 'exporter'],
    exampleLabels: { ...exporter, server_address: 'loki', server_port: '3100' },
    alertLabels: exporter,
    summary: `The collector {{ $labels.instance }} fails to export ${signal.noun} via {{ $labels.exporter }}.`,
    description: (t) =>
      `{{ $value | humanizePercentage }} of the ${signal.noun} exporter {{ $labels.exporter }} of ` +
      `{{ $labels.instance }} tried to send over the last 5 minutes failed after retries (threshold ${t}). That data ` +
      'is lost unless the backend recovers before the sending queue fills.',
    failing: `${signal.noun} failing to export`,
  });
}

const lokiDiscarding = ratioAlert({
  alert: 'LokiDiscardingLogLines',
  severity: 'warning',
  for: '10m',
  threshold: 0.01,
  bad: loki.discardedSamples,
  // Lines are counted as received when the push is parsed, before validation and rate limits discard any.
  of: { total: loki.distributorLinesReceived },
  by: ['job', 'instance', 'service_name'],
  exampleLabels: { ...LOKI_TARGET, tenant: 'fake' },
  badExtraLabels: { reason: 'rate_limited' },
  alertLabels: LOKI_TARGET,
  summary: 'Loki {{ $labels.instance }} discards incoming log lines.',
  description: (t) =>
    '{{ $value | humanizePercentage }} of the log lines Loki {{ $labels.instance }} received over the last 5 minutes ' +
    `were discarded (threshold ${t}): rate limits, lines too long or too old, or too many streams. Those logs are lost.`,
  failing: 'lines discarded',
});

const tempoDiscarding = ratioAlert({
  alert: 'TempoDiscardingSpans',
  severity: 'warning',
  for: '10m',
  threshold: 0.01,
  bad: tempo.discardedSpans,
  // Rate-limited pushes may be discarded before they count as received: then the ratio exceeds 100%.
  of: { total: tempo.distributorSpansReceived },
  by: ['job', 'instance', 'service_name'],
  exampleLabels: { ...TEMPO_TARGET, tenant: 'single-tenant' },
  badExtraLabels: { reason: 'rate_limited' },
  alertLabels: TEMPO_TARGET,
  summary: 'Tempo {{ $labels.instance }} discards incoming spans.',
  description: (t) =>
    '{{ $value | humanizePercentage }} of the spans Tempo {{ $labels.instance }} received over the last 5 minutes ' +
    `were discarded (threshold ${t}): rate limits, traces too large, or too many live traces. Those spans are lost.`,
  failing: 'spans discarded',
});

/** The stack-health alerts before overrides, in order. */
export function stackHealthTemplates(): AlertTemplate[] {
  const signals = Object.values(COLLECTOR_SIGNALS);
  return [
    watchdog,
    targetDown,
    ruleEvaluationFailures,
    notificationsFailing,
    alertmanagerFailedToSend,
    ...signals.map(collectorRefusing),
    ...signals.map(collectorFailingToSend),
    lokiDiscarding,
    tempoDiscarding,
  ];
}

