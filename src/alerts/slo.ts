import { errorBudget, Rational } from '../promql/decimal';
import { and, avgOverTime, div, duration, gt, mul, num, or, series, sub, vector, type Expr } from '../promql/expr';
import { RECORDED, SLO_WINDOWS, type SloWindow } from '../promql/recorded';
import { serviceMetrics } from '../mixin/compose';
import { DEFAULT_SLO_MIN_REQUESTS } from '../spec/defaults';
import { parsePrometheusDuration } from '../spec/duration';
import { isLatencySli, type ServiceSpec, type SloSpec, type StackSpec } from '../spec/types';
import { resolveAlerts, type AlertTemplate } from './define';
import { minutes, minutesOf } from './examples';
import { goG4, humanizePercentage } from './humanize';
import { lowTrafficGuard, OUTAGE_EVIDENCE } from './low-traffic';
import type { RecordingRule, RuleGroup, SilentExample } from './model';
import { sliBadRate, sliTotalRate, type SliModel } from './sli';
import { BURN_RATE_TIERS, burnRateFactor, burnRateTiers, tierPolicies, type BurnRatePolicy, type BurnRateTier } from './slo-policy';
import { withScenarios } from './slo-scenarios';
import { constant, traffic } from './slo-traffic';

/**
 * SLOs with multi-window multi-burn-rate alerts, one rule group per service and SLO (dist/rules/slo.yaml).
 *
 * Per window (5m … 3d) the bad-event rate and the total rate are recorded separately, from raw counters, and the
 * error ratio of a window is the quotient of those two: a ratio of sums, never an average of ratios. Over the whole
 * period the ratio is the time-average of the 5m bad rate over the time-average of the 5m total rate (both
 * weighted equally, so again a ratio of sums), which keeps a 30d window affordable. Two burn-rate alerts per SLO,
 * the page (ErrorBudgetBurnFast) and the ticket (ErrorBudgetBurnSlow), each `or` over its tier's window pairs; a
 * pair compares the ratios of its two windows with `factor × budget` (src/alerts/slo-policy.ts) and needs
 * `minRequests` requests in the long window, or an outage's evidence (src/alerts/low-traffic.ts).
 *
 * The SLI is any counter or histogram of the service's mixins (src/alerts/sli.ts): bad events match `bad`, or do
 * not match `good`, or (latency) are all events minus the bucket `le=threshold` (checked to be a bucket).
 */
export const sloGroup = (service: string, slo: string) => `obskit.slo.${service}.${slo}`;

const ms = (d: string) => parsePrometheusDuration(d) ?? 0;
const seconds = (w: string) => ms(w) / 1000;

/** Everything the rules of one SLO need, derived once. */
export interface SloModel {
  readonly service: string;
  readonly slo: SloSpec;
  readonly budget: Rational;
  readonly minRequests: number;
  readonly labels: { readonly service_name: string; readonly slo: string };
  readonly sli: SliModel;
}

export function sloModel(spec: StackSpec, service: ServiceSpec, slo: SloSpec): SloModel {
  const metrics = serviceMetrics(spec, service);
  const defined = (name: string) => {
    const def = metrics.get(name);
    if (!def) throw new Error(`SLO ${service.name}/${slo.name}: no mixin of the service defines ${name}`);
    return def;
  };
  const { sli } = slo;
  const badDef = !isLatencySli(sli) && sli.badMetric ? defined(sli.badMetric.metric) : undefined;
  return {
    sli: { service: service.name, def: defined(sli.metric), ...(badDef ? { badDef } : {}), sli },
    service: service.name,
    slo,
    budget: errorBudget(slo.objective),
    minRequests: slo.minRequests ?? DEFAULT_SLO_MIN_REQUESTS,
    labels: { service_name: service.name, slo: slo.name },
  };
}

