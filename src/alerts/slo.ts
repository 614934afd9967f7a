import { createHash } from 'node:crypto';
import { errorBudget, Rational } from '../promql/decimal';
import { add, and, div, duration, gt, maxBy, mul, num, or, re, series, sub, sumOverTime, vector, type Expr, type Matcher } from '../promql/expr';
import { oneOf } from '../promql/regex';
import { RECORDED, SLO_BASE_WINDOW, SLO_WINDOWS, type SloWindow } from '../promql/recorded';
import { serviceMetrics } from '../mixin/compose';
import { DEFAULT_SLO_MIN_REQUESTS } from '../spec/defaults';
import { parsePrometheusDuration } from '../spec/duration';
import { isLatencySli, type Duration, type ServiceSpec, type SloSpec, type StackSpec } from '../spec/types';
import { resolveParams, runbookUrl, type AlertBody, type AlertTemplate, type ResolvedParams } from './define';
import { minutes, minutesOf } from './examples';
import { goG4, humanizePercentage } from './humanize';
import { lowTrafficGuard, OUTAGE_EVIDENCE } from './low-traffic';
import type { AlertRule, ExampleSeries, RecordingRule, RuleGroup, SilentExample } from './model';
import { sliBadRate, sliTotalRate, type SliModel } from './sli';
import { BURN_RATE_TIERS, burnRateFactor, burnRateTiers, tierPolicies, type BurnRatePolicy, type BurnRateTier } from './slo-policy';
import { withScenarios } from './slo-scenarios';
import { constant, traffic } from './slo-traffic';

/**
 * SLOs with multi-window multi-burn-rate alerts (dist/rules/slo.yaml), at a small, flat cost per SLO.
 *
 * Per SLO, in its service's group (`obskit.slo.<service>`), only what cannot be shared: the SLI's total and bad event
 * rates over the base window (5m), from raw counters (src/alerts/sli.ts), and its parameters as data: the error budget,
 * labelled with the SLO's alerting class (one period each) and the words its alert texts use (the objective is 1 − budget).
 *
 * Everything else is written once for all SLOs, aggregating by `service_name` and `slo`. Every SLO group is evaluated
 * every minute (SLO_INTERVAL), so a window of w holds w / 1m samples of the 5m rates, and their sum divided by that
 * count is the window's rate: each event is in five 5m rates and counts 5 × 1/300 × 60 = once, a stretch without
 * data counts as no events (as rate() over raw counters would), and a window's error ratio is a ratio of sums —
 * numerator and denominator alike, a busy hour weighing more than a quiet one — never an average of ratios. (An
 * avg_over_time would be the same ratio, but a window only partly filled would count its events as if the whole
 * window had them, and the low-traffic guard counts events.) Burn rates divide by the recorded budget; the period
 * ratio is the sum over the period. The alerts (`obskit.slo.alerts`) compare each window's ratio with
 * `factor × budget` of the same SLO (`on (service_name, slo)`).
 *
 * What a rule cannot take as data — the period (a range is a literal), the low-traffic guard's `minRequests`, and what
 * overrides set (severity, `for`, labels, disabled) — makes an SLO's alerting class: one page and one ticket per
 * class, scoped by the `slo_alerts` label of the budget. Without overrides, every SLO of a period is one class.
 */
export const SLO_GROUPS = { windows: 'obskit.slo.windows', alerts: 'obskit.slo.alerts' } as const;
export const sloServiceGroup = (service: string) => `obskit.slo.${service}`;

const SLO_LABELS = ['service_name', 'slo'] as const;
/** The budget's labels an alert copies, for its texts (`{{ $labels.slo_objective }}`). */
const TEXT_LABELS = ['slo_objective', 'slo_events', 'slo_bad_events'] as const;
const BASE: SloWindow = SLO_BASE_WINDOW;
/** The evaluation interval of every SLO group: the spacing of the 5m rates the windows sum up. */
export const SLO_INTERVAL = '1m';
const perWindow = (w: string) => ms(w) / ms(SLO_INTERVAL);

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

