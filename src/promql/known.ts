import { PROMOTED_RESOURCE_ATTRIBUTES } from '../config/prometheus';
import { specKnownSeries } from '../mixin/compose';
import type { StackSpec } from '../spec/types';
import type { KnownSeries } from './check';


/**
 * Labels every ingested series may carry besides its metric's own: `namespace` and `pod` from Kubernetes service
 * discovery (src/config/prometheus.ts), and the OTLP resource attributes Prometheus promotes to labels
 * (`service_namespace`, `deployment_environment_name`, …).
 */
export const INGESTION_LABELS: readonly string[] = [
  'namespace',
  'pod',
  ...PROMOTED_RESOURCE_ATTRIBUTES.map((attribute) => attribute.replace(/[^a-zA-Z0-9_]/g, '_')),
];

/**
 * What a rule or dashboard of a spec may query: the metrics of its mixins, their recorded series, the SLO series
 * and Prometheus's built-in series. Rule files add the series their recording rules write.
 */
export function knownSeries(spec: StackSpec): KnownSeries {
  return specKnownSeries(spec, { ingestionLabels: INGESTION_LABELS });
}
