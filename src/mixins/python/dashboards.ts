/**
 * Python runtime (the pythonRuntime mixin's dashboard): the process behind each instance — CPU, memory, open files,
 * garbage collection by generation, and the interpreter version — from prometheus_client's default collectors.
 */
import * as units from '@grafana/grafana-foundation-sdk/units';
import { div, maxBy, rate, re, series, sumBy } from '../../promql/expr';
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
import type { PythonConfig } from './config';
import { py } from './metrics';

export const PYTHON_RUNTIME_UID = 'obskit-python-runtime';

const target = { service_name: VAR.service, instance: re(VAR.instance) } as const;

export const cpu = () =>
  timeseriesPanel({
    title: 'CPU',
    description: 'CPU time (user and system) per second of wall time, per instance (1 = one core busy).',
    unit: units.PercentUnit,
    thresholds: thresholds('green', [0.8, 'orange'], [1, 'red']),
    showThresholds: true,
    min: 0,
  }).withTarget(prom(sumBy(['instance'], rate(series(py.process_cpu_seconds_total, target), RATE_INTERVAL)), '{{instance}}'));

export const memory = (c: Pick<PythonConfig, 'memoryBytes'>) =>
  timeseriesPanel({
    title: 'Memory',
    description: 'Resident and virtual memory per instance. Red dashed line: the ServiceMemoryHigh threshold (on resident).',
    unit: units.BytesIEC,
    thresholds: alertThresholds(c.memoryBytes),
    showThresholds: true,
    min: 0,
  })
    .withTarget(prom(sumBy(['instance'], series(py.process_resident_memory_bytes, target)), '{{instance}} resident'))
    .withTarget(prom(sumBy(['instance'], series(py.process_virtual_memory_bytes, target)), '{{instance}} virtual'));

export const fileDescriptors = () =>
  timeseriesPanel({
    title: 'File descriptors in use',
    description: 'Open file descriptors as a share of the limit, per instance (Linux only).',
    unit: units.PercentUnit,
    thresholds: thresholds('green', [0.7, 'orange'], [0.9, 'red']),
    showThresholds: true,
    min: 0,
    max: 1,
  }).withTarget(prom(div(series(py.process_open_fds, target), series(py.process_max_fds, target)), '{{instance}}'));

export const gcCollections = () =>
  timeseriesPanel({
    title: 'GC collections',
    description: 'Garbage collections per second by generation, summed over the selected instances (CPython only).',
    unit: units.Short,
    min: 0,
  }).withTarget(prom(sumBy(['generation'], rate(series(py.python_gc_collections_total, target), RATE_INTERVAL)), 'generation {{generation}}'));

export const gcObjects = () =>
  timeseriesPanel({
    title: 'GC objects collected',
    description: 'Objects freed by the collector per second, and uncollectable ones found, by generation (CPython only).',
    unit: units.Short,
    min: 0,
  })
    .withTarget(prom(sumBy(['generation'], rate(series(py.python_gc_objects_collected_total, target), RATE_INTERVAL)), 'collected gen {{generation}}'))
    .withTarget(prom(sumBy(['generation'], rate(series(py.python_gc_objects_uncollectable_total, target), RATE_INTERVAL)), 'uncollectable gen {{generation}}'));

export const interpreters = () =>
  tablePanel({ title: 'Interpreters', description: 'The Python implementation and version each instance runs.', unit: units.NoUnit }).withTarget(
    promInstant(maxBy(['instance', 'implementation', 'version'], series(py.python_info, target))),
  );

export function pythonRuntime({ config, services, defaultService }: DashboardContext<PythonConfig>): DashboardDefinition {
  return {
    file: 'python-runtime',
    uid: PYTHON_RUNTIME_UID,
    title: 'Python runtime',
    description: 'Python process metrics per instance (prometheus_client defaults): CPU, memory, file descriptors, GC.',
    tags: ['runtime', 'service', 'python'],
    variables: [datasourceVariable(), serviceVariable(services.map((s) => s.name), defaultService), instanceVariable()],
    annotations: [firingAlerts()],
    rows: [
      { title: 'CPU and memory', panels: [place(cpu(), 8, 8), place(memory(config), 8, 8), place(fileDescriptors(), 8, 8)] },
      { title: 'Garbage collection', panels: [place(gcCollections(), 8, 8), place(gcObjects(), 8, 8), place(interpreters(), 8, 8)] },
    ],
  };
}
