import { ROOT_CONTEXT, trace, TraceFlags, type Context } from '@opentelemetry/api';
import type { Logger } from 'pino';
import { loadOptional, OTEL_COMPONENT, positiveIntFromEnv, routeDiagnostics, serviceResource } from '../otlp/common';
import { activeSpanContext } from '../tracing/context';
import { logExportDisabledByEnv } from '../tracing/env';
import { toLogRecordFields } from './record';
import { logSink, setLogSink, type LogSink } from './sink';

/**
 * Optional OTLP/HTTP log export: every line the SDK's loggers write (telemetry.logger and its children) also
 * becomes an OpenTelemetry log record, with the service's resource and the line's trace context, so the collector
 * can send it to Loki with `service_name` as a label and `trace_id`/`span_id` linking to the trace. The lines still
 * go to stdout as before. The OpenTelemetry packages are dependencies loaded only when this runs (never by
 * importing the SDK):
 *   npm install @opentelemetry/sdk-logs @opentelemetry/exporter-logs-otlp-http @opentelemetry/resources
 *
 * Standard variables: OTEL_EXPORTER_OTLP_ENDPOINT (+ `/v1/logs`) or OTEL_EXPORTER_OTLP_LOGS_ENDPOINT (used as is),
 * OTEL_EXPORTER_OTLP_[LOGS_]HEADERS, OTEL_EXPORTER_OTLP_[LOGS_]TIMEOUT (read by the exporter); OTEL_BLRP_MAX_QUEUE_SIZE
 * (default 2048), OTEL_BLRP_SCHEDULE_DELAY (1000 ms), OTEL_BLRP_MAX_EXPORT_BATCH_SIZE (512) and
 * OTEL_BLRP_EXPORT_TIMEOUT (30000 ms) for batching; OTEL_RESOURCE_ATTRIBUTES and OTEL_SERVICE_NAME for the
 * resource. OTEL_SDK_DISABLED=true or OTEL_LOGS_EXPORTER=none turn export off.
 *
 * What a log call costs on the request path: parsing the finished line and appending a record to a bounded queue
 * (full queue: the record is dropped, the line still written). Export runs in the background; with the endpoint
 * down, each batch is retried a bounded number of times within its timeout and then dropped. Nothing it does
 * throws into the caller, and its own diagnostics (`component: "otel"`) are never exported.
 */

export interface LogExportOptions {
  /** `service.name`; default as for createTelemetry (OTEL_SERVICE_NAME, OTEL_RESOURCE_ATTRIBUTES). */
  readonly serviceName?: string;
  readonly serviceVersion?: string;
  /** Full logs URL; default from the OTEL_EXPORTER_OTLP_* variables, then http://localhost:4318/v1/logs. */
  readonly url?: string;
  /** Extra export headers (merged over OTEL_EXPORTER_OTLP_HEADERS). */
  readonly headers?: Readonly<Record<string, string>>;
  /** Where exporter diagnostics go (e.g. telemetry.logger); those lines are not exported. */
  readonly logger?: Logger;
}

export interface LogExportHandle {
  /** False when export was turned off by the environment. */
  readonly enabled: boolean;
  forceFlush(): Promise<void>;
  /** Stops taking lines, flushes and stops export; safe to call twice. */
  shutdown(): Promise<void>;
}

const NOOP: LogExportHandle = { enabled: false, forceFlush: async () => {}, shutdown: async () => {} };

/** The instrumentation scope of the records. */
const SCOPE = 'obskit-sdk';

/** The record's trace context: the line's trace and span, with the active span's flags when it is that span. */
function traceContext(traceId: string | undefined, spanId: string | undefined): Context {
  if (traceId === undefined || spanId === undefined) return ROOT_CONTEXT;
  const active = activeSpanContext();
  const traceFlags = active?.traceId === traceId && active.spanId === spanId ? active.traceFlags : TraceFlags.NONE;
  return trace.setSpanContext(ROOT_CONTEXT, { traceId, spanId, traceFlags, isRemote: false });
}

/**
 * Starts OTLP/HTTP export of the SDK's log lines (see above). Call it once, at startup; a second call replaces the
 * first one's tap (shut the first one down).
 */
export async function startLogExport(options: LogExportOptions = {}): Promise<LogExportHandle> {
  if (logExportDisabledByEnv()) return NOOP;
  const [{ LoggerProvider, BatchLogRecordProcessor }, { OTLPLogExporter }, resources] = await Promise.all([
    loadOptional('startLogExport', '@opentelemetry/sdk-logs', () => import('@opentelemetry/sdk-logs')),
    loadOptional('startLogExport', '@opentelemetry/exporter-logs-otlp-http', () => import('@opentelemetry/exporter-logs-otlp-http')),
    loadOptional('startLogExport', '@opentelemetry/resources', () => import('@opentelemetry/resources')),
  ]);
  if (options.logger) routeDiagnostics(options.logger);
  const exporter = new OTLPLogExporter({
    ...(options.url ? { url: options.url } : {}),
    ...(options.headers ? { headers: { ...options.headers } } : {}),
  });
  const batching = {
    maxQueueSize: positiveIntFromEnv('OTEL_BLRP_MAX_QUEUE_SIZE'),
    scheduledDelayMillis: positiveIntFromEnv('OTEL_BLRP_SCHEDULE_DELAY'),
    maxExportBatchSize: positiveIntFromEnv('OTEL_BLRP_MAX_EXPORT_BATCH_SIZE'),
    exportTimeoutMillis: positiveIntFromEnv('OTEL_BLRP_EXPORT_TIMEOUT'),
  };
  const processor = new BatchLogRecordProcessor({
    exporter,
    ...Object.fromEntries(Object.entries(batching).filter(([, v]) => v !== undefined)),
  });
  const provider = new LoggerProvider({ resource: serviceResource(resources, options), processors: [processor] });
  const otelLogger = provider.getLogger(SCOPE);
  type Attributes = NonNullable<Parameters<typeof otelLogger.emit>[0]['attributes']>;

  const sink: LogSink = (line) => {
    const record = toLogRecordFields(line);
    if (record === undefined) return;
    otelLogger.emit({
      ...(record.timestamp !== undefined ? { timestamp: record.timestamp } : {}),
      severityNumber: record.severityNumber,
      ...(record.severityText !== undefined ? { severityText: record.severityText } : {}),
      ...(record.body !== undefined ? { body: record.body } : {}),
      attributes: record.attributes as Attributes,
      context: traceContext(record.traceId, record.spanId),
    });
  };
  setLogSink(sink);

  const report = (what: string) => (error: unknown) => {
    options.logger?.warn({ err: error, component: OTEL_COMPONENT }, `log export ${what}: records not exported`);
  };
  let stopped: Promise<void> | undefined;
  return {
    enabled: true,
    forceFlush: () => provider.forceFlush().catch(report('flush')),
    shutdown: () => {
      if (logSink() === sink) setLogSink(undefined);
      stopped ??= provider.shutdown().catch(report('shutdown'));
      return stopped;
    },
  };
}
