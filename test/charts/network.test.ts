/**
 * The NetworkPolicies in dist/k8s, evaluated the way Kubernetes does (a pod selected by any policy of a type is
 * isolated for that direction; a connection needs the source's egress and the destination's ingress to allow
 * it), against every address the rendered configs name, so a new connection in a config cannot ship blocked.
 */
import { parse } from 'yaml';
import { renderContext } from '../../src/config/context';
import { STACK_SCRAPE_JOBS } from '../../src/config/prometheus';
import { BlockList, isIP } from 'node:net';
import { DEFAULT_INGRESS_NAMESPACE } from '../../src/charts/network';
import { COMPONENTS, resolveSpec, scrapedServices, type Component, type StackSpec } from '../../src/spec';
import { demoSpecInput as stack } from '../fixtures/demo-spec';
import { fullSpec } from '../fixtures/full-spec';
import { find, manifests, podMetadataOf, WORKLOAD_KINDS, type Manifest, type Obj } from './manifests';

const ctx = renderContext('kubernetes');

type Endpoint =
  | { readonly kind: 'pod'; readonly namespace: string; readonly labels: Readonly<Record<string, string>> }
  | { readonly kind: 'ip'; readonly ip: string };

function matches(selector: Obj | undefined, labels: Readonly<Record<string, string>>): boolean {
  if (!selector) return true;
  for (const [k, v] of Object.entries((selector.matchLabels ?? {}) as Record<string, string>)) if (labels[k] !== v) return false;
  for (const e of (selector.matchExpressions ?? []) as Obj[]) {
    const value = labels[e.key];
    const ok =
      e.operator === 'In'
        ? value !== undefined && e.values.includes(value)
        : e.operator === 'NotIn'
          ? value === undefined || !e.values.includes(value)
          : e.operator === 'Exists'
            ? value !== undefined
            : value === undefined;
    if (!ok) return false;
  }
  return true;
}

function inCidr(ip: string, cidr: string): boolean {
  const [base, bits] = cidr.split('/') as [string, string];
  const family = isIP(base) === 6 ? 'ipv6' : 'ipv4';
  if ((isIP(ip) === 6 ? 'ipv6' : 'ipv4') !== family) return false;
  const block = new BlockList();
  block.addSubnet(base, Number(bits), family);
  return block.check(ip, family);
}

function peerMatches(peer: Obj, policyNamespace: string, other: Endpoint): boolean {
  if (peer.ipBlock) return other.kind === 'ip' && inCidr(other.ip, peer.ipBlock.cidr);
  if (other.kind !== 'pod') return false;
  const namespaceOk = peer.namespaceSelector
    ? matches(peer.namespaceSelector, { 'kubernetes.io/metadata.name': other.namespace })
    : other.namespace === policyNamespace;
  return namespaceOk && matches(peer.podSelector, other.labels);
}

function portMatches(ports: Obj[] | undefined, port: number, protocol: string): boolean {
  if (!ports || ports.length === 0) return true;
  return ports.some((p) => (p.protocol ?? 'TCP') === protocol && (p.port === undefined || p.port === port));
}

/** Whether `direction` traffic of `self` to/from `other` on port is allowed by the policies. */
function allowedBy(policies: readonly Obj[], direction: 'Ingress' | 'Egress', self: Endpoint, other: Endpoint, port: number, protocol: string): boolean {
  if (self.kind !== 'pod') return true; // outside the cluster: not ours to police
  const selecting = policies.filter(
    (p) => p.metadata.namespace === self.namespace && matches(p.spec.podSelector, self.labels) && (p.spec.policyTypes as string[]).includes(direction),
  );
  if (selecting.length === 0) return true;
  return selecting.some((p) =>
    ((direction === 'Ingress' ? p.spec.ingress : p.spec.egress) ?? []).some(
      (rule: Obj) =>
        portMatches(rule.ports, port, protocol) &&
        ((direction === 'Ingress' ? rule.from : rule.to) ?? [{}]).some((peer: Obj) => peerMatches(peer, p.metadata.namespace, other)),
    ),
  );
}

