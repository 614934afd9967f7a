/**
 * Helpers for the `promtool test rules` input every alert carries: series selectors and sample timelines in
 * promtool's expanding notation, one sample a minute from t = 0. Counts are exact decimals, never float noise.
 */
import { Rational, type Numeric } from '../promql/decimal';
import { quote } from '../promql/expr';
import { parsePrometheusDuration } from '../spec/duration';
import type { Duration } from '../spec/types';
import type { ExampleSeries } from './model';

/** A series for test input: `name{a="1", b="2"}`. */
export function selector(name: string, labels: Readonly<Record<string, string>>): string {
  const inner = Object.entries(labels)
    .map(([k, v]) => `${k}=${quote(v)}`)
    .join(', ');
  return `${name}{${inner}}`;
}

export function input(name: string, labels: Readonly<Record<string, string>>, values: string): ExampleSeries {
  return { series: selector(name, labels), values };
}

/** Whole minutes covering a duration (rounded up); 0 for undefined. */
export function minutesOf(duration: Duration | undefined): number {
  if (duration === undefined) return 0;
  const ms = parsePrometheusDuration(duration);
  if (ms === undefined) throw new Error(`not a duration: ${duration}`);
  return Math.ceil(ms / 60_000);
}

/** An evaluation time `n` minutes after the first sample. */
export const minutes = (n: number): Duration => `${n}m`;

export interface CounterSegment {
  readonly minutes: number;
  readonly perMinute: Numeric;
}

/**
 * A counter starting at 0 at t = 0 that grows by `perMinute` each minute of each segment in turn; the last sample
 * is at t = Σ minutes. `counter({ minutes: 10, perMinute: 5 }, { minutes: 5, perMinute: 0 })` is `0+5x10 50+0x4`.
 */
export function counter(...segments: readonly CounterSegment[]): string {
  const parts: string[] = [];
  let last = Rational.of(0);
  for (const { minutes: n, perMinute } of segments) {
    if (n <= 0) continue;
    const step = Rational.of(perMinute);
    if (parts.length === 0) {
      parts.push(`0+${step}x${n}`);
    } else {
      parts.push(`${last.plus(step)}+${step}x${n - 1}`);
    }
    last = last.plus(step.times(n));
  }
  return parts.join(' ') || '0';
}

export interface GaugeSegment {
  readonly minutes: number;
  readonly value: Numeric;
}

/** A gauge holding each segment's value in turn: the first from t = 0, each for its minutes; last sample at Σ minutes. */
export function gauge(...segments: readonly GaugeSegment[]): string {
  const parts: string[] = [];
  for (const { minutes: n, value } of segments) {
    const v = Rational.of(value);
    if (parts.length === 0) parts.push(`${v}x${n}`);
    else if (n > 0) parts.push(`${v}x${n - 1}`);
  }
  return parts.join(' ');
}

/** Total minutes of a timeline. */
export const span = (segments: readonly { readonly minutes: number }[]) => segments.reduce((t, s) => t + s.minutes, 0);

/**
 * A counter from per-step increments: 0 at t = 0, then the running sum after each step, written compactly as runs
 * of equal increments (`0+5x10`, `3x9` for a flat stretch). For traffic that is not a few steady segments, such as
 * one request every 10 minutes.
 */
export function counterOf(increments: readonly Numeric[]): string {
  const values = [Rational.of(0)];
  for (const inc of increments) values.push(values[values.length - 1]!.plus(Rational.of(inc)));
  const parts: string[] = [];
  let start = 0;
  while (start < values.length) {
    let end = start;
    const step = start + 1 < values.length ? values[start + 1]!.minus(values[start]!) : Rational.of(0);
    while (end + 1 < values.length && values[end + 1]!.minus(values[end]!).compare(step) === 0) end++;
    const n = end - start;
    if (n === 0) parts.push(`${values[start]}`);
    else if (step.compare(0) === 0) parts.push(`${values[start]}x${n}`);
    else parts.push(`${values[start]}+${step}x${n}`);
    start = end + 1;
  }
  return parts.join(' ');
}

/**
 * Where a p95 over a histogram lands when every observation falls in one bucket (lower, upper]: the bucket above
 * `threshold` (`above`) or the one at most it. Examples for latency alerts put their traffic there.
 */
export function bucketAround(bounds: readonly number[], threshold: number, above: boolean): { lower: number; upper: number; p95: number } {
  if (above) {
    const index = bounds.findIndex((b) => b >= threshold);
    const lower = bounds[index]!;
    const upper = bounds[index + 1] ?? Infinity;
    // histogram_quantile interpolates inside the bucket; in the +Inf bucket it answers the highest finite bound.
    const p95 = upper === Infinity ? lower : lower + (upper - lower) * 0.95;
    return { lower, upper, p95 };
  }
  const index = bounds.reduce((found, b, i) => (b <= threshold ? i : found), -1);
  const upper = bounds[index]!;
  const lower = bounds[index - 1] ?? 0;
  return { lower, upper, p95: lower + (upper - lower) * 0.95 };
}
