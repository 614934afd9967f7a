import { defineDocumentedMetric } from '../../sdk/catalog/define';

/**
 * The cluster's metrics, under the names their sources document (they are those systems' contract, and the names
 * every Kubernetes mixin of the field queries):
 *
 * - kube-state-metrics v2.20.0 (src/spec/versions.ts), docs/metrics/workload/pod-metrics.md,
 *   cluster/node-metrics.md at tag v2.20.0 (commit 4ffeda2): names, types and labels as documented there;
 * - the kubelet's cAdvisor endpoint (`/metrics/cadvisor`): cAdvisor's container collector
 *   (google/cadvisor metrics/prometheus.go) with the labels the kubelet sets (kubernetes pkg/kubelet/server/server.go,
 *   containerPrometheusLabelsFunc: `id`, `name`, `image`, `pod`, `namespace`, `container`); `cpu` is
 *   container_cpu_usage_seconds_total's own extra label (`total` when per-CPU usage is off, as in the kubelet);
 * - the kubelet's own `/metrics`: its volume stats collector (pkg/kubelet/metrics/collectors/volume_stats.go,
 *   labels `namespace`, `persistentvolumeclaim`).
 *
 * `node` on the kubelet's series is not theirs: obskit's kubelet scrape jobs set it from the node's name
 * (src/config/kubernetes-scrape.ts), as `service_name` is set on every job.
 */

// ------------------------------------------------------------------------------------------ kube-state-metrics

export const podContainerRestarts = defineDocumentedMetric({
  name: 'kube_pod_container_status_restarts_total',
  help: 'The number of container restarts per container.',
  type: 'counter',
  unit: '',
  labelNames: ['namespace', 'pod', 'container', 'uid'],
});

export const podContainerLastTerminatedReason = defineDocumentedMetric({
  name: 'kube_pod_container_status_last_terminated_reason',
  help: 'Describes the last reason the container was in terminated state (1 for the reason, such as OOMKilled).',
  type: 'gauge',
  unit: '',
  labelNames: ['namespace', 'pod', 'container', 'reason', 'uid'],
});

export const podContainerResourceLimits = defineDocumentedMetric({
  name: 'kube_pod_container_resource_limits',
  help: 'The limit of a resource of a container (cpu in cores, memory in bytes).',
  type: 'gauge',
  unit: '',
  labelNames: ['namespace', 'pod', 'container', 'node', 'resource', 'unit', 'uid'],
});

export const nodeStatusCondition = defineDocumentedMetric({
  name: 'kube_node_status_condition',
  help: 'The condition of a cluster node (1 for the status it has: true, false or unknown).',
  type: 'gauge',
  unit: '',
  labelNames: ['node', 'condition', 'status'],
});

export const nodeStatusAllocatable = defineDocumentedMetric({
  name: 'kube_node_status_allocatable',
  help: 'The amount of resources allocatable for pods (cpu in cores, memory in bytes).',
  type: 'gauge',
  unit: '',
  labelNames: ['node', 'resource', 'unit'],
});

// ------------------------------------------------------------------------------------------ cAdvisor (kubelet)

const CADVISOR_LABELS = ['node', 'namespace', 'pod', 'container', 'id', 'name', 'image'] as const;

export const containerCpuUsage = defineDocumentedMetric({
  name: 'container_cpu_usage_seconds_total',
  help: 'Cumulative cpu time consumed in seconds.',
  type: 'counter',
  unit: 'seconds',
  labelNames: [...CADVISOR_LABELS, 'cpu'],
});

export const containerMemoryWorkingSet = defineDocumentedMetric({
  name: 'container_memory_working_set_bytes',
  help: 'Current working set in bytes (what the kubelet compares with the memory limit).',
  type: 'gauge',
  unit: 'bytes',
  labelNames: CADVISOR_LABELS,
});

export const containerCfsPeriods = defineDocumentedMetric({
  name: 'container_cpu_cfs_periods_total',
  help: 'Number of elapsed enforcement period intervals (containers with a CPU limit).',
  type: 'counter',
  unit: '',
  labelNames: CADVISOR_LABELS,
});

export const containerCfsThrottledPeriods = defineDocumentedMetric({
  name: 'container_cpu_cfs_throttled_periods_total',
  help: 'Number of throttled period intervals.',
  type: 'counter',
  unit: '',
  labelNames: CADVISOR_LABELS,
});

export const containerOomEvents = defineDocumentedMetric({
  name: 'container_oom_events_total',
  help: 'Count of out of memory events observed for the container.',
  type: 'counter',
  unit: '',
  labelNames: CADVISOR_LABELS,
});

// ------------------------------------------------------------------------------------------ kubelet volume stats

const VOLUME_LABELS = ['node', 'namespace', 'persistentvolumeclaim'] as const;

export const volumeAvailableBytes = defineDocumentedMetric({
  name: 'kubelet_volume_stats_available_bytes',
  help: 'Number of available bytes in the volume.',
  type: 'gauge',
  unit: 'bytes',
  labelNames: VOLUME_LABELS,
});

export const volumeCapacityBytes = defineDocumentedMetric({
  name: 'kubelet_volume_stats_capacity_bytes',
  help: 'Capacity in bytes of the volume.',
  type: 'gauge',
  unit: 'bytes',
  labelNames: VOLUME_LABELS,
});

export const volumeUsedBytes = defineDocumentedMetric({
  name: 'kubelet_volume_stats_used_bytes',
  help: 'Number of used bytes in the volume.',
  type: 'gauge',
  unit: 'bytes',
  labelNames: VOLUME_LABELS,
});

/** What kube-state-metrics must expose (its `--metric-allowlist`): nothing else is collected. */
export const kubeStateMetricsMetrics = [podContainerRestarts, podContainerLastTerminatedReason, podContainerResourceLimits, nodeStatusCondition, nodeStatusAllocatable];
/** What Prometheus keeps of the kubelet's `/metrics/cadvisor` (metric_relabel_configs keep only these). */
export const cadvisorMetrics = [containerCpuUsage, containerMemoryWorkingSet, containerCfsPeriods, containerCfsThrottledPeriods, containerOomEvents];
/** What Prometheus keeps of the kubelet's own `/metrics`. */
export const kubeletMetrics = [volumeAvailableBytes, volumeCapacityBytes, volumeUsedBytes];

export const kubernetesMetrics = [...kubeStateMetricsMetrics, ...cadvisorMetrics, ...kubeletMetrics];
