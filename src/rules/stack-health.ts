import type { StackSpec } from '../spec';
import type { AlertRule, RuleGroup } from './model';

/**
 * Alerts on the observability stack itself: is every target scraped, do rules evaluate, do alerts reach
 * Alertmanager and leave it, does the collector accept and deliver telemetry, and is the whole alerting path
 * alive at all (Watchdog).
 *
 * Metric names are those the pinned versions expose. The collector's own metrics are read through the
 * Prometheus pull reader configured in src/config/otelcol.ts with type suffixes and units on, so its counters
 * end in `_total` (`otelcol_exporter_send_failed_spans_total`). Every stack scrape job carries `service_name`
 * (src/config/prometheus.ts), so aggregations keep it and inhibition can compare it.
 */
export const STACK_HEALTH_GROUP = 'obskit.stack-health';

type AlertDefinition = Omit<AlertRule, 'runbookUrl'>;

/** The collector's three signals, as its internal metrics name them. */
const COLLECTOR_SIGNALS = [
  { metric: 'spans', title: 'Spans', noun: 'spans' },
  { metric: 'metric_points', title: 'MetricPoints', noun: 'metric points' },
  { metric: 'log_records', title: 'LogRecords', noun: 'log records' },
] as const;

const PROMETHEUS_TARGET = { job: 'prometheus', instance: 'prometheus:9090', service_name: 'prometheus' };
const ALERTMANAGER_TARGET = { job: 'alertmanager', instance: 'alertmanager:9093', service_name: 'alertmanager' };
const COLLECTOR_TARGET = { job: 'otel-collector', instance: 'otel-collector:8888', service_name: 'otel-collector' };

/** A series selector for test input: `name{a="1", b="2"}`. */
function series(name: string, labels: Readonly<Record<string, string>>): string {
  const inner = Object.entries(labels)
    .map(([k, v]) => `${k}="${v}"`)
    .join(', ');
  return `${name}{${inner}}`;
}

const watchdog: AlertDefinition = {
  alert: 'Watchdog',
  expr: 'vector(1)',
  severity: 'none',
  summary: 'The alerting pipeline is alive; this alert always fires.',
  description:
    'A dead man\'s switch: Prometheus evaluates rules and delivers this alert to Alertmanager, which sends it to ' +
    'the watchdog receiver. If that receiver stops hearing from it, alerting itself is broken.',
  examples: {
    fires: { name: 'fires with no input at all', series: [], evalTime: '1m', alerts: [{ labels: {} }] },
    silent: { neverSilent: 'it is a dead man\'s switch: it must fire whenever rules are evaluated' },
  },
};

const targetDown: AlertDefinition = {
  alert: 'TargetDown',
  expr: 'up == 0',
  for: '5m',
  severity: 'warning',
  summary: 'Prometheus cannot scrape {{ $labels.job }} at {{ $labels.instance }}.',
  description:
    'The scrape target {{ $labels.instance }} of job {{ $labels.job }} has been down for more than 5 minutes: ' +
    'its metrics are missing, and alerts that depend on them cannot fire.',
  examples: {
    fires: {
      name: 'down for 9 minutes',
      series: [{ series: series('up', { job: 'demo', instance: 'demo:8080', service_name: 'demo' }), values: '1 0x10' }],
      evalTime: '10m',
      alerts: [{ labels: { job: 'demo', instance: 'demo:8080', service_name: 'demo' } }],
    },
    silent: {
      name: 'down for 3 minutes, shorter than `for`',
      series: [{ series: series('up', { job: 'demo', instance: 'demo:8080', service_name: 'demo' }), values: '1x6 0x4' }],
      evalTime: '10m',
    },
  },
};

const ruleEvaluationFailures: AlertDefinition = {
  alert: 'PrometheusRuleEvaluationFailures',
  expr: 'increase(prometheus_rule_evaluation_failures_total[5m]) > 0',
  for: '10m',
  severity: 'critical',
  summary: 'Prometheus {{ $labels.instance }} fails to evaluate rules of group {{ $labels.rule_group }}.',
  description:
    'Rule evaluations in group {{ $labels.rule_group }} have been failing for more than 10 minutes. Alerts and ' +
    'recording rules of that group are not being computed, so alerts that should fire may not.',
  examples: {
    fires: {
      name: 'a failure every minute for 20 minutes',
      series: [
        {
          series: series('prometheus_rule_evaluation_failures_total', { ...PROMETHEUS_TARGET, rule_group: 'stack.yaml;g' }),
          values: '0+1x20',
        },
      ],
      evalTime: '20m',
      alerts: [{ labels: { ...PROMETHEUS_TARGET, rule_group: 'stack.yaml;g' } }],
    },
    silent: {
      name: 'failures that stopped 14 minutes ago',
      series: [
        {
          series: series('prometheus_rule_evaluation_failures_total', { ...PROMETHEUS_TARGET, rule_group: 'stack.yaml;g' }),
          values: '0+1x6 6x14',
        },
      ],
      evalTime: '20m',
    },
  },
};

