/**
 * Plausible values, by metric type, unit and name, for the simulator. Deterministic (a seeded generator) so two
 * runs look alike. A cycle has a calm stretch, an error period (error-like label values much more frequent) and a
 * slow period (latencies several times longer), so error and latency panels and alerts have something to show.
 */
import type { SimulatedMetric } from './catalog';

export type Phase = 'calm' | 'errors' | 'slow';

/** Where in its cycle the simulation is: the last fifth is slow, the fifth before it has errors. */
export function phaseAt(elapsedMs: number, cycleMs: number): Phase {
  const at = (elapsedMs % cycleMs) / cycleMs;
  if (at >= 0.8) return 'slow';
  if (at >= 0.6) return 'errors';
  return 'calm';
}

/** Label values that mean something went wrong: rarer than the others, except in an error period. */
const BAD = /^(5\d\d|4\d\d|error|errors|err|fail|failed|failure|failing|timeout|timed_out|timedout|false|critical|high|rejected|denied|exception|cancel+ed|crash(ed)?|down|unhealthy|vulnerable|breached)$/i;

export const isBadValue = (value: string): boolean => BAD.test(value);

/** Mulberry32: a small seeded generator (no dependency needed for this). */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** How often a label set occurs relative to the others: rare when any of its values is error-like. */
export function weightOf(labels: Readonly<Record<string, string>>, phase: Phase): number {
  const bad = Object.values(labels).some(isBadValue);
  if (!bad) return 1;
  return phase === 'errors' ? 0.5 : 0.03;
}

/** An observation for a histogram or summary: mostly in the lower buckets, up to the top ones when slow. */
export function observation(metric: SimulatedMetric, phase: Phase, random: () => number): number {
  const buckets = metric.buckets && metric.buckets.length > 0 ? metric.buckets : defaultScale(metric);
  const low = buckets[0]! / 2;
  const typical = buckets[Math.min(buckets.length - 1, Math.floor(buckets.length * 0.5))]!;
  const high = phase === 'slow' ? buckets[buckets.length - 1]! * 1.2 : typical;
  // log-uniform between low and high: latencies and sizes spread over orders of magnitude
  const value = Math.exp(Math.log(Math.max(low, 1e-6)) + random() * (Math.log(Math.max(high, low * 1.01)) - Math.log(Math.max(low, 1e-6))));
  return Number(value.toPrecision(4));
}

function defaultScale(metric: SimulatedMetric): readonly number[] {
  if (metric.unit === 'seconds') return [0.005, 0.05, 0.5, 5];
  if (metric.unit === 'bytes') return [1e3, 1e5, 1e7];
  if (metric.unit === 'ratio') return [0.01, 0.1, 1];
  return [1, 10, 100, 1000];
}

/** How much a counter grows per second for one label set, by unit. */
export function counterRate(metric: SimulatedMetric, random: () => number): number {
  const base = metric.unit === 'seconds' ? 0.05 : metric.unit === 'bytes' ? 20_000 : 2;
  return base * (0.5 + random());
}

/** A gauge's value around which it wanders, by unit and name. */
export function gaugeLevel(
  metric: SimulatedMetric,
  random: () => number,
  nowSeconds: number,
): { level: number; spread: number; fixed?: true; max?: number } {
  const name = metric.name;
  if (name.endsWith('_info')) return { level: 1, spread: 0, fixed: true };
  if (/(start_time|timestamp|last_.*_time|_time_seconds)$/.test(name) || /(^|_)(start|created|last)(_|$).*seconds$/.test(name)) {
    return { level: Math.floor(nowSeconds - 3600 * (1 + random())), spread: 0, fixed: true };
  }
  if (name.endsWith('_max_fds') || /(_limit|_max)(_bytes)?$/.test(name)) return { level: metric.unit === 'bytes' ? 2 ** 30 : 1024, spread: 0, fixed: true };
  if (metric.unit === 'ratio') return { level: 0.3 + random() * 0.4, spread: 0.1, max: 1 };
  if (/(percent|pct)/.test(name)) return { level: 30 + random() * 40, spread: 10, max: 100 };
  if (metric.unit === 'bytes') return { level: (50 + random() * 200) * 2 ** 20, spread: 10 * 2 ** 20 };
  if (metric.unit === 'seconds') return { level: 0.5 + random() * 5, spread: 0.5 };
  if (metric.unit === 'celsius') return { level: 40 + random() * 20, spread: 2 };
  return { level: Math.round(5 + random() * 45), spread: 3 };
}
