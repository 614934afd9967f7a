import {
  context,
  createTraceState,
  isSpanContextValid,
  propagation,
  ROOT_CONTEXT,
  trace,
  TraceFlags,
  type Context,
  type SpanContext,
  type TextMapGetter,
  type TextMapPropagator,
  type TextMapSetter,
} from '@opentelemetry/api';
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';

/**
 * W3C Trace Context (`traceparent`/`tracestate`) through `@opentelemetry/api`. When an OpenTelemetry SDK has
 * registered a global propagator (startTracing does), that one is used; otherwise a built-in W3C
 * propagator, so trace ids flow into logs and exemplars even with tracing export off.
 */

const TRACEPARENT = 'traceparent';
const TRACESTATE = 'tracestate';
const MAX_TRACESTATE_LENGTH = 512;

/** True when s[start, end) is lower-case hex and not all zeros. */
function isLowerHexNonZero(s: string, start: number, end: number): boolean {
  let nonZero = false;
  for (let i = start; i < end; i += 1) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      if (c !== 48) nonZero = true;
    } else if (c >= 97 && c <= 102) {
      nonZero = true;
    } else {
      return false;
    }
  }
  return nonZero;
}

function isLowerHex(s: string, start: number, end: number): boolean {
  for (let i = start; i < end; i += 1) {
    const c = s.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102))) return false;
  }
  return true;
}

/**
 * Parses a `traceparent` value per W3C Trace Context level 1 (`version-traceid-parentid-flags`; a future
 * version may append `-...`); anything malformed, all-zero ids or version `ff` yield undefined.
 */
export function parseTraceparent(value: string | undefined): SpanContext | undefined {
  if (typeof value !== 'string' || value.length < 55 || value.length > 256) return undefined;
  const v = value; // Node has already trimmed header values
  if (!isLowerHex(v, 0, 2) || v.startsWith('ff') || v[2] !== '-' || v[35] !== '-' || v[52] !== '-') return undefined;
  if (!isLowerHexNonZero(v, 3, 35) || !isLowerHexNonZero(v, 36, 52) || !isLowerHex(v, 53, 55)) return undefined;
  if (v.length > 55 && (v.startsWith('00') || v[55] !== '-')) return undefined;
  return {
    traceId: v.slice(3, 35),
    spanId: v.slice(36, 52),
    traceFlags: parseInt(v.slice(53, 55), 16) & TraceFlags.SAMPLED,
    isRemote: true,
  };
}

export function formatTraceparent(sc: SpanContext): string {
  return `00-${sc.traceId}-${sc.spanId}-0${(sc.traceFlags & TraceFlags.SAMPLED).toString(16)}`;
}

const headerGetter: TextMapGetter<IncomingHttpHeaders> = {
  keys: (carrier) => Object.keys(carrier),
  get: (carrier, key) => carrier[key.toLowerCase()],
};

const headerSetter: TextMapSetter<OutgoingHttpHeaders> = {
  set: (carrier, key, value) => {
    carrier[key] = value;
  },
};

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** The built-in W3C trace-context propagator (no baggage). */
export const w3cPropagator: TextMapPropagator = {
  inject(ctx, carrier, setter) {
    const sc = trace.getSpanContext(ctx);
    if (!sc || !isSpanContextValid(sc)) return;
    setter.set(carrier, TRACEPARENT, formatTraceparent(sc));
    const state = sc.traceState?.serialize();
    if (state) setter.set(carrier, TRACESTATE, state);
  },
  extract(ctx, carrier, getter) {
    const sc = parseTraceparent(first(getter.get(carrier, TRACEPARENT)));
    if (!sc) return ctx;
    const rawState = getter.get(carrier, TRACESTATE);
    const state = Array.isArray(rawState) ? rawState.join(',') : rawState;
    if (state && state.length <= MAX_TRACESTATE_LENGTH) {
      try {
        return trace.setSpanContext(ctx, { ...sc, traceState: createTraceState(state) });
      } catch {
        return trace.setSpanContext(ctx, sc);
      }
    }
    return trace.setSpanContext(ctx, sc);
  },
  fields: () => [TRACEPARENT, TRACESTATE],
};

/** True when an OpenTelemetry SDK registered a global propagator (then it, not the built-in one, is used). */
export function hasGlobalPropagator(): boolean {
  return propagation.fields().length > 0;
}

function activePropagator(): TextMapPropagator {
  return propagation.fields().length > 0 ? propagation : w3cPropagator;
}

/** The context an incoming request continues: its remote parent span, or ROOT when no valid `traceparent`. */
export function extractContext(headers: IncomingHttpHeaders): Context {
  // Fast path with no global propagator: nothing to do without a traceparent header.
  if (headers[TRACEPARENT] === undefined && !hasGlobalPropagator()) return ROOT_CONTEXT;
  try {
    return activePropagator().extract(ROOT_CONTEXT, headers, headerGetter);
  } catch {
    return ROOT_CONTEXT;
  }
}

/** Writes `traceparent` (and `tracestate`) for a context into outgoing headers; returns the headers. */
export function injectContext<H extends OutgoingHttpHeaders>(ctx: Context, headers: H): H {
  activePropagator().inject(ctx, headers, headerSetter);
  return headers;
}

/** Injects the active trace (OpenTelemetry's active context, else the instrumented request's). */
export function injectActive<H extends OutgoingHttpHeaders>(headers: H, fallback: SpanContext | undefined): H {
  const active = context.active();
  const sc = trace.getSpanContext(active);
  if (sc && isSpanContextValid(sc)) return injectContext(active, headers);
  if (fallback) return injectContext(trace.setSpanContext(ROOT_CONTEXT, fallback), headers);
  return headers;
}
