/**
 * A small typed PromQL builder. Every function returns a string (branded `Expr`), so results drop straight into a
 * rule, a dashboard target or a template literal; what the types add is that a selector can only name a metric
 * from a catalog (or a recorded series), only with that metric's labels, and that a range function only takes a
 * selector and a duration.
 *
 * @example
 * sumBy(['service_name'], rate(countSeries(httpServerRequestDuration, { http_response_status_code: re('5..') }), '5m'))
 * // sum by (service_name) (rate(http_server_request_duration_seconds_count{http_response_status_code=~"5.."}[5m]))
 */
import { parser } from '@prometheus-io/lezer-promql';
import type { AnyMetricDef, SeriesLabelName } from '../sdk/catalog';
import { isPrometheusDuration } from '../spec/duration';
import { formatNumber, type Numeric } from './decimal';

declare const exprBrand: unique symbol;
/** A PromQL expression made by this module. */
export type Expr = string & { readonly [exprBrand]: 'PromQL' };

declare const selectorBrand: unique symbol;
/** An instant-vector selector (`name{label="value"}`): the only thing a range function (`rate`, …) accepts. */
export type Selector = Expr & { readonly [selectorBrand]: 'selector' };

export type DurationUnit = 'ms' | 's' | 'm' | 'h' | 'd' | 'w' | 'y';
/** A PromQL duration literal such as `5m` or `30d`; spec durations become one through `duration()`. */
export type Window = `${number}${DurationUnit}`;

/** Checks a duration from the spec (`"1h30m"`) and types it for use in a range selector. */
export function duration(text: string): Window {
  if (!isPrometheusDuration(text)) throw new Error(`not a PromQL duration: ${JSON.stringify(text)}`);
  return text as Window;
}

/** A series that a recording rule writes: its name and the labels it keeps. */
export interface RecordedSeries<N extends string = string, L extends readonly string[] = readonly string[]> {
  readonly kind: 'recorded';
  readonly name: N;
  readonly labelNames: L;
  readonly help: string;
}

/** Declares a recorded series for dashboards and rules to query (and for the checker to know). */
export function defineRecorded<const N extends string, const L extends readonly string[]>(def: {
  name: N;
  labelNames: L;
  help: string;
}): RecordedSeries<N, L> {
  if (!/^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(def.name)) throw new Error(`recorded series: invalid name ${JSON.stringify(def.name)}`);
  return Object.freeze({ kind: 'recorded', ...def });
}

// ---------------------------------------------------------------------------------------------- selectors

export interface Matcher {
  readonly op: '=' | '!=' | '=~' | '!~';
  readonly value: string;
}
export const eq = (value: string | number): Matcher => ({ op: '=', value: String(value) });
export const ne = (value: string | number): Matcher => ({ op: '!=', value: String(value) });
/** A regex matcher (anchored by Prometheus). Never on `__name__`: the checker rejects that. */
export const re = (value: string): Matcher => ({ op: '=~', value });
export const nre = (value: string): Matcher => ({ op: '!~', value });

/** Label matchers keyed by label name; a plain value means equality. */
export type Matchers<L extends string> = { readonly [K in L]?: string | number | Matcher };

type Plain = { readonly type: 'counter' | 'gauge' | 'summary' };
type Histogram = { readonly type: 'histogram' };
/** The labels a query may use on a catalog metric or a recorded series. */
export type LabelsOf<D> = D extends RecordedSeries<string, infer L> ? L[number] : D extends AnyMetricDef ? SeriesLabelName<D> : never;

