/**
 * Loki (pinned 3.7.8) as a single binary on the local filesystem. Keys follow
 * docs/sources/shared/configuration.md at v3.7.8 (listed in test/config/reference/loki-3.7.8.json).
 *
 * OTLP logs need nothing extra: structured metadata is allowed (it carries trace_id/span_id), and the
 * default `distributor.otlp_config.default_resource_attributes_as_index_labels` keeps `service.name` as
 * the index label `service_name` as long as `limits_config.otlp_config` does not set `ignore_defaults`.
 */
import type { LokiScalableComponent, StackSpec } from '../spec';
import { address, type RenderContext } from './context';
import { isHa } from './ha';

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

/** Loki's simple scalable targets, by obskit component. */
export const LOKI_TARGETS: Readonly<Record<LokiScalableComponent, 'write' | 'read' | 'backend'>> = {
  'loki-write': 'write',
  'loki-read': 'read',
  'loki-backend': 'backend',
};

/** The headless Service every Loki target joins the memberlist ring through (its pods, all three targets). */
export const LOKI_MEMBERLIST_SERVICE = 'loki-memberlist';

/**
 * Whether Loki runs its simple scalable targets: in the `ha` profile with object storage, which they share (the
 * write target flushes chunks and index there, read queries them, backend compacts them). Otherwise one binary.
 */
export const lokiScalable = (spec: StackSpec): boolean => isHa(spec) && spec.ha.objectStorage !== undefined;

/** Where the collector pushes logs and Grafana reads them: the write and read targets when scalable, else `loki`. */
export function lokiEndpoints(spec: StackSpec, ctx: RenderContext): { push: string; query: string } {
  if (!lokiScalable(spec)) return { push: address(ctx, 'loki', 'http'), query: address(ctx, 'loki', 'http') };
  return { push: address(ctx, 'loki-write', 'http'), query: address(ctx, 'loki-read', 'http') };
}

/**
 * The one config all three simple scalable targets read (each picks its part with `-target`): the single binary's
 * server, limits, schema and retention, with chunks and index in the `ha.objectStorage` bucket, the rings on
 * memberlist and `ha.loki.replicationFactor` copies of each stream. No credentials: Loki's S3 client falls back to
 * the AWS SDK's default chain, so it reads AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, which the pods take from the
 * Secret keys the spec names (test/config/reference/loki-3.7.8.json, `s3Credentials`).
 */
export function renderLokiScalableConfig(spec: StackSpec, ctx: RenderContext): Record<string, unknown> {
  const store = spec.ha.objectStorage;
  if (!store) throw new Error('Loki runs its scalable targets only with ha.objectStorage');
  const single = renderLokiConfig(spec, ctx);
  const data = ctx.paths.lokiData;
  const [period] = (single.schema_config as { configs: Record<string, unknown>[] }).configs;
  const backend = ctx.ports['loki-backend'];
  return {
    ...single,
    common: {
      path_prefix: data,
      storage: {
        s3: {
          bucketnames: store.bucket,
          endpoint: store.endpoint,
          ...(store.region ? { region: store.region } : {}),
          insecure: store.insecure ?? false,
          // As Thanos does with the same bucket: virtual-hosted style on AWS, path style elsewhere (MinIO and others).
          s3forcepathstyle: !/\.amazonaws\.com(:\d+)?$/.test(store.endpoint),
        },
      },
      replication_factor: spec.ha.loki.replicationFactor,
      ring: { kvstore: { store: 'memberlist' } },
      // Queriers fetch delete requests from the compactor, which the backend target runs.
      compactor_address: `http://${ctx.hosts['loki-backend']}:${backend.http}`,
    },
    memberlist: {
      // dns+: every address the headless Service resolves to, i.e. every Loki pod that is ready or starting.
      join_members: [`dns+${LOKI_MEMBERLIST_SERVICE}:${backend.memberlist}`],
      bind_port: backend.memberlist,
    },
    schema_config: { configs: [{ ...period, object_store: 's3' }] },
    compactor: { ...(single.compactor as Record<string, unknown>), delete_request_store: 's3' },
  };
}

/** Command-line flags for one simple scalable target. */
export function lokiScalableArgs(component: LokiScalableComponent, opts: { configFile: string }): string[] {
  return [...lokiArgs(opts), `-target=${LOKI_TARGETS[component]}`];
}
