import { diag, DiagLogLevel, type DiagLogger } from '@opentelemetry/api';
import type { Logger } from 'pino';
import { resolveServiceName, resolveServiceVersion } from '../tracing/env';

/**
 * What trace export (src/sdk/tracing/otlp.ts) and log export (src/sdk/logging/otlp.ts) share: loading the optional
 * OpenTelemetry SDK packages on demand, routing their diagnostics to the service's logger, and the resource that
 * describes the service. Importing this module loads nothing beyond `@opentelemetry/api`.
 */

/** Where this module's callers are documented, for the message when an optional package is missing. */
export type Starter = 'startTracing' | 'startLogExport';

/** Imports an OpenTelemetry SDK package (loaded only when export starts), or fails saying what to install. */
export async function loadOptional<T>(starter: Starter, name: string, importer: () => Promise<T>): Promise<T> {
  try {
    return await importer();
  } catch (error) {
    throw new Error(`${starter} needs the package ${name} (npm install ${name}): ${(error as Error).message}`);
  }
}

const DIAG_LEVELS: Readonly<Record<string, DiagLogLevel>> = {
  none: DiagLogLevel.NONE,
  error: DiagLogLevel.ERROR,
  warn: DiagLogLevel.WARN,
  info: DiagLogLevel.INFO,
  debug: DiagLogLevel.DEBUG,
  verbose: DiagLogLevel.VERBOSE,
  all: DiagLogLevel.ALL,
};

/**
 * The `component` binding of the lines OpenTelemetry's diagnostics write through the service's logger. Log export
 * skips those lines: exporting "export failed" through the failing exporter would only feed itself.
 */
export const OTEL_COMPONENT = 'otel';

/** Sends OpenTelemetry's diagnostics (export failures, …) to `logger` at OTEL_LOG_LEVEL (default `error`). */
export function routeDiagnostics(logger: Logger): void {
  const child = logger.child({ component: OTEL_COMPONENT });
  const to: DiagLogger = {
    error: (msg, ...args) => child.error({ args }, msg),
    warn: (msg, ...args) => child.warn({ args }, msg),
    info: (msg, ...args) => child.info({ args }, msg),
    debug: (msg, ...args) => child.debug({ args }, msg),
    verbose: (msg, ...args) => child.trace({ args }, msg),
  };
  const level = DIAG_LEVELS[(process.env.OTEL_LOG_LEVEL ?? 'error').toLowerCase()] ?? DiagLogLevel.ERROR;
  diag.setLogger(to, { logLevel: level, suppressOverrideMessage: true });
}

export interface ServiceIdentity {
  readonly serviceName?: string;
  readonly serviceVersion?: string;
}

/**
 * The service's resource, the same for traces and logs: the SDK defaults (telemetry.sdk.*), OTEL_RESOURCE_ATTRIBUTES
 * and OTEL_SERVICE_NAME, the process (process.pid, process.runtime.*) and host (host.name, host.arch), then
 * `service.name` and `service.version` resolved as createTelemetry resolves them.
 */
export function serviceResource(
  resources: typeof import('@opentelemetry/resources'),
  identity: ServiceIdentity,
): import('@opentelemetry/resources').Resource {
  const serviceName = resolveServiceName(identity.serviceName);
  const serviceVersion = resolveServiceVersion(identity.serviceVersion);
  return resources
    .defaultResource()
    .merge(resources.detectResources({ detectors: [resources.envDetector, resources.processDetector, resources.hostDetector] }))
    .merge(
      resources.resourceFromAttributes({
        ...(serviceName ? { 'service.name': serviceName } : {}),
        ...(serviceVersion ? { 'service.version': serviceVersion } : {}),
      }),
    );
}

/** A positive integer from an environment variable, or undefined when unset or not one. */
export function positiveIntFromEnv(name: string): number | undefined {
  const raw = process.env[name]?.trim();
  if (!raw) return undefined;
  const n = Number(raw);
  return Number.isInteger(n) && n > 0 ? n : undefined;
}
