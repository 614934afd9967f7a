import { defineRuntimeMetric as m } from './define';

/**
 * What prom-client's default collectors emit on Linux (names and help as they appear on /metrics), so dashboards and
 * rules can reference them through the catalog. The SDK drops prom-client's three `*_total` gauges
 * (`nodejs_active_{handles,requests,resources}_total`): a gauge must not end in `_total`, and each equals
 * `sum()` of its per-type sibling below. `process_open_fds`, `process_max_fds`, `process_virtual_memory_bytes`
 * and `process_heap_bytes` exist on Linux only.
 */

/**
 * V8's heap spaces (`v8.getHeapSpaceStatistics()`): read_only, new, old, code, shared, trusted and their
 * large-object kin, 9 in Node 20 and a few more in newer V8; the `space` label's bound (`obskit check`).
 */
const V8_HEAP_SPACES = 16;

export const runtimeMetrics = [
  m({ name: 'process_cpu_user_seconds_total', help: 'Total user CPU time spent in seconds.', type: 'counter', unit: 'seconds' }),
  m({ name: 'process_cpu_system_seconds_total', help: 'Total system CPU time spent in seconds.', type: 'counter', unit: 'seconds' }),
  m({ name: 'process_cpu_seconds_total', help: 'Total user and system CPU time spent in seconds.', type: 'counter', unit: 'seconds' }),
  m({ name: 'process_start_time_seconds', help: 'Start time of the process since unix epoch in seconds.', type: 'gauge', unit: 'seconds' }),
  m({ name: 'process_resident_memory_bytes', help: 'Resident memory size in bytes.', type: 'gauge', unit: 'bytes' }),
  m({ name: 'process_virtual_memory_bytes', help: 'Virtual memory size in bytes.', type: 'gauge', unit: 'bytes' }),
  m({ name: 'process_heap_bytes', help: 'Process heap size in bytes.', type: 'gauge', unit: 'bytes' }),
  m({ name: 'process_open_fds', help: 'Number of open file descriptors.', type: 'gauge', unit: '' }),
  m({ name: 'process_max_fds', help: 'Maximum number of open file descriptors.', type: 'gauge', unit: '' }),
  m({ name: 'nodejs_eventloop_lag_seconds', help: 'Lag of event loop in seconds.', type: 'gauge', unit: 'seconds' }),
  m({ name: 'nodejs_eventloop_lag_min_seconds', help: 'The minimum recorded event loop delay.', type: 'gauge', unit: 'seconds' }),
  m({ name: 'nodejs_eventloop_lag_max_seconds', help: 'The maximum recorded event loop delay.', type: 'gauge', unit: 'seconds' }),
  m({ name: 'nodejs_eventloop_lag_mean_seconds', help: 'The mean of the recorded event loop delays.', type: 'gauge', unit: 'seconds' }),
  m({ name: 'nodejs_eventloop_lag_stddev_seconds', help: 'The standard deviation of the recorded event loop delays.', type: 'gauge', unit: 'seconds' }),
  m({ name: 'nodejs_eventloop_lag_p50_seconds', help: 'The 50th percentile of the recorded event loop delays.', type: 'gauge', unit: 'seconds' }),
  m({ name: 'nodejs_eventloop_lag_p90_seconds', help: 'The 90th percentile of the recorded event loop delays.', type: 'gauge', unit: 'seconds' }),
  m({ name: 'nodejs_eventloop_lag_p99_seconds', help: 'The 99th percentile of the recorded event loop delays.', type: 'gauge', unit: 'seconds' }),
  m({
    name: 'nodejs_active_resources',
    help: 'Number of active resources that are currently keeping the event loop alive, grouped by async resource type.',
    type: 'gauge',
    unit: '',
    labelNames: ['type'],
  }),
  m({ name: 'nodejs_active_handles', help: 'Number of active libuv handles grouped by handle type. Every handle type is C++ class name.', type: 'gauge', unit: '', labelNames: ['type'] }),
  m({ name: 'nodejs_active_requests', help: 'Number of active libuv requests grouped by request type. Every request type is C++ class name.', type: 'gauge', unit: '', labelNames: ['type'] }),
  m({ name: 'nodejs_heap_size_total_bytes', help: 'Process heap size from Node.js in bytes.', type: 'gauge', unit: 'bytes' }),
  m({ name: 'nodejs_heap_size_used_bytes', help: 'Process heap size used from Node.js in bytes.', type: 'gauge', unit: 'bytes' }),
  m({ name: 'nodejs_external_memory_bytes', help: 'Node.js external memory size in bytes.', type: 'gauge', unit: 'bytes' }),
  m({
    name: 'nodejs_heap_space_size_total_bytes',
    help: 'Process heap space size total from Node.js in bytes.',
    type: 'gauge',
    unit: 'bytes',
    labelNames: ['space'],
    maxLabelValues: { space: V8_HEAP_SPACES },
  }),
  m({
    name: 'nodejs_heap_space_size_used_bytes',
    help: 'Process heap space size used from Node.js in bytes.',
    type: 'gauge',
    unit: 'bytes',
    labelNames: ['space'],
    maxLabelValues: { space: V8_HEAP_SPACES },
  }),
  m({
    name: 'nodejs_heap_space_size_available_bytes',
    help: 'Process heap space size available from Node.js in bytes.',
    type: 'gauge',
    unit: 'bytes',
    labelNames: ['space'],
    maxLabelValues: { space: V8_HEAP_SPACES },
  }),
  m({ name: 'nodejs_version_info', help: 'Node.js version info.', type: 'gauge', unit: '', labelNames: ['version', 'major', 'minor', 'patch'] }),
  m({
    name: 'nodejs_gc_duration_seconds',
    help: 'Garbage collection duration by kind, one of major, minor, incremental or weakcb.',
    type: 'histogram',
    unit: 'seconds',
    labelNames: ['kind'],
    buckets: [0.001, 0.01, 0.1, 1, 2, 5],
    maxLabelValues: { kind: 4 },
  }),
] as const;

/** prom-client default metrics the SDK removes from the registry (gauges named `_total`). */
export const DROPPED_DEFAULT_METRICS = [
  'nodejs_active_handles_total',
  'nodejs_active_requests_total',
  'nodejs_active_resources_total',
] as const;
