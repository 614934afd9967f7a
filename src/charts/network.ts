/**
 * Who may talk to whom, in one table, so both ends of every connection agree: the namespace denies all
 * traffic by default, then each component's NetworkPolicy allows exactly the flows listed here (its
 * ingress rules are the flows that end at it, its egress rules the flows that start from it).
 *
 * Traffic from the kubelet (probes) is not subject to NetworkPolicy on common CNIs (Calico, Cilium),
 * so probes need no rule. `kubectl port-forward` reaches pods through the kubelet too.
 */
import { nodeAgentNamespace, runsNodeAgent } from '../config/otelcol-agent';
import { routesTraces } from '../config/otelcol';
import type { RenderContext } from '../config/context';
import { healthCheckPorts } from '../config/blackbox';
import { isHa } from '../config/ha';
import { haScrapeJobs, STACK_SCRAPE_JOBS } from '../config/prometheus';
import { KUBELET_PORT, needsKubeStateMetrics, scrapesKubelets } from '../config/kubernetes-scrape';
import {
  ALL_COMPONENTS,
  LOKI_SCALABLE_COMPONENTS,
  scrapedServices,
  TEMPO_MICROSERVICES_COMPONENTS,
  type Component,
  type LokiScalableComponent,
  type StackSpec,
  type TempoMicroservicesComponent,
} from '../spec';
import { lokiScalable } from '../config/loki';
import { deploysKafka, tempoKafka, tempoMicroservices } from '../config/tempo';
import type { DiscoveryScope } from './discovery';

/**
 * Namespace of the ingress controller that may reach Grafana, matched by its `kubernetes.io/metadata.name`
 * label (set by Kubernetes on every namespace). ingress-nginx's default; pass `ingressNamespace` to
 * kubernetesArtifacts for another controller.
 */
export const DEFAULT_INGRESS_NAMESPACE = 'ingress-nginx';
/** Names of the namespace-wide NetworkPolicies (namespace.yaml). */
export const DEFAULT_DENY_POLICY = 'default-deny';
export const DNS_POLICY = 'allow-dns';
export const OBSERVED_SERVICES_POLICY = 'observed-services';

/** Ports the Kubernetes API server listens on (443 behind the `kubernetes` Service, 6443 on most control planes). */
export const API_SERVER_PORTS = [443, 6443] as const;

export type Protocol = 'TCP' | 'UDP';
export interface PortRule {
  readonly port: number;
  readonly protocol: Protocol;
}

export type Peer =
  /** A component's pods in the stack's namespace. */
  | { readonly kind: 'component'; readonly component: Component }
  /** Every pod of these namespaces. */
  | { readonly kind: 'namespaces'; readonly names: readonly string[] }
  /** Every pod of every namespace (the cluster). */
  | { readonly kind: 'cluster' }
  /** Pods in the stack's namespace that are not part of the stack (the observed services deployed there). */
  | { readonly kind: 'observed-in-namespace' }
  /** Pods of one namespace carrying these labels (the cluster DNS). */
  | { readonly kind: 'pods-in-namespace'; readonly namespace: string; readonly labels: Readonly<Record<string, string>> }
  /** Addresses in these CIDRs, IPv4 or IPv6 (the API server's endpoints). */
  | { readonly kind: 'cidrs'; readonly cidrs: readonly string[] }
  /** Any address, IPv4 or IPv6: outside the cluster. */
  | { readonly kind: 'any-ip' };

export interface Rule {
  readonly peer: Peer;
  readonly ports: readonly PortRule[];
  /** Why this rule exists, rendered nowhere but kept next to the rule for readers and tests. */
  readonly why: string;
}

export interface ComponentRules {
  readonly ingress: readonly Rule[];
  readonly egress: readonly Rule[];
}

interface Flow {
  readonly from: Component;
  readonly to: Component;
  readonly port: number;
  readonly why: string;
}

const tcp = (port: number): PortRule => ({ port, protocol: 'TCP' });
const uniqueSorted = (ports: readonly number[]) => [...new Set(ports)].sort((a, b) => a - b);

