import { errorBudget, Rational } from '../promql/decimal';
import { and, avgOverTime, div, duration, ge, gt, mul, num, series, sub, vector, type Expr } from '../promql/expr';
import { RECORDED, SLO_WINDOWS, type SloWindow } from '../promql/recorded';
import { serviceMetrics } from '../mixin/compose';
import { DEFAULT_SLO_MIN_REQUESTS } from '../spec/defaults';
import { parsePrometheusDuration } from '../spec/duration';
import { isLatencySli, type ServiceSpec, type SloSpec, type StackSpec } from '../spec/types';
import { resolveAlerts, type AlertTemplate } from './define';
import { minutes, minutesOf } from './examples';
import { goG4, humanizePercentage } from './humanize';
import type { ExampleSeries, RecordingRule, RuleGroup, SilentExample } from './model';
import { sliBadRate, sliTotalRate, sliTraffic, type SliModel } from './sli';
import { BURN_RATE_POLICY, burnRateFactor, type BurnRatePolicy } from './slo-policy';

/**
 * SLOs with multi-window multi-burn-rate alerts, one rule group per service and SLO (dist/rules/slo.yaml).
 *
 * Per window (5m … 3d) the bad-event rate and the total rate are recorded separately, from raw counters, and the
 * error ratio of a window is the quotient of those two: a ratio of sums, never an average of ratios. Over the whole
 * period the ratio is the time-average of the 5m bad rate over the time-average of the 5m total rate (both
 * weighted equally, so again a ratio of sums), which keeps a 30d window affordable. Burn-rate alerts compare the
 * ratios of their two windows with `factor × budget` (src/alerts/slo-policy.ts) and need `minRequests` requests in
 * the long window.
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
  const def = serviceMetrics(spec, service).get(slo.sli.metric);
  if (!def) throw new Error(`SLO ${service.name}/${slo.name}: no mixin of the service defines ${slo.sli.metric}`);
  return {
    sli: { service: service.name, def, sli: slo.sli },
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

// ------------------------------------------------------------------------------------------ examples

/** Event series of one instance, one sample per step: `perStep` events a step, `badShare` of them bad. */
function traffic(m: SloModel, perStep: Rational, segments: readonly { steps: number; badShare: Rational }[]): ExampleSeries[] {
  const bad = segments.map((s) => ({ minutes: s.steps, perMinute: s.badShare.times(perStep) }));
  const good = segments.map((s) => ({ minutes: s.steps, perMinute: perStep.minus(s.badShare.times(perStep)) }));
  return sliTraffic(m.sli, good, bad);
}

function burnRateAlert(m: SloModel, policy: BurnRatePolicy): AlertTemplate {
  const factor = burnRateFactor(policy, m.slo.period);
  const threshold = factor.times(m.budget);
  const { labels } = m;
  const ratio = (w: SloWindow) => series(RECORDED.sloErrorRatio[w], labels);
  const requestsInLongWindow = mul(series(RECORDED.sloRequestRate[policy.long], labels), seconds(policy.long));
  const expr = and(
    and(gt(ratio(policy.long), num(threshold)), gt(ratio(policy.short), num(threshold))),
    ge(requestsInLongWindow, m.minRequests),
  );
  const sli = m.slo.sli;
  const eventsNoun = sli.events ?? 'events';
  const badEvents = sli.badEvents ?? (isLatencySli(sli) ? `took longer than ${sli.threshold}` : 'were bad');
  const spent = humanizePercentage(policy.budgetSpent);
  return {
    alert: policy.alert,
    runbook: `${policy.alert}.md`,
    service: m.service,
    slo: m.slo.name,
    severity: policy.severity,
    for: policy.for,
    // Also set by the expression; as static labels they keep promtool's duplicate-rule lint quiet across groups.
    labels,
    build: ({ for: forDuration }) => {
      // Slow alerts need hours of input: sample (and evaluate) those every 5m rather than every minute.
      const step = minutesOf(policy.short) >= 60 ? 5 : 1;
      const interval = `${step}m`;
      const steps = (mins: number) => Math.ceil(mins / step);
      const at = (n: number) => minutes(n * step);
      const firing = threshold.times(2).gt(1) ? Rational.of(1) : threshold.times(2);
      // Enough requests that the long window holds several times minRequests, whatever the timeline's length.
      const perStepFor = (n: number) => Rational.of(Math.max(100, Math.ceil((4 * m.minRequests) / n)));
      const steady = (share: Rational, n: number) => traffic(m, perStepFor(n), [{ steps: n, badShare: share }]);
      const length = steps(minutesOf(forDuration)) + 4;
      const silent: SilentExample[] = [
        {
          name: `${humanizePercentage(threshold.div(2).toNumber())} bad, half the threshold`,
          series: steady(threshold.div(2), length),
          evalTime: at(length),
          interval,
        },
      ];
      // Burned long enough to show in the long window, then stopped: the clean short window keeps it silent.
      const clean = steps(minutesOf(policy.short)) + 2;
      const k = firing.lt(1) ? 2 : Math.ceil(threshold.div(Rational.of(1).minus(threshold)).toNumber()) + 1;
      const burned = Math.max(k * clean, length);
      if ((burned + clean) * step <= minutesOf(policy.long)) {
        silent.push({
          name: `burned for ${burned * step} minutes, stopped ${clean * step} minutes ago (the ${policy.short} window is clean)`,
          series: traffic(m, perStepFor(burned + clean), [
            { steps: burned, badShare: firing },
            { steps: clean, badShare: Rational.of(0) },
          ]),
          evalTime: at(burned + clean),
          interval,
        });
      }
      if (m.minRequests > 0) {
        // A round number of requests per step, under a quarter of minRequests over the whole timeline.
        const few = Rational.ratio(Math.max(1, Math.floor((m.minRequests * 1000) / (4 * length))), 1000);
        silent.push({
          name: `every request bad, but only ${few} per ${interval}: under ${m.minRequests} requests in ${policy.long}`,
          series: traffic(m, few, [{ steps: length, badShare: Rational.of(1) }]),
          evalTime: at(length),
          interval,
        });
      }
      return {
        expr,
        summary: `${m.service} is burning its ${m.slo.name} error budget: burn rate over ${goG4(factor.toNumber())} for ${policy.long}.`,
        description:
          `{{ $value | humanizePercentage }} of the ${eventsNoun} of {{ $labels.service_name }} ${badEvents} over the last ` +
          `${policy.long}, and more than ${humanizePercentage(threshold.toNumber())} over the last ${policy.short} too. ` +
          `The ${m.slo.objective}% / ${m.slo.period} SLO "{{ $labels.slo }}" allows ${m.budget} bad; burning ${goG4(factor.toNumber())} times ` +
          `that fast spends ${spent} of the ${m.slo.period} error budget within ${policy.long}.`,
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

/** The burn-rate alerts of one SLO, before overrides. */
export function sloAlertTemplates(m: SloModel): AlertTemplate[] {
  return BURN_RATE_POLICY.map((policy) => burnRateAlert(m, policy));
}

/** One group per service and SLO: recording rules first, then the alerts that read them. */
export function sloRules(spec: StackSpec): RuleGroup[] {
  return spec.services.flatMap((service) =>
    (service.slos ?? []).map((slo) => {
      const m = sloModel(spec, service, slo);
      return { name: sloGroup(service.name, slo.name), rules: [...sloRecordingRules(m), ...resolveAlerts(sloAlertTemplates(m), spec)] };
    }),
  );
}
