import { Rational } from '../promql/decimal';
import type { SloWindow } from '../promql/recorded';
import { parsePrometheusDuration } from '../spec/duration';
import type { Duration } from '../spec/types';

/**
 * The multi-window multi-burn-rate alerts of the Google SRE workbook (chapter "Alerting on SLOs"), as data.
 *
 * Each alert fires when both its long and its short window burn the error budget faster than `factor`, where
 * `factor = budgetSpent × period / long`: the rate at which `budgetSpent` of the whole period's budget would be
 * gone within `long`. For a 30d period that gives 14.4 (2% in 1h), 6 (5% in 6h), 3 (10% in 1d) and 1 (10% in 3d).
 * The long window makes the alert significant; the short one makes it stop soon after the burning stops.
 */
export interface BurnRatePolicy {
  readonly alert: string;
  readonly long: SloWindow;
  readonly short: SloWindow;
  /** Share of the period's error budget that, spent within `long`, should alert. */
  readonly budgetSpent: number;
  /** `page`: someone acts now (critical). `ticket`: someone acts today (warning). */
  readonly tier: 'page' | 'ticket';
  readonly severity: 'critical' | 'warning';
  readonly for: Duration;
}

export const BURN_RATE_POLICY: readonly BurnRatePolicy[] = [
  { alert: 'ErrorBudgetBurn1h', long: '1h', short: '5m', budgetSpent: 0.02, tier: 'page', severity: 'critical', for: '2m' },
  { alert: 'ErrorBudgetBurn6h', long: '6h', short: '30m', budgetSpent: 0.05, tier: 'page', severity: 'critical', for: '15m' },
  { alert: 'ErrorBudgetBurn1d', long: '1d', short: '2h', budgetSpent: 0.1, tier: 'ticket', severity: 'warning', for: '1h' },
  { alert: 'ErrorBudgetBurn3d', long: '3d', short: '6h', budgetSpent: 0.1, tier: 'ticket', severity: 'warning', for: '3h' },
];

const ms = (d: string): number => {
  const value = parsePrometheusDuration(d);
  if (value === undefined) throw new Error(`not a duration: ${d}`);
  return value;
};

/** The burn-rate factor of a policy for an SLO period: budgetSpent × period / long. */
export function burnRateFactor(policy: BurnRatePolicy, period: Duration): Rational {
  return Rational.of(policy.budgetSpent).times(ms(period)).div(ms(policy.long));
}

/** The longest alert window: an SLO period must be at least this long. */
export function longestBurnWindow(): SloWindow {
  return BURN_RATE_POLICY.reduce((a, b) => (ms(b.long) > ms(a.long) ? b : a)).long;
}

/** The policy with the largest factor for a period (it needs the highest error ratio to fire). */
export function steepestPolicy(period: Duration): { policy: BurnRatePolicy; factor: Rational } {
  return BURN_RATE_POLICY.map((policy) => ({ policy, factor: burnRateFactor(policy, period) })).reduce((a, b) =>
    b.factor.gt(a.factor) ? b : a,
  );
}
