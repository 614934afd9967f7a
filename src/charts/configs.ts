import type { RenderContext } from '../config/context';
import { renderPrometheusConfig } from '../config/prometheus';
import { renderConfigFiles, type ConfigFiles } from '../config/render-all';
import type { StackSpec } from '../spec';

/**
 * The config files the charts put in ConfigMaps: the shared renderers' output for the Kubernetes context,
 * serialized exactly as synth writes the compose copies (toYaml, header included), so the two differ only
 * where the renderer's output depends on the target.
 */
export interface KubernetesConfigs extends ConfigFiles {
  /** The Prometheus config as an object: the chart derives discovery RBAC and egress from it. */
  readonly prometheusConfig: Record<string, unknown>;
}

export function renderKubernetesConfigs(spec: StackSpec, ctx: RenderContext): KubernetesConfigs {
  return { ...renderConfigFiles(spec, ctx), prometheusConfig: renderPrometheusConfig(spec, ctx) };
}
