import { toYaml } from '../output/yaml';
import type { StackSpec } from '../spec';
import { renderAlertmanagerConfig } from './alertmanager';
import { renderBlackboxConfig } from './blackbox';
import type { RenderContext } from './context';
import { renderGrafanaDashboardProvider, renderGrafanaDatasources } from './grafana';
import { lokiScalable, renderLokiConfig, renderLokiScalableConfig } from './loki';
import { renderCollectorConfig } from './otelcol';
import { renderPrometheusConfig } from './prometheus';
import { renderTempoConfig, renderTempoMicroservicesConfig, tempoMicroservices } from './tempo';

/** Every config file of the stack, as the bytes compose mounts and the Kubernetes ConfigMaps hold. */
export interface ConfigFiles {
  readonly collector: string;
  readonly prometheus: string;
  readonly alertmanager: string;
  readonly loki: string;
  readonly tempo: string;
  readonly grafanaDatasources: string;
  readonly grafanaDashboardProvider: string;
  readonly blackbox: string;
}

/** Renders and serializes every config for one target: the one list both compose and Kubernetes use. */
export function renderConfigFiles(spec: StackSpec, ctx: RenderContext): ConfigFiles {
  return {
    collector: toYaml(renderCollectorConfig(spec, ctx)),
    prometheus: toYaml(renderPrometheusConfig(spec, ctx)),
    alertmanager: toYaml(renderAlertmanagerConfig(spec, ctx)),
    loki: toYaml(lokiScalable(spec) ? renderLokiScalableConfig(spec, ctx) : renderLokiConfig(spec, ctx)),
    tempo: toYaml(tempoMicroservices(spec) ? renderTempoMicroservicesConfig(spec, ctx) : renderTempoConfig(spec, ctx)),
    grafanaDatasources: toYaml(renderGrafanaDatasources(spec, ctx)),
    grafanaDashboardProvider: toYaml(renderGrafanaDashboardProvider(spec, ctx)),
    blackbox: toYaml(renderBlackboxConfig()),
  };
}
