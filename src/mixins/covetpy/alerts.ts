import type { AlertBody, AlertTemplate } from '../../alerts/define';
import { gauge, input, minutes, minutesOf } from '../../alerts/examples';
import { SCRAPE_SERIES } from '../../promql/builtin';
import { Rational } from '../../promql/decimal';
import { gt, maxBy, num, series } from '../../promql/expr';
import type { AlertContext } from '../../mixin';
import { covetpyParams, type CovetpyConfig } from './config';

/**
 * The ADR's cardinality guidance (`max_cardinality: 10000`) as an alert: a scrape of the service brings more than
 * `cardinalityWarnRatio` of the budget. Ours; the ADR names no alert ("SLO-based alerts" come from the spec's SLOs).
 */
function cardinalityHigh(service: string, c: CovetpyConfig): AlertTemplate {
  const budget = Rational.of(c.maxCardinality);
  return {
    alert: 'CovetPyCardinalityHigh',
    runbook: 'CovetPyCardinalityHigh.md',
    thresholdCheck: covetpyParams.cardinalityWarnRatio.check,
    service,
    labels: { service_name: service },
    severity: 'warning',
    for: c.cardinalityFor,
    threshold: c.cardinalityWarnRatio,
    build: ({ threshold, for: forDuration }): AlertBody => {
      if (threshold === undefined) throw new Error('threshold missing');
      const limit = budget.times(threshold);
      const length = minutesOf(forDuration) + 3;
      const target = { job: service, instance: `${service}:8000`, service_name: service };
      const at = (v: Rational) => [input(SCRAPE_SERIES.samplesPostRelabeling.name, target, gauge({ minutes: length, value: v }))];
      const high = limit.plus(budget.minus(limit).div(2));
      return {
        expr: gt(maxBy(['service_name', 'instance'], series(SCRAPE_SERIES.samplesPostRelabeling, { job: service })), num(limit)),
        summary: `${service} instance {{ $labels.instance }} exposes more than ${limit} series.`,
        description:
          `A scrape of {{ $labels.instance }} brought {{ $value | humanize }} samples, above ${limit} ` +
          `(${Rational.of(threshold).times(100)}% of the ${budget}-series budget, CovetPy's max_cardinality) for more than ${forDuration}.`,
        examples: {
          fires: { name: `${high} series`, series: at(high), evalTime: minutes(length), alerts: [{ labels: { service_name: service, instance: target.instance }, value: high.toNumber() }] },
          silent: { name: `${limit.div(2)} series`, series: at(limit.div(2)), evalTime: minutes(length) },
        },
      };
    },
  };
}

export function covetpyAlerts({ service, config }: AlertContext<CovetpyConfig>): AlertTemplate[] {
  if (!service) throw new Error('covetpy is a service mixin');
  return [cardinalityHigh(service.name, config)];
}
