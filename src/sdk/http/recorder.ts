import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import {
  context,
  isSpanContextValid,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Context,
  type Span,
  type SpanContext,
  type SpanOptions,
} from '@opentelemetry/api';
import type { Logger } from 'pino';
import { UNMATCHED_ROUTE, type httpServerActiveRequests, type httpServerRequestDuration } from '../catalog/http';
import type { Gauge, Histogram } from '../runtime/instruments';
import type { ScalarSeries } from '../runtime/native';
import { exemplarFor, RequestScope, scopeStorage } from '../tracing/context';
import { extractContext, hasGlobalPropagator, parseTraceparent } from '../tracing/propagation';
import { activeTracer } from '../tracing/tracer';
import { pathOf } from './endpoints';
import { normalizeMethod } from './method';

export type AccessLog = 'all' | 'errors' | 'none';

export interface HttpOptions {
  /** Request paths that are served but not recorded. Default: the SDK's own endpoints. */
  readonly ignorePaths?: readonly string[];
  /**
   * Header carrying the correlation id (default `x-request-id`). A request's own id is used; otherwise one is
   * generated when first needed (log lines, `injectHeaders` for outgoing calls).
   */
  readonly correlationHeader?: string;
  /**
   * Also set the correlation id on every response (generating one when the request had none). Default
   * false: on plain node:http this costs about as much as the rest of the instrumentation together.
   */
  readonly correlationResponseHeader?: boolean;
  /**
   * Run each request in the SDK's AsyncLocalStorage scope, so `telemetry.logger` lines, exemplars of your own
   * instruments and `injectHeaders()` inside handlers know the request's trace and correlation id even with
   * tracing export off. Default true.
   */
  readonly asyncContext?: boolean;
  /** Which requests get an access-log line: every one, 5xx/aborted only (default), or none. */
  readonly accessLog?: AccessLog;
}

export interface RequestState {
  /** performance.now() at the start, in ms. */
  readonly start: number;
  readonly method: string;
  readonly path: string;
  readonly parent: Context;
  /** The server span; undefined while no tracer provider is registered. */
  readonly span: Span | undefined;
  readonly scope: RequestScope;
  readonly active: ScalarSeries;
  done: boolean;
}

export interface RecorderParts {
  readonly duration: Histogram<typeof httpServerRequestDuration>;
  readonly active: Gauge<typeof httpServerActiveRequests>;
  readonly logger: Logger;
}

const SERVER_SPAN: SpanOptions = { kind: SpanKind.SERVER };
const CORRELATION_ID_RE = /^[\w.:+=/-]{1,128}$/;
const STATUS_TEXT: readonly string[] = Array.from({ length: 600 }, (_, i) => String(i));

/** The request's own correlation id when it is a safe token (no spaces, quotes or control characters). */
function correlationIdFrom(value: string | string[] | undefined): string | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  return v !== undefined && CORRELATION_ID_RE.test(v) ? v : undefined;
}

function schemeOf(req: IncomingMessage): string {
  return (req.socket as { encrypted?: boolean } | undefined)?.encrypted === true ? 'https' : 'http';
}

function validOrUndefined(sc: SpanContext | undefined): SpanContext | undefined {
  return sc !== undefined && isSpanContextValid(sc) ? sc : undefined;
}

/**
 * The framework-independent half of HTTP instrumentation: every adapter calls `begin` when a request
 * arrives, runs the rest of the request inside `run`, and calls `end` once with the matched route template.
 */
export class HttpRecorder {
  private readonly ignore: ReadonlySet<string>;
  readonly correlationHeader: string;
  private readonly accessLog: AccessLog;
  private readonly respondWithId: boolean;
  private readonly asyncContext: boolean;

  constructor(
    private readonly parts: RecorderParts,
    options: HttpOptions,
    defaultIgnore: readonly string[],
  ) {
    this.ignore = new Set(options.ignorePaths ?? defaultIgnore);
    this.correlationHeader = (options.correlationHeader ?? 'x-request-id').toLowerCase();
    this.accessLog = options.accessLog ?? 'errors';
    this.respondWithId = options.correlationResponseHeader === true;
    this.asyncContext = options.asyncContext !== false;
  }

