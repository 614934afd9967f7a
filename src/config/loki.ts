/**
 * Loki (pinned 3.7.8) as a single binary on the local filesystem. Keys follow
 * docs/sources/shared/configuration.md at v3.7.8 (listed in test/config/reference/loki-3.7.8.json).
 *
 * OTLP logs need nothing extra: structured metadata is allowed (it carries trace_id/span_id), and the
 * default `distributor.otlp_config.default_resource_attributes_as_index_labels` keeps `service.name` as
 * the index label `service_name` as long as `limits_config.otlp_config` does not set `ignore_defaults`.
 */
import type { StackSpec } from '../spec';
import type { RenderContext } from './context';

/**
 * First day of the only schema period. Fixed so the config is the same on every synth; a later schema
 * change appends a period starting on a future date and keeps this one.
 */
export const LOKI_SCHEMA_FROM = '2026-01-01';

export function renderLokiConfig(spec: StackSpec, ctx: RenderContext): Record<string, unknown> {
  const data = ctx.paths.lokiData;
  return {
    auth_enabled: false,
    server: {
      http_listen_address: ctx.listenHost,
      http_listen_port: ctx.ports.loki.http,
      grpc_listen_address: ctx.listenHost,
      grpc_listen_port: ctx.ports.loki.grpc,
    },
    common: {
      // The address this single binary registers in its own (in-memory) rings and that its components dial each
      // other on: its gRPC server is on this machine, and 127.0.0.1 is reachable whatever listenHost is.
      instance_addr: '127.0.0.1',
      path_prefix: data,
      storage: {
        filesystem: { chunks_directory: `${data}/chunks`, rules_directory: `${data}/rules` },
      },
      replication_factor: 1,
      ring: { kvstore: { store: 'inmemory' } },
    },
    schema_config: {
      configs: [
        {
          from: LOKI_SCHEMA_FROM,
          store: 'tsdb',
          object_store: 'filesystem',
          schema: 'v13',
          index: { prefix: 'index_', period: '24h' },
        },
      ],
    },
    limits_config: {
      // Loki's durations accept days; the spec guarantees a whole number of days (the 24h index period).
      retention_period: spec.retention.logs,
      allow_structured_metadata: true,
      volume_enabled: true,
      // intake.loki: what one push may bring; over it Loki refuses the lines and counts them by reason.
      ingestion_rate_mb: spec.intake.loki.ingestionRateMb,
      ingestion_burst_size_mb: spec.intake.loki.ingestionBurstSizeMb,
      max_line_size: spec.intake.loki.maxLineSizeBytes,
      max_label_names_per_series: spec.intake.loki.maxLabelNamesPerSeries,
      max_global_streams_per_user: spec.intake.loki.maxStreams,
    },
    compactor: {
      working_directory: `${data}/compactor`,
      retention_enabled: true,
      delete_request_store: 'filesystem',
    },
    analytics: { reporting_enabled: false },
  };
}

/** Command-line flags for `loki`. */
export function lokiArgs(opts: { configFile: string }): string[] {
  return [`-config.file=${opts.configFile}`];
}
