import { defineMixin } from '../../mixin/define';
import { nodejsAlerts } from './alerts';
import { nodejsParams } from './config';
import { runtime } from './dashboards';
import { nodejsMetrics } from './metrics';

/** The Node.js runtime of a service instrumented with obskit's Node SDK (prom-client default metrics, build info). */
export const nodejs = defineMixin({
  name: 'nodejs',
  version: '1.0.0',
  scope: 'service',
  description: 'Node.js runtime: CPU, memory, heap, event loop, GC, handles; build info.',
  params: nodejsParams,
  metrics: () => nodejsMetrics,
  alerts: nodejsAlerts,
  dashboards: (ctx) => [runtime(ctx)],
});

export type { NodejsConfig } from './config';
