import { posix } from 'node:path';
import { kubernetesArtifacts, kubernetesInputsFrom } from '../charts';
import { renderCompose } from '../compose/compose';
import { demoDockerfile } from '../compose/demo-dockerfile';
import { COMPOSE_FILES } from '../compose/layout';
import { renderAlertmanagerConfig } from '../config/alertmanager';
import { renderContext } from '../config/context';
import { renderGrafanaDashboardProvider, renderGrafanaDatasources } from '../config/grafana';
import { renderLokiConfig } from '../config/loki';
import { renderCollectorConfig } from '../config/otelcol';
import { renderPrometheusConfig } from '../config/prometheus';
import { renderTempoConfig } from '../config/tempo';
import { dashboardArtifacts } from '../dashboards';
import { toYaml } from '../output/yaml';
import { ruleFiles } from '../rules';
import { renderRuleFile } from '../rules/render';
import type { StackSpec } from '../spec';
import type { Artifact } from '../output/artifact';

export type { Artifact } from '../output/artifact';

/** The folders synth owns: it writes them whole and removes what it no longer generates. */
export const GENERATED_ROOTS = ['dist', 'compose'] as const;
/** Inside the generated folders, what synth never touches (your secrets). */
export const PRESERVED = ['compose/secrets'] as const;

const composePath = (relative: string) => posix.join('compose', relative);

/** Everything synth generates for a (validated) spec, sorted by path. Pure: same spec, same bytes. */
export function buildArtifacts(spec: StackSpec): Artifact[] {
  const compose = renderContext('compose');
  const artifacts: Artifact[] = [
    ...ruleFiles(spec).map(({ file, groups }) => ({ path: `dist/rules/${file}`, content: toYaml(renderRuleFile(groups)) })),
    ...dashboardArtifacts(spec),
    { path: 'compose/docker-compose.yaml', content: toYaml(renderCompose(spec, compose)) },
    { path: composePath(COMPOSE_FILES.collector), content: toYaml(renderCollectorConfig(spec, compose)) },
    { path: composePath(COMPOSE_FILES.prometheus), content: toYaml(renderPrometheusConfig(spec, compose)) },
    { path: composePath(COMPOSE_FILES.alertmanager), content: toYaml(renderAlertmanagerConfig(spec, compose)) },
    { path: composePath(COMPOSE_FILES.loki), content: toYaml(renderLokiConfig(spec, compose)) },
    { path: composePath(COMPOSE_FILES.tempo), content: toYaml(renderTempoConfig(spec, compose)) },
    { path: composePath(COMPOSE_FILES.grafanaDatasources), content: toYaml(renderGrafanaDatasources(spec, compose)) },
    {
      path: composePath(COMPOSE_FILES.grafanaDashboardProvider),
      content: toYaml(renderGrafanaDashboardProvider(spec, compose)),
    },
  ];
  if (spec.services.some((s) => s.name === 'demo')) {
    artifacts.push({ path: COMPOSE_FILES.demoDockerfile, content: demoDockerfile() });
  }
  // Kubernetes packages the very rule files and dashboards compose mounts, so the two cannot drift.
  artifacts.push(...kubernetesArtifacts(spec, kubernetesInputsFrom(artifacts)));
  return artifacts.sort((a, b) => a.path.localeCompare(b.path));
}
