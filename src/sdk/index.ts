/**
 * obskit SDK: what a service imports. A small flat API —
 *
 *   const telemetry = createTelemetry({ serviceName: 'checkout' });
 *   http.createServer(telemetry.http(handler, { routes: ['/orders/:id'] }));   // or telemetry.express() / .fastify
 *   telemetry.counter(ordersTotal).inc({ order_outcome: 'placed' });
 *   telemetry.logger.info('hello');                                            // JSON, with trace_id/span_id
 *
 * Importing this module loads prom-client, pino and @opentelemetry/api only: never Express, Fastify, the
 * OpenTelemetry SDK (see startTracing and startLogExport), cdk8s or the Grafana SDK.
 */
export { createTelemetry, Telemetry, type TelemetryOptions } from './telemetry';
export * from './catalog';
export { Counter, Gauge, Histogram, Summary, type InstrumentFor, type WithLabels } from './runtime/instruments';
export { LabelError, type Labels } from './runtime/labels';
export { DEFAULT_MAX_SERIES } from './runtime/cardinality';
export { CONTENT_TYPES, type ExpositionFormat } from './runtime/exposition';
export { negotiateFormat } from './runtime/negotiate';
export { Health, DEFAULT_CHECK_TIMEOUT_MS, type HealthCheck, type HealthReport, type CheckOptions } from './health/health';
export type { ShutdownHandle, ShutdownOptions } from './health/shutdown';
export { DEFAULT_PATHS, type EndpointPaths } from './http/endpoints';
export type { HttpOptions, AccessLog } from './http/recorder';
export type { NodeHandlerOptions } from './http/node';
export { matchRoutes, type RouteResolver } from './http/route';
export type { ExpressMiddleware, ExpressOptions } from './http/express';
export type { FastifyPlugin, FastifyOptions } from './http/fastify';
export type { MetricsServerOptions } from './http/metrics-server';
export { activeSpanContext, currentScope, type RequestScope } from './tracing/context';
export { extractContext, injectContext, parseTraceparent, formatTraceparent } from './tracing/propagation';
export { startTracing, type TracingHandle, type TracingOptions } from './tracing/otlp';
export { startLogExport, type LogExportHandle, type LogExportOptions } from './logging/otlp';
export type { Logger } from './logging/logger';
