/**
 * What the Python client `prometheus_client` exports by default: its ProcessCollector (Linux only: `process_*`),
 * GCCollector (CPython only: `python_gc_*`, counters by generation) and PlatformCollector (`python_info`). Names,
 * types, labels and help as the client's own collectors write them (prometheus_client/process_collector.py,
 * gc_collector.py, platform_collector.py). SDK-safe: nothing here loads generator code.
 */
import { defineRuntimeMetric as m } from '../../sdk/catalog/define';

// CPython's collector has three generations (gc.get_count()), the `generation` label's bound for `obskit check`.

export const pythonMetrics = [
  m({ name: 'process_virtual_memory_bytes', help: 'Virtual memory size in bytes.', type: 'gauge', unit: 'bytes' }),
  m({ name: 'process_resident_memory_bytes', help: 'Resident memory size in bytes.', type: 'gauge', unit: 'bytes' }),
  m({ name: 'process_start_time_seconds', help: 'Start time of the process since unix epoch in seconds.', type: 'gauge', unit: 'seconds' }),
  m({ name: 'process_cpu_seconds_total', help: 'Total user and system CPU time spent in seconds.', type: 'counter', unit: 'seconds' }),
  m({ name: 'process_open_fds', help: 'Number of open file descriptors.', type: 'gauge', unit: '' }),
  m({ name: 'process_max_fds', help: 'Maximum number of open file descriptors.', type: 'gauge', unit: '' }),
  m({ name: 'python_gc_objects_collected_total', help: 'Objects collected during gc', type: 'counter', unit: '', labelNames: ['generation'], maxLabelValues: { generation: 3 } }),
  m({ name: 'python_gc_objects_uncollectable_total', help: 'Uncollectable objects found during GC', type: 'counter', unit: '', labelNames: ['generation'], maxLabelValues: { generation: 3 } }),
  m({ name: 'python_gc_collections_total', help: 'Number of times this generation was collected', type: 'counter', unit: '', labelNames: ['generation'], maxLabelValues: { generation: 3 } }),
  m({
    name: 'python_info',
    help: 'Python platform information',
    type: 'gauge',
    unit: '',
    labelNames: ['implementation', 'major', 'minor', 'patchlevel', 'version'],
  }),
] as const;

type PythonMetric = (typeof pythonMetrics)[number];
export const py = Object.fromEntries(pythonMetrics.map((d) => [d.name, d])) as { [D in PythonMetric as D['name']]: D };
