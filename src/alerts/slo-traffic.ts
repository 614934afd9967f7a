/**
 * Request series for the examples and scenarios of SLO alerts: one instance of the service, one sample per step,
 * shaped as the SDK exports them (`_count` by status; for a latency SLO, the bucket at the threshold).
 */
import { Rational } from '../promql/decimal';
import { openMetricsLe } from '../promql/le';
import { httpServerRequestDuration } from '../sdk/catalog';
import { counterOf, input } from './examples';
import type { ExampleSeries } from './model';
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
  const target = { job: m.service, instance: `${m.service}:8080`, service_name: m.service };
  const labels = (code: string) => ({ ...target, http_request_method: 'GET', http_route: '/orders', http_response_status_code: code });
  const name = httpServerRequestDuration.name;
  const good = steps.map((s) => s.requests.minus(s.bad));
  if (m.slo.type === 'availability') {
    return [
      input(`${name}_count`, labels('200'), counterOf(good)),
      input(`${name}_count`, labels('500'), counterOf(steps.map((s) => s.bad))),
    ];
  }
  return [
    input(`${name}_count`, labels('200'), counterOf(steps.map((s) => s.requests))),
    input(`${name}_bucket`, { ...labels('200'), le: openMetricsLe(m.slo.threshold!) }, counterOf(good)),
  ];
}
