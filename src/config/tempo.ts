/**
 * Tempo (pinned 3.1.0) in monolithic mode (`-target=all`, the default): no Kafka, the distributor pushes
 * in-process to the live-store and the metrics-generator; blocks go to local storage; the backend
 * scheduler and worker (which replaced the compactor in 3.0) apply retention. Keys follow the Tempo 3
 * configuration reference (listed in test/config/reference/tempo-3.1.0.json); Tempo 2.x blocks
 * (`ingester`, `compactor`, `metrics_generator_client`, flat overrides) are gone in 3.x.
 *
 * Every path Tempo writes is named under `ctx.paths.tempoData`: /var/tempo, the directory the Tempo image creates
 * for its user (src/spec/images.ts), where compose and Kubernetes mount its volume.
 */
import { toGoDuration } from '../spec/duration';
import type { StackSpec } from '../spec/types';
import { listenAddress, type RenderContext } from './context';
import { SERVICE_LABEL, TRACE_ID_LABEL } from './grafana';

/** Processors enabled for every tenant (monolithic Tempo runs single-tenant). */
export const TEMPO_METRICS_GENERATOR_PROCESSORS = ['service-graphs', 'span-metrics'] as const;

export function renderTempoConfig(spec: StackSpec, ctx: RenderContext): Record<string, unknown> {
  const data = ctx.paths.tempoData;
  const retention = toGoDuration(spec.retention.traces);
  const prometheus = `http://${ctx.hosts.prometheus}:${ctx.ports.prometheus.http}`;
  return {
    // Grafana's Tempo datasource streams search and metrics results over HTTP.
    stream_over_http_enabled: true,
    server: {
      http_listen_port: ctx.ports.tempo.http,
      grpc_listen_port: ctx.ports.tempo.grpc,
    },
    // GOMEMLIMIT from the container's memory limit.
    memory: { automemlimit_enabled: true },
    distributor: {
      receivers: {
        otlp: {
          protocols: {
            // The OTLP receivers bind to localhost unless told otherwise.
            grpc: { endpoint: listenAddress(ctx, ctx.ports.tempo.otlpGrpc) },
            http: { endpoint: listenAddress(ctx, ctx.ports.tempo.otlpHttp) },
          },
        },
      },
    },
    live_store: {
      wal: { path: `${data}/live-store/traces` },
      shutdown_marker_dir: `${data}/live-store/shutdown-marker`,
    },
    backend_scheduler: {
      local_work_path: `${data}/backend-scheduler`,
      provider: { compaction: { compaction: { block_retention: retention } } },
    },
    backend_worker: {
      compaction: { block_retention: retention },
    },
    metrics_generator: {
      processor: {
        span_metrics: {
          // Span metrics keep Tempo's own `service` label (Grafana's service graph queries it) and also
          // carry the stack-wide `service_name`, which trace-to-metrics links and dashboards use.
          dimension_mappings: [{ name: SERVICE_LABEL, source_labels: ['service.name'] }],
        },
      },
      storage: {
        path: `${data}/generator/wal`,
        remote_write: [{ url: `${prometheus}/api/v1/write`, send_exemplars: true }],
      },
    },
    storage: {
      trace: {
        backend: 'local',
        wal: { path: `${data}/wal` },
        local: { path: `${data}/blocks` },
      },
    },
    overrides: {
      defaults: {
        // Ingestion limits (spec.intake.tempo): keys as in Tempo 3's configuration reference.
        ingestion: {
          rate_limit_bytes: spec.intake.tempo.rateLimitBytes,
          burst_size_bytes: spec.intake.tempo.burstSizeBytes,
          max_traces_per_user: spec.intake.tempo.maxTracesPerUser,
        },
        global: { max_bytes_per_trace: spec.intake.tempo.maxBytesPerTrace },
        metrics_generator: {
          processors: [...TEMPO_METRICS_GENERATOR_PROCESSORS],
          // Tempo's default exemplar label is `traceID`; the stack's is `trace_id`.
          trace_id_label_name: TRACE_ID_LABEL,
        },
      },
    },
    usage_report: { reporting_enabled: false },
  };
}

/** Command-line flags for `tempo`. */
export function tempoArgs(opts: { configFile: string }): string[] {
  return [`-config.file=${opts.configFile}`];
}
