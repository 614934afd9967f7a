import { imageDataDir } from './run-as';

/**
 * Where each program reads its generated config and keeps its data, inside its container. Compose and
 * Kubernetes mount the files at the same places, so both start the programs with the same command lines.
 */
export const CONTAINER_FILES = {
  collectorConfig: '/etc/otelcol-contrib/config.yaml',
  prometheusConfig: '/etc/prometheus/prometheus.yml',
  prometheusData: imageDataDir('prometheus'),
  alertmanagerConfig: '/etc/alertmanager/alertmanager.yml',
  alertmanagerData: imageDataDir('alertmanager'),
  lokiConfig: '/etc/loki/loki.yaml',
  tempoConfig: '/etc/tempo/tempo.yaml',
  grafanaDatasources: '/etc/grafana/provisioning/datasources/obskit.yaml',
  grafanaDashboardProvider: '/etc/grafana/provisioning/dashboards/obskit.yaml',
  grafanaData: imageDataDir('grafana'),
  /** Beside the image's own config.yml, which it keeps. */
  blackboxConfig: '/etc/blackbox_exporter/blackbox.yml',
} as const;