/** The recording rules of one SLO: per-window rates and ratios, burn rates, period ratio, budget and objective. */
export function sloRecordingRules(m: SloModel): RecordingRule[] {
  const { labels } = m;
  const total = (w: SloWindow) => sliTotalRate(m.sli, w);
  const bad = (w: SloWindow) => sliBadRate(m.sli, w, series(RECORDED.sloRequestRate[w], labels));
  const rule = (record: string, expr: Expr): RecordingRule => ({ record, expr, labels: { ...labels } });
  const period = duration(m.slo.period);
  return [
    ...SLO_WINDOWS.flatMap((w) => [
      rule(RECORDED.sloRequestRate[w].name, total(w)),
      rule(RECORDED.sloErrorRate[w].name, bad(w)),
      rule(RECORDED.sloErrorRatio[w].name, div(series(RECORDED.sloErrorRate[w], labels), series(RECORDED.sloRequestRate[w], labels))),
      rule(RECORDED.sloBurnRate[w].name, div(series(RECORDED.sloErrorRatio[w], labels), num(m.budget))),
    ]),
    rule(
      RECORDED.sloErrorRatioPeriod.name,
      div(avgOverTime(series(RECORDED.sloErrorRate['5m'], labels), period), avgOverTime(series(RECORDED.sloRequestRate['5m'], labels), period)),
    ),
    rule(RECORDED.sloErrorBudgetRemaining.name, sub(1, div(series(RECORDED.sloErrorRatioPeriod, labels), num(m.budget)))),
    rule(RECORDED.sloObjective.name, vector(Rational.of(m.slo.objective).div(100))),
    rule(RECORDED.sloErrorBudget.name, vector(m.budget)),
  ];
}

// ------------------------------------------------------------------------------------------ alerts

/** The steepest (highest) and the gentlest threshold among the window pairs of a tier. */
function tierThresholds(m: SloModel, policies: readonly BurnRatePolicy[]): { steepest: Rational; gentlest: Rational } {
  const thresholds = policies.map((p) => burnRateFactor(p, m.slo.period).times(m.budget));
  return {
    steepest: thresholds.reduce((a, b) => (b.gt(a) ? b : a)),
    gentlest: thresholds.reduce((a, b) => (b.lt(a) ? b : a)),
  };
}

/**
 * One window pair: both windows above `factor × budget`, and the long window holds enough evidence (enough
 * requests, or an outage: see lowTrafficGuard). Its value is the long window's error ratio.
 */
export function windowPairExpr(m: SloModel, policy: BurnRatePolicy): Expr {
  const threshold = burnRateFactor(policy, m.slo.period).times(m.budget);
  const { labels } = m;
  const ratio = (w: SloWindow) => series(RECORDED.sloErrorRatio[w], labels);
  const inLongWindow = (rateOf: typeof RECORDED.sloRequestRate | typeof RECORDED.sloErrorRate) =>
    mul(series(rateOf[policy.long], labels), seconds(policy.long));
  return and(
    and(gt(ratio(policy.long), num(threshold)), gt(ratio(policy.short), num(threshold))),
    lowTrafficGuard({
      requests: inLongWindow(RECORDED.sloRequestRate),
      minRequests: m.minRequests,
      badEvents: inLongWindow(RECORDED.sloErrorRate),
      badShare: ratio(policy.short),
    }),
  );
}

/** A tier's alert expression: its window pairs joined by `or`, so the tier is one alert however many pairs see it. */
export function tierExpr(m: SloModel, tier: BurnRateTier): Expr {
  return tierPolicies(tier)
    .map((p) => windowPairExpr(m, p))
    .reduce((a, b) => or(a, b));
}

