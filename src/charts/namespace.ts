import * as kplus from 'cdk8s-plus-28';
import type { Construct } from 'constructs';
import { StackChart, type StackChartProps } from './chart';
import type { DiscoveryScope } from './discovery';
import { stackLabels } from './meta';
import { DEFAULT_DENY_POLICY, DNS_POLICY, dnsRule, OBSERVED_SERVICES_POLICY, observedServiceRules } from './network';
import { networkPolicy } from './policy';
import { kubeScoreAnnotations } from './policy-exceptions';

/**
 * Pod Security Admission level enforced in the namespace: `restricted`, which every obskit pod meets, so the
 * API server itself rejects a pod that would run as root, keep capabilities or escalate privileges.
 */
export const POD_SECURITY_LEVEL = 'restricted';

export interface NamespaceChartProps extends StackChartProps {
  readonly discovery: DiscoveryScope;
}

/**
 * The namespace and the policies that hold for every pod in it: deny all traffic in and out, then allow DNS.
 * Each component's own policy (in its chart) opens exactly its flows. When the observed services are discovered
 * in this namespace, a policy lets Prometheus scrape them and lets them send OTLP to the collector.
 */
export class NamespaceChart extends StackChart {
  constructor(scope: Construct, id: string, props: NamespaceChartProps) {
    super(scope, id);
    const { spec, ctx } = props;
    const labels = stackLabels();
    new kplus.Namespace(this, 'namespace', {
      metadata: {
        name: spec.namespace,
        labels: {
          ...labels,
          'pod-security.kubernetes.io/enforce': POD_SECURITY_LEVEL,
          'pod-security.kubernetes.io/enforce-version': 'latest',
          'pod-security.kubernetes.io/warn': POD_SECURITY_LEVEL,
          'pod-security.kubernetes.io/audit': POD_SECURITY_LEVEL,
        },
      },
    });
    const priorityClass = spec.kubernetes.priorityClass;
    if (priorityClass?.value !== undefined) {
      // Cluster-wide (kustomize gives it no namespace); never the default class, and it may preempt lower ones.
      new kplus.k8s.KubePriorityClass(this, 'priority-class', {
        metadata: { name: priorityClass.name, labels },
        value: priorityClass.value,
        globalDefault: false,
        description: `obskit (${spec.namespace}): every pod of the observability stack (kubernetes.priorityClass)`,
      });
    }
    const base = { namespace: spec.namespace, labels, ctx };
    networkPolicy(this, 'default-deny', { ...base, name: DEFAULT_DENY_POLICY, rules: { ingress: [], egress: [] } });
    networkPolicy(this, 'allow-dns', { ...base, name: DNS_POLICY, rules: { ingress: [], egress: [dnsRule(spec)] } });
    const observed = observedServiceRules(spec, ctx, props.discovery);
    if (observed) {
      networkPolicy(this, 'observed-services', {
        ...base,
        name: OBSERVED_SERVICES_POLICY,
        annotations: kubeScoreAnnotations('NetworkPolicy', { name: OBSERVED_SERVICES_POLICY }),
        selector: { kind: 'observed-in-namespace' },
        rules: observed,
      });
    }
  }
}
