/**
 * Event series for the examples and scenarios of SLO alerts: one instance of the service, one sample per step, of
 * the SLI's metric (good and bad events by its matchers; for a latency SLI, all events and the bucket at the
 * threshold; see src/alerts/sli.ts).
 */
import { Rational } from '../promql/decimal';
import type { ExampleSeries } from './model';
import { sliTraffic } from './sli';
import type { SloModel } from './slo';

/** What one step adds: requests, and how many of them are bad (5xx, or slower than the threshold). */
export interface TrafficStep {
  readonly requests: Rational;
  readonly bad: Rational;
}

/** `n` steps of `perStep` requests, `badShare` of them bad. */
export function constant(n: number, perStep: Rational, badShare: Rational): TrafficStep[] {
  return Array.from({ length: n }, () => ({ requests: perStep, bad: badShare.times(perStep) }));
}

/** `n` steps with one request every `every` steps (at steps every, 2·every, …); `isBad(step)` says which fail. */
export function sparse(n: number, every: number, isBad: (step: number) => boolean): TrafficStep[] {
  return Array.from({ length: n }, (_, i) => {
    const step = i + 1;
    const request = step % every === 0;
    return { requests: Rational.of(request ? 1 : 0), bad: Rational.of(request && isBad(step) ? 1 : 0) };
  });
}

export function traffic(m: SloModel, steps: readonly TrafficStep[]): ExampleSeries[] {
  return sliTraffic(
    m.sli,
    steps.map((s) => s.requests.minus(s.bad)),
    steps.map((s) => s.bad),
  );
}
