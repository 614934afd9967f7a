import { diag, DiagLogLevel, type DiagLogger } from '@opentelemetry/api';
import type { Logger } from 'pino';
import { resolveServiceName, resolveServiceVersion, tracingDisabledByEnv } from './env';

/**
 * Optional OTLP/HTTP trace export. The OpenTelemetry SDK packages are optional peer dependencies, loaded
 * only when this function runs (never by importing the SDK):
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

const DIAG_LEVELS: Readonly<Record<string, DiagLogLevel>> = {
  none: DiagLogLevel.NONE,
  error: DiagLogLevel.ERROR,
  warn: DiagLogLevel.WARN,
  info: DiagLogLevel.INFO,
  debug: DiagLogLevel.DEBUG,
  verbose: DiagLogLevel.VERBOSE,
  all: DiagLogLevel.ALL,
};

function diagTo(logger: Logger): DiagLogger {
  const child = logger.child({ component: 'otel' });
  return {
    error: (msg, ...args) => child.error({ args }, msg),
    warn: (msg, ...args) => child.warn({ args }, msg),
    info: (msg, ...args) => child.info({ args }, msg),
    debug: (msg, ...args) => child.debug({ args }, msg),
    verbose: (msg, ...args) => child.trace({ args }, msg),
  };
}

async function load<T>(name: string, importer: () => Promise<T>): Promise<T> {
  try {
    return await importer();
  } catch (error) {
    throw new Error(
      `startTracing needs the optional peer dependency ${name} (npm install ${name}): ${(error as Error).message}`,
    );
  }
}

/**
 * Starts OTLP/HTTP trace export and registers the tracer provider, the AsyncLocalStorage context manager
 * and the W3C propagators globally. Call it once, before creating servers.
 */
export async function startTracing(options: TracingOptions = {}): Promise<TracingHandle> {
  if (tracingDisabledByEnv()) return NOOP;
  const [{ NodeTracerProvider, BatchSpanProcessor }, { OTLPTraceExporter }, resources] = await Promise.all([
    load('@opentelemetry/sdk-trace-node', () => import('@opentelemetry/sdk-trace-node')),
    load('@opentelemetry/exporter-trace-otlp-http', () => import('@opentelemetry/exporter-trace-otlp-http')),
    load('@opentelemetry/resources', () => import('@opentelemetry/resources')),
  ]);
  if (options.logger) {
    const level = DIAG_LEVELS[(process.env.OTEL_LOG_LEVEL ?? 'error').toLowerCase()] ?? DiagLogLevel.ERROR;
    diag.setLogger(diagTo(options.logger), { logLevel: level, suppressOverrideMessage: true });
  }
  const serviceName = resolveServiceName(options.serviceName);
  const serviceVersion = resolveServiceVersion(options.serviceVersion);
  const resource = resources
    .defaultResource()
    .merge(
      resources.detectResources({
        detectors: [resources.envDetector, resources.processDetector, resources.hostDetector],
      }),
    )
    .merge(
      resources.resourceFromAttributes({
        ...(serviceName ? { 'service.name': serviceName } : {}),
        ...(serviceVersion ? { 'service.version': serviceVersion } : {}),
      }),
    );
  const exporter = new OTLPTraceExporter({
    ...(options.url ? { url: options.url } : {}),
    ...(options.headers ? { headers: { ...options.headers } } : {}),
  });
  const provider = new NodeTracerProvider({ resource, spanProcessors: [new BatchSpanProcessor(exporter)] });
  provider.register();
  // Export failures must never reach the caller (a shutdown hook, a flush before exit): report and go on.
  const report = (what: string) => (error: unknown) => {
    options.logger?.warn({ err: error, component: 'otel' }, `tracing ${what}: spans not exported`);
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
