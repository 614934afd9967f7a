/**
 * What dashboards need beyond the shared PromQL builder (src/promql/expr.ts), kept here so that module stays the
 * rules' and dashboards' common ground: `topk`, Prometheus's `ALERTS` series, and small typed LogQL and TraceQL
 * builders for the Loki and Tempo panels (their queries are strings too, but built from the same label constant).
 */
import { defineRecorded, quote, type Expr } from '../promql/expr';
import { formatNumber } from '../promql/decimal';
import { SERVICE_LABEL } from '../sdk/catalog';

/** `topk(k, e)`: the `k` largest series of `e` (for instant "top N" tables). */
export function topk(k: number, e: Expr): Expr {
  if (!Number.isInteger(k) || k < 1) throw new Error(`topk: k must be a positive integer, got ${k}`);
  return `topk(${formatNumber(k)}, ${e})` as Expr;
}

/**
 * Prometheus's `ALERTS` series (one per pending or firing alert, with the alert's labels plus `alertname` and
 * `alertstate`). Not a recording rule, but selected the same way; the labels listed are those obskit's alerts carry.
 */
export const ALERTS = defineRecorded({
  name: 'ALERTS',
  labelNames: ['alertname', 'alertstate', 'severity', 'service_name', 'slo', 'job', 'instance'],
  help: 'Pending and firing alerts (written by Prometheus for every alerting rule).',
});

// ---------------------------------------------------------------------------------------------- LogQL

declare const logqlBrand: unique symbol;
/** A LogQL expression made by this module. */
export type LogQL = string & { readonly [logqlBrand]: 'LogQL' };

/** Loki's index labels that queries here select on: the service label is the same word as in metrics and traces. */
export type StreamLabel = typeof SERVICE_LABEL;

/** A stream selector: `{service_name="…"}`. */
export function stream(matchers: Readonly<Partial<Record<StreamLabel, string>>>): LogQL {
  const parts = Object.entries(matchers)
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([label, value]) => `${label}=${quote(value)}`);
  if (parts.length === 0) throw new Error('a LogQL stream selector needs at least one matcher');
  return `{${parts.join(', ')}}` as LogQL;
}

/** A line filter: keep lines containing `text` (an empty text keeps every line). */
export function lineContains(q: LogQL, text: string): LogQL {
  return `${q} |= ${quote(text)}` as LogQL;
}

/** `sum by (labels) (count_over_time(q [range]))`: log lines per interval. */
export function countOverTimeBy(labels: readonly string[], q: LogQL, range: '$__auto' | '$__interval'): LogQL {
  return `sum by (${labels.join(', ')}) (count_over_time(${q} [${range}]))` as LogQL;
}

// ---------------------------------------------------------------------------------------------- TraceQL

declare const traceqlBrand: unique symbol;
/** A TraceQL expression made by this module. */
export type TraceQL = string & { readonly [traceqlBrand]: 'TraceQL' };

/** The span attributes queries here filter on (`resource.service.name` is what `service_name` comes from). */
export type TraceqlCondition =
  | { readonly attribute: 'resource.service.name'; readonly value: string }
  | { readonly attribute: 'status'; readonly value: 'error' | 'ok' | 'unset' }
  | { readonly attribute: 'duration'; readonly atLeast: `${number}${'ms' | 's'}` };

function condition(c: TraceqlCondition): string {
  if ('atLeast' in c) return `${c.attribute} >= ${c.atLeast}`;
  if (c.attribute === 'status') return `${c.attribute} = ${c.value}`;
  return `${c.attribute} = ${quote(c.value)}`;
}

/** A spanset filter: `{ a = "x" && b = y }`. */
export function spanset(...conditions: readonly TraceqlCondition[]): TraceQL {
  if (conditions.length === 0) throw new Error('a TraceQL spanset needs at least one condition');
  return `{ ${conditions.map(condition).join(' && ')} }` as TraceQL;
}
