import type { MixinUse } from '../mixin/define';

/**
 * The typed stack spec: what a platform team edits to describe its observability stack.
 * `StackSpecInput` is what you write (most fields optional); `StackSpec` is the same with every
 * default filled in, which is what renderers receive.
 */

/** A Prometheus duration: `30s`, `5m`, `1h30m`, `15d`, `2w`. */
export type Duration = string;
/** A Kubernetes resource quantity: `500m`, `1`, `256Mi`, `20Gi`. */
export type Quantity = string;

export const SEVERITIES = ['critical', 'warning', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** The parts every stack runs (both profiles, compose and Kubernetes). */
export const COMPONENTS = ['collector', 'prometheus', 'alertmanager', 'grafana', 'loki', 'tempo', 'blackbox'] as const;
/** Loki's simple scalable targets (`-target=write|read|backend`), each a workload of its own. */
export const LOKI_SCALABLE_COMPONENTS = ['loki-write', 'loki-read', 'loki-backend'] as const;
export type LokiScalableComponent = (typeof LOKI_SCALABLE_COMPONENTS)[number];
/** Tempo's microservices (`-target=distributor|live-store|…`), each a workload of its own. */
export const TEMPO_MICROSERVICES_COMPONENTS = [
  'tempo-distributor',
  'tempo-live-store',
  'tempo-block-builder',
  'tempo-querier',
  'tempo-query-frontend',
  'tempo-backend-scheduler',
  'tempo-backend-worker',
  'tempo-metrics-generator',
] as const;
export type TempoMicroservicesComponent = (typeof TEMPO_MICROSERVICES_COMPONENTS)[number];
/**
 * The parts only the `ha` profile runs, in Kubernetes: Thanos (none with `ha.externalStore`), and Loki's simple
 * scalable targets and Tempo's microservices (with `ha.objectStorage`: they replace the single-binary `loki` and
 * `tempo`), and the Kafka Tempo's microservices share (none with `ha.tempo.kafka`).
 */
export const HA_COMPONENTS = ['thanos-receive', 'thanos-query', ...LOKI_SCALABLE_COMPONENTS, ...TEMPO_MICROSERVICES_COMPONENTS, 'kafka'] as const;
/**
 * The parts only Kubernetes runs, when a stack mixin in use reads the cluster (`kubernetesSources`, the `kubernetes`
 * mixin by default): compose has no cluster to describe.
 */
export const CLUSTER_COMPONENTS = ['kubeStateMetrics'] as const;
export const ALL_COMPONENTS = [...COMPONENTS, ...HA_COMPONENTS, ...CLUSTER_COMPONENTS] as const;
export type Component = (typeof ALL_COMPONENTS)[number];

export const STATEFUL_COMPONENTS = ['prometheus', 'alertmanager', 'grafana', 'loki', 'tempo'] as const;
export type StatefulComponent = (typeof STATEFUL_COMPONENTS)[number];

/**
 * A secret is never written into the spec or any generated file, only referenced:
 * in Kubernetes the key `key` of the Secret `name` (you create it); in compose the file
 * `compose/secrets/<name>/<key>` (you create it; git ignores that folder).
 */
export interface SecretRef {
  readonly name: string;
  readonly key: string;
}

export const INGEST_MODES = ['scrape', 'otlp'] as const;
/**
 * How a service's metrics reach Prometheus: `scrape` (default), Prometheus scrapes `http://<host>:<port><metricsPath>`;
 * `otlp`, the service pushes OTLP to the collector (short-lived jobs, CLI hooks, CI runs) and has no scrape job.
 */
export type IngestMode = (typeof INGEST_MODES)[number];

/** Default `staleAfter` of a push-only service: with no pushed sample for this long it counts as down. */
export const DEFAULT_PUSH_STALE_AFTER = '5m';

/** A service obskit observes: Prometheus scrapes `http://<host>:<port><metricsPath>`, or the service pushes OTLP. */
export interface ServiceSpec {
  readonly name: string;
  /** `scrape` by default; `otlp` for a push-only service (no scrape job; ServiceDown fires on missing fresh samples). */
  readonly ingest?: IngestMode;
  /** The metrics port; required for a scraped service, not used by a push-only one. */
  readonly port?: number;
  readonly metricsPath?: string;
  /**
   * Where compose's Prometheus reaches it; defaults to the service name (a compose service). `host.docker.internal`
   * (a process on the machine running compose) makes compose map that name to the host's gateway (`extra_hosts`).
   */
  readonly host?: string;
  /**
   * Compose runs obskit's simulator in its place (src/sdk/simulate): every metric of its mixins, with plausible
   * values, so its dashboards have data before the real service exists. Remove it (and set `host` if needed) when
   * the real service runs.
   */
  readonly simulated?: boolean;
  /**
   * Push-only services: how long without a pushed sample (Prometheus's `target_info` of the service) before the
   * service counts as down; ServiceDown then waits `stackHealth({ serviceDownFor })` more. `5m` by default (DEFAULT_PUSH_STALE_AFTER).
   * A job that pushes hourly wants more than `1h`.
   */
  readonly staleAfter?: Duration;
  /** Kubernetes: the namespace of the Service named `name`; the stack's namespace by default. */
  readonly namespace?: string;
  /**
   * Health endpoints the stack probes (the blackbox exporter's `http_2xx` module, from Prometheus at the scrape
   * interval): ServiceHealthCheckFailing fires when one answers anything but 2xx, or nothing, for `stackHealth({ healthCheckFor })`.
   */
  readonly healthChecks?: readonly HealthCheckSpec[];
  readonly scrapeInterval?: Duration;
  /** This service's scrape limits, over `scrapeLimits`. */
  readonly scrapeLimits?: Partial<ScrapeLimits>;
  /**
   * What the service emits, as mixins with their config: `[http({ buckets: [...] }), pythonRuntime()]`. Its
   * dashboards, alerts, recording rules and the metrics its SLOs may read all follow from this list.
   */
  readonly mixins?: readonly MixinUse[];
  /** Service level objectives on any SLI of its mixins' metrics, with multi-window multi-burn-rate alerts. */
  readonly slos?: readonly SloSpec[];
  /**
   * Where this service's alerts go, by severity, ahead of `alerting.routes` (severities not listed here follow
   * `alerting.routes`). For a team that owns the service: `[{ severity: 'critical', receiver: 'payments-pager' }]`.
   */
  readonly routes?: readonly SeverityRoute[];
}

/** One health endpoint: `http://<host>:<port><path>` (in Kubernetes `<name>.<namespace>.svc`), healthy when it answers 2xx. */
export interface HealthCheckSpec {
  /** An absolute path such as `/health/ready`. */
  readonly path: string;
  /** The port it is served on; the service's `port` by default (required for a push-only service). */
  readonly port?: number;
}

/**
 * Guards on one scrape (Prometheus's per-job `sample_limit`, `label_limit`, `label_value_length_limit`). A scrape
 * over any of them fails as a whole: none of its samples is stored, the target's `up` is 0 (so TargetDown and
 * ServiceDown speak), and other targets are unaffected. 0 turns a limit off.
 */
export interface ScrapeLimits {
  /** Samples one scrape may return after relabeling. */
  readonly sampleLimit: number;
  /** Labels one series may carry. */
  readonly labelLimit: number;
  /** Characters one label value may have. */
  readonly labelValueLengthLimit: number;
}

/** Label matchers of an SLI: label → regular expression the value must match whole (`{ code: '5..' }`). */
export type SliMatchers = Readonly<Record<string, string>>;

interface SliBase {
  /** A counter or histogram (its `_count`) of one of the service's mixins. */
  readonly metric: string;
  /** Which of the metric's events the SLO counts at all (every event when omitted). */
  readonly total?: SliMatchers;
  /** What one event is, for alert texts: `requests` (default `events`). */
  readonly events?: string;
  /** What makes an event bad, for alert texts: `failed (5xx)`. */
  readonly badEvents?: string;
}

/**
 * Bad events counted by a counter (or histogram) of their own, such as `capture_errors_total` beside
 * `memories_captured_total`.
 */
export interface BadEventsMetric {
  /** A counter or histogram (its `_count`) of one of the service's mixins. */
  readonly metric: string;
  /** Which of its events are the SLI's bad ones (every event when omitted). */
  readonly matchers?: SliMatchers;
  /**
   * Whether the SLI's `metric` counts these events too (`true`: it counts every event, failed or not) or only the
   * others (`false`: successes and failures are counted apart, and the total is their sum).
   */
  readonly inTotal: boolean;
}

/**
 * Good/total events. Give one of: `bad` (matchers: the metric's events that are bad), `good` (matchers: the
 * metric's events that are good; the others are bad), or `badMetric` (bad events counted by another metric).
 */
export interface EventsSli extends SliBase {
  readonly bad?: SliMatchers;
  readonly good?: SliMatchers;
  readonly badMetric?: BadEventsMetric;
}

/** Events of a histogram at most `threshold` are good; `threshold` must be one of the service's buckets of it. */
export interface LatencySli extends SliBase {
  readonly threshold: number;
}

export type SliSpec = EventsSli | LatencySli;

export function isLatencySli(sli: SliSpec): sli is LatencySli {
  return (sli as LatencySli).threshold !== undefined;
}

/** A service level objective: `objective` percent of the SLI's events good over `period`. */
export interface SloSpec {
  /** The SLO's name in series and alerts (label `slo`): lowercase, such as "availability" or "checkout-latency". */
  readonly name: string;
  /** Which events count and which of them are good; mixins offer ready ones (`httpAvailability()`). */
  readonly sli: SliSpec;
  /** Target share of good events, in percent, strictly between 0 and 100: `99.9`. */
  readonly objective: number;
  /** The period the error budget is counted over, such as `30d` (at least the longest alert window, 3d). */
  readonly period: Duration;
  /**
   * Low-traffic guard: a burn-rate window pair needs at least this many events in its long window (100 by
   * default, see DEFAULT_SLO_MIN_REQUESTS), so one failure among six requests at night does not page — unless it is
   * an outage: at least 3 bad events in the long window and at least half of the short window bad (see
   * src/alerts/low-traffic.ts). 0 turns the guard off.
   */
  readonly minRequests?: number;
}

/**
 * Changes one generated alert without forking the generator: by name, optionally for one service (per-service
 * alerts) or one SLO (burn-rate alerts). When several overrides match, the more specific one wins.
 */
export interface AlertOverride {
  /** The alert's name, such as `ServiceErrorRatioHigh`, `TargetDown` or `ErrorBudgetBurnFast`. */
  readonly alert: string;
  /** Only this service's instance of a per-service or SLO alert. */
  readonly service?: string;
  /** Only this SLO's instance of a burn-rate alert. */
  readonly slo?: string;
  /** Drop the alert (and its generated tests). */
  readonly disabled?: boolean;
  readonly for?: Duration;
  readonly severity?: Severity;
  /** The value the alert compares against, in the alert's own unit (a ratio, seconds or bytes). */
  readonly threshold?: number;
  /** Extra labels on the alert, for routing or ownership: `{ team: 'payments' }`. */
  readonly labels?: Readonly<Record<string, string>>;
}

interface ReceiverBase {
  readonly name: string;
  /** Whether resolved notifications are sent too. */
  readonly sendResolved?: boolean;
}
export interface PagerDutyReceiver extends ReceiverBase {
  readonly type: 'pagerduty';
  readonly routingKey: SecretRef;
}
export interface SlackReceiver extends ReceiverBase {
  readonly type: 'slack';
  readonly apiUrl: SecretRef;
  readonly channel: string;
}
export interface EmailReceiver extends ReceiverBase {
  readonly type: 'email';
  readonly to: string;
  readonly from: string;
  /** `host:port` of the SMTP server. */
  readonly smarthost: string;
  readonly authUsername?: string;
  readonly authPassword?: SecretRef;
  readonly requireTls?: boolean;
}
export interface WebhookReceiver extends ReceiverBase {
  readonly type: 'webhook';
  readonly url: SecretRef;
}
export type ReceiverSpec = PagerDutyReceiver | SlackReceiver | EmailReceiver | WebhookReceiver;
export type ReceiverType = ReceiverSpec['type'];

/**
 * Alerts of `severity` go to `receiver`: a receiver's name, `null` to drop them, or several names, each of which
 * gets every such alert (`['pager', 'chat']`: critical pages and is posted to chat).
 */
export interface SeverityRoute {
  readonly severity: Severity;
  readonly receiver: string | readonly string[];
}

/** The receivers a route names, as a list. */
export const routeReceivers = (route: SeverityRoute): readonly string[] =>
  typeof route.receiver === 'string' ? [route.receiver] : route.receiver;

export interface AlertingSpec {
  readonly receivers: readonly ReceiverSpec[];
  readonly routes: readonly SeverityRoute[];
  /** Receiver for anything no route matches; `null` (the built-in receiver that drops) by default. */
  readonly defaultReceiver: string;
  /** Receiver for the always-firing Watchdog (a dead man's switch); `null` by default. */
  readonly watchdogReceiver: string;
  readonly groupBy: readonly string[];
  readonly groupWait: Duration;
  readonly groupInterval: Duration;
  readonly repeatInterval: Duration;
  /** Where runbooks named by a relative path live: `<runbookBaseUrl>/<runbook>`; obskit's pages are in docs/runbooks. */
  readonly runbookBaseUrl: string;
  /** Changes to individual generated alerts. */
  readonly overrides: readonly AlertOverride[];
}

export interface RetentionSpec {
  /** How long Prometheus keeps samples. */
  readonly metrics: Duration;
  /** Prometheus's size cap, in its units: `512MB`, `40GB`. */
  readonly metricsSize: string;
  readonly logs: Duration;
  readonly traces: Duration;
}

export interface StorageSpec {
  /** Kubernetes StorageClass for every PersistentVolumeClaim; the cluster default when omitted. */
  readonly storageClass?: string;
  readonly sizes: Readonly<Record<StatefulComponent, Quantity>>;
}

export interface ComponentResources {
  readonly requests: { readonly cpu: Quantity; readonly memory: Quantity };
  readonly limits: { readonly cpu?: Quantity; readonly memory: Quantity };
}

/**
 * Loki's ingestion limits (limits_config at v3.7.8; the defaults are Loki's own, written out so they can be seen and
 * tuned). A push over them is refused by Loki (429 for rate, 400 for the others) and counted in
 * `loki_discarded_samples_total` by reason, which LokiDiscardingLogLines alerts on.
 */
export interface LokiLimits {
  /** Per-tenant ingestion rate, in MB/s (log lines and structured metadata). */
  readonly ingestionRateMb: number;
  readonly ingestionBurstSizeMb: number;
  /** Longest accepted log line, in bytes. */
  readonly maxLineSizeBytes: number;
  /** Index labels per stream. */
  readonly maxLabelNamesPerSeries: number;
  /** Active streams of the tenant. */
  readonly maxStreams: number;
}

/**
 * Tempo's ingestion limits (`overrides.defaults`, the keys of Tempo 3's configuration reference). Tempo refuses
 * what is over them: RATE_LIMITED, LIVE_TRACES_EXCEEDED, TRACE_TOO_LARGE. The defaults are Tempo's own.
 */
export interface TempoLimits {
  /** Per-tenant ingestion rate, in bytes per second (`ingestion.rate_limit_bytes`). */
  readonly rateLimitBytes: number;
  /** Bytes one burst may carry above the rate (`ingestion.burst_size_bytes`); a push larger than this is refused. */
  readonly burstSizeBytes: number;
  /** Traces being received at once (`ingestion.max_traces_per_user`, per live-store); 0 turns the check off. */
  readonly maxTracesPerUser: number;
  /** Largest trace, in bytes (`global.max_bytes_per_trace`); 0 turns the check off. */
  readonly maxBytesPerTrace: number;
}

/** Trace sampling in the collector. */
export interface SamplingSpec {
  /**
   * Head sampling: the share of traces kept, in percent (`1` keeps 1%); 100 (the default) keeps every trace and adds
   * no sampler. Decided from the trace id, so every span of a trace gets the same decision on every collector replica.
   */
  readonly tracesPercent: number;
  /**
   * Tail sampling: decide once a trace is complete (after `decisionWait`), keeping every trace with an error span
   * (`keepErrors`), every trace longer than `slowerThan`, and `percent` of the rest. Off by default. The collector
   * holds whole traces in memory for `decisionWait`, so every span of a trace must reach the same collector: in
   * Kubernetes, where several replicas run, they route spans among themselves by trace id first.
   */
  readonly tail?: TailSamplingSpec;
}

/** The tail sampler's rules; a trace matching any of them is kept. */
export interface TailSamplingSpec {
  /** Keep every trace with a span whose status is ERROR. Default true. */
  readonly keepErrors: boolean;
  /** Keep every trace whose duration (first span start to last span end) is at least this, e.g. `'2s'`. */
  readonly slowerThan?: string;
  /** The share of the other traces kept, in percent (0 keeps none of them). */
  readonly percent: number;
  /** How long the collector waits after a trace's first span before deciding. Default `'10s'`. */
  readonly decisionWait: string;
}

/** Resource attributes an attribute count cap never drops: what every series, stream and trace is found by. */
export const RESOURCE_KEYS_KEPT = ['service.name', 'service.namespace', 'deployment.environment.name'] as const;

/** Per-item attribute caps (see IntakeSpec.attributeLimits). */
export interface AttributeLimits {
  /** Characters one string attribute value may have (default 4096; 0: no cap). */
  readonly valueLength: number;
  /** Attributes one span, span event, log record or resource may carry (default 128, as OpenTelemetry SDKs; 0: no cap). */
  readonly count: number;
}

/** What the collector accepts over OTLP, and from whom. */
export interface IntakeSpec {
  /**
   * When set, OTLP senders must present this token (`Authorization: Bearer <token>`, gRPC and HTTP alike); others are
   * refused (HTTP 401, gRPC Unauthenticated). By reference only: the collector reads it from a file (compose:
   * compose/secrets/<name>/<key>; Kubernetes: key `key` of Secret `name`). Off by default.
   */
  readonly otlpToken?: SecretRef;
  /**
   * Attribute keys with unbounded values (`user.id`, `session.id`, `url.full`, …) whose values the collector replaces
   * by a fixed mask on every resource, scope, span, span event, log record and data point, so they cannot explode
   * series or stream counts downstream. Exact keys.
   */
  readonly maskAttributes: readonly string[];
  /**
   * Attribute keys the collector deletes (exact keys) from resources, spans, log records and metric data points,
   * for attributes with unbounded values nobody needs downstream. Empty by default.
   */
  readonly dropAttributes: readonly string[];
  /**
   * Kubernetes: the namespaces whose pods may send OTLP to the collector (NetworkPolicy). By default the stack's
   * namespace and every service's `namespace`; nothing else in the cluster.
   */
  readonly otlpNamespaces?: readonly string[];
  /**
   * OTLP resource attributes that become labels on every metric series Prometheus receives over OTLP (`service.version`
   * → `service_version`), besides service.name, service.namespace and deployment.environment.name, which always are.
   * In Loki every resource attribute that is not an index label is kept as structured metadata, and Tempo searches
   * them all (`resource.session.id`), so they need nothing there. Each one multiplies series: promote only bounded ones.
   */
  readonly promoteResourceAttributes: readonly string[];
  /**
   * Caps the collector puts on span, span event, log record and resource attributes before anything is stored: values
   * longer than `valueLength` characters are cut to it, and attributes beyond `count` dropped (a resource keeps
   * service.name, service.namespace and deployment.environment.name first). 0 turns a cap off. Metric data points are
   * not capped here — a cut label value would merge distinct series; their labels are bounded by the metric contract
   * (`obskit check`) and `dropAttributes`.
   */
  readonly attributeLimits: AttributeLimits;
  /** What Loki accepts. */
  readonly loki: LokiLimits;
  /** What Tempo accepts. */
  readonly tempo: TempoLimits;
  /** Log files the collector tails, besides the logs services push over OTLP. Off by default. */
  readonly logFiles: LogFilesSpec;
}

/**
 * Log files tailed by the collector. Each line is parsed as JSON when it is a JSON object: `trace_id`/`span_id` become
 * the record's trace context, `level` its severity, `time` its timestamp, `msg`/`message` its body, `service`/
 * `service.name` its service.name; other keys stay as log attributes. A line that is not JSON passes as its text.
 */
export interface LogFilesSpec {
  /**
   * Compose: the host folder whose files are tailed, mounted read-only into the collector. An absolute path, or one
   * relative to the compose/ folder (`../logs`). Unset (the default): no file is tailed.
   */
  readonly hostPath?: string;
  /** Compose: which files of `hostPath` to tail, as globs relative to it (`*.log`, `app-*.json`). */
  readonly include: readonly string[];
  /**
   * Kubernetes: a node agent (a collector DaemonSet in its own namespace) tails every container's stdout and stderr
   * under /var/log/pods, with the pod's namespace, name and container as resource attributes, and forwards them to the
   * stack's collector. Off by default.
   */
  readonly nodeAgent: boolean;
}

/**
 * A PriorityClass for every pod of the stack, so the scheduler preempts less important pods before it and the
 * kubelet evicts them first. With `value`, obskit generates the (cluster-wide) PriorityClass; without, it names one
 * you already have.
 */
export interface PriorityClassSpec {
  readonly name: string;
  /** Priority of the generated PriorityClass (user classes may go up to 1,000,000,000); omit to use an existing one. */
  readonly value?: number;
}

export const KUBERNETES_MODES = ['plain', 'operator'] as const;
export type KubernetesMode = (typeof KUBERNETES_MODES)[number];

/** Kubernetes only: where the cluster's own services are, and how the stack's pods are scheduled. */
export interface KubernetesSpec {
  /**
   * `'plain'` (default): obskit deploys Prometheus and Alertmanager itself, as StatefulSets. `'operator'`: for a cluster
   * running the Prometheus Operator, Prometheus and Alertmanager become `Prometheus` and `Alertmanager` resources, each
   * scrape job a ServiceMonitor and each rule file a PrometheusRule (the same rules); the rest is unchanged.
   */
  readonly mode: KubernetesMode;
  /**
   * CIDRs (IPv4 or IPv6) of the Kubernetes API server's endpoints, the only addresses Prometheus may reach on 443 and
   * 6443 for service discovery (NetworkPolicies see the endpoint, not the `kubernetes` Service's cluster IP:
   * `kubectl get endpointslices -n default -l kubernetes.io/service-name=kubernetes`). The private ranges by default
   * (RFC 1918 and RFC 4193), which covers most clusters; narrow it to your API server's addresses.
   */
  readonly apiServerCidrs: readonly string[];
  /** The cluster DNS pods, the only DNS the stack's pods may ask (UDP and TCP 53). */
  readonly dns: {
    readonly namespace: string;
    /** The label that picks the DNS pods: `k8s-app=kube-dns` on CoreDNS in kubeadm, kind, EKS, GKE and AKS. */
    readonly podLabel: { readonly name: string; readonly value: string };
  };
  /** Optional PriorityClass of every pod of the stack; none by default. */
  readonly priorityClass?: PriorityClassSpec;
  /**
   * CIDRs (IPv4 or IPv6) of the nodes' addresses, the only addresses Prometheus may reach on the kubelet's port
   * (10250) to scrape `/metrics` and `/metrics/cadvisor`, when a mixin in use reads the kubelet (the `kubernetes`
   * mixin). The private ranges by default; narrow them to your nodes' subnets.
   */
  readonly nodeCidrs: readonly string[];
  /**
   * Scrape the kubelets without verifying their serving certificates. Off by default: Prometheus verifies them
   * against the cluster CA (the ServiceAccount's `ca.crt`), which holds where the kubelets' serving certificates are
   * signed by it (`serverTLSBootstrap`, most managed clusters). kubeadm's default self-signed kubelet certificates
   * fail that check (TargetDown on the kubelet jobs says so): sign them, or set this.
   */
  readonly kubeletInsecureSkipVerify: boolean;
}

export const PROFILES = ['single', 'ha'] as const;
/**
 * `single` (default): one Prometheus, one Alertmanager. `ha` (Kubernetes only; compose always runs `single`): see
 * HaSpec. docs/scaling.md says when to move.
 */
export type Profile = (typeof PROFILES)[number];

/**
 * An S3-compatible bucket for Thanos Receive's long-term blocks. The objstore config Thanos reads is generated from
 * these fields and holds no credentials: Thanos takes them from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, which
 * the pods read from the Secret keys named here (you create the Secret).
 */
export interface ObjectStorageSpec {
  readonly bucket: string;
  /** `host` or `host:port` of the S3 API, without scheme: `s3.eu-west-1.amazonaws.com`, `minio.storage.svc:9000`. */
  readonly endpoint: string;
  readonly region?: string;
  /** Plain HTTP to the endpoint (an in-cluster MinIO without TLS). False by default. */
  readonly insecure?: boolean;
  readonly accessKeyId: SecretRef;
  readonly secretAccessKey: SecretRef;
}

/** An existing Prometheus-compatible store (Mimir, Thanos, Cortex) the `ha` profile writes to instead of Thanos. */
export interface ExternalMetricsStore {
  /** Its remote-write endpoint: `https://mimir.example.com/api/v1/push`. */
  readonly remoteWriteUrl: string;
  /** Its Prometheus query API, for Grafana: `https://mimir.example.com/prometheus`. */
  readonly queryUrl: string;
}

/**
 * The `ha` profile (Kubernetes): Prometheus as a pair that both scrape everything (external label `replica` from the
 * pod name) and remote-write to Thanos Receive (a hashring, each series on `replicationFactor` of its replicas);
 * Thanos Query in front deduplicates by `replica` and is Grafana's Prometheus datasource; Alertmanager as a gossip
 * cluster. Or, with `externalStore`, Prometheus writes to a store you already run and Grafana reads from it.
 */
export interface HaSpec {
  /** Prometheus replicas scraping the same targets (at least 2). */
  readonly prometheusReplicas: number;
  /** Alertmanager cluster members (at least 2; 3 by default, so one can be down while the other two still agree). */
  readonly alertmanagerReplicas: number;
  /**
   * The collector gateway Deployment behind its HorizontalPodAutoscaler (CPU and memory utilization of the requests).
   * The node agent on every node receives the pods' OTLP and balances traces to the gateways by trace id.
   */
  readonly collectorGateway: {
    /** At least 2, so a gateway can restart while another samples. Default 2. */
    readonly minReplicas: number;
    /** At least `minReplicas`. Default 10. */
    readonly maxReplicas: number;
  };
  readonly thanosReceive: {
    /** Hashring members (a StatefulSet), at least `replicationFactor`. */
    readonly replicas: number;
    /**
     * Copies of each series. A write is acknowledged once a quorum of copies is stored: RF/2+1 of them, except for
     * RF 2, where Thanos acknowledges after one (so a write survives one replica down, not one lost disk). 3 by default.
     */
    readonly replicationFactor: number;
    /** How long Receive keeps blocks on its disk (after uploading them when `objectStorage` is set). */
    readonly retention: Duration;
    /** Each replica's PersistentVolumeClaim (class: `storage.storageClass`). */
    readonly storageSize: Quantity;
  };
  /**
   * Long-term blocks in an S3-compatible bucket; without it blocks stay on Receive's disks for `retention`. With it,
   * Loki runs in its simple scalable mode and Tempo in microservices mode on the same bucket (see `loki`, `tempo`).
   */
  readonly objectStorage?: ObjectStorageSpec;
  /**
   * Loki's simple scalable mode, used when `objectStorage` is set (it needs a shared object store; without one Loki
   * stays a single binary on its PersistentVolumeClaim): `-target=write` (distributors and ingesters, a StatefulSet
   * with a PVC each for the write-ahead log), `-target=read` (query frontends and queriers, a Deployment) and
   * `-target=backend` (compactor, index gateway, query scheduler, ruler: a StatefulSet with a PVC each), one
   * memberlist ring over a headless Service. Each PVC is `storage.sizes.loki`.
   */
  readonly loki: {
    /** Write replicas (at least 2), at least `replicationFactor`. 3 by default. */
    readonly writeReplicas: number;
    /** Read replicas (at least 2). 2 by default. */
    readonly readReplicas: number;
    /** Backend replicas (at least 2). 3 by default. */
    readonly backendReplicas: number;
    /** Copies of each log stream among the write replicas; a push is acknowledged by a quorum (RF/2+1). 3 by default. */
    readonly replicationFactor: number;
  };
  /**
   * Tempo's microservices mode, used when `objectStorage` is set (blocks go to the same bucket; without it Tempo stays
   * one binary on its PersistentVolumeClaim). Since Tempo 3.0 this mode needs a Kafka-compatible queue: distributors
   * write spans to a topic; live-stores (a StatefulSet in each of two zones, one partition each) serve recent spans; block-builders (a
   * StatefulSet) cut blocks into the bucket; metrics-generators derive span metrics; querier and query-frontend read
   * both; backend-scheduler and backend-workers compact and apply retention. One memberlist ring over a headless
   * Service. Kafka is three combined broker+controller nodes (KRaft) obskit deploys, unless `kafka` names one.
   */
  readonly tempo: TempoMicroservicesSpec;
  /** Write to an existing Mimir/Thanos instead: no Thanos is deployed. */
  readonly externalStore?: ExternalMetricsStore;
}

export interface TempoMicroservicesSpec {
  /** Distributor replicas (at least 2). 2 by default. */
  readonly distributorReplicas: number;
  /**
   * Live-store replicas in each of the two zones (at least 2): the topic has one partition per live-store of a zone
   * (live-store N of each zone owns partition N), so this is also the partition count; 2 × this many pods run. A
   * multiple of `blockBuilderReplicas`. 4 by default.
   */
  readonly liveStoreReplicas: number;
  /** Block-builder replicas (at least 2); each consumes liveStoreReplicas / blockBuilderReplicas partitions. 2 by default. */
  readonly blockBuilderReplicas: number;
  /** Querier replicas (at least 2). 2 by default. */
  readonly querierReplicas: number;
  /** Query-frontend replicas (at least 2). 2 by default. */
  readonly queryFrontendReplicas: number;
  /** Backend-worker replicas (at least 2); the backend-scheduler runs once. 2 by default. */
  readonly backendWorkerReplicas: number;
  /** Metrics-generator replicas (at least 2). 2 by default. */
  readonly metricsGeneratorReplicas: number;
  /** Each deployed Kafka node's PersistentVolumeClaim (class: `storage.storageClass`). Unused with `kafka`. 20Gi by default. */
  readonly kafkaStorageSize: Quantity;
  /**
   * A Kafka (or Kafka-compatible) cluster you already run: then obskit deploys none. You create the topic with
   * `liveStoreReplicas` partitions (Tempo does not create it here, so it never changes your brokers' `num.partitions`).
   */
  readonly kafka?: ExternalKafka;
}

export interface ExternalKafka {
  /** One bootstrap broker as host:port; Tempo's Kafka client (franz-go) learns the others from it. */
  readonly address: string;
  readonly topic: string;
}

/** Host ports compose publishes; only what a person or a local app needs. */
export interface ComposePorts {
  readonly grafana: number;
  readonly prometheus: number;
  readonly alertmanager: number;
  readonly otlpGrpc: number;
  readonly otlpHttp: number;
}

/**
 * What one target (compose or Kubernetes) changes of the spec, without forking it: its environment name, and how
 * alerts are routed there (for instance no paging from a laptop). Rules and dashboards stay the same for both.
 */
export interface EnvironmentOverride {
  readonly environment?: string;
  /** Sampling for this target only (see SamplingSpec). */
  readonly sampling?: { readonly tracesPercent?: number; readonly tail?: Partial<TailSamplingSpec> & { readonly percent: number } };
  readonly alerting?: {
    readonly receivers?: readonly ReceiverSpec[];
    readonly routes?: readonly SeverityRoute[];
    readonly defaultReceiver?: string;
    readonly watchdogReceiver?: string;
    readonly groupWait?: Duration;
    readonly groupInterval?: Duration;
    readonly repeatInterval?: Duration;
  };
}

/** Replicas of the collector gateway in Kubernetes: two, so a rollout or a node drain never stops OTLP intake. */
export const COLLECTOR_REPLICAS = 2;

export const TARGETS = ['compose', 'kubernetes'] as const;
export type Target = (typeof TARGETS)[number];

export interface StackSpec {
  /** Kubernetes namespace everything is deployed into. */
  readonly namespace: string;
  /**
   * `deployment.environment.name` stamped on all telemetry passing through the collector, and the `environment`
   * label Prometheus puts on every alert it sends (external_labels).
   */
  readonly environment: string;
  /** Kubernetes only: the `cluster` label Prometheus puts on every alert it sends (external_labels). */
  readonly cluster: string;
  /** Per-target changes: `{ compose: { alerting: { routes: [{ severity: 'critical', receiver: 'chat' }] } } }`. */
  readonly environments: { readonly compose?: EnvironmentOverride; readonly kubernetes?: EnvironmentOverride };
  readonly services: readonly ServiceSpec[];
  /** Stack-level mixins (stack health, logs and traces, …); `DEFAULT_STACK_MIXINS` when omitted. */
  readonly mixins: readonly MixinUse[];
  readonly scrapeInterval: Duration;
  /** Limits on every scrape job, the stack's own included; a service's `scrapeLimits` override them for its job. */
  readonly scrapeLimits: ScrapeLimits;
  readonly evaluationInterval: Duration;
  readonly retention: RetentionSpec;
  readonly storage: StorageSpec;
  readonly resources: Readonly<Record<Component, ComponentResources>>;
  readonly alerting: AlertingSpec;
  readonly intake: IntakeSpec;
  readonly sampling: SamplingSpec;
  readonly compose: { readonly ports: ComposePorts };
  readonly kubernetes: KubernetesSpec;
  /** `single` (default) or `ha` (Kubernetes only; compose stays `single`). */
  readonly profile: Profile;
  /** What the `ha` profile deploys; unused with `single`. */
  readonly ha: HaSpec;
  readonly grafana: {
    /**
     * Who may browse dashboards read-only without logging in: `'compose'` (default) opens the local stack only,
     * whose ports are bound to 127.0.0.1; `'always'` also opens Kubernetes (behind your ingress); `'never'`.
     */
    readonly anonymousViewer: 'compose' | 'always' | 'never';
    /** Kubernetes Secret with keys `admin-user` and `admin-password`; you create it. */
    readonly adminSecretName: string;
  };
}

type DeepPartial<T> = T extends readonly unknown[]
  ? T
  : T extends object
    ? { readonly [K in keyof T]?: DeepPartial<T[K]> }
    : T;

/** What you write: the namespace and services, and any default you want to change. */
export type StackSpecInput = DeepPartial<Omit<StackSpec, 'services' | 'mixins' | 'environments'>> & {
  readonly services: readonly ServiceSpec[];
  readonly mixins?: readonly MixinUse[];
  readonly environments?: StackSpec['environments'];
};
