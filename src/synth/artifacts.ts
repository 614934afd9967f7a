import { posix } from 'node:path';
import { kubernetesArtifacts, kubernetesInputsFrom } from '../charts';
import { renderCompose } from '../compose/compose';
import { demoDockerfile, demoDockerignore } from '../compose/demo-dockerfile';
import { COMPOSE_FILES } from '../compose/layout';
import { simulationCatalog } from '../simulate/catalog';
import { SECRETS_README, secretsReadme } from '../compose/secrets';
import { renderContext } from '../config/context';
import { renderConfigFiles, type ConfigFiles } from '../config/render-all';
import { dashboardArtifacts } from '../dashboards';
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

/** Everything synth generates for a (validated) spec, sorted by path. Pure: same spec, same bytes. */
export function buildArtifacts(spec: StackSpec): Artifact[] {
  const compose = renderContext('compose');
  // Rules and dashboards come from the spec itself; each target's configs from its variant (spec.environments).
  const composeSpec = specForTarget(spec, 'compose');
  const artifacts: Artifact[] = [
    ...Object.entries(renderedRuleFiles(spec)).map(([file, content]) => ({ path: `dist/rules/${file}`, content })),
    ...dashboardArtifacts(spec),
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