/** The words an SLO's alert texts use, as labels of its budget (and so of its alerts). */
export function sloTextLabels(m: SloModel): Record<(typeof TEXT_LABELS)[number], string> {
  const sli = m.slo.sli;
  return {
    slo_objective: `${m.slo.objective}%`,
    slo_events: sli.events ?? 'events',
    slo_bad_events: sli.badEvents ?? (isLatencySli(sli) ? `took longer than ${sli.threshold}` : 'were bad'),
  };
}

// ------------------------------------------------------------------------------------------ classes

/**
 * SLOs whose burn-rate alerts can be one rule: same period, same `minRequests`, same overrides' outcome per tier (a
 * tier absent is disabled). `id` is the period for the default class of a period, else the period and a hash.
 */
export interface SloClass {
  readonly id: string;
  readonly period: Duration;
  readonly minRequests: number;
  readonly tiers: Readonly<Partial<Record<BurnRateTier, ResolvedParams>>>;
  readonly members: readonly SloModel[];
}

/** The alert of one tier for one SLO, for override matching (and validation); its body is that SLO's class alone. */
function tierTemplate(m: SloModel, tier: BurnRateTier): AlertTemplate {
  const { alert, severity } = BURN_RATE_TIERS[tier];
  return {
    alert,
    runbook: `${alert}.md`,
    service: m.service,
    slo: m.slo.name,
    severity,
    build: ({ for: forDuration }) => burnRateBody({ id: m.slo.period, period: m.slo.period, minRequests: m.minRequests, tiers: {}, members: [m] }, tier, forDuration),
  };
}

const isDefaultTier = (tier: BurnRateTier, p: ResolvedParams | undefined) =>
  p !== undefined && p.severity === BURN_RATE_TIERS[tier].severity && p.for === undefined && Object.keys(p.labels).length === 0;

/** The SLOs of a spec by alerting class, in spec order (of each class's first SLO). */
export function sloClasses(spec: StackSpec): SloClass[] {
  const classes = new Map<string, { period: Duration; minRequests: number; tiers: SloClass['tiers']; members: SloModel[] }>();
  for (const service of spec.services) {
    for (const slo of service.slos ?? []) {
      const m = sloModel(spec, service, slo);
      const tiers = Object.fromEntries(burnRateTiers().flatMap((t) => {
        const params = resolveParams(tierTemplate(m, t), spec);
        return params ? [[t, params]] : [];
      })) as SloClass['tiers'];
      const key = JSON.stringify([slo.period, m.minRequests, tiers]);
      const found = classes.get(key) ?? { period: slo.period, minRequests: m.minRequests, tiers, members: [] };
      found.members.push(m);
      classes.set(key, found);
    }
  }
  return [...classes].map(([key, c]) => {
    const plain = c.minRequests === DEFAULT_SLO_MIN_REQUESTS && burnRateTiers().every((t) => isDefaultTier(t, c.tiers[t]));
    const id = plain ? c.period : `${c.period}-${createHash('sha256').update(key).digest('hex').slice(0, 8)}`;
    return { id, ...c };
  });
}

// ------------------------------------------------------------------------------------------ recording rules

/** One SLO's own rules: the base window's total and bad rates, and the budget (with its parameters). */
export function sloBaseRules(m: SloModel, cls: SloClass): RecordingRule[] {
  const total = series(RECORDED.sloRequestRate[BASE], m.labels);
  const parameters = { ...m.labels, slo_alerts: cls.id, ...sloTextLabels(m) };
  return [
    // service_name comes from the expression; as a static label too it keeps promtool's duplicate-rule lint quiet.
    { record: RECORDED.sloRequestRate[BASE].name, expr: sliTotalRate(m.sli, BASE), labels: { ...m.labels } },
    { record: RECORDED.sloErrorRate[BASE].name, expr: sliBadRate(m.sli, BASE, total), labels: { ...m.labels } },
    { record: RECORDED.sloErrorBudget.name, expr: vector(m.budget), labels: parameters },
  ];
}

const budget = (matchers?: { slo_alerts?: string | Matcher }) => series(RECORDED.sloErrorBudget, matchers);

