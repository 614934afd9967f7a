import { parsePrometheusDuration } from '../spec/duration';

/**
 * Config parameters of a mixin: each has a default and a check, so a value out of range fails synth with the path
 * of the mixin's config in the spec (`services[1].mixins[0].errorRatio: must be …`).
 */
export interface Param<T> {
  readonly kind: 'number' | 'duration' | 'buckets' | 'string';
  readonly default: T;
  readonly description: string;
  /** A problem with a value (phrased to follow the path), or undefined when it is fine. */
  readonly check: (value: unknown) => string | undefined;
}

export type Params = Readonly<Record<string, Param<unknown>>>;
/** The config a mixin's content receives: every parameter with its value. */
export type ConfigOf<P extends Params> = { readonly [K in keyof P]: P[K] extends Param<infer T> ? T : never };
/** What a spec passes to a mixin: any subset of its parameters. */
export type ConfigInput<P extends Params> = { readonly [K in keyof P]?: P[K] extends Param<infer T> ? T : never };

const show = (value: unknown) => (typeof value === 'string' ? `"${value}"` : JSON.stringify(value));

interface NumberOptions {
  readonly description: string;
  /** Inclusive bounds, unless `exclusive` says otherwise. */
  readonly min?: number;
  readonly max?: number;
  readonly exclusive?: boolean;
  readonly integer?: boolean;
}

function number(defaultValue: number, o: NumberOptions): Param<number> {
  const range = [
    o.min !== undefined ? `${o.exclusive ? 'above' : 'at least'} ${o.min}` : '',
    o.max !== undefined ? `${o.exclusive ? 'below' : 'at most'} ${o.max}` : '',
  ].filter(Boolean).join(' and ');
  return {
    kind: 'number',
    default: defaultValue,
    description: o.description,
    check: (v) => {
      if (typeof v !== 'number' || !Number.isFinite(v)) return `must be a number, got ${show(v)}`;
      if (o.integer && !Number.isInteger(v)) return `must be a whole number, got ${v}`;
      const low = o.min !== undefined && (o.exclusive ? !(v > o.min) : !(v >= o.min));
      const high = o.max !== undefined && (o.exclusive ? !(v < o.max) : !(v <= o.max));
      return low || high ? `must be ${range}, got ${v}` : undefined;
    },
  };
}

/** A share strictly between 0 and 1 (`0.05` is 5%). */
function ratio(defaultValue: number, description: string): Param<number> {
  return number(defaultValue, { description, min: 0, max: 1, exclusive: true });
}

interface DurationOptions {
  readonly description: string;
  readonly min?: string;
  readonly max?: string;
}

function duration(defaultValue: string, o: DurationOptions): Param<string> {
  const ms = (d: string) => parsePrometheusDuration(d) ?? NaN;
  return {
    kind: 'duration',
    default: defaultValue,
    description: o.description,
    check: (v) => {
      if (typeof v !== 'string' || parsePrometheusDuration(v) === undefined) {
        return `must be a Prometheus duration such as "30s", "5m" or "1h", got ${show(v)}`;
      }
      if (o.min !== undefined && ms(v) < ms(o.min)) return `must be at least ${o.min}, got "${v}"`;
      if (o.max !== undefined && ms(v) > ms(o.max)) return `must be at most ${o.max}, got "${v}"`;
      return undefined;
    },
  };
}

/** Histogram bucket upper bounds: finite, positive, strictly ascending, at most `max` of them (series cost). */
function buckets(defaultValue: readonly number[], o: { readonly description: string; readonly max?: number }): Param<readonly number[]> {
  const max = o.max ?? 40;
  return {
    kind: 'buckets',
    default: defaultValue,
    description: o.description,
    check: (v) => {
      if (!Array.isArray(v) || v.length === 0) return `must be a non-empty list of bucket upper bounds, got ${show(v)}`;
      if (v.length > max) return `must have at most ${max} buckets (each is a series per label set), got ${v.length}`;
      for (let i = 0; i < v.length; i += 1) {
        const b: unknown = v[i];
        if (typeof b !== 'number' || !Number.isFinite(b) || b <= 0) return `[${i}] must be a positive finite number, got ${show(b)}`;
        if (i > 0 && !(b > (v[i - 1] as number))) return `must be strictly ascending: [${i}] ${b} follows ${v[i - 1]}`;
      }
      return undefined;
    },
  };
}

function string(defaultValue: string, o: { readonly description: string; readonly pattern?: RegExp }): Param<string> {
  return {
    kind: 'string',
    default: defaultValue,
    description: o.description,
    check: (v) => {
      if (typeof v !== 'string') return `must be a string, got ${show(v)}`;
      if (o.pattern && !o.pattern.test(v)) return `must match ${o.pattern}, got ${show(v)}`;
      return undefined;
    },
  };
}

/** Parameter builders for `defineMixin({ params: { … } })`. */
export const param = { number, ratio, duration, buckets, string };