/** A PromQL string literal. */
export function quote(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

function selectorOf(name: string, matchers: Readonly<Record<string, string | number | Matcher | undefined>> = {}): Selector {
  const parts = Object.entries(matchers)
    .filter((entry): entry is [string, string | number | Matcher] => entry[1] !== undefined)
    .map(([label, m]) => {
      const { op, value } = typeof m === 'object' ? m : eq(m);
      return `${label}${op}${quote(value)}`;
    });
  return `${name}${parts.length ? `{${parts.join(', ')}}` : ''}` as Selector;
}

/** A counter, gauge or summary of a catalog, or a recorded series: `name{…}`. */
export function series<D extends (AnyMetricDef & Plain) | RecordedSeries>(def: D, matchers?: Matchers<LabelsOf<D>>): Selector {
  return selectorOf(def.name, matchers);
}

/** A histogram's cumulative buckets: `name_bucket{…}` (may match on `le`). */
export function bucketSeries<D extends AnyMetricDef & Histogram>(def: D, matchers?: Matchers<LabelsOf<D>>): Selector {
  return selectorOf(`${def.name}_bucket`, matchers);
}

/** A histogram's (or summary's) observation count: `name_count{…}`. */
export function countSeries<D extends AnyMetricDef & { readonly type: 'histogram' | 'summary' }>(
  def: D,
  matchers?: Matchers<Exclude<LabelsOf<D>, 'le' | 'quantile'>>,
): Selector {
  return selectorOf(`${def.name}_count`, matchers);
}

/** A histogram's (or summary's) sum of observations: `name_sum{…}`. */
export function sumSeries<D extends AnyMetricDef & { readonly type: 'histogram' | 'summary' }>(
  def: D,
  matchers?: Matchers<Exclude<LabelsOf<D>, 'le' | 'quantile'>>,
): Selector {
  return selectorOf(`${def.name}_sum`, matchers);
}

// ---------------------------------------------------------------------------------------------- functions

const fn = (name: string, ...args: readonly string[]) => `${name}(${args.join(', ')})` as Expr;

export const rate = (s: Selector, w: Window) => fn('rate', `${s}[${w}]`);
export const irate = (s: Selector, w: Window) => fn('irate', `${s}[${w}]`);
export const increase = (s: Selector, w: Window) => fn('increase', `${s}[${w}]`);
export const avgOverTime = (s: Selector, w: Window) => fn('avg_over_time', `${s}[${w}]`);
export const maxOverTime = (s: Selector, w: Window) => fn('max_over_time', `${s}[${w}]`);
export const minOverTime = (s: Selector, w: Window) => fn('min_over_time', `${s}[${w}]`);
export const sumOverTime = (s: Selector, w: Window) => fn('sum_over_time', `${s}[${w}]`);
export const absent = (s: Selector) => fn('absent', s);
/** The value a gauge will have `seconds` from now, by linear regression over the window (a volume filling up). */
export const predictLinear = (s: Selector, w: Window, seconds: Numeric) => fn('predict_linear', `${s}[${w}]`, formatNumber(seconds));
export const absentOverTime = (s: Selector, w: Window) => fn('absent_over_time', `${s}[${w}]`);
export const vector = (n: Numeric) => fn('vector', formatNumber(n));
export const clampMin = (e: Expr, min: Numeric) => fn('clamp_min', e, formatNumber(min));
export const clampMax = (e: Expr, max: Numeric) => fn('clamp_max', e, formatNumber(max));
/** `histogram_quantile(q, e)`; `e` should be a rate of buckets summed `by (…, le)`. */
export const histogramQuantile = (q: Numeric, e: Expr) => fn('histogram_quantile', formatNumber(q), e);
/** A number literal, formatted decimal-safely. */
export const num = (n: Numeric) => formatNumber(n) as Expr;

// ---------------------------------------------------------------------------------------------- aggregations

type AggregationOp = 'sum' | 'avg' | 'min' | 'max' | 'count' | 'group';
const aggregate = (op: AggregationOp, e: Expr, clause = '') => `${op}${clause} (${e})` as Expr;
const labelList = (labels: readonly string[]) => `(${labels.join(', ')})`;

export const sum = (e: Expr) => aggregate('sum', e);
export const sumBy = (labels: readonly string[], e: Expr) => aggregate('sum', e, ` by ${labelList(labels)}`);
export const sumWithout = (labels: readonly string[], e: Expr) => aggregate('sum', e, ` without ${labelList(labels)}`);
export const avgBy = (labels: readonly string[], e: Expr) => aggregate('avg', e, ` by ${labelList(labels)}`);
export const minBy = (labels: readonly string[], e: Expr) => aggregate('min', e, ` by ${labelList(labels)}`);
export const maxBy = (labels: readonly string[], e: Expr) => aggregate('max', e, ` by ${labelList(labels)}`);
export const countBy = (labels: readonly string[], e: Expr) => aggregate('count', e, ` by ${labelList(labels)}`);
export const groupBy = (labels: readonly string[], e: Expr) => aggregate('group', e, ` by ${labelList(labels)}`);
export const max = (e: Expr) => aggregate('max', e);

/** `topk(k, e)`: the `k` largest series of `e` (for instant "top N" tables). */
export function topk(k: number, e: Expr): Expr {
  if (!Number.isInteger(k) || k < 1) throw new Error(`topk: k must be a positive integer, got ${k}`);
  return `topk(${formatNumber(k)}, ${e})` as Expr;
}

// ---------------------------------------------------------------------------------------------- binary operators

export interface Matching {
  /** `on (labels)`; an empty list is `on ()` (match everything against a single series). */
  readonly on?: readonly string[];
  readonly ignoring?: readonly string[];
  /** `group_left (labels)`: many on the left to one on the right. */
  readonly groupLeft?: readonly string[];
  readonly groupRight?: readonly string[];
}

/** Whether `e` would need parentheses as an operand: its top node is a binary expression. */
function isBinary(e: string): boolean {
  const top = parser.parse(e).topNode.firstChild;
  return top?.type.name === 'BinaryExpr';
}

const operand = (e: Expr | Numeric) =>
  typeof e === 'string' && !/^-?[\d.]+(e[+-]?\d+)?$/i.test(e) ? (isBinary(e) ? `(${e})` : e) : formatNumber(e as Numeric);

function modifiers(m: Matching | undefined, bool = false): string {
  if (!m && !bool) return '';
  const parts: string[] = [];
  if (bool) parts.push('bool');
  if (m?.on) parts.push(`on ${labelList(m.on)}`);
  if (m?.ignoring) parts.push(`ignoring ${labelList(m.ignoring)}`);
  if (m?.groupLeft) parts.push(`group_left${m.groupLeft.length ? ` ${labelList(m.groupLeft)}` : ''}`);
  if (m?.groupRight) parts.push(`group_right${m.groupRight.length ? ` ${labelList(m.groupRight)}` : ''}`);
  return parts.length ? ` ${parts.join(' ')}` : '';
}

const binary = (op: string) => (a: Expr | Numeric, b: Expr | Numeric, matching?: Matching) =>
  `${operand(a)} ${op}${modifiers(matching)} ${operand(b)}` as Expr;

export const add = binary('+');
export const sub = binary('-');
export const mul = binary('*');
export const div = binary('/');
/** Filtering comparisons (`a > b` keeps the series of `a` where it holds). */
export const gt = binary('>');
export const ge = binary('>=');
export const lt = binary('<');
export const le = binary('<=');
export const eqOp = binary('==');
export const neOp = binary('!=');
export const and = binary('and');
export const or = binary('or');
export const unless = binary('unless');

/** Parentheses, for readability where precedence is already right. */
export const paren = (e: Expr) => `(${e})` as Expr;
