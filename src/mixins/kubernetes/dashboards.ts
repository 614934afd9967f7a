/**
 * The Kubernetes dashboard: the USE view of the cluster the stack runs in — nodes (ready, CPU and memory against
 * what they can give pods), pods of the chosen namespaces (CPU, memory, throttling, restarts, OOM kills) and
 * PersistentVolumeClaims (how full). From kube-state-metrics and the kubelet (./metrics).
 */
import { div, increase, maxBy, ne, rate, re, series, sum, sumBy } from '../../promql/expr';
import { place, type DashboardDefinition } from '../../dashboards/layout';
import { prom, stateTimelinePanel, statPanel, binaryMapping, thresholds, timeseriesPanel } from '../../dashboards/panels';
import { datasourceVariable, labelVariable, RATE_INTERVAL } from '../../dashboards/variables';
import { units } from '../../dashboards';
import {
  containerCfsPeriods,
  containerCfsThrottledPeriods,
  containerCpuUsage,
  containerMemoryWorkingSet,
  containerOomEvents,
  nodeStatusAllocatable,
  nodeStatusCondition,
  podContainerLastTerminatedReason,
  podContainerResourceLimits,
  podContainerRestarts,
  volumeCapacityBytes,
  volumeUsedBytes,
} from './metrics';

export const KUBERNETES_UID = 'obskit-kubernetes';
const NAMESPACE = '$namespace';
const inNamespace = { namespace: re(NAMESPACE) };
/** A container's own cgroup (not the pod's, whose `container` is empty). */
const containers = { ...inNamespace, container: ne('') };
/** The node's root cgroup: everything running on it. */
const nodeRoot = { id: '/' };
const POD = ['namespace', 'pod'] as const;
const CONTAINER = ['namespace', 'pod', 'container'] as const;

const nodeReady = () =>
  stateTimelinePanel({
    title: 'Nodes ready',
    description: 'Whether each node reports the Ready condition (kube-state-metrics).',
    unit: units.NoUnit,
    thresholds: thresholds('red', [1, 'green']),
    mappings: [binaryMapping({ text: 'not ready', color: 'red' }, { text: 'ready', color: 'green' })],
  }).withTarget(prom(maxBy(['node'], series(nodeStatusCondition, { condition: 'Ready', status: 'true' })), '{{node}}'));

const nodeCpu = () =>
  timeseriesPanel({
    title: 'Node CPU',
    description: 'CPU used on each node (its root cgroup) as a share of what it can give pods (allocatable).',
    unit: units.PercentUnit,
    min: 0,
  }).withTarget(
    prom(
      div(sumBy(['node'], rate(series(containerCpuUsage, nodeRoot), RATE_INTERVAL)), sumBy(['node'], series(nodeStatusAllocatable, { resource: 'cpu' }))),
      '{{node}}',
    ),
  );

const nodeMemory = () =>
  timeseriesPanel({
    title: 'Node memory',
    description: 'Working set on each node (its root cgroup) as a share of its allocatable memory.',
    unit: units.PercentUnit,
    min: 0,
  }).withTarget(
    prom(div(sumBy(['node'], series(containerMemoryWorkingSet, nodeRoot)), sumBy(['node'], series(nodeStatusAllocatable, { resource: 'memory' }))), '{{node}}'),
  );

const podCpu = () =>
  timeseriesPanel({ title: 'Pod CPU', description: 'CPU cores used by each pod of the chosen namespaces.', unit: units.Short, min: 0 }).withTarget(
    prom(sumBy(POD, rate(series(containerCpuUsage, containers), RATE_INTERVAL)), '{{namespace}}/{{pod}}'),
  );

const podMemory = () =>
  timeseriesPanel({
    title: 'Pod memory',
    description: 'Working set of each pod (what the kubelet compares with memory limits and evicts on).',
    unit: units.BytesIEC,
    min: 0,
  }).withTarget(prom(sumBy(POD, series(containerMemoryWorkingSet, containers)), '{{namespace}}/{{pod}}'));

const memoryAgainstLimit = () =>
  timeseriesPanel({
    title: 'Memory against limit',
    description: 'Each container’s working set as a share of its memory limit: at 100% the kernel kills it (OOMKilled).',
    unit: units.PercentUnit,
    min: 0,
    thresholds: thresholds('green', [0.8, 'orange'], [0.95, 'red']),
    showThresholds: true,
  }).withTarget(
    prom(
      div(
        sumBy(CONTAINER, series(containerMemoryWorkingSet, containers)),
        sumBy(CONTAINER, series(podContainerResourceLimits, { ...inNamespace, resource: 'memory' })),
      ),
      '{{namespace}}/{{pod}} {{container}}',
    ),
  );

