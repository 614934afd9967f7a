import { renderAlertmanagerConfig } from '../config/alertmanager';
import type { RenderContext } from '../config/context';
import { renderGrafanaDashboardProvider, renderGrafanaDatasources } from '../config/grafana';
import { renderLokiConfig } from '../config/loki';
import { renderCollectorConfig } from '../config/otelcol';
import { renderPrometheusConfig } from '../config/prometheus';
import { renderTempoConfig } from '../config/tempo';
import { toYaml } from '../output/yaml';
import { renderRuleFile } from '../rules/render';
import { ruleFiles } from '../rules';
import type { StackSpec } from '../spec';

/**
 * The config files the charts put in ConfigMaps: the shared renderers' output for the Kubernetes context,
 * serialized exactly as synth writes the compose copies (toYaml, header included), so the two differ only
 * where the renderer's output depends on the target.
 */
export interface KubernetesConfigs {
  readonly collector: string;
  readonly prometheus: string;
  /** The Prometheus config as an object: the chart derives discovery RBAC and egress from it. */
  readonly prometheusConfig: Record<string, unknown>;
  readonly alertmanager: string;
  readonly loki: string;
  readonly tempo: string;
  readonly grafanaDatasources: string;
  readonly grafanaDashboardProvider: string;
}

export function renderKubernetesConfigs(spec: StackSpec, ctx: RenderContext): KubernetesConfigs {
  const prometheusConfig = renderPrometheusConfig(spec, ctx);
  return {
    collector: toYaml(renderCollectorConfig(spec, ctx)),
    prometheus: toYaml(prometheusConfig),
    prometheusConfig,
    alertmanager: toYaml(renderAlertmanagerConfig(spec, ctx)),
    loki: toYaml(renderLokiConfig(spec, ctx)),
    tempo: toYaml(renderTempoConfig(spec, ctx)),
    grafanaDatasources: toYaml(renderGrafanaDatasources(spec, ctx)),
    grafanaDashboardProvider: toYaml(renderGrafanaDashboardProvider(spec, ctx)),
  };
}

/** The rule files synth writes to dist/rules, by file name (what the Prometheus rules ConfigMap holds). */
export function defaultRuleFiles(spec: StackSpec): Record<string, string> {
  return Object.fromEntries(ruleFiles(spec).map(({ file, groups }) => [file, toYaml(renderRuleFile(groups))]));
}
