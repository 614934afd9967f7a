import { Rational } from '../promql/decimal';
import type { SloWindow } from '../promql/recorded';
import { parsePrometheusDuration } from '../spec/duration';

/**
 * The multi-window multi-burn-rate alerts of the Google SRE workbook (chapter "Alerting on SLOs"), as data.
 *
 * Each window pair burns "fast enough" when both its long and its short window burn the error budget faster than
 * `factor`, where `factor = budgetSpent × period / long`: the rate at which `budgetSpent` of the whole period's
 * budget would be gone within `long`. For a 30d period that gives 14.4 (2% in 1h), 6 (5% in 6h), 3 (10% in 1d) and
 * 1 (10% in 3d). The long window makes the alert significant; the short one makes it stop soon after the burning
 * stops, and keeps it from flapping, so the alerts need no `for`.
 *
 * The pairs of one tier make ONE alert (the workbook's combined expression: pair 1 `or` pair 2), so an incident
 * that the 1h pair catches first and the 6h pair keeps seeing is one page, not two.
 */
export type BurnRateTier = 'page' | 'ticket';

export interface BurnRateTierAlert {
  readonly alert: string;
  /** `page`: someone acts now (critical). `ticket`: someone acts today (warning). */
  readonly severity: 'critical' | 'warning';
}

export const BURN_RATE_TIERS: Readonly<Record<BurnRateTier, BurnRateTierAlert>> = {
  page: { alert: 'ErrorBudgetBurnFast', severity: 'critical' },
  ticket: { alert: 'ErrorBudgetBurnSlow', severity: 'warning' },
};

/** One window pair of a tier. */
export interface BurnRatePolicy {
  readonly tier: BurnRateTier;
  /** The alert this pair is part of (its tier's). */
  readonly alert: string;
  readonly long: SloWindow;
  readonly short: SloWindow;
  /** Share of the period's error budget that, spent within `long`, should alert. */
  readonly budgetSpent: number;
}

const pair = (tier: BurnRateTier, long: SloWindow, short: SloWindow, budgetSpent: number): BurnRatePolicy => ({
  tier,
  alert: BURN_RATE_TIERS[tier].alert,
  long,
  short,
  budgetSpent,
});

export const BURN_RATE_POLICY: readonly BurnRatePolicy[] = [
  pair('page', '1h', '5m', 0.02),
  pair('page', '6h', '30m', 0.05),
  pair('ticket', '1d', '2h', 0.1),
  pair('ticket', '3d', '6h', 0.1),
];

/** The window pairs of a tier, in policy order. */
export function tierPolicies(tier: BurnRateTier): BurnRatePolicy[] {
  return BURN_RATE_POLICY.filter((p) => p.tier === tier);
}

/** The burn-rate alerts, page first (one per tier). */
export function burnRateAlertNames(): string[] {
  return burnRateTiers().map((t) => BURN_RATE_TIERS[t].alert);
}

/** The tiers that have window pairs, page first. */
export function burnRateTiers(): BurnRateTier[] {
  return (Object.keys(BURN_RATE_TIERS) as BurnRateTier[]).filter((t) => tierPolicies(t).length > 0);
}

const ms = (d: string): number => {
  const value = parsePrometheusDuration(d);
  if (value === undefined) throw new Error(`not a duration: ${d}`);
  return value;
};

/**
 * The burn-rate factor of a policy for an SLO period: budgetSpent × period / long, and at least 1. Below 1 (a 7d
 * period's 3d pair would be 0.23) the alert would fire while the budget is being spent slower than it lasts — the
 * SLO met — so the floor is the workbook's own smallest factor: spending exactly the budget over the period.
 */
export function burnRateFactor(policy: BurnRatePolicy, period: string): Rational {
  const factor = Rational.of(policy.budgetSpent).times(ms(period)).div(ms(policy.long));
  return factor.lt(1) ? Rational.of(1) : factor;
}

/** The longest alert window: an SLO period must be at least this long. */
export function longestBurnWindow(): SloWindow {
  return BURN_RATE_POLICY.reduce((a, b) => (ms(b.long) > ms(a.long) ? b : a)).long;
}

/** The policy with the largest factor for a period (it needs the highest error ratio to fire). */
export function steepestPolicy(period: string): { policy: BurnRatePolicy; factor: Rational } {
  return BURN_RATE_POLICY.map((policy) => ({ policy, factor: burnRateFactor(policy, period) })).reduce((a, b) =>
    b.factor.gt(a.factor) ? b : a,
  );
}

/** Alerts obskit no longer generates, and what replaced them (so an override naming one gets a useful error). */
export const REPLACED_ALERTS: Readonly<Record<string, string>> = {
  ErrorBudgetBurn1h: 'ErrorBudgetBurnFast',
  ErrorBudgetBurn6h: 'ErrorBudgetBurnFast',
  ErrorBudgetBurn1d: 'ErrorBudgetBurnSlow',
  ErrorBudgetBurn3d: 'ErrorBudgetBurnSlow',
};