/** Connections between the stack's own parts. Scrapes follow the renderer's list of stack scrape jobs. */
export function stackFlows(ctx: RenderContext): Flow[] {
  const p = ctx.ports;
  return [
    { from: 'collector', to: 'tempo', port: p.tempo.otlpGrpc, why: 'collector exports traces over OTLP gRPC' },
    { from: 'collector', to: 'loki', port: p.loki.http, why: 'collector exports logs to Loki OTLP' },
    { from: 'collector', to: 'prometheus', port: p.prometheus.http, why: 'collector exports metrics to Prometheus OTLP' },
    { from: 'tempo', to: 'prometheus', port: p.prometheus.http, why: 'Tempo remote-writes span metrics' },
    { from: 'prometheus', to: 'alertmanager', port: p.alertmanager.http, why: 'Prometheus sends alerts' },
    { from: 'grafana', to: 'prometheus', port: p.prometheus.http, why: 'Grafana datasource' },
    { from: 'grafana', to: 'loki', port: p.loki.http, why: 'Grafana datasource' },
    { from: 'grafana', to: 'tempo', port: p.tempo.http, why: 'Grafana datasource' },
    { from: 'grafana', to: 'alertmanager', port: p.alertmanager.http, why: 'Grafana datasource' },
    { from: 'prometheus', to: 'blackbox', port: p.blackbox.http, why: 'Prometheus asks the blackbox exporter to probe health endpoints' },
    // Prometheus scrapes itself through its Service too: whether a pod may reach its own IP unasked varies by CNI.
    ...STACK_SCRAPE_JOBS.map((j) => ({
      from: 'prometheus' as const,
      to: j.component,
      port: j.port(ctx),
      why: `Prometheus scrapes ${j.job}`,
    })),
  ];
}

/** The `ha` profile's connections: Prometheus writes to Receive, which replicates among its members; Query reads them. */
export function haFlows(spec: StackSpec, ctx: RenderContext): Flow[] {
  if (!isHa(spec) || spec.ha.externalStore) return [];
  const receive = ctx.ports['thanos-receive'];
  return [
    { from: 'prometheus', to: 'thanos-receive', port: receive.remoteWrite, why: 'Prometheus remote-writes to Thanos Receive' },
    { from: 'thanos-receive', to: 'thanos-receive', port: receive.grpc, why: 'Receive forwards and replicates writes to the series\' hashring members' },
    { from: 'thanos-query', to: 'thanos-receive', port: receive.grpc, why: 'Thanos Query reads every Receive member' },
    { from: 'grafana', to: 'thanos-query', port: ctx.ports['thanos-query'].http, why: 'Grafana datasource (deduplicated through Thanos Query)' },
    ...haScrapeJobs(spec).map((j) => ({ from: 'prometheus' as const, to: j.component, port: j.port(ctx), why: `Prometheus scrapes ${j.job}` })),
  ];
}

/** The port of an http(s) URL: the one it names, else the scheme's. */
function urlPort(url: string): number {
  const parsed = new URL(url);
  return parsed.port ? Number(parsed.port) : parsed.protocol === 'https:' ? 443 : 80;
}

/**
 * Loki's simple scalable targets: the collector pushes to write, Grafana reads from read, Prometheus scrapes all
 * three (job `loki`), and the targets talk among themselves on HTTP (queriers ask the compactor for delete requests)
 * and gRPC (distributors → ingesters, queriers → ingesters, index gateways and query schedulers, frontends ↔ queriers).
 */
export function lokiScalableFlows(spec: StackSpec, ctx: RenderContext): Flow[] {
  if (!lokiScalable(spec)) return [];
  const p = ctx.ports;
  return [
    { from: 'collector', to: 'loki-write', port: p['loki-write'].http, why: 'collector exports logs to Loki OTLP (write target)' },
    { from: 'grafana', to: 'loki-read', port: p['loki-read'].http, why: 'Grafana datasource (Loki read target)' },
    ...LOKI_SCALABLE_COMPONENTS.flatMap((from) =>
      LOKI_SCALABLE_COMPONENTS.flatMap((to) => [
        { from, to, port: p[to].http, why: 'Loki targets call each other over HTTP and gRPC' },
        { from, to, port: p[to].grpc, why: 'Loki targets call each other over HTTP and gRPC' },
      ]),
    ),
    ...LOKI_SCALABLE_COMPONENTS.map((to) => ({ from: 'prometheus' as const, to, port: p[to].http, why: 'Prometheus scrapes loki' })),
  ];
}

/** Tempo's microservices that talk to Kafka: the distributor produces; live-stores, block-builders and metrics-generators consume. */
const KAFKA_CLIENTS = ['tempo-distributor', 'tempo-live-store', 'tempo-block-builder', 'tempo-metrics-generator'] as const;

