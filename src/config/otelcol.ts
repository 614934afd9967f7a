import { parsePrometheusDuration } from '../spec/duration';
import { RESOURCE_KEYS_KEPT, type AttributeLimits, type SecretRef, type StackSpec, type TailSamplingSpec } from '../spec';
import { address, listenAddress, type RenderContext } from './context';
import { fileReceiver } from './filelog';
import { isHa } from './ha';
import { lokiEndpoints } from './loki';
import { tempoEndpoints } from './tempo';
import { escapeRegex } from '../promql/regex';

/**
 * OpenTelemetry Collector config for the pinned contrib release (src/spec/versions.ts). Component names are
 * those of that release: `otlp_grpc` and `otlp_http` exporters (`otlp`/`otlphttp` are deprecated aliases),
 * and Loki and Prometheus are reached through their native OTLP endpoints.
 *
 * Every component used here must be in tools/otelcol/builder-config.yaml, or the test build cannot validate it.
 */

/** The authenticator OTLP receivers use when `intake.otlpToken` is set. */
export const OTLP_AUTHENTICATOR = 'bearertokenauth/otlp';
/** The processor masking `intake.maskAttributes`. */
const MASK = 'redaction/mask';

/** Where the collector reads a secret: `<collectorSecrets>/<name>/<key>` (a mounted Secret, or a compose secret). */
export function collectorSecretFile(ctx: RenderContext, ref: SecretRef): string {
  return `${ctx.paths.collectorSecrets}/${ref.name}/${ref.key}`;
}

/** Every secret the collector reads. */
export const collectorSecrets = (spec: StackSpec): SecretRef[] => (spec.intake.otlpToken ? [spec.intake.otlpToken] : []);

/** The head sampler of the traces pipeline (`sampling.tracesPercent` below 100). */
const SAMPLER = 'probabilistic_sampler/traces';
const sampled = (spec: StackSpec) => spec.sampling.tracesPercent < 100;
/** The tail sampler of the traces pipeline (`sampling.tail`). */
const TAIL_SAMPLER = 'tail_sampling/traces';
/** The processor deleting `intake.dropAttributes` from span, log record and data point attributes. */
const DROP = 'attributes/drop';

/**
 * Kubernetes runs several collector replicas; tail sampling needs every span of a trace at one of them. So there the
 * `traces` pipeline only routes: the `loadbalancing` exporter (contrib v0.161.0) hashes each span's trace id onto the
 * replicas it finds behind the headless Service, and the replica owning the trace runs the sampling pipeline on its
 * `otlp/routed` receiver. Compose runs one collector and samples in place. The `ha` profile always routes: its node
 * agents send traces straight to the owning gateway's `otlp/routed` port, so the gateways also spread the load.
 */
export const routesTraces = (spec: StackSpec, ctx: RenderContext): boolean =>
  ctx.target === 'kubernetes' && (spec.sampling.tail !== undefined || isHa(spec));
const ROUTED = 'otlp/routed';
export const ROUTER = 'load_balancing/traces';
/** The headless Service whose DNS name lists every ready and starting collector pod. */
export const collectorPeersHost = (ctx: RenderContext): string => `${ctx.hosts.collector}-headless`;

/**
 * The `loadbalancing` exporter (contrib v0.161.0) sending each span to the collector that owns its trace id, among those
 * the DNS name resolves to (a headless Service: one address per ready pod), on their `otlp/routed` port.
 */
export function traceRouter(peersHost: string, port: number): Record<string, unknown> {
  return {
    routing_key: 'traceID',
    // The router splits every export into one request per trace, so its queue counts spans, not requests, and
    // a full queue holds the receiver back (the sender retries) instead of dropping spans.
    protocol: {
      otlp: {
        tls: { insecure: true },
        ...delivery(),
        sending_queue: { enabled: true, num_consumers: 8, sizer: 'items', queue_size: 50_000, block_on_overflow: true },
      },
    },
    resolver: { dns: { hostname: peersHost, port: String(port) } },
  };
}

/** The transform processor capping attribute values and counts (`intake.attributeLimits`). */
const LIMITS = 'transform/limits';
const limited = (spec: StackSpec) => spec.intake.attributeLimits.valueLength > 0 || spec.intake.attributeLimits.count > 0;

/**
 * The transform processor's statements (contrib v0.161.0, OTTL `truncate_all` and `limit`) for one signal. Errors are
 * ignored so a statement that cannot apply never drops the item; `limit` keeps the resource keys everything is found by.
 */
