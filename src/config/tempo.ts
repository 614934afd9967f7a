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
import type { StackSpec, TempoMicroservicesComponent } from '../spec/types';
import { address, listenAddress, type RenderContext } from './context';
import { isHa } from './ha';
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

/** Tempo's microservices targets, by obskit component. */
export const TEMPO_TARGETS: Readonly<Record<TempoMicroservicesComponent, string>> = {
  'tempo-distributor': 'distributor',
  'tempo-live-store': 'live-store',
  'tempo-block-builder': 'block-builder',
  'tempo-querier': 'querier',
  'tempo-query-frontend': 'query-frontend',
  'tempo-backend-scheduler': 'backend-scheduler',
  'tempo-backend-worker': 'backend-worker',
  'tempo-metrics-generator': 'metrics-generator',
};

/** The headless Service every Tempo microservice joins the memberlist ring through (the pods of all of them). */
export const TEMPO_MEMBERLIST_SERVICE = 'tempo-memberlist';
/** Headless Service listing every query-frontend pod: each querier connects to all of them for work. */
export const TEMPO_QUERY_FRONTEND_DISCOVERY_SERVICE = 'tempo-query-frontend-discovery';
/**
 * Live-store zones: each is a StatefulSet of `ha.tempo.liveStoreReplicas` holding every partition, as Tempo's own
 * deployments run them (operations/jsonnet: live-store-zone-a and -b, `-live-store.instance-availability-zone`), so
 * queriers reach every partition while a live-store of one zone is down.
 */
export const TEMPO_LIVE_STORE_ZONES = ['zone-a', 'zone-b'] as const;
/** The pod label that tells the live-store zones apart (their StatefulSets' selectors). */
export const TEMPO_ZONE_LABEL = 'tempo-live-store-zone';

/** The folder of the shared bucket Tempo keeps its objects in. */
export const TEMPO_BUCKET_PREFIX = 'tempo';
/** The topic obskit's own Kafka carries spans on (the name Tempo's examples use). */
export const TEMPO_DEFAULT_TOPIC = 'tempo-ingest';

/**
 * Whether Tempo runs its microservices: in the `ha` profile with object storage, which block-builders write and
 * queriers and backend-workers read. Otherwise one binary on its PersistentVolumeClaim.
 */
export const tempoMicroservices = (spec: StackSpec): boolean => isHa(spec) && spec.ha.objectStorage !== undefined;

/** Whether obskit deploys the Kafka Tempo's microservices need (not when ha.tempo.kafka names one). */
export const deploysKafka = (spec: StackSpec): boolean => tempoMicroservices(spec) && spec.ha.tempo.kafka === undefined;

/** Where spans are pushed (OTLP gRPC) and queried: the distributor and query-frontend in microservices mode, else `tempo`. */
export function tempoEndpoints(spec: StackSpec, ctx: RenderContext): { pushGrpc: string; query: string } {
  if (!tempoMicroservices(spec)) return { pushGrpc: address(ctx, 'tempo', 'otlpGrpc'), query: address(ctx, 'tempo', 'http') };
  return { pushGrpc: address(ctx, 'tempo-distributor', 'otlpGrpc'), query: address(ctx, 'tempo-query-frontend', 'http') };
}

/** The Kafka Tempo uses: the user's, or obskit's `kafka` Service and topic. */
export function tempoKafka(spec: StackSpec, ctx: RenderContext): { address: string; topic: string; deployed: boolean } {
  const own = spec.ha.tempo.kafka;
  if (own) return { ...own, deployed: false };
  return { address: address(ctx, 'kafka', 'client'), topic: TEMPO_DEFAULT_TOPIC, deployed: true };
}

/**
 * The one config all of Tempo's microservices read (each picks its part with `-target`): the single binary's server,
 * receivers, metrics-generator and overrides, with spans queued in Kafka (`ingest.kafka`), one partition per
 * live-store, each block-builder consuming `partitions_per_instance` of them (its pod ordinal picks which), blocks in
 * the `ha.objectStorage` bucket and the rings on memberlist. No credentials: Tempo's S3 client falls back to the
 * AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY environment (tempodb/backend/s3 `fetchCreds`), which the pods take from
 * the Secret keys the spec names (test/config/reference/tempo-3.1.0.json, `microservices`).
 */
