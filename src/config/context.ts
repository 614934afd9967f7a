import type { Component } from '../spec';
import type { HaAddresses } from './ha';
import { imageDataDir } from './run-as';

/** Ports each program listens on inside its container (and, in Kubernetes, its Service). */
export const DEFAULT_PORTS = {
  collector: { otlpGrpc: 4317, otlpHttp: 4318, otlpRouted: 4319, health: 13133, metrics: 8888 },
  prometheus: { http: 9090 },
  alertmanager: { http: 9093, cluster: 9094 },
  grafana: { http: 3000 },
  loki: { http: 3100, grpc: 9095 },
  tempo: { http: 3200, grpc: 9095, otlpGrpc: 4317, otlpHttp: 4318 },
  blackbox: { http: 9115 },
  // Thanos's own defaults, and Receive's remote-write and Cap'n Proto replication ports.
  'thanos-receive': { grpc: 10901, http: 10902, remoteWrite: 19291, capnproto: 19391 },
  'thanos-query': { grpc: 10901, http: 10902 },
  // Loki's own defaults (server.http_listen_port, server.grpc_listen_port, memberlist.bind_port) on every target.
  'loki-write': { http: 3100, grpc: 9095, memberlist: 7946 },
  'loki-read': { http: 3100, grpc: 9095, memberlist: 7946 },
  'loki-backend': { http: 3100, grpc: 9095, memberlist: 7946 },
  // Tempo's own defaults (server.http_listen_port 3200, grpc_listen_port 9095, memberlist 7946, OTLP 4317/4318).
  'tempo-distributor': { http: 3200, grpc: 9095, memberlist: 7946, otlpGrpc: 4317, otlpHttp: 4318 },
  'tempo-live-store': { http: 3200, grpc: 9095, memberlist: 7946 },
  'tempo-block-builder': { http: 3200, grpc: 9095, memberlist: 7946 },
  'tempo-querier': { http: 3200, grpc: 9095, memberlist: 7946 },
  'tempo-query-frontend': { http: 3200, grpc: 9095, memberlist: 7946 },
  'tempo-backend-scheduler': { http: 3200, grpc: 9095, memberlist: 7946 },
  'tempo-backend-worker': { http: 3200, grpc: 9095, memberlist: 7946 },
  'tempo-metrics-generator': { http: 3200, grpc: 9095, memberlist: 7946 },
  // Kafka's conventional client listener and the KRaft controller listener (docker/examples in apache/kafka).
  kafka: { client: 9092, controller: 9093 },
  kubeStateMetrics: { http: 8080, telemetry: 8081 },
} as const satisfies Record<Component, Record<string, number>>;

export type Ports = { readonly [C in Component]: { readonly [K in keyof (typeof DEFAULT_PORTS)[C]]: number } };

/** Host names of the stack's parts: compose service names, and Kubernetes Service names in the same namespace. */
export const DEFAULT_HOSTS: Readonly<Record<Component, string>> = {
  collector: 'otel-collector',
  prometheus: 'prometheus',
  alertmanager: 'alertmanager',
  grafana: 'grafana',
  loki: 'loki',
  tempo: 'tempo',
  blackbox: 'blackbox-exporter',
  'thanos-receive': 'thanos-receive',
  'thanos-query': 'thanos-query',
  'loki-write': 'loki-write',
  'loki-read': 'loki-read',
  'loki-backend': 'loki-backend',
  'tempo-distributor': 'tempo-distributor',
  'tempo-live-store': 'tempo-live-store',
  'tempo-block-builder': 'tempo-block-builder',
  'tempo-querier': 'tempo-querier',
  'tempo-query-frontend': 'tempo-query-frontend',
  'tempo-backend-scheduler': 'tempo-backend-scheduler',
  'tempo-backend-worker': 'tempo-backend-worker',
  'tempo-metrics-generator': 'tempo-metrics-generator',
  kafka: 'kafka',
  kubeStateMetrics: 'kube-state-metrics',
};

/**
 * Paths inside the containers that configs name. Data lives in the directory each image creates for it (owned by
 * its user); generated files are mounted read-only under each image's config directory, never inside a data volume.
 */
export const DEFAULT_PATHS = {
  prometheusRules: '/etc/prometheus/rules',
  /** Kubernetes, for a prometheus.yml too large for one ConfigMap: its scrape jobs (src/charts/scrape-config-files.ts). */
  prometheusScrape: '/etc/prometheus/scrape',
  alertmanagerSecrets: '/etc/alertmanager/secrets',
  /** Beside, not inside, the collector's config folder (a read-only ConfigMap volume in Kubernetes). */
  collectorSecrets: '/etc/otelcol-secrets',
  grafanaDashboards: '/etc/grafana/dashboards',
  /** Compose: where the collector sees `intake.logFiles.hostPath` (mounted read-only). */
  logFiles: '/var/log/obskit',
  /** Kubernetes: where the node agent sees the node's /var/log/pods (mounted read-only). */
  podLogs: '/var/log/pods',
  /** Kubernetes: where a pod's ServiceAccount token and the cluster CA are mounted (Prometheus scrapes the kubelets with them). */
  serviceAccount: '/var/run/secrets/kubernetes.io/serviceaccount',
  lokiData: imageDataDir('loki'),
  tempoData: imageDataDir('tempo'),
};

export type Paths = { readonly [K in keyof typeof DEFAULT_PATHS]: string };

/**
 * The address the stack's programs listen on: every interface, since in a container or pod the published port
 * or the Service decides who reaches them. The live test (test/live) binds them to 127.0.0.1 instead.
 */
export const DEFAULT_LISTEN_HOST = '0.0.0.0';

/**
 * Everything a renderer needs besides the spec. Compose and Kubernetes differ only in `target`
 * (static scrape targets vs. Kubernetes service discovery); the live test changes hosts, ports, paths and the listen address.
 */
export interface RenderContext {
  readonly target: 'compose' | 'kubernetes';
  readonly hosts: Readonly<Record<Component, string>>;
  readonly ports: Ports;
  readonly paths: Paths;
  /** The address servers listen on (collector receivers and endpoints, Prometheus, Alertmanager, Loki, Tempo). */
  readonly listenHost: string;
  /** The `ha` profile's replica addresses; derived from the spec for Kubernetes when absent (src/config/ha.ts). */
  readonly ha?: HaAddresses;
}

export function renderContext(target: RenderContext['target'], overrides: Partial<RenderContext> = {}): RenderContext {
  return { target, hosts: DEFAULT_HOSTS, ports: DEFAULT_PORTS, paths: DEFAULT_PATHS, listenHost: DEFAULT_LISTEN_HOST, ...overrides };
}

/** `listenHost:port`: where a server of the stack listens. */
export function listenAddress(ctx: RenderContext, port: number): string {
  return `${ctx.listenHost}:${port}`;
}

/** `host:port` of a component's named port. */
export function address<C extends Component>(ctx: RenderContext, component: C, port: keyof Ports[C]): string {
  return `${ctx.hosts[component]}:${ctx.ports[component][port] as number}`;
}
