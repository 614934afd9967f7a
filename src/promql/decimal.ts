/**
 * Exact decimal arithmetic for the few numbers that end up in rules and their tests: error budgets, burn-rate
 * factors and thresholds. Floating point would write `0.0009999999999998899` for the budget of a 99.9% objective
 * and `0.014400000000000001` for 14.4 × 0.001; a fraction of two big integers writes `0.001` and `0.0144`.
 */

const DECIMAL = /^(-)?(\d+)(?:\.(\d+))?(?:e([+-]?\d+))?$/i;

function gcd(a: bigint, b: bigint): bigint {
  let x = a < 0n ? -a : a;
  let y = b < 0n ? -b : b;
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
}

export type Numeric = number | string | Rational;

/** A fraction in lowest terms with a positive denominator. */
export class Rational {
  private constructor(
    readonly num: bigint,
    readonly den: bigint,
  ) {}

  private static make(num: bigint, den: bigint): Rational {
    if (den === 0n) throw new RangeError('division by zero');
    const sign = den < 0n ? -1n : 1n;
    const g = gcd(num, den) || 1n;
    return new Rational((sign * num) / g, (sign * den) / g);
  }

  /**
   * The exact value of a decimal: a number is read as the shortest decimal that round-trips (`String(99.9)` is
   * `"99.9"`), which is what a person wrote in the spec.
   */
  static of(value: Numeric): Rational {
    if (value instanceof Rational) return value;
    const text = typeof value === 'number' ? String(value) : value.trim();
    const match = DECIMAL.exec(text);
    if (!match) throw new RangeError(`not a finite decimal number: ${JSON.stringify(value)}`);
    const [, minus, whole, fraction = '', exponent = '0'] = match;
    let num = BigInt(`${whole}${fraction}`);
    let den = 10n ** BigInt(fraction.length);
    const exp = Number(exponent);
    if (exp > 0) num *= 10n ** BigInt(exp);
    if (exp < 0) den *= 10n ** BigInt(-exp);
    return Rational.make(minus ? -num : num, den);
  }

  static ratio(num: number | bigint, den: number | bigint): Rational {
    return Rational.make(BigInt(num), BigInt(den));
  }

  plus(other: Numeric): Rational {
    const o = Rational.of(other);
    return Rational.make(this.num * o.den + o.num * this.den, this.den * o.den);
  }

  minus(other: Numeric): Rational {
    const o = Rational.of(other);
    return Rational.make(this.num * o.den - o.num * this.den, this.den * o.den);
  }

  times(other: Numeric): Rational {
    const o = Rational.of(other);
    return Rational.make(this.num * o.num, this.den * o.den);
  }

  div(other: Numeric): Rational {
    const o = Rational.of(other);
    return Rational.make(this.num * o.den, this.den * o.num);
  }

  compare(other: Numeric): -1 | 0 | 1 {
    const o = Rational.of(other);
    const d = this.num * o.den - o.num * this.den;
    return d < 0n ? -1 : d > 0n ? 1 : 0;
  }

  lt(other: Numeric): boolean {
    return this.compare(other) < 0;
  }

  gt(other: Numeric): boolean {
    return this.compare(other) > 0;
  }

  isInteger(): boolean {
    return this.den === 1n;
  }

  toNumber(): number {
    return Number(this.toString());
  }

  /**
   * Plain decimal notation with at most `maxFractionDigits` digits after the point (rounded half away from zero,
   * trailing zeros dropped): `0.001`, `14.4`, `2`, never an exponent and never float noise.
   */
  toString(maxFractionDigits = 12): string {
    const negative = this.num < 0n;
    const abs = negative ? -this.num : this.num;
    const scale = 10n ** BigInt(maxFractionDigits);
    const scaled = (abs * scale * 2n + this.den) / (this.den * 2n);
    const whole = scaled / scale;
    const fraction = (scaled % scale).toString().padStart(maxFractionDigits, '0').replace(/0+$/, '');
    const text = fraction ? `${whole}.${fraction}` : `${whole}`;
    return negative && text !== '0' ? `-${text}` : text;
  }
}

/** `n` as PromQL and YAML should show it: `0.05`, `14.4`, `1048576`. */
export function formatNumber(value: Numeric): string {
  return Rational.of(value).toString();
}

/** The error budget of an objective in percent, exactly: 99.9 → 0.001, 99.95 → 0.0005, 99 → 0.01. */
export function errorBudget(objectivePercent: Numeric): Rational {
  return Rational.of(1).minus(Rational.of(objectivePercent).div(100));
}