const throttling = () =>
  timeseriesPanel({
    title: 'CPU throttling',
    description: 'Share of each container’s CPU periods throttled by its CPU limit.',
    unit: units.PercentUnit,
    min: 0,
    max: 1,
    thresholds: thresholds('green', [0.25, 'orange']),
    showThresholds: true,
  }).withTarget(
    prom(
      div(sumBy(CONTAINER, rate(series(containerCfsThrottledPeriods, containers), RATE_INTERVAL)), sumBy(CONTAINER, rate(series(containerCfsPeriods, containers), RATE_INTERVAL))),
      '{{namespace}}/{{pod}} {{container}}',
    ),
  );

const restarts = () =>
  timeseriesPanel({ title: 'Container restarts', description: 'Restarts of each container per interval.', unit: units.Short, min: 0 }).withTarget(
    prom(sumBy(CONTAINER, increase(series(podContainerRestarts, inNamespace), RATE_INTERVAL)), '{{namespace}}/{{pod}} {{container}}'),
  );

const oomKills = () =>
  timeseriesPanel({
    title: 'Out-of-memory kills',
    description: 'Out-of-memory events in each container’s cgroup per interval (the kernel killed a process of it).',
    unit: units.Short,
    min: 0,
    thresholds: thresholds('green', [1, 'red']),
  }).withTarget(prom(sumBy(CONTAINER, increase(series(containerOomEvents, containers), RATE_INTERVAL)), '{{namespace}}/{{pod}} {{container}}'));

const lastOomKilled = () =>
  statPanel({
    title: 'Last terminated: OOMKilled',
    description: 'Containers whose last termination was an out-of-memory kill.',
    unit: units.Short,
    thresholds: thresholds('green', [1, 'red']),
    sparkline: false,
  }).withTarget(prom(sum(series(podContainerLastTerminatedReason, { ...inNamespace, reason: 'OOMKilled' })), 'containers'));

const volumeUsage = () =>
  timeseriesPanel({
    title: 'PersistentVolumeClaims used',
    description: 'How full each claim’s volume is (kubelet volume stats), obskit’s own Prometheus, Loki and Tempo claims included.',
    unit: units.PercentUnit,
    min: 0,
    max: 1,
    thresholds: thresholds('green', [0.8, 'orange'], [0.9, 'red']),
    showThresholds: true,
  }).withTarget(
    prom(
      maxBy(['namespace', 'persistentvolumeclaim'], div(series(volumeUsedBytes, inNamespace), series(volumeCapacityBytes, inNamespace))),
      '{{namespace}}/{{persistentvolumeclaim}}',
    ),
  );

const volumeUsedBytesPanel = () =>
  timeseriesPanel({ title: 'PersistentVolumeClaims: bytes used', description: 'Bytes used on each claim’s volume.', unit: units.BytesIEC, min: 0 }).withTarget(
    prom(maxBy(['namespace', 'persistentvolumeclaim'], series(volumeUsedBytes, inNamespace)), '{{namespace}}/{{persistentvolumeclaim}}'),
  );

export function kubernetesDashboard(): DashboardDefinition {
  return {
    file: 'kubernetes',
    uid: KUBERNETES_UID,
    title: 'Kubernetes',
    description: 'The cluster the stack runs in: nodes, pods of the chosen namespaces, and PersistentVolumeClaims.',
    tags: ['kubernetes'],
    variables: [datasourceVariable(), labelVariable('namespace', 'namespace', series(podContainerRestarts), 'Namespace')],
    rows: [
      { title: 'Nodes', panels: [place(nodeReady(), 8, 8), place(nodeCpu(), 8, 8), place(nodeMemory(), 8, 8)] },
      {
        title: 'Pods',
        panels: [
          place(podCpu(), 12, 8),
          place(podMemory(), 12, 8),
          place(memoryAgainstLimit(), 12, 8),
          place(throttling(), 12, 8),
          place(restarts(), 12, 8),
          place(oomKills(), 8, 8),
          place(lastOomKilled(), 4, 8),
        ],
      },
      { title: 'Storage', panels: [place(volumeUsage(), 12, 8), place(volumeUsedBytesPanel(), 12, 8)] },
    ],
  };
}
