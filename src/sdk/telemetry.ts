import type { RequestListener, Server } from 'node:http';
import type { OutgoingHttpHeaders } from 'node:http';
import type { DestinationStream, Logger } from 'pino';
import type { OpenMetricsContentType, Registry } from 'prom-client';
import { sdkSeriesOverflow, serviceBuildInfo } from './catalog/build';
import { SERVICE_LABEL, type AnyMetricDef } from './catalog/define';
import { httpServerActiveRequests, httpServerRequestDuration } from './catalog/http';
import { Health } from './health/health';
import { handleShutdown, type ShutdownHandle, type ShutdownOptions } from './health/shutdown';
import { DEFAULT_PATHS, Endpoints, type EndpointPaths } from './http/endpoints';
import { expressMiddleware, type ExpressMiddleware, type ExpressOptions } from './http/express';
import { fastifyPlugin, type FastifyPlugin } from './http/fastify';
import { startMetricsServer, type MetricsServerOptions } from './http/metrics-server';
import { instrumentNodeHandler, type HttpKit, type NodeHandlerOptions } from './http/node';
import { HttpRecorder, type HttpOptions } from './http/recorder';
import { createLogger } from './logging/logger';
import { DEFAULT_MAX_SERIES } from './runtime/cardinality';
import { Renderer, type ExpositionFormat } from './runtime/exposition';
import {
  createInstrument,
  type Counter,
  type CounterDef,
  type Gauge,
  type GaugeDef,
  type Histogram,
  type HistogramDef,
  type InstrumentContext,
  type InstrumentFor,
  type Summary,
  type SummaryDef,
} from './runtime/instruments';
import { createRegistry } from './runtime/registry';
import { currentScope } from './tracing/context';
import { resolveServiceName, resolveServiceVersion, resourceAttributesFromEnv } from './tracing/env';
import { injectActive } from './tracing/propagation';

export interface TelemetryOptions {
  /** The `service_name` label on every series and log line. Default `OTEL_SERVICE_NAME`, then `OTEL_RESOURCE_ATTRIBUTES`. */
  readonly serviceName?: string;
  /** `service_build_info{service_version}`. Default `service.version` in `OTEL_RESOURCE_ATTRIBUTES`, then `npm_package_version`. */
  readonly serviceVersion?: string;
  /** `service_build_info{vcs_revision}`. Default `vcs.ref.head.revision` in `OTEL_RESOURCE_ATTRIBUTES`. */
  readonly vcsRevision?: string;
  /** Domain metrics to create up front (so they are exposed before their first observation). */
  readonly metrics?: readonly AnyMetricDef[];
  /** prom-client's default process/runtime metrics. Default true. */
  readonly defaultMetrics?: boolean;
  /** Cap on distinct label sets per metric (a definition's `maxSeries` wins). Default 2000. */
  readonly maxSeries?: number;
  /** Log level (default `LOG_LEVEL` or `info`) and destination (default stdout). */
  readonly log?: { readonly level?: string; readonly destination?: DestinationStream };
  readonly http?: HttpOptions;
  /** Where the endpoints are served. Default `/metrics`, `/health/live`, `/health/ready`. */
  readonly paths?: Partial<EndpointPaths>;
}

const UNKNOWN = 'unknown';

/**
 * One service's telemetry: a prom-client registry labelled with `service_name`, typed instruments for
 * catalog metrics, HTTP instrumentation for node:http, Express and Fastify, `/metrics` with OpenMetrics
 * negotiation and exemplars, health endpoints and graceful shutdown, and a JSON logger that carries trace ids.
 */
export class Telemetry {
  readonly serviceName: string;
  readonly registry: Registry<OpenMetricsContentType>;
  readonly logger: Logger;
  readonly health = new Health();
  readonly endpoints: Endpoints;
  private readonly renderer: Renderer;
  private readonly instruments = new Map<string, { def: AnyMetricDef; instrument: unknown }>();
  private readonly ctx: InstrumentContext;
  private readonly kit: HttpKit;
  private readonly overflow: Counter<typeof sdkSeriesOverflow>;
  private readonly servers = new Set<Server>();
  private readonly shutdowns = new Set<ShutdownHandle>();