const notificationsFailing: AlertDefinition = {
  alert: 'PrometheusNotificationsFailing',
  expr: [
    'sum by (job, instance, service_name, alertmanager) (rate(prometheus_notifications_errors_total[5m]))',
    '/',
    'sum by (job, instance, service_name, alertmanager) (rate(prometheus_notifications_sent_total[5m]))',
    '> 0.01',
  ].join('\n'),
  for: '10m',
  severity: 'critical',
  summary: 'Prometheus {{ $labels.instance }} cannot deliver alerts to Alertmanager {{ $labels.alertmanager }}.',
  description:
    '{{ $value | humanizePercentage }} of the alerts Prometheus {{ $labels.instance }} sent to ' +
    '{{ $labels.alertmanager }} over the last 5 minutes failed. Alertmanager is unreachable or rejecting them, ' +
    'so no alert reaches a person.',
  examples: {
    fires: {
      name: 'every send fails (Alertmanager unreachable)',
      series: [
        {
          series: series('prometheus_notifications_errors_total', { ...PROMETHEUS_TARGET, alertmanager: 'http://alertmanager:9093/api/v2/alerts' }),
          values: '0+2x20',
        },
        {
          series: series('prometheus_notifications_sent_total', { ...PROMETHEUS_TARGET, alertmanager: 'http://alertmanager:9093/api/v2/alerts' }),
          values: '0+2x20',
        },
      ],
      evalTime: '20m',
      alerts: [
        {
          labels: { ...PROMETHEUS_TARGET, alertmanager: 'http://alertmanager:9093/api/v2/alerts' },
          description:
            '100% of the alerts Prometheus prometheus:9090 sent to http://alertmanager:9093/api/v2/alerts over ' +
            'the last 5 minutes failed. Alertmanager is unreachable or rejecting them, so no alert reaches a person.',
        },
      ],
    },
    silent: {
      name: '0.5% of sends fail, under the 1% threshold',
      series: [
        {
          series: series('prometheus_notifications_errors_total', { ...PROMETHEUS_TARGET, alertmanager: 'http://alertmanager:9093/api/v2/alerts' }),
          values: '0+1x20',
        },
        {
          series: series('prometheus_notifications_sent_total', { ...PROMETHEUS_TARGET, alertmanager: 'http://alertmanager:9093/api/v2/alerts' }),
          values: '0+200x20',
        },
      ],
      evalTime: '20m',
    },
  },
};

const alertmanagerFailedToSend: AlertDefinition = {
  alert: 'AlertmanagerFailedToSendAlerts',
  expr: [
    'sum by (job, instance, service_name, integration) (rate(alertmanager_notifications_failed_total[5m]))',
    '/',
    'sum by (job, instance, service_name, integration) (rate(alertmanager_notifications_total[5m]))',
    '> 0.01',
  ].join('\n'),
  for: '5m',
  severity: 'warning',
  summary: 'Alertmanager {{ $labels.instance }} fails to send notifications via {{ $labels.integration }}.',
  description:
    '{{ $value | humanizePercentage }} of the {{ $labels.integration }} notifications Alertmanager ' +
    '{{ $labels.instance }} attempted over the last 5 minutes failed; people routed to that integration are not ' +
    'being notified.',
  examples: {
    fires: {
      name: 'half the slack notifications fail',
      series: [
        {
          series: series('alertmanager_notifications_failed_total', { ...ALERTMANAGER_TARGET, integration: 'slack', reason: 'clientError' }),
          values: '0+1x15',
        },
        {
          series: series('alertmanager_notifications_total', { ...ALERTMANAGER_TARGET, integration: 'slack' }),
          values: '0+2x15',
        },
      ],
      evalTime: '15m',
      alerts: [
        {
          labels: { ...ALERTMANAGER_TARGET, integration: 'slack' },
          description:
            '50% of the slack notifications Alertmanager alertmanager:9093 attempted over the last 5 minutes ' +
            'failed; people routed to that integration are not being notified.',
        },
      ],
    },
    silent: {
      name: 'notifications flow and none fail',
      series: [
        {
          series: series('alertmanager_notifications_failed_total', { ...ALERTMANAGER_TARGET, integration: 'slack', reason: 'clientError' }),
          values: '0x15',
        },
        {
          series: series('alertmanager_notifications_total', { ...ALERTMANAGER_TARGET, integration: 'slack' }),
          values: '0+2x15',
        },
      ],
      evalTime: '15m',
    },
  },
};

/**
 * The share of `bad` among `good + bad` per `by`, above 1%: a ratio so that one refused batch in heavy traffic
 * does not page, and so that no traffic at all (0/0) never fires.
 */
