import { defineMixin } from '../../mixin/define';
import { param } from '../../mixin/params';
import { kubernetesAlerts } from './alerts';
import { kubernetesDashboard } from './dashboards';
import { cadvisorMetrics, kubeletMetrics, kubernetesMetrics, kubeStateMetricsMetrics } from './metrics';

/**
 * The cluster observed (USE): node and pod CPU, memory, CPU throttling, restarts, OOM kills and PersistentVolumeClaim
 * usage, with alerts on crash loops, OOM kills, throttling, nodes not ready and claims predicted to fill — obskit's
 * own Prometheus, Loki and Tempo claims among them. Kubernetes only: compose has no cluster.
 *
 * Source: kube-state-metrics (which the Kubernetes target deploys, reading only pods, nodes and claims) and the
 * kubelet's `/metrics/cadvisor` and `/metrics` (Prometheus scrapes each node's kubelet with its ServiceAccount
 * token, RBAC `nodes/metrics`). Chosen over the collector's `kubeletstats` and `k8s_cluster` receivers because
 * these are the metric names the whole field's mixins, dashboards and runbooks use (kube-prometheus, the
 * kubernetes-mixin), because their alerts are testable here with promtool on exactly those names, and because it
 * needs no change to the collector build (those receivers are not in tools/otelcol's manifest). node-exporter is
 * not needed for these signals: cAdvisor's root cgroup gives node CPU and memory, the kubelet gives volume stats.
 */
export const kubernetes = defineMixin({
  name: 'kubernetes',
  version: '1.0.0',
  scope: 'stack',
  targets: ['kubernetes'],
  description: 'The Kubernetes cluster the stack runs in: nodes, pods and PersistentVolumeClaims (USE), from kube-state-metrics and the kubelet.',
  params: {
    crashLoopRestarts: param.number(3, { description: 'Restarts of one container within 15m from which KubePodCrashLooping fires (after 5m).', min: 1, integer: true }),
    throttlingRatio: param.ratio(0.25, 'Share of CPU periods throttled (5m) above which KubeContainerCPUThrottlingHigh fires.'),
    volumeFullWithin: param.duration('24h', { description: 'KubePersistentVolumeFillingUp fires for a claim predicted to be full within this.', min: '1h', max: '30d' }),
    volumeTrendWindow: param.duration('6h', { description: 'How far back the fill prediction looks (predict_linear window).', min: '1h', max: '7d' }),
  },
  metrics: () => kubernetesMetrics,
  kubernetesSources: { kubeStateMetrics: kubeStateMetricsMetrics, cadvisor: cadvisorMetrics, kubelet: kubeletMetrics },
  alerts: ({ spec, config }) => kubernetesAlerts(spec, config),
  dashboards: () => [kubernetesDashboard()],
});