  constructor(options: TelemetryOptions = {}) {
    const serviceName = resolveServiceName(options.serviceName);
    if (!serviceName) {
      throw new Error('createTelemetry: serviceName is required (pass { serviceName } or set OTEL_SERVICE_NAME)');
    }
    this.serviceName = serviceName;
    this.registry = createRegistry({ serviceName, defaultMetrics: options.defaultMetrics });
    this.renderer = new Renderer(Object.freeze({ [SERVICE_LABEL]: serviceName }));
    this.logger = createLogger({ serviceName, level: options.log?.level, destination: options.log?.destination });
    this.ctx = {
      registry: this.registry,
      maxSeries: options.maxSeries ?? DEFAULT_MAX_SERIES,
      onFold: (metricName) => this.overflow.add(this.overflow.series([metricName]), 1, undefined),
    };
    this.overflow = this.counter(sdkSeriesOverflow);
    const paths = { ...DEFAULT_PATHS, ...options.paths };
    this.endpoints = new Endpoints({ render: (format) => this.metrics(format), health: this.health }, paths);
    const recorder = new HttpRecorder(
      {
        duration: this.histogram(httpServerRequestDuration),
        active: this.gauge(httpServerActiveRequests),
        logger: this.logger,
      },
      options.http ?? {},
      Object.values(paths),
    );
    this.kit = { recorder, endpoints: this.endpoints, logger: this.logger };
    const attrs = resourceAttributesFromEnv();
    this.gauge(serviceBuildInfo).set(
      {
        service_version: resolveServiceVersion(options.serviceVersion) ?? process.env.npm_package_version ?? UNKNOWN,
        vcs_revision: options.vcsRevision ?? attrs['vcs.ref.head.revision'] ?? UNKNOWN,
        process_runtime_version: process.versions.node,
      },
      1,
    );
    for (const def of options.metrics ?? []) this.instrument(def);
  }

  /** The instrument for a catalog definition (created on first use; the same one afterwards). */
  instrument<D extends AnyMetricDef>(def: D): InstrumentFor<D> {
    const existing = this.instruments.get(def.name);
    if (existing) {
      if (existing.def !== def && JSON.stringify(existing.def) !== JSON.stringify(def)) {
        throw new Error(`metric "${def.name}" is already defined differently in this telemetry`);
      }
      return existing.instrument as InstrumentFor<D>;
    }
    if (def.origin === 'runtime') {
      throw new Error(`metric "${def.name}" is emitted by prom-client's default metrics; it has no instrument`);
    }
    const instrument = createInstrument(def, this.ctx);
    this.instruments.set(def.name, { def, instrument });
    return instrument;
  }

  counter<D extends CounterDef>(def: D): Counter<D> {
    return this.instrument(def) as unknown as Counter<D>;
  }

  gauge<D extends GaugeDef>(def: D): Gauge<D> {
    return this.instrument(def) as unknown as Gauge<D>;
  }

  histogram<D extends HistogramDef>(def: D): Histogram<D> {
    return this.instrument(def) as unknown as Histogram<D>;
  }

  summary<D extends SummaryDef>(def: D): Summary<D> {
    return this.instrument(def) as unknown as Summary<D>;
  }

  /** The exposition text, in Prometheus text format (default) or OpenMetrics (with exemplars). */
  metrics(format: ExpositionFormat = 'prometheus'): Promise<string> {
    return this.renderer.render(this.registry, format);
  }

  /** node:http listener for `/metrics` alone (content-negotiated); use it in your own router. */
  readonly metricsHandler: RequestListener = (req, res) => {
    if (this.endpoints.handle(req, res)) return;
    res.writeHead(404).end();
  };

  /** Wraps a node:http request listener (see NodeHandlerOptions for route templates). */
  http(handler: RequestListener, options?: NodeHandlerOptions): RequestListener {
    return instrumentNodeHandler(this.kit, handler, options);
  }

  /** Express middleware; `app.use(telemetry.express())` before the routes. */
  express(options?: ExpressOptions): ExpressMiddleware {
    return expressMiddleware(this.kit, options);
  }

  /** Fastify plugin; `await app.register(telemetry.fastify)`. */
  get fastify(): FastifyPlugin {
    return fastifyPlugin(this.kit);
  }

  /** Serves `/metrics` and the health endpoints on their own port. Closed by `close()`. */
  async startMetricsServer(options?: MetricsServerOptions): Promise<Server> {
    const server = await startMetricsServer(this.endpoints, options);
    this.servers.add(server);
    server.once('close', () => this.servers.delete(server));
    return server;
  }

  /** Graceful shutdown on SIGTERM/SIGINT: readiness 503 first, then drain, close servers, run hooks, exit. */
  handleShutdown(options?: ShutdownOptions): ShutdownHandle {
    const handle = handleShutdown(this.health, this.logger, options);
    this.shutdowns.add(handle);
    return handle;
  }

  /**
   * Adds `traceparent`/`tracestate` of the active trace and the request's correlation id to outgoing
   * headers, so the next service continues the trace. Returns the headers.
   */
  injectHeaders<H extends OutgoingHttpHeaders>(headers: H = {} as H): H {
    const scope = currentScope();
    injectActive(headers, scope?.spanContext);
    if (scope) (headers as OutgoingHttpHeaders)[this.kit.recorder.correlationHeader] = scope.correlationId;
    return headers;
  }

  /** Stops what this telemetry started (metrics servers, signal handlers) and empties its registry. */
  async close(): Promise<void> {
    for (const handle of this.shutdowns) handle.dispose();
    this.shutdowns.clear();
    await Promise.all(
      [...this.servers].map(
        (s) =>
          new Promise<void>((resolve) => {
            s.close(() => resolve());
            s.closeAllConnections();
          }),
      ),
    );
    this.registry.clear();
  }
}

/** Creates the telemetry of one service. See TelemetryOptions. */
export function createTelemetry(options: TelemetryOptions = {}): Telemetry {
  return new Telemetry(options);
}
