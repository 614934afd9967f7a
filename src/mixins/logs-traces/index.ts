import { defineMixin } from '../../mixin/define';
import { logsTraces as logsTracesDashboard } from './dashboards';

/** Logs (Loki) and traces (Tempo) of every observed service, linked by trace id: one dashboard with a service picker. */
export const logsTraces = defineMixin({
  name: 'logs-traces',
  version: '1.0.0',
  scope: 'stack',
  description: 'Logs and traces of every observed service, linked to each other by trace id.',
  params: {},
  metrics: () => [],
  dashboards: (ctx) => [logsTracesDashboard(ctx)],
});
