import { add, bucketSeries, countSeries, mul, or, rate, re, series, sub, sumBy, type Expr, type Matcher, type Selector, type Window } from '../promql/expr';
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
  /** The metric counting bad events, for an SLI with `badMetric`. */
  readonly badDef?: AnyMetricDef;
  readonly sli: SliSpec;
}

const matchers = (m: SliMatchers | undefined): Record<string, Matcher> =>
  Object.fromEntries(Object.entries(m ?? {}).map(([label, regex]) => [label, re(regex)]));

/** The event counter: a counter itself, or a histogram's (summary's) `_count`. */
function events(def: AnyMetricDef, m: Record<string, string | Matcher>): Selector {
  return def.type === 'counter' ? series(def as never, m as never) : countSeries(def as never, m as never);
}

const scope = (m: SliModel) => ({ [SERVICE]: m.service, ...matchers(m.sli.total) });

const ON_SERVICE = { on: [SERVICE] };

/** Per-service events per second over `w` of the SLI's `badMetric`, when it has one. */
function separateBad(m: SliModel, w: Window): Expr | undefined {
  const { sli, badDef } = m;
  if (isLatencySli(sli) || !sli.badMetric || !badDef) return undefined;
  return sumBy([SERVICE], rate(events(badDef, { [SERVICE]: m.service, ...matchers(sli.badMetric.matchers) }), w));
}

/** All events the SLO counts, per second over `w`, by service. */
export function sliTotalRate(m: SliModel, w: Window): Expr {
  const counted = sumBy([SERVICE], rate(events(m.def, scope(m)), w));
  const bad = separateBad(m, w);
  if (!bad || isLatencySli(m.sli) || m.sli.badMetric?.inTotal) return counted;
  // Good and bad events counted apart: either side may have no series yet (all requests failing is the case that
  // matters most), and a missing side is 0, not an unknown total.
  return add(or(counted, mul(0, bad), ON_SERVICE), or(bad, mul(0, counted), ON_SERVICE), ON_SERVICE);
}

/** Bad events per second over `w`, given the recorded total rate of the same window. */
export function sliBadRate(m: SliModel, w: Window, totalRate: Expr): Expr {
  const { sli, def } = m;
  if (isLatencySli(sli)) {
    const fast = sumBy([SERVICE], rate(bucketSeries(def as never, { ...scope(m), le: leMatcher(sli.threshold) } as never), w));
    return sub(totalRate, fast, ON_SERVICE);
  }
  const counted = separateBad(m, w) ?? (sli.bad ? sumBy([SERVICE], rate(events(def, { ...scope(m), ...matchers(sli.bad) }), w)) : undefined);
  // No bad series yet means 0 bad events, not an unknown ratio.
  if (counted) return or(counted, mul(0, totalRate), ON_SERVICE);
  const good = sumBy([SERVICE], rate(events(def, { ...scope(m), ...matchers(sli.good) }), w));
  return sub(totalRate, good, ON_SERVICE);
}

/** Label values of one example event series: the matchers' examples, and `example` for the other labels. */
function labelsFor(def: AnyMetricDef, matched: readonly (SliMatchers | undefined)[], extra: SliMatchers | undefined, negate: boolean) {
  const labels: Record<string, string> = {};
  for (const l of def.labelNames) labels[l] = 'example';
  for (const m of matched) for (const [l, r] of Object.entries(m ?? {})) labels[l] = matchingValue(r) ?? 'example';
  for (const [l, r] of Object.entries(extra ?? {})) labels[l] = (negate ? nonMatchingValue(r) : matchingValue(r)) ?? 'example';
  return labels;
}

const eventSeriesName = (def: AnyMetricDef) => (def.type === 'counter' ? def.name : `${def.name}_count`);

/**
 * The event series of one instance for examples and scenarios: per step, how many good and how many bad events
 * (promtool's notation, one sample a step).
 */
export function sliTraffic(m: SliModel, good: readonly Rational[], bad: readonly Rational[]): ExampleSeries[] {
  const target = { job: m.service, instance: `${m.service}:8080`, service_name: m.service };
  const { sli, def, badDef } = m;
  const name = eventSeriesName(def);
  const all = good.map((g, i) => g.plus(bad[i]!));
  if (isLatencySli(sli)) {
    const labels = { ...target, ...labelsFor(def, [sli.total], undefined, false) };
    return [input(name, labels, counterOf(all)), input(`${def.name}_bucket`, { ...labels, le: openMetricsLe(sli.threshold) }, counterOf(good))];
  }
  if (sli.badMetric && badDef) {
    return [
      input(name, { ...target, ...labelsFor(def, [sli.total], undefined, false) }, counterOf(sli.badMetric.inTotal ? all : good)),
      input(eventSeriesName(badDef), { ...target, ...labelsFor(badDef, [sli.badMetric.matchers], undefined, false) }, counterOf(bad)),
    ];
  }
  const badMatchers = sli.bad ?? sli.good;
  const goodLabels = { ...target, ...labelsFor(def, [sli.total], badMatchers, sli.bad !== undefined) };
  const badLabels = { ...target, ...labelsFor(def, [sli.total], badMatchers, sli.bad === undefined) };
  return [input(name, goodLabels, counterOf(good)), input(name, badLabels, counterOf(bad))];
}