export function renderTempoMicroservicesConfig(spec: StackSpec, ctx: RenderContext): Record<string, unknown> {
  const store = spec.ha.objectStorage;
  if (!store) throw new Error('Tempo runs its microservices only with ha.objectStorage');
  const single = renderTempoConfig(spec, ctx);
  const data = ctx.paths.tempoData;
  const p = ctx.ports;
  const tempo = spec.ha.tempo;
  const kafka = tempoKafka(spec, ctx);
  const partitions = tempo.liveStoreReplicas;
  return {
    ...single,
    server: { http_listen_port: p['tempo-distributor'].http, grpc_listen_port: p['tempo-distributor'].grpc },
    distributor: {
      receivers: {
        otlp: {
          protocols: {
            grpc: { endpoint: listenAddress(ctx, p['tempo-distributor'].otlpGrpc) },
            http: { endpoint: listenAddress(ctx, p['tempo-distributor'].otlpHttp) },
          },
        },
      },
    },
    ingest: {
      kafka: {
        address: kafka.address,
        topic: kafka.topic,
        // obskit's Kafka: Tempo creates the topic with one partition per live-store (it sets the brokers'
        // num.partitions to this, which matches theirs). A Kafka the user runs: the user creates the topic, and Tempo
        // never changes that cluster's num.partitions.
        ...(kafka.deployed ? { auto_create_topic_default_partitions: partitions } : { auto_create_topic_enabled: false }),
      },
    },
    block_builder: {
      // Block-builder N (its pod name's ordinal) consumes partitions N·k … N·k+k-1.
      partitions_per_instance: partitions / tempo.blockBuilderReplicas,
      wal: { path: `${data}/block-builder/traces` },
    },
    memberlist: {
      // dns+: every address the headless Service resolves to, i.e. every Tempo pod that is ready or starting.
      join_members: [`dns+${TEMPO_MEMBERLIST_SERVICE}:${p['tempo-distributor'].memberlist}`],
      bind_port: p['tempo-distributor'].memberlist,
      // A pod that starts before any other is still a member once the others join it.
      abort_if_cluster_join_fails: false,
    },
    querier: {
      frontend_worker: { frontend_address: `${TEMPO_QUERY_FRONTEND_DISCOVERY_SERVICE}:${p['tempo-query-frontend'].grpc}` },
    },
    backend_worker: {
      ...(single.backend_worker as Record<string, unknown>),
      backend_scheduler_addr: `${ctx.hosts['tempo-backend-scheduler']}:${p['tempo-backend-scheduler'].grpc}`,
      // Every other ring defaults to memberlist (pkg/ring, the distributor's, the live-stores' partition ring); the
      // workers' has no store by default (not sharded), and Tempo's distributed example puts it on memberlist too.
      ring: { kvstore: { store: 'memberlist' } },
    },
    storage: {
      trace: {
        backend: 's3',
        wal: { path: `${data}/wal` },
        s3: {
          bucket: store.bucket,
          // Tempo treats every top-level folder of its bucket as a tenant ("Tempo requires a bucket to maintain a
          // top-level object structure. You can use prefix … to nest all objects within a shared bucket"): the
          // bucket also holds Thanos's blocks and Loki's chunks, so Tempo's objects live under tempo/.
          prefix: TEMPO_BUCKET_PREFIX,
          endpoint: store.endpoint,
          ...(store.region ? { region: store.region } : {}),
          insecure: store.insecure ?? false,
          // As Thanos and Loki do with the same bucket: virtual-hosted style on AWS, path style elsewhere.
          forcepathstyle: !/\.amazonaws\.com(:\d+)?$/.test(store.endpoint),
        },
      },
    },
  };
}

/** Command-line flags for one of Tempo's microservices (a live-store also names its zone). */
export function tempoMicroservicesArgs(component: TempoMicroservicesComponent, opts: { configFile: string; zone?: string }): string[] {
  return [...tempoArgs(opts), `-target=${TEMPO_TARGETS[component]}`, ...(opts.zone ? [`-live-store.instance-availability-zone=${opts.zone}`] : [])];
}