function limitStatements(limits: AttributeLimits, contexts: readonly string[]): Record<string, unknown>[] {
  return contexts.map((context) => {
    const kept = context === 'resource' ? RESOURCE_KEYS_KEPT.map((k) => JSON.stringify(k)).join(', ') : '';
    return {
      context,
      statements: [
        ...(limits.valueLength > 0 ? [`truncate_all(${context}.attributes, ${limits.valueLength})`] : []),
        ...(limits.count > 0 ? [`limit(${context}.attributes, ${limits.count}, [${kept}])`] : []),
      ],
    };
  });
}

const millis = (duration: string) => parsePrometheusDuration(duration) ?? 0;

/**
 * The tail_sampling processor (contrib v0.162.0): a trace is kept when any policy says so — an error span, a
 * duration at or over the threshold, or the probabilistic share (hashed from the trace id) of the rest.
 */
function tailSampler(tail: TailSamplingSpec): Record<string, unknown> {
  const policies: Record<string, unknown>[] = [];
  if (tail.keepErrors) policies.push({ name: 'errors', type: 'status_code', status_code: { status_codes: ['ERROR'] } });
  if (tail.slowerThan) policies.push({ name: 'slow', type: 'latency', latency: { threshold_ms: millis(tail.slowerThan) } });
  policies.push({ name: 'rest', type: 'probabilistic', probabilistic: { sampling_percentage: tail.percent } });
  return { decision_wait: `${millis(tail.decisionWait)}ms`, policies };
}

/**
 * In this order: shed load first, then (traces) drop what head or tail sampling does not keep, delete and mask
 * unbounded attributes, stamp the environment (and delete dropped resource attributes), cap what is left (traces and
 * logs; after the stamp, so a resource's count includes it and keeps it), and batch.
 */
const processors = (spec: StackSpec, signal: 'traces' | 'metrics' | 'logs') => [
  'memory_limiter',
  ...(signal === 'traces' && sampled(spec) ? [SAMPLER] : []),
  ...(signal === 'traces' && spec.sampling.tail ? [TAIL_SAMPLER] : []),
  ...(spec.intake.dropAttributes.length > 0 ? [DROP] : []),
  ...(spec.intake.maskAttributes.length > 0 ? [MASK] : []),
  'resource',
  ...(signal !== 'metrics' && limited(spec) ? [LIMITS] : []),
  'batch',
];


/** Bounded queue and retries, the same for every exporter: a backend outage costs memory up to a cap, not OOM. */
const delivery = () => ({
  timeout: '10s',
  sending_queue: { enabled: true, num_consumers: 4, queue_size: 1000 },
  retry_on_failure: { enabled: true, initial_interval: '5s', max_interval: '30s', max_elapsed_time: '5m' },
});

/** The filelog receiver tailing `intake.logFiles` (compose only: in Kubernetes the node agent tails pod logs). */
export const FILE_LOGS = 'filelog/files';
export const tailsFiles = (spec: StackSpec, ctx: RenderContext): boolean =>
  ctx.target === 'compose' && spec.intake.logFiles.hostPath !== undefined;

