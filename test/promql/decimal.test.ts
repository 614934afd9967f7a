import { errorBudget, formatNumber, Rational } from '../../src/promql';
import { BURN_RATE_POLICY, burnRateFactor } from '../../src/alerts';

describe('decimal-safe numbers', () => {
  it.each([
    [99.9, '0.001'],
    [99.95, '0.0005'],
    [99, '0.01'],
    [99.99, '0.0001'],
    [99.999, '0.00001'],
    [95, '0.05'],
    [99.5, '0.005'],
    [90, '0.1'],
  ])('budget of %p%% is %s', (objective, budget) => {
    expect(errorBudget(objective).toString()).toBe(budget);
    expect(String(errorBudget(objective).toNumber())).toBe(budget === '0.00001' ? '0.00001' : budget);
  });

  it('does what floating point does not', () => {
    expect(1 - 99.9 / 100).not.toBe(0.001);
    expect(formatNumber(1 - 99.9 / 100)).toBe('0.001');
    expect(Rational.of(14.4).times(errorBudget(99.9)).toString()).toBe('0.0144');
    expect(formatNumber(0.1 + 0.2)).toBe('0.3');
    expect(formatNumber('1e-7')).toBe('0.0000001');
    expect(formatNumber(-2.5)).toBe('-2.5');
    expect(Rational.of(1).div(3).toString(4)).toBe('0.3333');
    expect(Rational.of(2).div(3).toString(4)).toBe('0.6667');
    expect(() => Rational.of(NaN)).toThrow(/not a finite decimal/);
  });

  it('derives the burn-rate factors from the period: budget spent × period / window, never below 1', () => {
    const factors = (period: string) => BURN_RATE_POLICY.map((p) => `${p.long} ×${burnRateFactor(p, period)}`);
    expect(factors('30d')).toEqual(['1h ×14.4', '6h ×6', '1d ×3', '3d ×1']);
    expect(factors('28d')).toEqual(['1h ×13.44', '6h ×5.6', '1d ×2.8', '3d ×1']);
    expect(factors('7d')).toEqual(['1h ×3.36', '6h ×1.4', '1d ×1', '3d ×1']);
  });

  it('keeps the SRE workbook windows and tiers as data', () => {
    expect(BURN_RATE_POLICY.map((p) => [p.long, p.short, p.budgetSpent, p.tier, p.alert])).toEqual([
      ['1h', '5m', 0.02, 'page', 'ErrorBudgetBurnFast'],
      ['6h', '30m', 0.05, 'page', 'ErrorBudgetBurnFast'],
      ['1d', '2h', 0.1, 'ticket', 'ErrorBudgetBurnSlow'],
      ['3d', '6h', 0.1, 'ticket', 'ErrorBudgetBurnSlow'],
    ]);
  });
});
