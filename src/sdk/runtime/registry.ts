import { collectDefaultMetrics, Registry, type OpenMetricsContentType } from 'prom-client';
import { SERVICE_LABEL } from '../catalog/define';
import { DROPPED_DEFAULT_METRICS } from '../catalog/runtime';

export interface RegistryOptions {
  readonly serviceName: string;
  /** prom-client's default process/runtime metrics (CPU, memory, event-loop lag, GC, handles). Default true. */
  readonly defaultMetrics?: boolean;
}

/**
 * A prom-client registry for one service: OpenMetrics-typed (so instruments may carry exemplars), every series
 * labelled `service_name`, and prom-client's default metrics minus the gauges it names `*_total`.
 */
export function createRegistry(options: RegistryOptions): Registry<OpenMetricsContentType> {
  const registry = new Registry<OpenMetricsContentType>();
  registry.setContentType(Registry.OPENMETRICS_CONTENT_TYPE);
  registry.setDefaultLabels({ [SERVICE_LABEL]: options.serviceName });
  if (options.defaultMetrics !== false) {
    collectDefaultMetrics({ register: registry });
    for (const name of DROPPED_DEFAULT_METRICS) registry.removeSingleMetric(name);
  }
  return registry;
}
