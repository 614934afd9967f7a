import type { StackSpec } from './types';

/** Requests the long window of a burn-rate alert must have seen before it may fire (SloSpec.minRequests). */
export const DEFAULT_SLO_MIN_REQUESTS = 100;

/** Every default obskit applies; a spec overrides any of it (objects merge, arrays replace). */
export const defaults: Omit<StackSpec, 'services'> = {
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
    prometheus: { requests: { cpu: '250m', memory: '1Gi' }, limits: { memory: '2Gi' } },
    alertmanager: { requests: { cpu: '25m', memory: '64Mi' }, limits: { memory: '128Mi' } },
    grafana: { requests: { cpu: '100m', memory: '256Mi' }, limits: { memory: '512Mi' } },
    loki: { requests: { cpu: '100m', memory: '256Mi' }, limits: { memory: '1Gi' } },
    tempo: { requests: { cpu: '100m', memory: '256Mi' }, limits: { memory: '1Gi' } },
    blackbox: { requests: { cpu: '10m', memory: '32Mi' }, limits: { memory: '64Mi' } },
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
    red: {
      errorRatio: 0.05,
      errorRatioFor: '10m',
      latencyP95Seconds: 1,
      latencyFor: '10m',
      memoryBytes: 1024 ** 3,
      memoryFor: '15m',
      eventLoopLagSeconds: 0.5,
      eventLoopLagFor: '10m',
      downFor: '3m',
      healthCheckFor: '2m',
      minRequestRate: 0.1,
    },
    overrides: [],
  },
  intake: {
    maskAttributes: [],
    promoteResourceAttributes: [],
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
  grafana: { anonymousViewer: 'compose', adminSecretName: 'grafana-admin' },
};
