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

function peer(scope: Construct, id: string, p: Peer, ctx: RenderContext): kplus.INetworkPolicyPeer {
  switch (p.kind) {
    case 'component':
    case 'observed-in-namespace':
      return podsOf(scope, id, p, ctx);
    case 'namespaces':
      // An empty list would render as an empty peer list, which Kubernetes reads as "everywhere".
      if (p.names.length === 0) throw new Error(`NetworkPolicy peer ${id}: no namespace named`);
      return kplus.Pods.all(scope, id, { namespaces: kplus.Namespaces.select(scope, `${id}-ns`, { names: [...p.names] }) });
    case 'cluster':
      return kplus.Pods.all(scope, id, { namespaces: kplus.Namespaces.all(scope, `${id}-ns`) });
    case 'any-ip':
      return kplus.NetworkPolicyIpBlock.anyIpv4(scope, id);
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
  o.rules.ingress.forEach((r, i) => policy.addIngressRule(peer(scope, `${id}-in-${i}`, r.peer, o.ctx), r.ports.map(port)));
  o.rules.egress.forEach((r, i) => policy.addEgressRule(peer(scope, `${id}-out-${i}`, r.peer, o.ctx), r.ports.map(port)));
  return policy;
}