  /** Starts recording a request; undefined for ignored paths. */
  begin(req: IncomingMessage, res: ServerResponse): RequestState | undefined {
    const path = pathOf(req.url);
    if (this.ignore.has(path)) return undefined;
    const method = normalizeMethod(req.method);
    const active = this.parts.active.series([method, schemeOf(req)]);
    active.value += 1;
    const tracer = activeTracer();
    let parent: Context = ROOT_CONTEXT;
    let span: Span | undefined;
    let spanContext: SpanContext | undefined;
    if (tracer) {
      parent = extractContext(req.headers);
      span = tracer.startSpan(method, SERVER_SPAN, parent);
      if (span.isRecording()) {
        span.setAttributes({ 'http.request.method': method, 'url.path': path, 'url.scheme': schemeOf(req) });
      }
      spanContext = validOrUndefined(span.spanContext());
    } else {
      // Tracing off: the caller's W3C trace context still reaches logs and exemplars.
      const header = req.headers.traceparent;
      if (header !== undefined) {
        spanContext = hasGlobalPropagator()
          ? validOrUndefined(trace.getSpanContext(extractContext(req.headers)))
          : parseTraceparent(Array.isArray(header) ? header[0] : header);
      }
    }
    const scope = new RequestScope(spanContext, correlationIdFrom(req.headers[this.correlationHeader]));
    if (this.respondWithId && !res.headersSent) res.setHeader(this.correlationHeader, scope.correlationId);
    return { start: performance.now(), method, path, parent, span, scope, active, done: false };
  }

  /** Runs `fn` with the request's scope (logs, exemplars) and, when tracing, its span active. */
  run<T>(state: RequestState, fn: () => T): T {
    const { span } = state;
    const inSpan = span === undefined ? fn : () => context.with(trace.setSpan(state.parent, span), fn);
    return this.asyncContext ? scopeStorage.run(state.scope, inSpan) : inSpan();
  }

  /** Records the finished request under its route template (undefined → `_unmatched`). Idempotent. */
  end(state: RequestState, route: string | undefined, statusCode: number, aborted = false): void {
    if (state.done) return;
    state.done = true;
    const seconds = (performance.now() - state.start) / 1000;
    state.active.value -= 1;
    const httpRoute = route ?? UNMATCHED_ROUTE;
    const { duration } = this.parts;
    const status = STATUS_TEXT[statusCode] ?? String(statusCode);
    duration.record(duration.series([state.method, httpRoute, status]), seconds, exemplarFor(state.scope.spanContext));
    const { span } = state;
    if (span !== undefined) {
      if (span.isRecording()) {
        if (route !== undefined) {
          span.setAttribute('http.route', route);
          span.updateName(`${state.method} ${route}`);
        }
        span.setAttribute('http.response.status_code', statusCode);
        if (statusCode >= 500 || aborted) span.setStatus({ code: SpanStatusCode.ERROR });
      }
      span.end();
    }
    const failed = statusCode >= 500 || aborted;
    if (this.accessLog === 'all' || (this.accessLog === 'errors' && failed)) this.log(state, httpRoute, statusCode, seconds, aborted);
  }

  private log(state: RequestState, route: string, statusCode: number, seconds: number, aborted: boolean): void {
    const sc = state.scope.spanContext;
    const fields = {
      ...(sc ? { trace_id: sc.traceId, span_id: sc.spanId } : {}),
      correlation_id: state.scope.correlationId,
      http_request_method: state.method,
      http_route: route,
      http_response_status_code: statusCode,
      url_path: state.path,
      duration_seconds: seconds,
      ...(aborted ? { aborted: true } : {}),
    };
    const message = aborted ? 'request aborted' : 'request completed';
    if (statusCode >= 500 || aborted) this.parts.logger.error(fields, message);
    else this.parts.logger.info(fields, message);
  }
}