/**
 * Tempo's microservices: the collector pushes spans to the distributors, Grafana reads the query-frontends,
 * metrics-generators remote-write span metrics to Prometheus, Prometheus scrapes them all (job `tempo`), they call each
 * other over HTTP and gRPC (queriers ↔ frontends, queriers → live-stores, workers → scheduler), and the Kafka clients
 * reach obskit's Kafka, whose nodes replicate among themselves and keep their quorum on the controller port.
 */
export function tempoMicroservicesFlows(spec: StackSpec, ctx: RenderContext): Flow[] {
  if (!tempoMicroservices(spec)) return [];
  const p = ctx.ports;
  const why = 'Tempo microservices call each other over HTTP and gRPC';
  const flows: Flow[] = [
    { from: 'collector' as const, to: 'tempo-distributor' as const, port: p['tempo-distributor'].otlpGrpc, why: 'collector exports traces over OTLP gRPC (Tempo distributor)' },
    { from: 'grafana', to: 'tempo-query-frontend', port: p['tempo-query-frontend'].http, why: 'Grafana datasource (Tempo query-frontend)' },
    { from: 'tempo-metrics-generator', to: 'prometheus', port: p.prometheus.http, why: 'Tempo remote-writes span metrics' },
    ...TEMPO_MICROSERVICES_COMPONENTS.flatMap((from) =>
      TEMPO_MICROSERVICES_COMPONENTS.flatMap((to) => [
        { from, to, port: p[to].http, why },
        { from, to, port: p[to].grpc, why },
      ]),
    ),
    ...TEMPO_MICROSERVICES_COMPONENTS.map((to) => ({ from: 'prometheus' as const, to, port: p[to].http, why: 'Prometheus scrapes tempo' })),
    ...(deploysKafka(spec)
      ? [
          ...KAFKA_CLIENTS.map((from) => ({ from, to: 'kafka' as const, port: p.kafka.client, why: 'Tempo produces spans to and consumes them from Kafka' })),
          { from: 'kafka' as const, to: 'kafka' as const, port: p.kafka.client, why: 'Kafka brokers replicate partitions' },
          { from: 'kafka' as const, to: 'kafka' as const, port: p.kafka.controller, why: 'Kafka controllers keep their KRaft quorum' },
        ]
      : []),
  ];
  return flows;
}

/** `ha` rules that are not flows between two components' TCP ports. */
function haRules(spec: StackSpec, ctx: RenderContext): { ingress: Partial<Record<Component, Rule[]>>; egress: Partial<Record<Component, Rule[]>> } {
  if (!isHa(spec)) return { ingress: {}, egress: {} };
  const gossipPort = ctx.ports.alertmanager.cluster;
  const gossip: Rule = {
    peer: { kind: 'component', component: 'alertmanager' },
    ports: [
      { port: gossipPort, protocol: 'TCP' },
      { port: gossipPort, protocol: 'UDP' },
    ],
    why: 'Alertmanager replicas gossip (silences, notification log) over TCP and UDP',
  };
  const store = spec.ha.objectStorage;
  const storePort = store ? Number(/:(\d+)$/.exec(store.endpoint)?.[1] ?? (store.insecure ? 80 : 443)) : undefined;
  const external = spec.ha.externalStore;
  const lokiRules = lokiScalable(spec) && storePort ? lokiScalableRules(ctx, storePort) : undefined;
  const tempoRules = tempoMicroservices(spec) && storePort ? tempoMicroservicesRules(spec, ctx, storePort) : undefined;
  return {
    ingress: { alertmanager: [gossip], ...lokiRules?.ingress, ...tempoRules?.ingress },
    egress: {
      alertmanager: [gossip],
      ...lokiRules?.egress,
      ...tempoRules?.egress,
      ...(storePort ? { 'thanos-receive': [{ peer: { kind: 'any-ip' } as const, ports: [tcp(storePort)], why: 'Receive uploads blocks to the object storage bucket (ha.objectStorage)' }] } : {}),
      ...(external
        ? {
            prometheus: [{ peer: { kind: 'any-ip' } as const, ports: [tcp(urlPort(external.remoteWriteUrl))], why: 'Prometheus remote-writes to the external store (ha.externalStore)' }],
            grafana: [{ peer: { kind: 'any-ip' } as const, ports: [tcp(urlPort(external.queryUrl))], why: 'Grafana reads the external store (ha.externalStore)' }],
          }
        : {}),
    },
  };
}

