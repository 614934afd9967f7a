import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { context, isSpanContextValid, trace, TraceFlags, type SpanContext } from '@opentelemetry/api';

/**
 * What the SDK knows about the request being handled. Kept in the SDK's own AsyncLocalStorage, so logs and
 * exemplars get the trace id even when no OpenTelemetry context manager is registered (tracing export off).
 */
export class RequestScope {
  private id: string | undefined;

  constructor(
    /** The server span's context (remote parent's when no tracer is registered); undefined without a trace. */
    readonly spanContext: SpanContext | undefined,
    /** The correlation id the request carried, if any. */
    given: string | undefined,
  ) {
    this.id = given;
  }

  /** The request's correlation id: the one it carried, else a UUID made on first use. */
  get correlationId(): string {
    this.id ??= randomUUID();
    return this.id;
  }
}

export const scopeStorage = new AsyncLocalStorage<RequestScope>();

/** The request scope of the code running now, if it runs inside an instrumented request. */
export function currentScope(): RequestScope | undefined {
  return scopeStorage.getStore();
}

/**
 * The span context of the code running now: OpenTelemetry's active span when there is one (tracing on),
 * else the instrumented request's. Undefined outside any trace.
 */
export function activeSpanContext(): SpanContext | undefined {
  const span = trace.getSpan(context.active());
  if (span) {
    const sc = span.spanContext();
    if (isSpanContextValid(sc)) return sc;
  }
  return scopeStorage.getStore()?.spanContext;
}

export interface ExemplarLabels {
  readonly trace_id: string;
  readonly span_id: string;
  readonly [key: string]: string;
}

/** Exemplar labels for a span context, only when it is sampled (so the trace exists in the backend). */
export function exemplarFor(sc: SpanContext | undefined): ExemplarLabels | undefined {
  if (!sc || (sc.traceFlags & TraceFlags.SAMPLED) === 0) return undefined;
  return { trace_id: sc.traceId, span_id: sc.spanId };
}

/** Exemplar labels for the code running now (see activeSpanContext). */
export function currentExemplar(): ExemplarLabels | undefined {
  return exemplarFor(activeSpanContext());
}
