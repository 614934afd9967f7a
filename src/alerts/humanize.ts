/**
 * Prometheus's template functions that alert annotations use on `$value`, reimplemented so generated
 * `promtool test rules` cases can state the exact annotation an alert fires with. They follow
 * prometheus/template/template.go and prometheus/common/helpers/templates (Go's `%.4g`).
 */

/** The exact value of a finite double as a decimal string (every double is a finite binary fraction). */
function exactDecimal(value: number): string {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, Math.abs(value));
  const bits = view.getBigUint64(0);
  const exponent = Number((bits >> 52n) & 0x7ffn);
  const mantissa = exponent === 0 ? bits & 0xfffffffffffffn : (bits & 0xfffffffffffffn) | (1n << 52n);
  const shift = (exponent === 0 ? 1 : exponent) - 1075;
  if (shift >= 0) return (mantissa << BigInt(shift)).toString();
  const digits = (mantissa * 5n ** BigInt(-shift)).toString().padStart(-shift + 1, '0');
  return `${digits.slice(0, shift)}.${digits.slice(shift)}`.replace(/\.?0+$/, '');
}

/**
 * `toExponential(3)`, except that an exact tie rounds half to even as Go's strconv does (JavaScript rounds
 * ties away from zero): 12345 → `1.234e+4`.
 */
function exponential4(value: number): string {
  const js = value.toExponential(3);
  const significant = exactDecimal(value).replace('.', '').replace(/^0+/, '');
  if (significant.length !== 5 || significant[4] !== '5' || Number(significant[3]) % 2 === 1) return js;
  const [, exponent = '0'] = js.split('e');
  const truncated = `${significant[0]}.${significant.slice(1, 4)}`;
  return `${value < 0 ? '-' : ''}${truncated}e${Number(exponent) >= 0 && !exponent.startsWith('+') ? '+' : ''}${exponent}`;
}

/** Go's `fmt.Sprintf("%.4g", v)`. */
export function goG4(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  if (value === 0) return '0';
  const [mantissa = '0', exponentText = '0'] = exponential4(value).split('e');
  const exponent = Number(exponentText);
  const trim = (digits: string) => (digits.includes('.') ? digits.replace(/\.?0+$/, '') : digits);
  if (exponent < -4 || exponent >= 4) {
    const sign = exponent < 0 ? '-' : '+';
    return `${trim(mantissa)}e${sign}${String(Math.abs(exponent)).padStart(2, '0')}`;
  }
  return trim(Number(`${mantissa}e${exponent}`).toFixed(Math.max(0, 3 - exponent)));
}

/** `humanizePercentage`: 0.0523 → `5.23%`. */
export function humanizePercentage(value: number): string {
  return `${goG4(value * 100)}%`;
}

/** `humanize1024`: 1610612736 → `1.5Gi`. */
export function humanize1024(value: number): string {
  if (Math.abs(value) <= 1 || !Number.isFinite(value)) return goG4(value);
  let v = value;
  let prefix = '';
  for (const p of ['ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei', 'Zi', 'Yi']) {
    if (Math.abs(v) < 1024) break;
    prefix = p;
    v /= 1024;
  }
  return `${goG4(v)}${prefix}`;
}

/** `humanize`: SI prefixes, 1500 → `1.5k`, 0.25 → `250m`. */
export function humanize(value: number): string {
  if (value === 0 || !Number.isFinite(value)) return goG4(value);
  let v = value;
  if (Math.abs(v) >= 1) {
    let prefix = '';
    for (const p of ['k', 'M', 'G', 'T', 'P', 'E', 'Z', 'Y']) {
      if (Math.abs(v) < 1000) break;
      prefix = p;
      v /= 1000;
    }
    return `${goG4(v)}${prefix}`;
  }
  let prefix = '';
  for (const p of ['m', 'u', 'n', 'p', 'f', 'a', 'z', 'y']) {
    if (Math.abs(v) >= 1) break;
    prefix = p;
    v *= 1000;
  }
  return `${goG4(v)}${prefix}`;
}

/** `humanizeDuration` of seconds: 0.75 → `750ms`, 2.5 → `2.5s`, 90 → `1m 30s`. */
export function humanizeDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return goG4(seconds);
  if (seconds === 0) return '0s';
  if (Math.abs(seconds) >= 1) {
    const sign = seconds < 0 ? '-' : '';
    const v = Math.abs(seconds);
    const whole = Math.trunc(v);
    const [s, m, h, d] = [whole % 60, Math.trunc(whole / 60) % 60, Math.trunc(whole / 3600) % 24, Math.trunc(whole / 86400)];
    if (d !== 0) return `${sign}${d}d ${h}h ${m}m ${s}s`;
    if (h !== 0) return `${sign}${h}h ${m}m ${s}s`;
    if (m !== 0) return `${sign}${m}m ${s}s`;
    return `${sign}${goG4(v)}s`;
  }
  let v = seconds;
  let prefix = '';
  for (const p of ['m', 'u', 'n', 'p', 'f', 'a', 'z', 'y']) {
    if (Math.abs(v) >= 1) break;
    prefix = p;
    v *= 1000;
  }
  return `${goG4(v)}${prefix}s`;
}

export const VALUE_FUNCTIONS: Readonly<Record<string, (v: number) => string>> = {
  humanize,
  humanize1024,
  humanizeDuration,
  humanizePercentage,
};
