/** Where synth writes what compose mounts, relative to compose/docker-compose.yaml. */
export const COMPOSE_FILES = {
  collector: './otelcol/config.yaml',
  prometheus: './prometheus/prometheus.yml',
  alertmanager: './alertmanager/alertmanager.yml',
  loki: './loki/loki.yaml',
  tempo: './tempo/tempo.yaml',
  blackbox: './blackbox/blackbox.yml',
  grafanaDatasources: './grafana/provisioning/datasources/obskit.yaml',
  grafanaDashboardProvider: './grafana/provisioning/dashboards/obskit.yaml',
  demoDockerfile: 'compose/demo/Dockerfile',
  demoDockerignore: 'compose/demo/Dockerfile.dockerignore',
  /** Shared with Kubernetes: one copy of the rules and dashboards, in dist/. */
  rulesDir: '../dist/rules',
  dashboardsDir: '../dist/dashboards',
  /** Files you create; git ignores them. */
  secretsDir: './secrets',
} as const;

export const DEMO = { serviceName: 'demo' } as const;