/** The budgets of every SLO of a period: those of its classes (a class has one period). */
const budgetsOfPeriod = (classes: readonly SloClass[], period: Duration) =>
  budget({ slo_alerts: re(oneOf(classes.filter((c) => c.period === period).map((c) => c.id))) });

/**
 * The rules every SLO shares: the objective (1 − budget, its SLO labels only), longer windows, ratios, burn rates,
 * the period ratio per period, the budget left.
 */
export function sloWindowRules(classes: readonly SloClass[]): RecordingRule[] {
  const periods = [...new Set(classes.map((c) => c.period))];
  const rule = (record: string, expr: Expr, labels?: Record<string, string>): RecordingRule => ({ record, expr, ...(labels ? { labels } : {}) });
  const on = { on: SLO_LABELS };
  const summed = (rate: typeof RECORDED.sloRequestRate | typeof RECORDED.sloErrorRate, w: string) => sumOverTime(series(rate[BASE]), duration(w));
  return [
    rule(RECORDED.sloObjective.name, sub(1, maxBy(SLO_LABELS, budget()))),
    ...SLO_WINDOWS.filter((w) => w !== BASE).flatMap((w) => [
      rule(RECORDED.sloRequestRate[w].name, div(summed(RECORDED.sloRequestRate, w), perWindow(w))),
      rule(RECORDED.sloErrorRate[w].name, div(summed(RECORDED.sloErrorRate, w), perWindow(w))),
    ]),
    ...SLO_WINDOWS.flatMap((w) => [
      rule(RECORDED.sloErrorRatio[w].name, div(series(RECORDED.sloErrorRate[w]), series(RECORDED.sloRequestRate[w]))),
      rule(RECORDED.sloBurnRate[w].name, div(series(RECORDED.sloErrorRatio[w]), budget(), on)),
    ]),
    ...periods.map((period) =>
      rule(
        RECORDED.sloErrorRatioPeriod.name,
        and(div(summed(RECORDED.sloErrorRate, period), summed(RECORDED.sloRequestRate, period)), budgetsOfPeriod(classes, period), on),
        { slo_period: period },
      ),
    ),
    rule(RECORDED.sloErrorBudgetRemaining.name, sub(1, div(series(RECORDED.sloErrorRatioPeriod), budget(), on))),
  ];
}

// ------------------------------------------------------------------------------------------ alerts

/**
 * One window pair: both windows above `factor × budget` of their SLO, and the long window holds enough evidence
 * (enough requests, or an outage: see lowTrafficGuard). Its value is the long window's error ratio.
 */
export function windowPairExpr(cls: SloClass, policy: BurnRatePolicy): Expr {
  const threshold = mul(num(burnRateFactor(policy, cls.period)), budget());
  const ratio = (w: SloWindow) => series(RECORDED.sloErrorRatio[w]);
  const above = (w: SloWindow) => gt(ratio(w), threshold, { on: SLO_LABELS });
  const inLongWindow = (rateOf: typeof RECORDED.sloRequestRate | typeof RECORDED.sloErrorRate) => mul(series(rateOf[policy.long]), seconds(policy.long));
  return and(
    and(above(policy.long), above(policy.short)),
    lowTrafficGuard({
      requests: inLongWindow(RECORDED.sloRequestRate),
      minRequests: cls.minRequests,
      badEvents: inLongWindow(RECORDED.sloErrorRate),
      badShare: ratio(policy.short),
    }),
  );
}

/**
 * A tier's alert expression for a class: its window pairs joined by `or` (one alert however many pairs see it),
 * kept to the class's SLOs and given their text labels by adding `0 ×` their budget.
 */
export function tierExpr(cls: SloClass, tier: BurnRateTier): Expr {
  const pairs = tierPolicies(tier)
    .map((p) => windowPairExpr(cls, p))
    .reduce((a, b) => or(a, b));
  return add(pairs, mul(0, budget({ slo_alerts: cls.id })), { on: SLO_LABELS, groupLeft: TEXT_LABELS });
}

