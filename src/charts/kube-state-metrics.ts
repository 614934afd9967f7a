import * as kplus from 'cdk8s-plus-28';
import type { Construct } from 'constructs';
import { kubernetesSourcesOf } from '../mixin/compose';
import { StackChart, componentNetworkPolicy, type StackChartProps } from './chart';
import { componentLabels, componentName } from './meta';
import { componentService, deploymentComponent, livenessProbe, readinessProbe } from './workload';

/**
 * kube-state-metrics's resource collectors by the prefix of the metrics each one writes (`kube_<resource>_…`, the
 * naming of its docs/metrics/): the collectors it runs, and the objects its ClusterRole may list and watch, follow
 * from the metrics the spec's mixins read.
 */
const COLLECTORS: readonly { readonly prefix: string; readonly resource: string }[] = [
  { prefix: 'kube_pod_', resource: 'pods' },
  { prefix: 'kube_node_', resource: 'nodes' },
  { prefix: 'kube_persistentvolumeclaim_', resource: 'persistentvolumeclaims' },
];

/** The collectors (`--resources`) the metrics need; a metric no collector here writes is an error. */
export function kubeStateMetricsResources(metrics: readonly string[]): string[] {
  return [
    ...new Set(
      metrics.map((m) => {
        const collector = COLLECTORS.find((c) => m.startsWith(c.prefix));
        if (!collector) throw new Error(`kube-state-metrics: no collector known for ${m} (known: ${COLLECTORS.map((c) => `${c.prefix}*`).join(', ')})`);
        return collector.resource;
      }),
    ),
  ].sort();
}

/**
 * kube-state-metrics, for the stack mixins that read the cluster (the `kubernetes` mixin): one replica (two would
 * double every series), its own ServiceAccount whose token it mounts, a ClusterRole that may only list and watch the
 * objects behind the metrics it is allowed to expose, non-root with a read-only root, probes on its own health
 * endpoints, limits from `resources.kubeStateMetrics`, and a NetworkPolicy letting only Prometheus in and only the
 * API server out.
 */
export class KubeStateMetricsChart extends StackChart {
  constructor(scope: Construct, id: string, props: StackChartProps) {
    super(scope, id);
    const { spec, ctx } = props;
    const component = 'kubeStateMetrics' as const;
    const name = componentName(ctx, component);
    const labels = componentLabels(ctx, component);
    const metrics = kubernetesSourcesOf(spec).kubeStateMetrics;
    const resources = kubeStateMetricsResources(metrics);

    const serviceAccount = new kplus.ServiceAccount(this, 'service-account', {
      metadata: { name, namespace: spec.namespace, labels },
      automountToken: false,
    });
    // Cluster-wide (it reports every namespace's pods and the nodes); the name carries the stack's namespace.
    const clusterName = `${spec.namespace}-${name}`;
    const role = new kplus.ClusterRole(this, 'cluster-role', { metadata: { name: clusterName, labels } });
    role.allow(['list', 'watch'], ...resources.map((r) => kplus.ApiResource.custom({ apiGroup: '', resourceType: r })));
    new kplus.ClusterRoleBinding(this, 'cluster-role-binding', { metadata: { name: clusterName, labels }, role }).addSubjects(serviceAccount);

    const http = ctx.ports.kubeStateMetrics.http;
    const telemetry = ctx.ports.kubeStateMetrics.telemetry;
    deploymentComponent(this, {
      spec,
      ctx,
      component,
      replicas: 1,
      serviceAccount,
      args: [`--port=${http}`, `--telemetry-port=${telemetry}`, `--resources=${resources.join(',')}`, `--metric-allowlist=${metrics.join(',')}`],
      ports: [
        { name: 'http', number: http },
        { name: 'telemetry', number: telemetry },
      ],
      // As its own examples/standard/deployment.yaml at v2.20.0: /readyz on the telemetry port, /livez on the metrics port.
      readiness: readinessProbe({ path: '/readyz' }, telemetry),
      liveness: livenessProbe({ path: '/livez' }, http),
      configMaps: [],
    });
    componentService(this, 'service', { spec, ctx, component, ports: [{ name: 'http', port: http }] });
    componentNetworkPolicy(this, props, component);
  }
}
