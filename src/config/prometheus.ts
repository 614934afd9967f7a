import { LOKI_SCALABLE_COMPONENTS, TEMPO_MICROSERVICES_COMPONENTS, scrapedServices, type Component, type ScrapedService, type ScrapeLimits, type StackSpec } from '../spec';
import { HEALTH_CHECK_JOB, HEALTH_MODULE, HEALTH_PATH_LABEL, healthCheckTargets } from './blackbox';
import { address, listenAddress, type RenderContext } from './context';
import { haAddresses, isHa, metricsStore, PROMETHEUS_REPLICA_ENV } from './ha';
import { PROMETHEUS_REPLICA_LABEL } from './thanos';
import { kubernetesScrapeJobs } from './kubernetes-scrape';
import { lokiScalable } from './loki';
import { tempoMicroservices } from './tempo';
import { escapeRegex } from '../promql/regex';

/**
 * prometheus.yml and command-line flags for the pinned Prometheus (v3.15).
 *
 * Every scrape job, the stack's own and the observed services', puts `service_name` on its series (the job
 * name for stack components), so dashboards, alerts and Alertmanager's inhibition see the same label that
 * OTLP metrics get from `service.name`.
 *
 * Kubernetes discovery uses the `endpointslice` role (the Endpoints API is deprecated since Kubernetes 1.33)
 * and looks for each observed service only in its namespace (`services[i].namespace`, the stack's by default):
 * matching a name across the whole cluster could scrape an unrelated Service of the same name elsewhere. With
 * every service in the stack's namespace, Prometheus's RBAC stays a namespaced Role.
 */

/** The stack's own scrape jobs, by component. Each serves `/metrics` on the port named here. */
export const STACK_SCRAPE_JOBS: readonly {
  readonly component: Component;
  readonly job: string;
  readonly port: (ctx: RenderContext) => number;
}[] = [
  { component: 'prometheus', job: 'prometheus', port: (ctx) => ctx.ports.prometheus.http },
  { component: 'collector', job: 'otel-collector', port: (ctx) => ctx.ports.collector.metrics },
  { component: 'alertmanager', job: 'alertmanager', port: (ctx) => ctx.ports.alertmanager.http },
  { component: 'loki', job: 'loki', port: (ctx) => ctx.ports.loki.http },
  { component: 'tempo', job: 'tempo', port: (ctx) => ctx.ports.tempo.http },
  { component: 'grafana', job: 'grafana', port: (ctx) => ctx.ports.grafana.http },
];

/** `ha` with obskit's own Thanos: Receive and Query are scraped too (their /metrics on the HTTP port). */
export function haScrapeJobs(spec: StackSpec): typeof STACK_SCRAPE_JOBS {
  if (!isHa(spec) || spec.ha.externalStore) return [];
  return [
    { component: 'thanos-receive', job: 'thanos-receive', port: (ctx) => ctx.ports['thanos-receive'].http },
    { component: 'thanos-query', job: 'thanos-query', port: (ctx) => ctx.ports['thanos-query'].http },
  ];
}

/** OTLP resource attributes copied onto every series Prometheus receives over OTLP (as `service_name` etc.). */
export const PROMOTED_RESOURCE_ATTRIBUTES = ['service.name', 'service.namespace', 'deployment.environment.name'];

/** Samples this far behind the newest are still accepted: batching collectors deliver out of order. */
const OUT_OF_ORDER_TIME_WINDOW = '30m';
/** In-memory exemplar ring buffer; roughly 100 bytes per exemplar. */
const MAX_EXEMPLARS = 100_000;

interface Target {
  readonly job: string;
  readonly serviceName: string;
  /** compose: host to scrape; kubernetes: name of the Service whose endpoints are scraped. */
  readonly host: string;
  readonly kubernetesService: string;
  /** kubernetes: more Services scraped as the same job (Loki's simple scalable targets, as job `loki`). */
  readonly moreKubernetesServices?: readonly string[];
  /** kubernetes: the namespace the Service lives in; undefined means the stack's own. */
  readonly kubernetesNamespace?: string;
  readonly port: number;
  readonly metricsPath: string;
  readonly scrapeInterval?: string;
  /** Whether the Service's `prometheus.io/scrape` and `prometheus.io/path` annotations apply. */
  readonly honourAnnotations: boolean;
  readonly limits: ScrapeLimits;
}

/** The job's guards; a scrape over any of them fails whole (up = 0), other targets unaffected. */
const limitsOf = (limits: ScrapeLimits) => ({
  sample_limit: limits.sampleLimit,
  label_limit: limits.labelLimit,
  label_value_length_limit: limits.labelValueLengthLimit,
});

