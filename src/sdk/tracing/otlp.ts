import type { Logger } from 'pino';
import { loadOptional, OTEL_COMPONENT, routeDiagnostics, serviceResource } from '../otlp/common';
import { tracingDisabledByEnv } from './env';

/**
 * Optional OTLP/HTTP trace export. The OpenTelemetry SDK packages are dependencies loaded only when this
 * function runs (never by importing the SDK):
 *   npm install @opentelemetry/sdk-trace-node @opentelemetry/exporter-trace-otlp-http @opentelemetry/resources
 *
 * Standard variables, read by the OpenTelemetry SDK itself: OTEL_EXPORTER_OTLP_ENDPOINT (+ `/v1/traces`) or
 * OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, OTEL_EXPORTER_OTLP_[TRACES_]HEADERS, OTEL_EXPORTER_OTLP_[TRACES_]TIMEOUT,
 * OTEL_TRACES_SAMPLER + OTEL_TRACES_SAMPLER_ARG (default parentbased_always_on), OTEL_BSP_* (batching, queue
 * size), OTEL_RESOURCE_ATTRIBUTES and OTEL_SERVICE_NAME. OTEL_SDK_DISABLED=true or OTEL_TRACES_EXPORTER=none
 * turn export off. OTEL_LOG_LEVEL sets what the exporter reports through `logger` (default `error`).
 *
 * With the endpoint down, spans queue in a bounded buffer (OTEL_BSP_MAX_QUEUE_SIZE, default 2048; excess
 * spans are dropped), each batch is retried at most 5 times within its export timeout, and requests are
 * never affected.
 */

export interface TracingOptions {
  /** `service.name`; default as for createTelemetry (OTEL_SERVICE_NAME, OTEL_RESOURCE_ATTRIBUTES). */
  readonly serviceName?: string;
  readonly serviceVersion?: string;
  /** Full traces URL; default from the OTEL_EXPORTER_OTLP_* variables, then http://localhost:4318/v1/traces. */
  readonly url?: string;
  /** Extra export headers (merged over OTEL_EXPORTER_OTLP_HEADERS). */
  readonly headers?: Readonly<Record<string, string>>;
  /** Where exporter diagnostics go (e.g. telemetry.logger). */
  readonly logger?: Logger;
}

export interface TracingHandle {
  /** False when export was turned off by the environment. */
  readonly enabled: boolean;
  forceFlush(): Promise<void>;
  /** Flushes and stops export; safe to call twice. */
  shutdown(): Promise<void>;
}

const NOOP: TracingHandle = { enabled: false, forceFlush: async () => {}, shutdown: async () => {} };

/**
 * Starts OTLP/HTTP trace export and registers the tracer provider, the AsyncLocalStorage context manager
 * and the W3C propagators globally. Call it once, before creating servers.
 */
export async function startTracing(options: TracingOptions = {}): Promise<TracingHandle> {
  if (tracingDisabledByEnv()) return NOOP;
  const [{ NodeTracerProvider, BatchSpanProcessor }, { OTLPTraceExporter }, resources] = await Promise.all([
    loadOptional('startTracing', '@opentelemetry/sdk-trace-node', () => import('@opentelemetry/sdk-trace-node')),
    loadOptional('startTracing', '@opentelemetry/exporter-trace-otlp-http', () => import('@opentelemetry/exporter-trace-otlp-http')),
    loadOptional('startTracing', '@opentelemetry/resources', () => import('@opentelemetry/resources')),
  ]);
  if (options.logger) routeDiagnostics(options.logger);
  const resource = serviceResource(resources, options);
  const exporter = new OTLPTraceExporter({
    ...(options.url ? { url: options.url } : {}),
    ...(options.headers ? { headers: { ...options.headers } } : {}),
  });
  const provider = new NodeTracerProvider({ resource, spanProcessors: [new BatchSpanProcessor(exporter)] });
  provider.register();
  // Export failures must never reach the caller (a shutdown hook, a flush before exit): report and go on.
  const report = (what: string) => (error: unknown) => {
    options.logger?.warn({ err: error, component: OTEL_COMPONENT }, `tracing ${what}: spans not exported`);
  };
  let stopped: Promise<void> | undefined;
  return {
    enabled: true,
    forceFlush: () => provider.forceFlush().catch(report('flush')),
    shutdown: () => {
      stopped ??= provider.shutdown().catch(report('shutdown'));
      return stopped;
    },
  };
}
