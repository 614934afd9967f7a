import { PROMOTED_RESOURCE_ATTRIBUTES } from '../config/prometheus';
import { catalog } from '../sdk/catalog';
import { KnownSeries } from './check';
import { BUILTIN_SERIES } from './builtin';
import { STACK_CATALOGS } from './catalogs';
import { recordedSeries } from './recorded';


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
 * What a rule or dashboard may query: the SDK catalog (services' metrics), the stack catalogs (Prometheus,
 * Alertmanager, collector, Loki, Tempo), every series obskit's recording rules write (`RECORDED`), and
 * Prometheus's built-in alert series. Add your own recording rules with `addRecordingRules`.
 */
export function knownSeries(): KnownSeries {
  const known = new KnownSeries().addCatalog(catalog, 'the SDK catalog (src/sdk/catalog)', INGESTION_LABELS);
  for (const [component, stack] of Object.entries(STACK_CATALOGS)) {
    known.addCatalog(stack, `the ${component} catalog (src/promql/catalogs/${component}.ts)`, INGESTION_LABELS);
  }
  known.addRecorded(recordedSeries(), 'obskit recording rules (src/promql/recorded.ts)');
  for (const name of BUILTIN_SERIES) known.add(name, 'Prometheus (alert state)');
  return known;
}
