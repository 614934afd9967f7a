import { posix } from 'node:path';
import { kubernetesArtifacts, kubernetesInputsFrom } from '../charts';
import { renderCompose } from '../compose/compose';
import { demoDockerfile, demoDockerignore } from '../compose/demo-dockerfile';
import { COMPOSE_FILES } from '../compose/layout';
import { simulationCatalog } from '../simulate/catalog';
import { SECRETS_README, secretsReadme } from '../compose/secrets';
import { renderContext } from '../config/context';
import { renderConfigFiles, type ConfigFiles } from '../config/render-all';
import { dashboardArtifacts, mixinDashboards } from '../dashboards';
import { mixinsNotOn } from '../mixin/compose';
import { toYaml } from '../output/yaml';
import { renderedRuleFiles } from '../alerts';
import { catalogArtifacts } from '../contract/artifacts';
import { specForTarget, type StackSpec } from '../spec';
import type { Artifact } from '../output/artifact';

export type { Artifact } from '../output/artifact';

/** The folders synth owns: it writes them whole and removes what it no longer generates. */
export const GENERATED_ROOTS = ['dist', 'compose'] as const;
/** Inside the generated folders, what synth never removes (your secrets); of it, synth writes only SECRETS_README. */
export const PRESERVED = ['compose/secrets'] as const;

const composePath = (relative: string) => posix.join('compose', relative);

/**
 * Rules and dashboards of mixins compose does not run (Kubernetes-only, such as `kubernetes()`): written to
 * `dist/kubernetes/rules/` and `dist/kubernetes/dashboards/`, outside the folders compose mounts, and packaged for
 * Kubernetes with the shared ones.
 */
export const KUBERNETES_ONLY_DIR = 'dist/kubernetes';

function kubernetesOnlyPaths(spec: StackSpec): Map<string, string> {
  const moved = new Map<string, string>();
  for (const mixin of mixinsNotOn(spec, 'compose')) {
    moved.set(`dist/rules/${mixin.name}.yaml`, `${KUBERNETES_ONLY_DIR}/rules/${mixin.name}.yaml`);
    for (const d of mixinDashboards(spec, mixin)) moved.set(`dist/dashboards/${d.file}.json`, `${KUBERNETES_ONLY_DIR}/dashboards/${d.file}.json`);
  }
  return moved;
}

/** Everything synth generates for a (validated) spec, sorted by path. Pure: same spec, same bytes. */
export function buildArtifacts(spec: StackSpec): Artifact[] {
  const compose = renderContext('compose');
  // Rules and dashboards come from the spec itself; each target's configs from its variant (spec.environments).
  const composeSpec = specForTarget(spec, 'compose');
  const moved = kubernetesOnlyPaths(spec);
  const placed = (a: Artifact): Artifact => ({ ...a, path: moved.get(a.path) ?? a.path });
  const artifacts: Artifact[] = [
    ...Object.entries(renderedRuleFiles(spec)).map(([file, content]) => placed({ path: `dist/rules/${file}`, content })),
    ...dashboardArtifacts(spec).map(placed),
    ...catalogArtifacts(spec),
    { path: 'compose/docker-compose.yaml', content: toYaml(renderCompose(composeSpec, compose)) },
    { path: SECRETS_README, content: secretsReadme(composeSpec) },
    ...Object.entries(renderConfigFiles(composeSpec, compose)).map(([name, content]) => ({
      path: composePath(COMPOSE_FILES[name as keyof ConfigFiles]),
      content,
    })),
  ];
  if (spec.services.some((s) => s.simulated)) {
    artifacts.push({ path: composePath(COMPOSE_FILES.simulatorCatalog), content: `${JSON.stringify(simulationCatalog(spec), null, 1)}\n` });
  }
  if (spec.services.some((s) => s.name === 'demo' || s.simulated)) {
    artifacts.push(
      { path: COMPOSE_FILES.demoDockerfile, content: demoDockerfile() },
      { path: COMPOSE_FILES.demoDockerignore, content: demoDockerignore() },
    );
  }
  // Kubernetes packages the very rule files and dashboards compose mounts, so the two cannot drift.
  artifacts.push(...kubernetesArtifacts(specForTarget(spec, 'kubernetes'), kubernetesInputsFrom(artifacts)));
  return artifacts.sort((a, b) => a.path.localeCompare(b.path));
}