function failureRatio(bad: string, good: string, by: string): string {
  const rate = (metric: string) => `sum by (${by}) (rate(${metric}[5m]))`;
  return [rate(bad), '/', `(${rate(good)} + ${rate(bad)})`, '> 0.01'].join('\n');
}

function collectorRefusing(signal: (typeof COLLECTOR_SIGNALS)[number]): AlertDefinition {
  const refused = `otelcol_receiver_refused_${signal.metric}_total`;
  const accepted = `otelcol_receiver_accepted_${signal.metric}_total`;
  const receiver = { ...COLLECTOR_TARGET, receiver: 'otlp' };
  return {
    alert: `OtelCollectorRefusing${signal.title}`,
    expr: failureRatio(refused, accepted, 'job, instance, service_name, receiver'),
    for: '5m',
    severity: 'warning',
    summary: `The collector {{ $labels.instance }} refuses incoming ${signal.noun}.`,
    description:
      `{{ $value | humanizePercentage }} of the ${signal.noun} sent to receiver {{ $labels.receiver }} of ` +
      `{{ $labels.instance }} over the last 5 minutes were refused, usually by the memory limiter under ` +
      `back-pressure. Senders get errors and may drop the data.`,
    examples: {
      fires: {
        name: `a fifth of incoming ${signal.noun} refused`,
        series: [
          { series: series(refused, { ...receiver, transport: 'grpc' }), values: '0+20x15' },
          { series: series(accepted, { ...receiver, transport: 'grpc' }), values: '0+80x15' },
        ],
        evalTime: '15m',
        alerts: [
          {
            labels: receiver,
            description:
              `20% of the ${signal.noun} sent to receiver otlp of otel-collector:8888 over the last 5 minutes ` +
              `were refused, usually by the memory limiter under back-pressure. Senders get errors and may drop the data.`,
          },
        ],
      },
      silent: {
        name: 'one refused item in ten thousand, under the 1% threshold',
        series: [
          { series: series(refused, { ...receiver, transport: 'grpc' }), values: '0+1x15' },
          { series: series(accepted, { ...receiver, transport: 'grpc' }), values: '0+10000x15' },
        ],
        evalTime: '15m',
      },
    },
  };
}

function collectorFailingToSend(signal: (typeof COLLECTOR_SIGNALS)[number]): AlertDefinition {
  const failed = `otelcol_exporter_send_failed_${signal.metric}_total`;
  const sent = `otelcol_exporter_sent_${signal.metric}_total`;
  const exporter = { ...COLLECTOR_TARGET, exporter: 'otlp_http/backend' };
  return {
    alert: `OtelCollectorFailingToSend${signal.title}`,
    expr: failureRatio(failed, sent, 'job, instance, service_name, exporter'),
    for: '10m',
    severity: 'warning',
    summary: `The collector {{ $labels.instance }} fails to export ${signal.noun} via {{ $labels.exporter }}.`,
    description:
      `{{ $value | humanizePercentage }} of the ${signal.noun} exporter {{ $labels.exporter }} of ` +
      `{{ $labels.instance }} tried to send over the last 5 minutes failed after retries. That data is lost ` +
      `unless the backend recovers before the sending queue fills.`,
    examples: {
      fires: {
        name: 'every export fails (backend down)',
        series: [
          { series: series(failed, exporter), values: '0+50x20' },
          { series: series(sent, exporter), values: '0x20' },
        ],
        evalTime: '20m',
        alerts: [
          {
            labels: exporter,
            description:
              `100% of the ${signal.noun} exporter otlp_http/backend of otel-collector:8888 tried to send over ` +
              `the last 5 minutes failed after retries. That data is lost unless the backend recovers before the ` +
              `sending queue fills.`,
          },
        ],
      },
      silent: {
        name: 'failing for the last 7 minutes, shorter than `for`',
        series: [
          { series: series(failed, exporter), values: '0x12 50+50x8' },
          { series: series(sent, exporter), values: '0+50x12 600x8' },
        ],
        evalTime: '20m',
      },
    },
  };
}

/** Rules that watch the stack obskit deploys; rendered to dist/rules/stack-health.yaml. */
export function stackHealthRules(spec: StackSpec): RuleGroup[] {
  const definitions: AlertDefinition[] = [
    watchdog,
    targetDown,
    ruleEvaluationFailures,
    notificationsFailing,
    alertmanagerFailedToSend,
    ...COLLECTOR_SIGNALS.map(collectorRefusing),
    ...COLLECTOR_SIGNALS.map(collectorFailingToSend),
  ];
  const base = spec.alerting.runbookBaseUrl;
  return [
    {
      name: STACK_HEALTH_GROUP,
      rules: definitions.map((d) => ({ ...d, runbookUrl: `${base}/${d.alert}.md` })),
    },
  ];
}