function staticJob(target: Target): Record<string, unknown> {
  return {
    job_name: target.job,
    ...(target.scrapeInterval ? { scrape_interval: target.scrapeInterval } : {}),
    metrics_path: target.metricsPath,
    ...limitsOf(target.limits),
    static_configs: [{ targets: [`${target.host}:${target.port}`], labels: { service_name: target.serviceName } }],
  };
}

function kubernetesJob(target: Target, namespace: string): Record<string, unknown> {
  const annotations = target.honourAnnotations
    ? [
        // Opt-out: a listed service is scraped unless its Service says prometheus.io/scrape: "false".
        {
          source_labels: ['__meta_kubernetes_service_annotation_prometheus_io_scrape'],
          regex: 'false',
          action: 'drop',
        },
        {
          source_labels: ['__meta_kubernetes_service_annotation_prometheus_io_path'],
          regex: '(.+)',
          target_label: '__metrics_path__',
          action: 'replace',
        },
      ]
    : [];
  return {
    job_name: target.job,
    ...(target.scrapeInterval ? { scrape_interval: target.scrapeInterval } : {}),
    metrics_path: target.metricsPath,
    ...limitsOf(target.limits),
    kubernetes_sd_configs: [{ role: 'endpointslice', namespaces: { names: [namespace] } }],
    relabel_configs: [
      {
        source_labels: ['__meta_kubernetes_service_name', '__meta_kubernetes_endpointslice_port'],
        regex: `${target.moreKubernetesServices ? `(${[target.kubernetesService, ...target.moreKubernetesServices].map(escapeRegex).join('|')})` : escapeRegex(target.kubernetesService)};${target.port}`,
        action: 'keep',
      },
      {
        source_labels: ['__meta_kubernetes_endpointslice_endpoint_conditions_terminating'],
        regex: 'true',
        action: 'drop',
      },
      ...annotations,
      { source_labels: ['__meta_kubernetes_namespace'], target_label: 'namespace', action: 'replace' },
      { source_labels: ['__meta_kubernetes_pod_name'], target_label: 'pod', action: 'replace' },
      { target_label: 'service_name', replacement: target.serviceName, action: 'replace' },
    ],
  };
}

function stackTargets(spec: StackSpec, ctx: RenderContext): Target[] {
  return [...STACK_SCRAPE_JOBS, ...haScrapeJobs(spec)].map(({ component, job, port }) => ({
    job,
    serviceName: job,
    host: ctx.hosts[component],
    kubernetesService: ctx.hosts[component],
    // Loki's simple scalable targets replace `loki` and stay job `loki`, so its alerts and dashboards read them alike.
    ...(component === 'loki' && lokiScalable(spec) ? { kubernetesService: ctx.hosts['loki-write'], moreKubernetesServices: LOKI_SCALABLE_COMPONENTS.slice(1).map((c) => ctx.hosts[c]) } : {}),
    // Tempo's microservices likewise stay job `tempo`.
    ...(component === 'tempo' && tempoMicroservices(spec)
      ? { kubernetesService: ctx.hosts['tempo-distributor'], moreKubernetesServices: TEMPO_MICROSERVICES_COMPONENTS.slice(1).map((c) => ctx.hosts[c]) }
      : {}),
    port: port(ctx),
    metricsPath: '/metrics',
    honourAnnotations: false,
    limits: spec.scrapeLimits,
  }));
}

function serviceTarget(service: ScrapedService, defaults: ScrapeLimits): Target {
  return {
    job: service.name,
    serviceName: service.name,
    host: service.host ?? service.name,
    kubernetesService: service.name,
    ...(service.namespace ? { kubernetesNamespace: service.namespace } : {}),
    port: service.port,
    metricsPath: service.metricsPath ?? '/metrics',
    ...(service.scrapeInterval ? { scrapeInterval: service.scrapeInterval } : {}),
    honourAnnotations: true,
    limits: { ...defaults, ...service.scrapeLimits },
  };
}

/**
 * Probes of the services' health endpoints through the blackbox exporter (multi-target exporter pattern): each
 * endpoint URL becomes the `target` parameter of a scrape of the exporter's /probe, and the series keep the
 * service's name and the endpoint's path. Static targets in both compose and Kubernetes: the probe goes through
 * the Service, as a client would.
 */