function connects(all: readonly Manifest[], from: Endpoint, to: Endpoint, port: number, protocol = 'TCP'): boolean {
  const policies = all.filter((m) => m.object.kind === 'NetworkPolicy').map((m) => m.object);
  return allowedBy(policies, 'Egress', from, to, port, protocol) && allowedBy(policies, 'Ingress', to, from, port, protocol);
}

function podOf(all: readonly Manifest[], spec: StackSpec, component: Component): Endpoint {
  const workload = all.find((m) => WORKLOAD_KINDS.includes(m.object.kind) && m.object.metadata.name === ctx.hosts[component])!;
  return { kind: 'pod', namespace: spec.namespace, labels: podMetadataOf(workload.object).labels };
}

const componentOfHost = (host: string): Component => {
  const c = COMPONENTS.find((x) => ctx.hosts[x] === host || `${ctx.hosts[x]}-headless` === host);
  if (!c) throw new Error(`no component is reached as ${host}`);
  return c;
};

/** host:port → [component, port] for an address or URL a config names. */
function target(address: string): [Component, number] {
  const m = /^(?:[a-z]+:\/\/)?([^:/]+):(\d+)/.exec(address);
  if (!m) throw new Error(`not an address: ${address}`);
  return [componentOfHost(m[1]!), Number(m[2])];
}

/** Every connection the rendered configs make between components, read from the ConfigMaps themselves. */
function configuredConnections(all: readonly Manifest[]): [Component, Component, number, string][] {
  const config = (name: string, key: string) => parse(find(all, 'ConfigMap', name).data[key]) as Obj;
  const out: [Component, Component, number, string][] = [];
  const collector = config(ctx.hosts.collector, 'config.yaml');
  for (const [name, exporter] of Object.entries(collector.exporters as Record<string, Obj>)) {
    // The loadbalancing exporter reaches the replicas its DNS resolver finds, not one endpoint.
    const dns = exporter.resolver?.dns as Obj | undefined;
    out.push(['collector', ...target(dns ? `${dns.hostname}:${dns.port}` : exporter.endpoint), `collector exporter ${name}`]);
  }
  const tempo = config(ctx.hosts.tempo, 'tempo.yaml');
  for (const rw of tempo.metrics_generator.storage.remote_write as Obj[]) out.push(['tempo', ...target(rw.url), 'tempo remote_write']);
  const prometheus = config(ctx.hosts.prometheus, 'prometheus.yml');
  for (const am of prometheus.alerting.alertmanagers as Obj[]) {
    for (const sc of am.static_configs as Obj[]) for (const t of sc.targets as string[]) out.push(['prometheus', ...target(t), 'alerting']);
  }
  const grafana = config(`${ctx.hosts.grafana}-datasources`, 'obskit.yaml');
  for (const ds of grafana.datasources as Obj[]) out.push(['grafana', ...target(ds.url), `datasource ${ds.name}`]);
  return out;
}