export function renderCollectorConfig(spec: StackSpec, ctx: RenderContext): Record<string, unknown> {
  const ports = ctx.ports.collector;
  const { otlpToken, maskAttributes, dropAttributes } = spec.intake;
  const routes = routesTraces(spec, ctx);
  // With a token, both protocols refuse a request without it (HTTP 401, gRPC Unauthenticated).
  const auth = otlpToken ? { auth: { authenticator: OTLP_AUTHENTICATOR } } : {};
  return {
    receivers: {
      otlp: {
        protocols: {
          grpc: { endpoint: listenAddress(ctx, ports.otlpGrpc), ...auth },
          http: { endpoint: listenAddress(ctx, ports.otlpHttp), ...auth },
        },
      },
      ...(tailsFiles(spec, ctx) && { [FILE_LOGS]: fileReceiver(ctx.paths.logFiles, spec.intake.logFiles.include) }),
      // Only the other collectors send here (NetworkPolicy): spans already admitted by a replica's otlp receiver.
      ...(routes && { [ROUTED]: { protocols: { grpc: { endpoint: listenAddress(ctx, ports.otlpRouted) } } } }),
    },
    processors: {
      ...(sampled(spec) && {
        // contrib v0.162.0. `proportional`: OpenTelemetry's consistent probability sampling, decided from the trace id's
        // randomness (and recorded in tracestate `ot=th:`), so every replica keeps or drops a whole trace alike.
        [SAMPLER]: { mode: 'proportional', sampling_percentage: spec.sampling.tracesPercent },
      }),
      ...(spec.sampling.tail && { [TAIL_SAMPLER]: tailSampler(spec.sampling.tail) }),
      ...(dropAttributes.length > 0 && {
        // The attributes processor (contrib v0.162.0) acts on span, log record and data point attributes; resource
        // attributes are deleted by the resource processor below.
        [DROP]: { actions: dropAttributes.map((key) => ({ key, action: 'delete' })) },
      }),
      ...(maskAttributes.length > 0 && {
        // The redaction processor (contrib v0.162.0) replaces the value of every attribute whose key matches, on
        // resources, scopes, spans, span events, log records and data points; every other attribute passes as is.
        [MASK]: {
          allow_all_keys: true,
          blocked_key_patterns: maskAttributes.map((key) => `^${escapeRegex(key)}$`),
          redact_all_types: true,
          summary: 'silent',
        },
      }),
      ...(limited(spec) && {
        [LIMITS]: {
          error_mode: 'ignore',
          trace_statements: limitStatements(spec.intake.attributeLimits, ['resource', 'span', 'spanevent']),
          log_statements: limitStatements(spec.intake.attributeLimits, ['resource', 'log']),
        },
      }),
      // Percentages of the container's memory limit (cgroup), so the limit follows spec.resources.
      memory_limiter: { check_interval: '1s', limit_percentage: 80, spike_limit_percentage: 25 },
      resource: {
        attributes: [
          { key: 'deployment.environment.name', value: spec.environment, action: 'upsert' },
          ...dropAttributes.map((key) => ({ key, action: 'delete' })),
        ],
      },
      batch: { send_batch_size: 8192, send_batch_max_size: 16384, timeout: '1s' },
    },
    exporters: {
      ...(routes && {
        [ROUTER]: traceRouter(collectorPeersHost(ctx), ports.otlpRouted),
      }),
      'otlp_grpc/tempo': {
        endpoint: tempoEndpoints(spec, ctx).pushGrpc,
        tls: { insecure: true },
        ...delivery(),
      },
      // The exporter appends /v1/logs and /v1/metrics to these base endpoints.
      'otlp_http/loki': {
        endpoint: `http://${lokiEndpoints(spec, ctx).push}/otlp`,
        ...delivery(),
      },
      'otlp_http/prometheus': {
        endpoint: `http://${address(ctx, 'prometheus', 'http')}/api/v1/otlp`,
        ...delivery(),
      },
    },
    extensions: {
      health_check: { endpoint: listenAddress(ctx, ports.health) },
      // The token is read from a file (first word of its first line), never written here.
      ...(otlpToken && { [OTLP_AUTHENTICATOR]: { filename: collectorSecretFile(ctx, otlpToken) } }),
    },
    service: {
      extensions: ['health_check', ...(otlpToken ? [OTLP_AUTHENTICATOR] : [])],
      telemetry: {
        logs: { level: 'info', encoding: 'json' },
        metrics: {
          level: 'normal',
          readers: [
            {
              pull: {
                exporter: {
                  prometheus: {
                    host: ctx.listenHost,
                    port: ports.metrics,
                    // The reader's defaults (both true) drop `_total` and unit suffixes. With them off the
                    // collector's metrics follow Prometheus naming (otelcol_exporter_send_failed_spans_total,
                    // otelcol_process_uptime_seconds_total), which the stack-health rules rely on; the
                    // collector test scrapes a running collector to check every name the rules use.
                    without_type_suffix: false,
                    without_units: false,
                  },
                },
              },
            },
          ],
        },
      },
      pipelines: {
        ...(routes
          ? {
              traces: { receivers: ['otlp'], processors: ['memory_limiter'], exporters: [ROUTER] },
              'traces/sampled': { receivers: [ROUTED], processors: processors(spec, 'traces'), exporters: ['otlp_grpc/tempo'] },
            }
          : { traces: { receivers: ['otlp'], processors: processors(spec, 'traces'), exporters: ['otlp_grpc/tempo'] } }),
        metrics: { receivers: ['otlp'], processors: processors(spec, 'metrics'), exporters: ['otlp_http/prometheus'] },
        logs: { receivers: ['otlp', ...(tailsFiles(spec, ctx) ? [FILE_LOGS] : [])], processors: processors(spec, 'logs'), exporters: ['otlp_http/loki'] },
      },
    },
  };
}

/** Command-line flags for the collector. */
export function collectorArgs(opts: { configFile: string }): string[] {
  return [`--config=${opts.configFile}`];
}
