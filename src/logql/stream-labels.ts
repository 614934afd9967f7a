/**
 * The index (stream) labels Loki 3.7 gives OTLP log records by default: the resource attributes of
 * `distributor.otlp_config.default_resource_attributes_as_index_labels`, dots turned into underscores
 * (docs/sources/shared/configuration.md at v3.7.x; test/config/reference/loki-3.7.8.json holds the list and its
 * source, and a test keeps the two equal). obskit leaves `limits_config.otlp_config` alone (src/config/loki.ts), so
 * these are the only labels a stream selector can match; everything else about a record is structured metadata.
 */
export const OTLP_DEFAULT_INDEX_ATTRIBUTES = [
  'service.name',
  'service.namespace',
  'service.instance.id',
  'deployment.environment',
  'deployment.environment.name',
  'cloud.region',
  'cloud.availability_zone',
  'k8s.cluster.name',
  'k8s.namespace.name',
  'k8s.pod.name',
  'k8s.container.name',
  'container.name',
  'k8s.replicaset.name',
  'k8s.deployment.name',
  'k8s.statefulset.name',
  'k8s.daemonset.name',
  'k8s.cronjob.name',
  'k8s.job.name',
] as const;

/** An OTLP attribute name as Loki writes it as a label: every character outside [a-zA-Z0-9_] becomes `_`. */
export const lokiLabelName = (attribute: string): string => attribute.replace(/[^a-zA-Z0-9_]/g, '_');

export const STREAM_LABELS: ReadonlySet<string> = new Set(OTLP_DEFAULT_INDEX_ATTRIBUTES.map(lokiLabelName));