/** Memberlist gossip among all three Loki targets (TCP and UDP), and each one's egress to the bucket. */
function lokiScalableRules(ctx: RenderContext, storePort: number): { ingress: Partial<Record<Component, Rule[]>>; egress: Partial<Record<Component, Rule[]>> } {
  const port = ctx.ports['loki-backend'].memberlist;
  const gossip = (peer: Component): Rule => ({
    peer: { kind: 'component', component: peer },
    ports: [
      { port, protocol: 'TCP' },
      { port, protocol: 'UDP' },
    ],
    why: 'Loki targets keep their rings by memberlist gossip over TCP and UDP',
  });
  const bucket: Rule = { peer: { kind: 'any-ip' }, ports: [tcp(storePort)], why: 'Loki reads and writes chunks and index in the object storage bucket (ha.objectStorage)' };
  const each = (rules: (c: LokiScalableComponent) => Rule[]) => Object.fromEntries(LOKI_SCALABLE_COMPONENTS.map((c) => [c, rules(c)]));
  return {
    ingress: each(() => LOKI_SCALABLE_COMPONENTS.map(gossip)),
    egress: each(() => [...LOKI_SCALABLE_COMPONENTS.map(gossip), bucket]),
  };
}

/**
 * Memberlist gossip among all of Tempo's microservices (TCP and UDP), each one's egress to the bucket, and, with a
 * Kafka the user runs (ha.tempo.kafka), the Kafka clients' egress to its port anywhere (its brokers' addresses are
 * learnt from the bootstrap broker).
 */
function tempoMicroservicesRules(spec: StackSpec, ctx: RenderContext, storePort: number): { ingress: Partial<Record<Component, Rule[]>>; egress: Partial<Record<Component, Rule[]>> } {
  const port = ctx.ports['tempo-distributor'].memberlist;
  const gossip = (peer: Component): Rule => ({
    peer: { kind: 'component', component: peer },
    ports: [
      { port, protocol: 'TCP' },
      { port, protocol: 'UDP' },
    ],
    why: 'Tempo microservices keep their rings by memberlist gossip over TCP and UDP',
  });
  const bucket: Rule = { peer: { kind: 'any-ip' }, ports: [tcp(storePort)], why: 'Tempo reads and writes blocks in the object storage bucket (ha.objectStorage)' };
  const kafka = tempoKafka(spec, ctx);
  const externalKafka: Rule[] = kafka.deployed
    ? []
    : [{ peer: { kind: 'any-ip' }, ports: [tcp(Number(/:(\d+)$/.exec(kafka.address)?.[1]))], why: 'Tempo produces spans to and consumes them from the Kafka it is given (ha.tempo.kafka)' }];
  const each = (rules: (c: TempoMicroservicesComponent) => Rule[]) => Object.fromEntries(TEMPO_MICROSERVICES_COMPONENTS.map((c) => [c, rules(c)]));
  return {
    ingress: each(() => TEMPO_MICROSERVICES_COMPONENTS.map(gossip)),
    egress: each((c) => [...TEMPO_MICROSERVICES_COMPONENTS.map(gossip), bucket, ...((KAFKA_CLIENTS as readonly string[]).includes(c) ? externalKafka : [])]),
  };
}

/** Alertmanager's receivers are outside the cluster: HTTPS for the web hooks, the smarthost port for email. */
function receiverPorts(spec: StackSpec): number[] {
  return uniqueSorted(
    spec.alerting.receivers.map((r) => {
      if (r.type !== 'email') return 443;
      const port = Number(/:(\d+)$/.exec(r.smarthost)?.[1]);
      if (!Number.isInteger(port)) throw new Error(`alerting receiver ${r.name}: smarthost ${r.smarthost} has no port`);
      return port;
    }),
  );
}

function group(flows: readonly Flow[], peerOf: (f: Flow) => Component): Rule[] {
  const byPeer = new Map<Component, Flow[]>();
  for (const f of flows) byPeer.set(peerOf(f), [...(byPeer.get(peerOf(f)) ?? []), f]);
  return ALL_COMPONENTS.filter((c) => byPeer.has(c)).map((c) => {
    const fs = byPeer.get(c) ?? [];
    return {
      peer: { kind: 'component', component: c },
      ports: uniqueSorted(fs.map((f) => f.port)).map(tcp),
      why: [...new Set(fs.map((f) => f.why))].join('; '),
    };
  });
}

export interface NetworkOptions {
  readonly ingressNamespace: string;
}