/** The steepest (highest) and the gentlest threshold of an SLO among the window pairs of a tier. */
function tierThresholds(m: SloModel, policies: readonly BurnRatePolicy[]): { steepest: Rational; gentlest: Rational } {
  const thresholds = policies.map((p) => burnRateFactor(p, m.slo.period).times(m.budget));
  return {
    steepest: thresholds.reduce((a, b) => (b.gt(a) ? b : a)),
    gentlest: thresholds.reduce((a, b) => (b.lt(a) ? b : a)),
  };
}

/** SLOs shown side by side in a class's examples: the first of each service (their inputs would clash), up to 3. */
function shownTogether(cls: SloClass): SloModel[] {
  const firstOfService = cls.members.filter((m, i) => cls.members.findIndex((o) => o.service === m.service) === i);
  return firstOfService.slice(0, 3);
}

/** Expression, texts and examples (several SLOs at once) of a tier's alert for a class. */
function burnRateBody(cls: SloClass, tier: BurnRateTier, forDuration: Duration | undefined): AlertBody {
  const policies = tierPolicies(tier);
  const pairsText = policies
    .map((p) => {
      const factor = burnRateFactor(p, cls.period);
      return `${p.long} and ${p.short} above ${goG4(factor.toNumber())} × the error budget (${humanizePercentage(p.budgetSpent)} of it in ${p.long})`;
    })
    .join(', or ');
  const longestShort = policies.map((p) => p.short).reduce((a, b) => (seconds(b) > seconds(a) ? b : a));
  // Samples and evaluations every minute, as SLO_INTERVAL: what the windows' sums assume.
  const step = 1;
  const interval = SLO_INTERVAL;
  const steps = (mins: number) => Math.ceil(mins / step);
  const at = (n: number) => minutes(n * step);
  const firingShare = (m: SloModel) => {
    const { steepest } = tierThresholds(m, policies);
    return steepest.times(2).gt(1) ? Rational.of(1) : steepest.times(2);
  };
  // Enough requests that every long window holds several times minRequests, whatever the timeline's length.
  const perStepFor = (n: number) => Rational.of(Math.max(100, Math.ceil((4 * cls.minRequests) / n)));
  const length = steps(minutesOf(forDuration)) + 4;
  const steady = (m: SloModel, share: Rational, n: number) => traffic(m, constant(n, perStepFor(n), share));

  const shown = shownTogether(cls);
  // Several SLOs at once: all but the last burn; the last runs at half its lowest threshold and must stay quiet.
  const burning = shown.length > 1 ? shown.slice(0, -1) : shown;
  const quiet = shown.length > 1 ? shown.slice(-1) : [];
  const who = (m: SloModel) => `${m.service}/${m.slo.name}`;
  const silentOf = (m: SloModel): SilentExample[] => {
    const { steepest, gentlest } = tierThresholds(m, policies);
    const firing = firingShare(m);
    const out: SilentExample[] = [
      {
        name: `${who(m)}: ${humanizePercentage(gentlest.div(2).toNumber())} bad, half the lowest threshold`,
        series: steady(m, gentlest.div(2), length),
        evalTime: at(length),
        interval,
      },
    ];
    // Burned long enough to show in the long windows, then stopped: the clean short windows keep it silent (once
    // the last bad 5m rate is out of them too).
    const clean = steps(minutesOf(longestShort) + minutesOf(BASE)) + 2;
    const k = firing.lt(1) ? 2 : Math.ceil(steepest.div(Rational.of(1).minus(steepest)).toNumber()) + 1;
    const burned = Math.max(k * clean, length);
    const perStep = perStepFor(burned + clean);
    out.push({
      name: `${who(m)}: burned for ${burned * step} minutes, stopped ${clean * step} minutes ago (every short window is clean)`,
      series: traffic(m, [...constant(burned, perStep, firing), ...constant(clean, perStep, Rational.of(0))]),
      evalTime: at(burned + clean),
      interval,
    });
    if (cls.minRequests > 0) {
      const few = OUTAGE_EVIDENCE.minBadEvents - 1;
      out.push({
        name: `${who(m)}: every request bad, but only ${few} of them: under ${cls.minRequests} requests and ${OUTAGE_EVIDENCE.minBadEvents} bad events`,
        series: traffic(m, constant(length, Rational.ratio(few, length), Rational.of(1))),
        evalTime: at(length),
        interval,
      });
    }
    return out;
  };
  const firesSeries: ExampleSeries[] = [
    ...burning.flatMap((m) => steady(m, firingShare(m), length)),
    ...quiet.flatMap((m) => steady(m, tierThresholds(m, policies).gentlest.div(2), length)),
  ];
  return {
    expr: tierExpr(cls, tier),
    summary: `{{ $labels.service_name }} is burning its {{ $labels.slo }} error budget ${tier === 'page' ? 'fast' : 'steadily'}.`,
    description:
      `{{ $value | humanizePercentage }} of the {{ $labels.slo_events }} of {{ $labels.service_name }} {{ $labels.slo_bad_events }} ` +
      `over the long window of the first of these that holds: ${pairsText}. SLO "{{ $labels.slo }}": {{ $labels.slo_objective }} over ${cls.period}.`,
    examples: {
      fires: {
        name: `${burning.map((m) => `${who(m)} ${humanizePercentage(firingShare(m).toNumber())} bad`).join(', ')}${quiet.map((m) => `, ${who(m)} at half its lowest threshold`).join('')}, for ${length * step} minutes`,
        series: firesSeries,
        evalTime: at(length),
        interval,
        alerts: burning.map((m) => ({ labels: { ...m.labels, ...sloTextLabels(m) }, value: firingShare(m).toNumber() })),
      },
      silent: shown.flatMap(silentOf),
    },
  };
}

