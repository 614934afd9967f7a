/**
 * Runtime (the nodejs mixin's dashboard): the Node.js process behind each instance of a service — CPU, memory and heap, event-loop lag, garbage
 * collection, open handles and file descriptors — from prom-client's default metrics (src/sdk/catalog/runtime.ts).
 */
import * as units from '@grafana/grafana-foundation-sdk/units';
import { div, maxBy, rate, re, series, sumBy, sumSeries } from '../../promql/expr';
import {
  alertThresholds,
  datasourceVariable,
  firingAlerts,
  instanceVariable,
  place,
  prom,
  promInstant,
  RATE_INTERVAL,
  serviceVariable,
  tablePanel,
  thresholds,
  timeseriesPanel,
  VAR,
  type DashboardDefinition,
} from '../../dashboards';
import type { DashboardContext } from '../../mixin';
import type { NodejsConfig } from './config';
import { nodejsMetrics, serviceBuildInfo } from './metrics';

export const RUNTIME_UID = 'obskit-runtime';

/** The alert thresholds drawn on the memory and event-loop panels (the first service's nodejs() config). */
export type RuntimeLines = Pick<NodejsConfig, 'memoryBytes' | 'eventLoopLagSeconds'>;

const target = { service_name: VAR.service, instance: re(VAR.instance) } as const;
/** The runtime metrics, by name (prom-client's default collectors; see src/sdk/catalog/runtime.ts). */
const m = Object.fromEntries(nodejsMetrics.map((d) => [d.name, d])) as { [D in (typeof nodejsMetrics)[number] as D['name']]: D };

// ---------------------------------------------------------------------------------------------- panels

export const cpu = () =>
  timeseriesPanel({
    title: 'CPU',
    description: 'CPU time per second of wall time, user and system, per instance (1 = one core busy).',
    unit: units.PercentUnit,
    thresholds: thresholds('green', [0.8, 'orange'], [1, 'red']),
    showThresholds: true,
    min: 0,
  })
    .withTarget(prom(sumBy(['instance'], rate(series(m.process_cpu_user_seconds_total, target), RATE_INTERVAL)), '{{instance}} user'))
    .withTarget(prom(sumBy(['instance'], rate(series(m.process_cpu_system_seconds_total, target), RATE_INTERVAL)), '{{instance}} system'));

export const residentMemory = (red: RuntimeLines) =>
  timeseriesPanel({
    title: 'Resident memory',
    description: 'Resident set size per instance. Red dashed line: the ServiceMemoryHigh threshold.',
    unit: units.BytesIEC,
    thresholds: alertThresholds(red.memoryBytes),
    showThresholds: true,
    min: 0,
  }).withTarget(
    prom(sumBy(['instance'], series(m.process_resident_memory_bytes, target)), '{{instance}}'),
  );

export const heap = () =>
  timeseriesPanel({
    title: 'Heap',
    description: 'V8 heap used and allocated, and memory outside the heap (Buffers), per instance.',
    unit: units.BytesIEC,
    min: 0,
  })
    .withTarget(prom(sumBy(['instance'], series(m.nodejs_heap_size_used_bytes, target)), '{{instance}} used'))
    .withTarget(prom(sumBy(['instance'], series(m.nodejs_heap_size_total_bytes, target)), '{{instance}} total'))
    .withTarget(prom(sumBy(['instance'], series(m.nodejs_external_memory_bytes, target)), '{{instance}} external'));

export const heapSpaces = () =>
  timeseriesPanel({ title: 'Heap spaces used', description: 'V8 heap space in use, by space, summed over the selected instances.', unit: units.BytesIEC, stacked: true, min: 0 }).withTarget(
    prom(sumBy(['space'], series(m.nodejs_heap_space_size_used_bytes, target)), '{{space}}'),
  );

export const eventLoopLag = (red: RuntimeLines) =>
  timeseriesPanel({
    title: 'Event-loop lag',
    description: 'Event-loop delay percentiles per instance: how long a ready callback waits. Red dashed line: the ServiceEventLoopLagHigh threshold (on p99).',
    unit: units.Seconds,
    thresholds: alertThresholds(red.eventLoopLagSeconds),
    showThresholds: true,
    min: 0,
  })
    .withTarget(prom(maxBy(['instance'], series(m.nodejs_eventloop_lag_p50_seconds, target)), '{{instance}} p50'))
    .withTarget(prom(maxBy(['instance'], series(m.nodejs_eventloop_lag_p99_seconds, target)), '{{instance}} p99'));

export const gcTime = () =>
  timeseriesPanel({
    title: 'GC time',
    description: 'Share of wall time spent in garbage collection, by kind, per instance.',
    unit: units.PercentUnit,
    thresholds: thresholds('green', [0.05, 'orange'], [0.2, 'red']),
    showThresholds: true,
    min: 0,
  }).withTarget(prom(sumBy(['instance', 'kind'], rate(sumSeries(m.nodejs_gc_duration_seconds, target), RATE_INTERVAL)), '{{instance}} {{kind}}'));

export const activeHandles = () =>
  timeseriesPanel({
    title: 'Open handles',
    description: 'Active libuv handles (sockets, timers, files…) per instance: steady growth is a leak.',
    unit: units.Short,
    min: 0,
  })
    .withTarget(prom(sumBy(['instance'], series(m.nodejs_active_handles, target)), '{{instance}} handles'))
    .withTarget(prom(sumBy(['instance'], series(m.nodejs_active_requests, target)), '{{instance}} requests'));

export const fileDescriptors = () =>
  timeseriesPanel({
    title: 'File descriptors in use',
    description: 'Open file descriptors as a share of the limit, per instance (Linux only).',
    unit: units.PercentUnit,
    thresholds: thresholds('green', [0.7, 'orange'], [0.9, 'red']),
    showThresholds: true,
    min: 0,
    max: 1,
  }).withTarget(prom(div(series(m.process_open_fds, target), series(m.process_max_fds, target)), '{{instance}}'));

export const builds = () =>
  tablePanel({ title: 'Running builds', description: 'The version and revision each instance runs.', unit: units.NoUnit }).withTarget(
    promInstant(maxBy(['instance', 'service_version', 'vcs_revision', 'process_runtime_version'], series(serviceBuildInfo, target))),
  );

// ---------------------------------------------------------------------------------------------- dashboard

export function runtime({ config: red, services, defaultService }: DashboardContext<NodejsConfig>): DashboardDefinition {
  return {
    file: 'runtime',
    uid: RUNTIME_UID,
    title: 'Service runtime',
    description: 'Node.js process metrics per instance: CPU, memory, heap, event loop, GC, handles.',
    tags: ['runtime', 'service'],
    variables: [datasourceVariable(), serviceVariable(services.map((s) => s.name), defaultService), instanceVariable()],
    annotations: [firingAlerts()],
    rows: [
      { title: 'CPU and memory', panels: [place(cpu(), 8, 8), place(residentMemory(red), 8, 8), place(heap(), 8, 8)] },
      { title: 'Event loop and GC', panels: [place(eventLoopLag(red), 8, 8), place(gcTime(), 8, 8), place(heapSpaces(), 8, 8)] },
      { title: 'Resources', panels: [place(activeHandles(), 8, 8), place(fileDescriptors(), 8, 8), place(builds(), 8, 8)] },
    ],
  };
}
