import { Rational } from '../promql/decimal';
import { gt, maxBy, num, series } from '../promql/expr';
import type { AnyMetricDef } from '../sdk/catalog/define';
import type { AlertTemplate } from './define';
import { gauge, input, minutes, minutesOf } from './examples';
import { humanize, humanize1024, humanizeDuration } from './humanize';

/** How a threshold is shown: in the alert's texts and in Prometheus's template function for `$value`. */
const FORMATS = {
  bytes: { format: humanize1024, template: 'humanize1024' },
  seconds: { format: humanizeDuration, template: 'humanizeDuration' },
  count: { format: humanize, template: 'humanize' },
} as const;

const SERVICE = 'service_name';
const required = (value: number | undefined): number => {
  if (value === undefined) throw new Error('threshold missing');
  return value;
};

/** An alert on a per-instance gauge above a threshold (memory, event-loop lag, open files …). */
export interface GaugeAlert {
  readonly alert: string;
  readonly runbook: string;
  /** Checks an override's threshold (the range of the mixin parameter it replaces). */
  readonly thresholdCheck?: (value: number) => string | undefined;
  readonly metric: AnyMetricDef;
  readonly threshold: number;
  readonly for: string;
  readonly unit: keyof typeof FORMATS;
  readonly what: string;
  readonly consequence: string;
}

export function gaugeAlert(service: string, g: GaugeAlert): AlertTemplate {
  const { format } = FORMATS[g.unit];
  return {
    alert: g.alert,
    runbook: g.runbook,
    ...(g.thresholdCheck ? { thresholdCheck: g.thresholdCheck } : {}),
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
        expr: gt(maxBy([SERVICE, 'instance'], series(g.metric as never, { service_name: service } as never)), num(t)),
        summary: `${service} instance {{ $labels.instance }}: ${g.what} above ${format(t.toNumber())}.`,
        description:
          `The ${g.what} of {{ $labels.service_name }} at {{ $labels.instance }} is {{ $value | ${FORMATS[g.unit].template} }}, ` +
          `above the ${format(t.toNumber())} threshold, for more than ${forDuration}. ${g.consequence}`,
        examples: {
          fires: {
            name: `at ${format(high.toNumber())} for ${length} minutes`,
            series: at(high),
            evalTime: minutes(length),
            alerts: [{ labels: { service_name: service, instance: labels.instance }, value: high.toNumber() }],
          },
          silent: { name: `at ${format(low.toNumber())}, half the threshold`, series: at(low), evalTime: minutes(length) },
        },
      };
    },
  };
}