/** Namespaces whose pods may send OTLP: `intake.otlpNamespaces`, else the stack's and every service's namespace. */
export function otlpNamespaces(spec: StackSpec): string[] {
  const names = [
    ...(spec.intake.otlpNamespaces ?? [spec.namespace, ...spec.services.map((s) => s.namespace ?? spec.namespace)]),
    // The node agent forwards pod logs (`ha`: and the pods' OTLP) from its own namespace.
    ...(runsNodeAgent(spec) ? [nodeAgentNamespace(spec)] : []),
  ];
  return [...new Set(names)].sort();
}

/** Every component's ingress and egress rules. */
export function componentRules(
  spec: StackSpec,
  ctx: RenderContext,
  discovery: DiscoveryScope,
  options: NetworkOptions,
): Record<Component, ComponentRules> {
  const flows: Flow[] = [
    // Loki's scalable targets replace `loki` (lokiScalableFlows), Tempo's microservices `tempo` (tempoMicroservicesFlows).
    ...stackFlows(ctx).filter((f) => !(lokiScalable(spec) && (f.to === 'loki' || f.from === 'loki')) && !(tempoMicroservices(spec) && (f.to === 'tempo' || f.from === 'tempo'))),
    ...haFlows(spec, ctx),
    ...lokiScalableFlows(spec, ctx),
    ...tempoMicroservicesFlows(spec, ctx),
    ...(routesTraces(spec, ctx)
      ? [{ from: 'collector' as const, to: 'collector' as const, port: ctx.ports.collector.otlpRouted, why: 'collectors route spans by trace id to the replica that tail-samples the trace' }]
      : []),
    ...(needsKubeStateMetrics(spec)
      ? [{ from: 'prometheus' as const, to: 'kubeStateMetrics' as const, port: ctx.ports.kubeStateMetrics.http, why: 'Prometheus scrapes kube-state-metrics' }]
      : []),
  ];
  const ha = haRules(spec, ctx);
  const apiServer = (why: string): Rule => ({ peer: { kind: 'cidrs', cidrs: spec.kubernetes.apiServerCidrs }, ports: API_SERVER_PORTS.map(tcp), why });
  const servicePorts = uniqueSorted(scrapedServices(spec).map((s) => s.port));
  // Where the observed services are: the namespaces discovery looks in; anywhere when it is not limited (or
  // when targets are static, which name no namespace).
  const observedPeer: Peer =
    discovery.namespaces === 'all' || discovery.namespaces.length === 0
      ? { kind: 'cluster' }
      : { kind: 'namespaces', names: discovery.namespaces };
  // Health endpoints are probed through their Services, in the namespaces of the services that declare them.
  const healthPorts = healthCheckPorts(spec);
  const healthPeer: Peer = {
    kind: 'namespaces',
    names: [...new Set(spec.services.filter((s) => s.healthChecks?.length).map((s) => s.namespace ?? spec.namespace))].sort(),
  };
  const extraIngress: Partial<Record<Component, Rule[]>> = {
    collector: [
      {
        peer: { kind: 'namespaces', names: otlpNamespaces(spec) },
        ports: [tcp(ctx.ports.collector.otlpGrpc), tcp(ctx.ports.collector.otlpHttp)],
        why: 'OTLP from the namespaces the spec allows (intake.otlpNamespaces)',
      },
      ...(isHa(spec)
        ? [{ peer: { kind: 'namespaces', names: [nodeAgentNamespace(spec)] } as const, ports: [tcp(ctx.ports.collector.otlpRouted)], why: 'the node agents send each trace to the gateway that tail-samples it' }]
        : []),
    ],
    grafana: [
      {
        peer: { kind: 'namespaces', names: [options.ingressNamespace] },
        ports: [tcp(ctx.ports.grafana.http)],
        why: 'the ingress controller serves Grafana',
      },
    ],
  };
  const extraEgress: Partial<Record<Component, Rule[]>> = {
    prometheus: [
      ...(servicePorts.length > 0
        ? [{ peer: observedPeer, ports: servicePorts.map(tcp), why: 'Prometheus scrapes the observed services' }]
        : []),
      apiServer('Prometheus service discovery reads the Kubernetes API (kubernetes.apiServerCidrs)'),
      // The kubelets, on their port only, at the nodes' addresses only (kubernetes.nodeCidrs): scraped directly,
      // rather than through the API server's proxy, which would need RBAC nodes/proxy (the kubelet's whole API).
      ...(scrapesKubelets(spec)
        ? [{ peer: { kind: 'cidrs', cidrs: spec.kubernetes.nodeCidrs } as const, ports: [tcp(KUBELET_PORT)], why: 'Prometheus scrapes the kubelets\' /metrics and /metrics/cadvisor (kubernetes.nodeCidrs)' }]
        : []),
    ],
    // It lists and watches pods, nodes and claims; nothing else.
    kubeStateMetrics: [apiServer('kube-state-metrics lists and watches the objects it reports (kubernetes.apiServerCidrs)')],
    blackbox:
      healthPorts.length > 0
        ? [{ peer: healthPeer, ports: healthPorts.map(tcp), why: 'the blackbox exporter probes the services\' health endpoints' }]
        : [],
    alertmanager:
      spec.alerting.receivers.length > 0
        ? [{ peer: { kind: 'any-ip' }, ports: receiverPorts(spec).map(tcp), why: 'Alertmanager notifies its receivers' }]
        : [],
  };
  const rulesOf = (c: Component): ComponentRules => ({
    ingress: [...group(flows.filter((f) => f.to === c), (f) => f.from), ...(extraIngress[c] ?? []), ...(ha.ingress[c] ?? [])],
    egress: [...group(flows.filter((f) => f.from === c), (f) => f.to), ...(extraEgress[c] ?? []), ...(ha.egress[c] ?? [])],
  });
  return {
    collector: rulesOf('collector'),
    prometheus: rulesOf('prometheus'),
    alertmanager: rulesOf('alertmanager'),
    grafana: rulesOf('grafana'),
    loki: rulesOf('loki'),
    tempo: rulesOf('tempo'),
    blackbox: rulesOf('blackbox'),
    'thanos-receive': rulesOf('thanos-receive'),
    'thanos-query': rulesOf('thanos-query'),
    'loki-write': rulesOf('loki-write'),
    'loki-read': rulesOf('loki-read'),
    'loki-backend': rulesOf('loki-backend'),
    'tempo-distributor': rulesOf('tempo-distributor'),
    'tempo-live-store': rulesOf('tempo-live-store'),
    'tempo-block-builder': rulesOf('tempo-block-builder'),
    'tempo-querier': rulesOf('tempo-querier'),
    'tempo-query-frontend': rulesOf('tempo-query-frontend'),
    'tempo-backend-scheduler': rulesOf('tempo-backend-scheduler'),
    'tempo-backend-worker': rulesOf('tempo-backend-worker'),
    'tempo-metrics-generator': rulesOf('tempo-metrics-generator'),
    kafka: rulesOf('kafka'),
    kubeStateMetrics: rulesOf('kubeStateMetrics'),
  };
}

