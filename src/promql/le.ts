import { eq, re, type Matcher } from './expr';
import { Rational } from './decimal';

/**
 * How a histogram bucket bound appears in the `le` label.
 *
 * Prometheus 3 normalises `le` of scraped classic histograms to the OpenMetrics float format
 * (`labels.FormatOpenMetricsFloat`: Go's shortest `%g`, with `.0` added to integers: `0.5`, `1.0`, `10.0`,
 * `1e-05`), while its OTLP receiver writes Go's `%f` form (`strconv.FormatFloat(b, 'f', -1, 64)`: `0.5`, `1`,
 * `10`, `0.00001`). A rule must match both, since a service may be scraped or push over OTLP.
 */

/** Go's `strconv.FormatFloat(f, 'g', -1, 64)` for a finite float. */
function goShortestG(value: number): string {
  if (value === 0) return '0';
  const [mantissa = '0', exponentText = '0'] = value.toExponential().split('e');
  const exponent = Number(exponentText);
  if (exponent < -4 || exponent >= 6) {
    const sign = exponent < 0 ? '-' : '+';
    return `${mantissa}e${sign}${String(Math.abs(exponent)).padStart(2, '0')}`;
  }
  return Rational.of(value).toString(40);
}

/** `le` as Prometheus stores it for a scraped classic histogram (`FormatOpenMetricsFloat`). */
export function openMetricsLe(bound: number): string {
  if (bound === Infinity) return '+Inf';
  const g = goShortestG(bound);
  return /[e.]/.test(g) ? g : `${g}.0`;
}

/** `le` as Prometheus's OTLP receiver writes it (`FormatFloat(b, 'f', -1, 64)`). */
export function otlpLe(bound: number): string {
  if (bound === Infinity) return '+Inf';
  return Rational.of(bound).toString(40);
}

/** A matcher for the bucket with upper bound `bound`, whichever way it was ingested. */
export function leMatcher(bound: number): Matcher {
  const forms = [...new Set([openMetricsLe(bound), otlpLe(bound)])];
  if (forms.length === 1) return eq(forms[0]!);
  return re(forms.map((f) => f.replace(/[.+]/g, '\\$&')).join('|'));
}