function burnRateAlert(m: SloModel, tier: BurnRateTier): AlertTemplate {
  const policies = tierPolicies(tier);
  const { steepest, gentlest } = tierThresholds(m, policies);
  const { labels } = m;
  const sli = m.slo.sli;
  const eventsNoun = sli.events ?? 'events';
  const badEvents = sli.badEvents ?? (isLatencySli(sli) ? `took longer than ${sli.threshold}` : 'were bad');
  const pairsText = policies
    .map((p) => {
      const factor = burnRateFactor(p, m.slo.period);
      return `${p.long} and ${p.short} above ${humanizePercentage(factor.times(m.budget).toNumber())} (×${goG4(factor.toNumber())}: ${humanizePercentage(p.budgetSpent)} of the budget in ${p.long})`;
    })
    .join(', or ');
  const longestShort = policies.map((p) => p.short).reduce((a, b) => (seconds(b) > seconds(a) ? b : a));
  const { alert, severity } = BURN_RATE_TIERS[tier];
  return {
    alert,
    runbook: `${alert}.md`,
    service: m.service,
    slo: m.slo.name,
    severity,
    // Also set by the expression; as static labels they keep promtool's duplicate-rule lint quiet across groups.
    labels,
    build: ({ for: forDuration }) => {
      // Slow alerts need hours of input: sample (and evaluate) those every 5m rather than every minute.
      const step = Math.min(...policies.map((p) => minutesOf(p.short))) >= 60 ? 5 : 1;
      const interval = `${step}m`;
      const steps = (mins: number) => Math.ceil(mins / step);
      const at = (n: number) => minutes(n * step);
      const firing = steepest.times(2).gt(1) ? Rational.of(1) : steepest.times(2);
      // Enough requests that every long window holds several times minRequests, whatever the timeline's length.
      const perStepFor = (n: number) => Rational.of(Math.max(100, Math.ceil((4 * m.minRequests) / n)));
      const steady = (share: Rational, n: number) => traffic(m, constant(n, perStepFor(n), share));
      const length = steps(minutesOf(forDuration)) + 4;
      const silent: SilentExample[] = [
        {
          name: `${humanizePercentage(gentlest.div(2).toNumber())} bad, half the lowest threshold`,
          series: steady(gentlest.div(2), length),
          evalTime: at(length),
          interval,
        },
      ];
      // Burned long enough to show in the long windows, then stopped: the clean short windows keep it silent.
      const clean = steps(minutesOf(longestShort)) + 2;
      const k = firing.lt(1) ? 2 : Math.ceil(steepest.div(Rational.of(1).minus(steepest)).toNumber()) + 1;
      const burned = Math.max(k * clean, length);
      const perStep = perStepFor(burned + clean);
      silent.push({
        name: `burned for ${burned * step} minutes, stopped ${clean * step} minutes ago (every short window is clean)`,
        series: traffic(m, [...constant(burned, perStep, firing), ...constant(clean, perStep, Rational.of(0))]),
        evalTime: at(burned + clean),
        interval,
      });
      if (m.minRequests > 0) {
        const few = OUTAGE_EVIDENCE.minBadEvents - 1;
        silent.push({
          name: `every request bad, but only ${few} of them: under ${m.minRequests} requests and ${OUTAGE_EVIDENCE.minBadEvents} bad events`,
          series: traffic(m, constant(length, Rational.ratio(few, length), Rational.of(1))),
          evalTime: at(length),
          interval,
        });
      }
      return {
        expr: tierExpr(m, tier),
        summary: `${m.service} is burning its ${m.slo.name} error budget ${tier === 'page' ? 'fast' : 'steadily'}.`,
        description:
          `{{ $value | humanizePercentage }} of the ${eventsNoun} of {{ $labels.service_name }} ${badEvents} over the long window ` +
          `of the first of these that holds: ${pairsText}. The ${m.slo.objective}% / ${m.slo.period} SLO "{{ $labels.slo }}" ` +
          `allows ${m.budget} bad.`,
        examples: {
          fires: {
            name: `${humanizePercentage(firing.toNumber())} bad for ${length * step} minutes`,
            series: steady(firing, length),
            evalTime: at(length),
            interval,
            alerts: [{ labels: { ...labels }, value: firing.toNumber() }],
          },
          silent,
        },
      };
    },
  };
}

/** The burn-rate alerts of one SLO (one per tier), before overrides. */
export function sloAlertTemplates(m: SloModel): AlertTemplate[] {
  return burnRateTiers().map((tier) => burnRateAlert(m, tier));
}

/** One group per service and SLO: recording rules first, then the alerts that read them (with their scenarios). */
export function sloRules(spec: StackSpec): RuleGroup[] {
  return spec.services.flatMap((service) =>
    (service.slos ?? []).map((slo) => {
      const m = sloModel(spec, service, slo);
      const rules = [...sloRecordingRules(m), ...withScenarios(m, resolveAlerts(sloAlertTemplates(m), spec))];
      return { name: sloGroup(service.name, slo.name), rules, selfContained: true };
    }),
  );
}