/**
 * When the observed services are discovered in the stack's own namespace, they live under its default deny
 * too: they may be scraped by Prometheus on their metrics ports and may send OTLP to the collector.
 * Anything else they need is theirs to allow (docs/kubernetes.md).
 */
export function observedServiceRules(spec: StackSpec, ctx: RenderContext, discovery: DiscoveryScope): ComponentRules | undefined {
  if (spec.services.length === 0 || discovery.namespaces === 'all' || !discovery.namespaces.includes(spec.namespace)) {
    return undefined;
  }
  const healthPorts = healthCheckPorts(spec);
  return {
    ingress: [
      {
        peer: { kind: 'component', component: 'prometheus' },
        ports: uniqueSorted(scrapedServices(spec).map((s) => s.port)).map(tcp),
        why: 'Prometheus scrapes the observed services',
      },
      ...(healthPorts.length > 0
        ? [{ peer: { kind: 'component', component: 'blackbox' } as const, ports: healthPorts.map(tcp), why: 'the blackbox exporter probes health endpoints' }]
        : []),
    ],
    egress: [
      {
        peer: { kind: 'component', component: 'collector' },
        ports: [tcp(ctx.ports.collector.otlpGrpc), tcp(ctx.ports.collector.otlpHttp)],
        why: 'services send OTLP to the collector',
      },
    ],
  };
}

/** DNS for every pod of the namespace: the cluster DNS pods only (kubernetes.dns), UDP and TCP 53. */
export function dnsRule(spec: StackSpec): Rule {
  const { namespace, podLabel } = spec.kubernetes.dns;
  return {
    peer: { kind: 'pods-in-namespace', namespace, labels: { [podLabel.name]: podLabel.value } },
    ports: [
      { port: 53, protocol: 'UDP' },
      { port: 53, protocol: 'TCP' },
    ],
    why: 'cluster DNS',
  };
}
