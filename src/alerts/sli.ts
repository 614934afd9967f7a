import { bucketSeries, countSeries, mul, or, rate, re, series, sub, sumBy, type Expr, type Matcher, type Selector, type Window } from '../promql/expr';
import { Rational } from '../promql/decimal';
import { leMatcher, openMetricsLe } from '../promql/le';
import { matchingValue, nonMatchingValue } from '../promql/regex-example';
import type { AnyMetricDef } from '../sdk/catalog/define';
import { isLatencySli, type SliMatchers, type SliSpec } from '../spec/types';
import { counterOf, input } from './examples';
import type { ExampleSeries } from './model';

/**
 * SLIs on any counter or histogram of a service's mixins: the total and bad event rates the SLO rules record, and
 * the example series (one instance) their promtool tests feed in. Matchers are regexes matched whole (`=~`).
 */
const SERVICE = 'service_name';

export interface SliModel {
  readonly service: string;
  /** The metric as the service emits it (its buckets come from the service's mixin config). */
  readonly def: AnyMetricDef;
  readonly sli: SliSpec;
}

const matchers = (m: SliMatchers | undefined): Record<string, Matcher> =>
  Object.fromEntries(Object.entries(m ?? {}).map(([label, regex]) => [label, re(regex)]));

/** The event counter: a counter itself, or a histogram's (summary's) `_count`. */
function events(def: AnyMetricDef, m: Record<string, string | Matcher>): Selector {
  return def.type === 'counter' ? series(def as never, m as never) : countSeries(def as never, m as never);
}

const scope = (m: SliModel) => ({ [SERVICE]: m.service, ...matchers(m.sli.total) });

/** All events the SLO counts, per second over `w`, by service. */
export function sliTotalRate(m: SliModel, w: Window): Expr {
  return sumBy([SERVICE], rate(events(m.def, scope(m)), w));
}

/** Bad events per second over `w`, given the recorded total rate of the same window. */
export function sliBadRate(m: SliModel, w: Window, totalRate: Expr): Expr {
  const { sli, def } = m;
  if (isLatencySli(sli)) {
    const fast = sumBy([SERVICE], rate(bucketSeries(def as never, { ...scope(m), le: leMatcher(sli.threshold) } as never), w));
    return sub(totalRate, fast, { on: [SERVICE] });
  }
  if (sli.bad) {
    const bad = sumBy([SERVICE], rate(events(def, { ...scope(m), ...matchers(sli.bad) }), w));
    // No bad series yet means 0 bad events, not an unknown ratio.
    return or(bad, mul(0, totalRate), { on: [SERVICE] });
  }
  const good = sumBy([SERVICE], rate(events(def, { ...scope(m), ...matchers(sli.good) }), w));
  return sub(totalRate, good, { on: [SERVICE] });
}

/** Label values of one example event series: the matchers' examples, and `example` for the other labels. */
function labelsFor(m: SliModel, extra: SliMatchers | undefined, negate: boolean): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const l of m.def.labelNames) labels[l] = 'example';
  for (const [l, r] of Object.entries(m.sli.total ?? {})) labels[l] = matchingValue(r) ?? 'example';
  for (const [l, r] of Object.entries(extra ?? {})) labels[l] = (negate ? nonMatchingValue(r) : matchingValue(r)) ?? 'example';
  return labels;
}

/**
 * The event series of one instance for examples and scenarios: per step, how many good and how many bad events
 * (promtool's notation, one sample a step).
 */
export function sliTraffic(m: SliModel, good: readonly Rational[], bad: readonly Rational[]): ExampleSeries[] {
  const target = { job: m.service, instance: `${m.service}:8080`, service_name: m.service };
  const { sli, def } = m;
  const name = def.type === 'counter' ? def.name : `${def.name}_count`;
  if (isLatencySli(sli)) {
    const labels = { ...target, ...labelsFor(m, undefined, false) };
    const all = good.map((g, i) => g.plus(bad[i]!));
    return [input(name, labels, counterOf(all)), input(`${def.name}_bucket`, { ...labels, le: openMetricsLe(sli.threshold) }, counterOf(good))];
  }
  const badMatchers = sli.bad ?? sli.good;
  const goodLabels = { ...target, ...labelsFor(m, badMatchers, sli.bad !== undefined) };
  const badLabels = { ...target, ...labelsFor(m, badMatchers, sli.bad === undefined) };
  return [input(name, goodLabels, counterOf(good)), input(name, badLabels, counterOf(bad))];
}
