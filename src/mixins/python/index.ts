import { defineMixin } from '../../mixin/define';
import { pythonAlerts } from './alerts';
import { pythonParams } from './config';
import { pythonRuntime as pythonRuntimeDashboard } from './dashboards';
import { pythonMetrics } from './metrics';

/** The Python runtime as `prometheus_client` exports it by default: process and GC metrics, interpreter info. */
export const pythonRuntime = defineMixin({
  name: 'python',
  version: '1.0.0',
  scope: 'service',
  description: 'Python runtime (prometheus_client defaults): process CPU, memory, file descriptors, GC, python_info.',
  params: pythonParams,
  metrics: () => pythonMetrics,
  alerts: pythonAlerts,
  dashboards: (ctx) => [pythonRuntimeDashboard(ctx)],
});

export type { PythonConfig } from './config';
