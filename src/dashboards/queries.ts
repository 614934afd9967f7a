/**
 * Small typed LogQL and TraceQL builders for the Loki and Tempo panels (their queries are strings too, but built
 * from the same label constant as the PromQL ones).
 */
import { quote } from '../promql/expr';
import { SERVICE_LABEL } from '../sdk/catalog';

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