/** A class's alert of one tier, with its resolved overrides, or undefined when they disable it. */
function classAlert(spec: StackSpec, cls: SloClass, tier: BurnRateTier): AlertRule | undefined {
  const params = cls.tiers[tier];
  if (!params) return undefined;
  const { alert } = BURN_RATE_TIERS[tier];
  return {
    alert,
    ...burnRateBody(cls, tier, params.for),
    ...(params.for !== undefined ? { for: params.for } : {}),
    severity: params.severity,
    // The class as a static label: one alert name per class, which promtool's duplicate-rule lint wants told apart.
    labels: { slo_alerts: cls.id, ...params.labels },
    runbookUrl: runbookUrl(`${alert}.md`, spec.alerting.runbookBaseUrl),
  };
}

/** The burn-rate alert templates of one SLO (one per tier), before overrides: what overrides are matched against. */
export function sloAlertTemplates(m: SloModel): AlertTemplate[] {
  return burnRateTiers().map((tier) => tierTemplate(m, tier));
}

/**
 * The SLO rule groups: one per service with SLOs (its SLOs' own rules), then the shared windows, then the shared
 * alerts (one page and one ticket per class, the page carrying the scenarios of every SLO of the class).
 */
export function sloRules(spec: StackSpec): RuleGroup[] {
  const classes = sloClasses(spec);
  if (classes.length === 0) return [];
  const byName = new Map(classes.flatMap((c) => c.members.map((m) => [`${m.service}/${m.slo.name}`, { m, c }] as const)));
  const perService = spec.services
    .filter((s) => (s.slos ?? []).length > 0)
    .map((s) => ({
      name: sloServiceGroup(s.name),
      rules: (s.slos ?? []).flatMap((slo) => {
        const { m, c } = byName.get(`${s.name}/${slo.name}`)!;
        return sloBaseRules(m, c);
      }),
    }));
  const alerts = classes.flatMap((cls) =>
    withScenarios(cls, burnRateTiers().map((t) => classAlert(spec, cls, t)).filter((a): a is AlertRule => a !== undefined)),
  );
  const interval = SLO_INTERVAL;
  return [
    ...perService.map((g) => ({ ...g, interval })),
    { name: SLO_GROUPS.windows, interval, rules: sloWindowRules(classes) },
    { name: SLO_GROUPS.alerts, interval, rules: alerts, scenariosApart: true },
  ];
}
