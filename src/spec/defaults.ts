import type { StackSpec } from './types';

/** Requests the long window of a burn-rate alert must have seen before it may fire (SloSpec.minRequests). */
export const DEFAULT_SLO_MIN_REQUESTS = 100;

/** Every default obskit applies; a spec overrides any of it (objects merge, arrays replace). */
export const defaults: Omit<StackSpec, 'services' | 'mixins'> = {
  namespace: 'observability',
  environment: 'local',
  cluster: 'default',
  environments: {},
  scrapeInterval: '15s',
  // Far above what a service (or any part of the stack) exposes, far below what would hurt Prometheus.
  scrapeLimits: { sampleLimit: 50_000, labelLimit: 64, labelValueLengthLimit: 2048 },
  evaluationInterval: '15s',
  retention: { metrics: '30d', metricsSize: '40GB', logs: '7d', traces: '3d' },
  storage: {
    sizes: { prometheus: '50Gi', alertmanager: '1Gi', grafana: '1Gi', loki: '20Gi', tempo: '20Gi' },
  },
  resources: {
    collector: { requests: { cpu: '100m', memory: '256Mi' }, limits: { memory: '512Mi' } },
    // The stateful parts request the memory they may use (requests = limits), so node memory pressure evicts them
    // last; see validate.ts.
    prometheus: { requests: { cpu: '250m', memory: '2Gi' }, limits: { memory: '2Gi' } },
    alertmanager: { requests: { cpu: '25m', memory: '128Mi' }, limits: { memory: '128Mi' } },
    grafana: { requests: { cpu: '100m', memory: '512Mi' }, limits: { memory: '512Mi' } },
    loki: { requests: { cpu: '100m', memory: '1Gi' }, limits: { memory: '1Gi' } },
    tempo: { requests: { cpu: '100m', memory: '1Gi' }, limits: { memory: '1Gi' } },
    blackbox: { requests: { cpu: '10m', memory: '32Mi' }, limits: { memory: '64Mi' } },
    // Only in the `ha` profile. Receive holds the head block of the series it owns (RF copies of each), like Prometheus.
    'thanos-receive': { requests: { cpu: '250m', memory: '2Gi' }, limits: { memory: '2Gi' } },
    'thanos-query': { requests: { cpu: '100m', memory: '512Mi' }, limits: { memory: '512Mi' } },
    // Only in the `ha` profile with object storage: Loki's simple scalable targets. Write holds the ingesters' streams
    // (requests = limits, like every stateful part); read runs the queries; backend compacts and serves the index.
    'loki-write': { requests: { cpu: '250m', memory: '1Gi' }, limits: { memory: '1Gi' } },
    'loki-read': { requests: { cpu: '250m', memory: '1Gi' }, limits: { memory: '1Gi' } },
    'loki-backend': { requests: { cpu: '100m', memory: '512Mi' }, limits: { memory: '512Mi' } },
    // Only in the `ha` profile with object storage: Tempo's microservices. Live-stores hold recent spans and
    // block-builders the block they cut (requests = limits, like every stateful part); the rest are stateless.
    'tempo-distributor': { requests: { cpu: '250m', memory: '512Mi' }, limits: { memory: '512Mi' } },
    'tempo-live-store': { requests: { cpu: '250m', memory: '1Gi' }, limits: { memory: '1Gi' } },
    'tempo-block-builder': { requests: { cpu: '250m', memory: '1Gi' }, limits: { memory: '1Gi' } },
    'tempo-querier': { requests: { cpu: '250m', memory: '1Gi' }, limits: { memory: '1Gi' } },
    'tempo-query-frontend': { requests: { cpu: '100m', memory: '256Mi' }, limits: { memory: '512Mi' } },
    'tempo-backend-scheduler': { requests: { cpu: '50m', memory: '128Mi' }, limits: { memory: '256Mi' } },
    'tempo-backend-worker': { requests: { cpu: '100m', memory: '512Mi' }, limits: { memory: '512Mi' } },
    'tempo-metrics-generator': { requests: { cpu: '100m', memory: '512Mi' }, limits: { memory: '512Mi' } },
    // Deployed only for Tempo's microservices without ha.tempo.kafka: a 1 GiB heap (KAFKA_HEAP_OPTS) and the page cache.
    kafka: { requests: { cpu: '250m', memory: '2Gi' }, limits: { memory: '2Gi' } },
    // kube-state-metrics keeps the objects it reports in memory: about 100Mi for a small cluster; raise with the cluster.
    kubeStateMetrics: { requests: { cpu: '10m', memory: '128Mi' }, limits: { memory: '256Mi' } },
  },
  alerting: {
    receivers: [],
    routes: [],
    defaultReceiver: 'null',
    watchdogReceiver: 'null',
    groupBy: ['alertname', 'service_name', 'severity'],
    groupWait: '30s',
    groupInterval: '5m',
    repeatInterval: '4h',
    runbookBaseUrl: 'https://github.com/obskit/obskit/blob/main/docs/runbooks',
    overrides: [],
  },
  intake: {
    maskAttributes: [],
    dropAttributes: [],
    promoteResourceAttributes: [],
    attributeLimits: { valueLength: 4096, count: 128 },
    loki: {
      ingestionRateMb: 4,
      ingestionBurstSizeMb: 6,
      maxLineSizeBytes: 256 * 1024,
      maxLabelNamesPerSeries: 15,
      maxStreams: 5000,
    },
    // Tempo 3's documented defaults (configuration reference, overrides.defaults), written out to show and tune.
    tempo: {
      rateLimitBytes: 30_000_000,
      burstSizeBytes: 30_000_000,
      maxTracesPerUser: 10_000,
      maxBytesPerTrace: 5_000_000,
    },
    logFiles: { include: ['*.log'], nodeAgent: false },
  },
  sampling: { tracesPercent: 100 },
  compose: { ports: { grafana: 3000, prometheus: 9090, alertmanager: 9093, otlpGrpc: 4317, otlpHttp: 4318 } },
  kubernetes: {
    mode: 'plain',
    apiServerCidrs: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7'],
    dns: { namespace: 'kube-system', podLabel: { name: 'k8s-app', value: 'kube-dns' } },
    nodeCidrs: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7'],
    kubeletInsecureSkipVerify: false,
  },
  profile: 'single',
  ha: {
    prometheusReplicas: 2,
    alertmanagerReplicas: 3,
    collectorGateway: { minReplicas: 2, maxReplicas: 10 },
    thanosReceive: { replicas: 3, replicationFactor: 3, retention: '15d', storageSize: '50Gi' },
    loki: { writeReplicas: 3, readReplicas: 2, backendReplicas: 3, replicationFactor: 3 },
    // Four partitions (one per live-store of a zone; two zones, so eight live-stores), two per block-builder;
    // docs/scaling.md says how to grow them.
    tempo: {
      distributorReplicas: 2,
      liveStoreReplicas: 4,
      blockBuilderReplicas: 2,
      querierReplicas: 2,
      queryFrontendReplicas: 2,
      backendWorkerReplicas: 2,
      metricsGeneratorReplicas: 2,
      kafkaStorageSize: '20Gi',
    },
  },
  grafana: { anonymousViewer: 'compose', adminSecretName: 'grafana-admin' },
};