describe.each([
  ['demo spec', resolveSpec(stack)],
  ['full spec', fullSpec],
  ['tail-sampling spec (collectors route spans by trace id)', resolveSpec({ ...stack, sampling: { tail: { percent: 10 } } })],
] as [string, StackSpec][])('NetworkPolicies (%s)', (_, spec) => {
  const all = manifests(spec);
  const pod = (c: Component) => podOf(all, spec, c);
  const elsewhere: Endpoint = { kind: 'pod', namespace: 'shop', labels: { app: 'checkout' } };

  it('allow every connection the rendered configs make', () => {
    const connections = configuredConnections(all);
    expect(connections.length).toBeGreaterThanOrEqual(8);
    for (const [from, to, port, why] of connections) {
      expect([why, from, to, port, connects(all, pod(from), pod(to), port)]).toEqual([why, from, to, port, true]);
    }
  });

  it('let only the collectors reach the trace-routing port, and only when they route', () => {
    const routed = ctx.ports.collector.otlpRouted;
    const neighbour: Endpoint = { kind: 'pod', namespace: spec.namespace, labels: { app: 'anything' } };
    expect([connects(all, elsewhere, pod('collector'), routed), connects(all, neighbour, pod('collector'), routed)]).toEqual([false, false]);
    expect(connects(all, pod('collector'), pod('collector'), routed)).toBe(spec.sampling.tail !== undefined);
  });

  it('let Prometheus scrape every stack component on its scrape port', () => {
    for (const job of STACK_SCRAPE_JOBS) {
      expect([job.job, connects(all, pod('prometheus'), pod(job.component), job.port(ctx))]).toEqual([job.job, true]);
    }
  });

  it('let OTLP in to the collector only from the stack’s and the services’ namespaces, and nothing else from outside', () => {
    const observed: Endpoint = { kind: 'pod', namespace: spec.namespace, labels: { app: 'anything' } };
    for (const port of [ctx.ports.collector.otlpGrpc, ctx.ports.collector.otlpHttp]) {
      expect(connects(all, observed, pod('collector'), port)).toBe(true);
      expect(connects(all, elsewhere, pod('collector'), port)).toBe(false);
    }
    expect(connects(all, elsewhere, pod('collector'), ctx.ports.collector.metrics)).toBe(false);
    for (const c of COMPONENTS.filter((x) => x !== 'collector')) {
      for (const port of Object.values(ctx.ports[c])) expect([c, port, connects(all, elsewhere, pod(c), port)]).toEqual([c, port, false]);
    }
  });

  it('let the ingress controller reach Grafana only', () => {
    const controller: Endpoint = { kind: 'pod', namespace: DEFAULT_INGRESS_NAMESPACE, labels: { 'app.kubernetes.io/name': 'ingress-nginx' } };
    expect(connects(all, controller, pod('grafana'), ctx.ports.grafana.http)).toBe(true);
    expect(connects(all, controller, pod('prometheus'), ctx.ports.prometheus.http)).toBe(false);
  });

  it('let every pod resolve names with cluster DNS', () => {
    const dns: Endpoint = { kind: 'pod', namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } };
    const otherSystemPod: Endpoint = { kind: 'pod', namespace: 'kube-system', labels: { 'k8s-app': 'metrics-server' } };
    const dnsElsewhere: Endpoint = { kind: 'pod', namespace: 'default', labels: { 'k8s-app': 'kube-dns' } };
    for (const c of COMPONENTS) {
      expect([c, connects(all, pod(c), dns, 53, 'UDP'), connects(all, pod(c), dns, 53, 'TCP')]).toEqual([c, true, true]);
      // Only the DNS pods, not any pod of kube-system, nor a look-alike elsewhere, nor an outside resolver.
      expect([c, connects(all, pod(c), otherSystemPod, 53, 'UDP'), connects(all, pod(c), dnsElsewhere, 53, 'UDP')]).toEqual([c, false, false]);
      expect([c, connects(all, pod(c), { kind: 'ip', ip: '8.8.8.8' }, 53, 'UDP')]).toEqual([c, false]);
    }
  });

  it('deny what no flow needs (default deny)', () => {
    expect(connects(all, pod('loki'), pod('grafana'), ctx.ports.grafana.http)).toBe(false);
    expect(connects(all, pod('grafana'), pod('collector'), ctx.ports.collector.otlpGrpc)).toBe(false);
    expect(connects(all, pod('tempo'), { kind: 'ip', ip: '203.0.113.7' }, 443)).toBe(false);
    expect(connects(all, pod('collector'), elsewhere, 8080)).toBe(false);
  });

  it('let Prometheus reach the Kubernetes API for discovery, and scrape the observed services where it discovers them', () => {
    expect(connects(all, pod('prometheus'), { kind: 'ip', ip: '10.96.0.1' }, 443)).toBe(true);
    expect(connects(all, pod('prometheus'), { kind: 'ip', ip: 'fd00:10:96::1' }, 6443)).toBe(true);
    // Not any address on the API server's ports: only the private ranges of the default kubernetes.apiServerCidrs.
    expect(connects(all, pod('prometheus'), { kind: 'ip', ip: '203.0.113.7' }, 443)).toBe(false);
    expect(connects(all, pod('prometheus'), { kind: 'ip', ip: '2001:db8::7' }, 443)).toBe(false);
    const service: Endpoint = { kind: 'pod', namespace: spec.namespace, labels: { app: 'demo' } };
    for (const s of scrapedServices(spec)) {
      expect([s.name, connects(all, pod('prometheus'), service, s.port)]).toEqual([s.name, true]);
    }
    // Observed services deployed in the namespace may send OTLP to the collector.
    expect(connects(all, service, pod('collector'), ctx.ports.collector.otlpGrpc)).toBe(true);
  });

  it('let Alertmanager reach its receivers, and only when there are some', () => {
    const internet: Endpoint = { kind: 'ip', ip: '198.51.100.20' };
    expect(connects(all, pod('alertmanager'), internet, 443)).toBe(spec.alerting.receivers.length > 0);
    expect(connects(all, pod('alertmanager'), { kind: 'ip', ip: '2001:db8::20' }, 443)).toBe(spec.alerting.receivers.length > 0);
    for (const r of spec.alerting.receivers) {
      if (r.type === 'email') expect(connects(all, pod('alertmanager'), internet, Number(r.smarthost.split(':').pop()))).toBe(true);
    }
  });
});

