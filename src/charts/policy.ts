import * as kplus from 'cdk8s-plus-28';
import type { Construct } from 'constructs';
import type { RenderContext } from '../config/context';
import { PART_OF, selectorLabels } from './meta';
import type { ComponentRules, Peer, PortRule } from './network';

function podsOf(
  scope: Construct,
  id: string,
  p: Extract<Peer, { kind: 'component' | 'observed-in-namespace' }>,
  ctx: RenderContext,
): kplus.Pods {
  return p.kind === 'component'
    ? kplus.Pods.select(scope, id, { labels: selectorLabels(ctx, p.component) })
    : kplus.Pods.select(scope, id, { expressions: [kplus.LabelExpression.notIn('app.kubernetes.io/part-of', [PART_OF])] });
}

/** The IP block of a CIDR, of its own family: policies stay right on IPv4, IPv6 and dual-stack clusters. */
function ipBlock(scope: Construct, id: string, cidr: string): kplus.NetworkPolicyIpBlock {
  return cidr.includes(':') ? kplus.NetworkPolicyIpBlock.ipv6(scope, id, cidr) : kplus.NetworkPolicyIpBlock.ipv4(scope, id, cidr);
}

/** The peers of one rule; several when it names several CIDRs (one ipBlock each). */
function peers(scope: Construct, id: string, p: Peer, ctx: RenderContext): kplus.INetworkPolicyPeer[] {
  switch (p.kind) {
    case 'component':
    case 'observed-in-namespace':
      return [podsOf(scope, id, p, ctx)];
    case 'namespaces':
      // An empty list would render as an empty peer list, which Kubernetes reads as "everywhere".
      if (p.names.length === 0) throw new Error(`NetworkPolicy peer ${id}: no namespace named`);
      return [kplus.Pods.all(scope, id, { namespaces: kplus.Namespaces.select(scope, `${id}-ns`, { names: [...p.names] }) })];
    case 'pods-in-namespace':
      return [
        kplus.Pods.select(scope, id, {
          labels: { ...p.labels },
          namespaces: kplus.Namespaces.select(scope, `${id}-ns`, { names: [p.namespace] }),
        }),
      ];
    case 'cluster':
      return [kplus.Pods.all(scope, id, { namespaces: kplus.Namespaces.all(scope, `${id}-ns`) })];
    case 'cidrs':
      if (p.cidrs.length === 0) throw new Error(`NetworkPolicy peer ${id}: no CIDR named`);
      return p.cidrs.map((cidr, i) => ipBlock(scope, `${id}-${i}`, cidr));
    case 'any-ip':
      return [ipBlock(scope, `${id}-v4`, '0.0.0.0/0'), ipBlock(scope, `${id}-v6`, '::/0')];
  }
}

function port(p: PortRule): kplus.NetworkPolicyPort {
  return p.protocol === 'UDP' ? kplus.NetworkPolicyPort.udp(p.port) : kplus.NetworkPolicyPort.tcp(p.port);
}

/**
 * A NetworkPolicy for the pods `selector` picks, isolating them in both directions and allowing exactly
 * `rules`. With no rules in a direction it denies that direction (a default deny).
 */
export function networkPolicy(
  scope: Construct,
  id: string,
  o: {
    name: string;
    namespace: string;
    labels: Record<string, string>;
    annotations?: Record<string, string>;
    ctx: RenderContext;
    /** Pods the policy applies to; every pod of the namespace when omitted. */
    selector?: Extract<Peer, { kind: 'component' | 'observed-in-namespace' }>;
    rules: ComponentRules;
  },
): kplus.NetworkPolicy {
  const selector = o.selector ? podsOf(scope, `${id}-selector`, o.selector, o.ctx) : kplus.Pods.all(scope, `${id}-selector`);
  const policy = new kplus.NetworkPolicy(scope, id, {
    metadata: {
      name: o.name,
      namespace: o.namespace,
      labels: o.labels,
      ...(o.annotations && Object.keys(o.annotations).length > 0 ? { annotations: o.annotations } : {}),
    },
    selector,
    ingress: { default: kplus.NetworkPolicyTrafficDefault.DENY },
    egress: { default: kplus.NetworkPolicyTrafficDefault.DENY },
  });
  o.rules.ingress.forEach((r, i) => {
    for (const p of peers(scope, `${id}-in-${i}`, r.peer, o.ctx)) policy.addIngressRule(p, r.ports.map(port));
  });
  o.rules.egress.forEach((r, i) => {
    for (const p of peers(scope, `${id}-out-${i}`, r.peer, o.ctx)) policy.addEgressRule(p, r.ports.map(port));
  });
  return policy;
}