function healthCheckJob(spec: StackSpec, ctx: RenderContext): Record<string, unknown>[] {
  const targets = healthCheckTargets(spec, ctx);
  if (targets.length === 0) return [];
  return [
    {
      job_name: HEALTH_CHECK_JOB,
      metrics_path: '/probe',
      params: { module: [HEALTH_MODULE] },
      ...limitsOf(spec.scrapeLimits),
      static_configs: targets.map((t) => ({
        targets: [t.url],
        labels: { service_name: t.service, [HEALTH_PATH_LABEL]: t.path },
      })),
      relabel_configs: [
        { source_labels: ['__address__'], target_label: '__param_target', action: 'replace' },
        { source_labels: ['__param_target'], target_label: 'instance', action: 'replace' },
        { target_label: '__address__', replacement: address(ctx, 'blackbox', 'http'), action: 'replace' },
      ],
    },
  ];
}

export function renderPrometheusConfig(spec: StackSpec, ctx: RenderContext): Record<string, unknown> {
  // Push-only services (ingest: 'otlp') have no scrape job: their metrics arrive over OTLP.
  const targets = [...stackTargets(spec, ctx), ...scrapedServices(spec).map((s) => serviceTarget(s, spec.scrapeLimits))];
  const job = (t: Target) =>
    ctx.target === 'kubernetes' ? kubernetesJob(t, t.kubernetesNamespace ?? spec.namespace) : staticJob(t);
  const ha = isHa(spec);
  return {
    global: {
      scrape_interval: spec.scrapeInterval,
      evaluation_interval: spec.evaluationInterval,
      // On every alert Prometheus sends (and anything it federates or remote-writes): which stack it came from; in
      // `ha`, which replica too (Prometheus expands the pod name from the environment), deduplicated by Thanos Query.
      external_labels: {
        environment: spec.environment,
        ...(ctx.target === 'kubernetes' ? { cluster: spec.cluster } : {}),
        ...(ha ? { [PROMETHEUS_REPLICA_LABEL]: `\${${PROMETHEUS_REPLICA_ENV}}` } : {}),
      },
    },
    rule_files: [`${ctx.paths.prometheusRules}/*.yaml`],
    alerting: ha ? haAlerting(spec, ctx) : {
      alertmanagers: [{ api_version: 'v2', static_configs: [{ targets: [address(ctx, 'alertmanager', 'http')] }] }],
    },
    ...(ha ? { remote_write: [{ url: metricsStore(spec, ctx).remoteWriteUrl }] } : {}),
    scrape_configs: [...targets.map(job), ...healthCheckJob(spec, ctx), ...kubernetesScrapeJobs(spec, ctx)],
    otlp: {
      promote_resource_attributes: [...PROMOTED_RESOURCE_ATTRIBUTES, ...spec.intake.promoteResourceAttributes],
      // Explicit although it is the default: metric and label names are the Prometheus form of OTel
      // semantic conventions (`http_server_request_duration_seconds`, `service_name`).
      translation_strategy: 'UnderscoreEscapingWithSuffixes',
    },
    storage: {
      tsdb: {
        out_of_order_time_window: OUT_OF_ORDER_TIME_WINDOW,
        // Prometheus 3.15 deprecates the --storage.tsdb.retention.* flags in favour of these (reloadable) keys.
        retention: { time: spec.retention.metrics, size: spec.retention.metricsSize },
      },
      exemplars: { max_exemplars: MAX_EXEMPLARS },
    },
  };
}

/**
 * `ha`: every replica sends every alert to every Alertmanager replica (the cluster notifies once), without its
 * `replica` label, so both replicas' copies of an alert are one alert to Alertmanager.
 */
function haAlerting(spec: StackSpec, ctx: RenderContext): Record<string, unknown> {
  return {
    alert_relabel_configs: [{ action: 'labeldrop', regex: PROMETHEUS_REPLICA_LABEL }],
    alertmanagers: [{ api_version: 'v2', static_configs: [{ targets: [...haAddresses(spec, ctx).alertmanagers] }] }],
  };
}

/** Command-line flags for `prometheus`; everything that can live in the config file lives there instead. */
export function prometheusArgs(
  _spec: StackSpec,
  ctx: RenderContext,
  opts: { configFile: string; dataDir: string },
): string[] {
  return [
    `--config.file=${opts.configFile}`,
    `--storage.tsdb.path=${opts.dataDir}`,
    `--web.listen-address=${listenAddress(ctx, ctx.ports.prometheus.http)}`,
    // The collector pushes metrics to /api/v1/otlp/v1/metrics.
    '--web.enable-otlp-receiver',
    // Tempo's metrics generator remote-writes span metrics to /api/v1/write.
    '--web.enable-remote-write-receiver',
    '--enable-feature=exemplar-storage',
    // OTLP delta sums and histograms (short-lived pushers) become cumulative series instead of being dropped.
    '--enable-feature=otlp-deltatocumulative',
  ];
}