describe('the edges the spec configures (kubernetes.apiServerCidrs, kubernetes.dns)', () => {
  const spec = resolveSpec({
    ...stack,
    kubernetes: { apiServerCidrs: ['172.18.0.2/32', '2001:db8:1::/64'], dns: { podLabel: { value: 'coredns' } } },
  });
  const all = manifests(spec);
  const prometheus = podOf(all, spec, 'prometheus');

  it('lets Prometheus reach the API server at exactly those CIDRs, IPv4 and IPv6', () => {
    expect(connects(all, prometheus, { kind: 'ip', ip: '172.18.0.2' }, 6443)).toBe(true);
    expect(connects(all, prometheus, { kind: 'ip', ip: '2001:db8:1::10' }, 443)).toBe(true);
    expect(connects(all, prometheus, { kind: 'ip', ip: '172.18.0.3' }, 6443)).toBe(false);
    expect(connects(all, prometheus, { kind: 'ip', ip: '10.96.0.1' }, 443)).toBe(false);
    expect(connects(all, prometheus, { kind: 'ip', ip: '2001:db8:2::10' }, 443)).toBe(false);
  });

  it('lets pods ask the DNS pods the spec names', () => {
    const coredns: Endpoint = { kind: 'pod', namespace: 'kube-system', labels: { 'k8s-app': 'coredns' } };
    const kubeDns: Endpoint = { kind: 'pod', namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } };
    expect(connects(all, prometheus, coredns, 53, 'UDP')).toBe(true);
    expect(connects(all, prometheus, kubeDns, 53, 'UDP')).toBe(false);
  });
});

describe('OTLP intake from the namespaces the spec names (intake.otlpNamespaces)', () => {
  const spec = resolveSpec({ ...stack, intake: { otlpNamespaces: ['shop', 'ci'] } });
  const all = manifests(spec);
  const from = (namespace: string): Endpoint => ({ kind: 'pod', namespace, labels: { app: 'x' } });

  it('lets those namespaces in, and no other', () => {
    for (const port of [ctx.ports.collector.otlpGrpc, ctx.ports.collector.otlpHttp]) {
      expect(connects(all, from('shop'), podOf(all, spec, 'collector'), port)).toBe(true);
      expect(connects(all, from('ci'), podOf(all, spec, 'collector'), port)).toBe(true);
      expect(connects(all, from('payments'), podOf(all, spec, 'collector'), port)).toBe(false);
    }
  });
});
