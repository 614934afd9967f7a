/**
 * Kubernetes manifests for the stack, built with cdk8s and cdk8s-plus-28 and synthesized in memory:
 * `dist/k8s/<part>.yaml` (one file per part, its objects as YAML documents) and `dist/k8s/kustomization.yaml`,
 * so `kubectl apply -k dist/k8s` deploys everything into `spec.namespace`. The configs inside the ConfigMaps are
 * the same renderers' output compose mounts (src/config), for the Kubernetes context.
 */
import { posix } from 'node:path';
import { App, type Chart } from 'cdk8s';
import { renderContext, type RenderContext } from '../config/context';
import type { Artifact } from '../output/artifact';
import { toYaml } from '../output/yaml';
import type { StackSpec } from '../spec';
import { AlertmanagerChart } from './alertmanager';
import { BlackboxChart } from './blackbox';
import { KubeStateMetricsChart } from './kube-state-metrics';
import { needsKubeStateMetrics } from '../config/kubernetes-scrape';
import { CollectorChart } from './collector';
import { renderedRuleFiles } from '../alerts';
import { renderKubernetesConfigs } from './configs';
import { discoveryScope } from './discovery';
import { GrafanaChart } from './grafana';
import { LokiChart } from './loki';
import { LokiScalableChart } from './loki-scalable';
import { lokiScalable } from '../config/loki';
import { deploysKafka, tempoMicroservices } from '../config/tempo';
import { KafkaChart } from './kafka';
import { TempoMicroservicesChart } from './tempo-microservices';
import { NamespaceChart } from './namespace';
import { componentRules, DEFAULT_INGRESS_NAMESPACE } from './network';
import { OperatorPrometheusChart } from './operator/prometheus';
import { PrometheusChart } from './prometheus';
import { TempoChart } from './tempo';
import { ThanosQueryChart, ThanosReceiveChart } from './thanos';
import { isHa } from '../config/ha';
import { NodeAgentChart, NodeAgentNamespaceChart } from './node-agent';
import { nodeAgentNamespace, renderNodeAgentConfig, runsNodeAgent } from '../config/otelcol-agent';

export const K8S_DIR = 'dist/k8s';
/** The node agent (intake.logFiles.nodeAgent, or the `ha` profile), in its own namespace: applied on its own, with its own kustomization. */
export const NODE_AGENT_DIR = 'dist/k8s-node-agent';
const RULES_DIRS = ['dist/rules', 'dist/kubernetes/rules'];
const DASHBOARDS_DIRS = ['dist/dashboards', 'dist/kubernetes/dashboards'];

export interface KubernetesInputs {
  /** Prometheus rule files (dist/rules/*.yaml) by file name; the stack-health rules when omitted. */
  readonly ruleFiles?: Readonly<Record<string, string>>;
  /** Grafana dashboards (dist/dashboards/*.json) by file name; none when omitted. */
  readonly dashboards?: Readonly<Record<string, string>>;
  /** Namespace of the ingress controller allowed to reach Grafana (DEFAULT_INGRESS_NAMESPACE when omitted). */
  readonly ingressNamespace?: string;
  /** Render context (hosts, ports, paths); renderContext('kubernetes') when omitted. */
  readonly ctx?: RenderContext;
}

/**
 * The rule files and dashboards among synth's other outputs, so both targets ship the same copies: the shared ones
 * and the Kubernetes-only ones (dist/kubernetes/, for mixins compose does not run).
 */
export function kubernetesInputsFrom(artifacts: readonly Artifact[]): Required<Pick<KubernetesInputs, 'ruleFiles' | 'dashboards'>> {
  const pick = (dirs: readonly string[], ext: string) =>
    Object.fromEntries(
      artifacts
        .filter((a) => dirs.includes(posix.dirname(a.path)) && a.path.endsWith(ext))
        .map((a) => [posix.basename(a.path), a.content] as const)
        .sort(([a], [b]) => a.localeCompare(b)),
    );
  return { ruleFiles: pick(RULES_DIRS, '.yaml'), dashboards: pick(DASHBOARDS_DIRS, '.json') };
}

/** One file of YAML documents, separated by `---`, with the generated-file header once at the top. */
function yamlDocuments(objects: readonly unknown[]): string {
  return objects.map((o, i) => (i === 0 ? toYaml(o) : `---\n${toYaml(o, { header: false })}`)).join('');
}

/** Every file under dist/k8s for a (validated) spec. Pure: same spec and inputs, same bytes. */
export function kubernetesArtifacts(spec: StackSpec, inputs: KubernetesInputs = {}): Artifact[] {
  const ctx = inputs.ctx ?? renderContext('kubernetes');
  const configs = renderKubernetesConfigs(spec, ctx);
  const discovery = discoveryScope(configs.prometheusConfig);
  const rules = componentRules(spec, ctx, discovery, { ingressNamespace: inputs.ingressNamespace ?? DEFAULT_INGRESS_NAMESPACE });
  const props = { spec, ctx, configs, rules };

  // An App only as the root of the construct tree: nothing is written to disk, each chart is synthesized to JSON.
  // Construct metadata (which CDK8S_RECORD_CONSTRUCT_METADATA can turn on) would put source paths in the output.
  const app = new App({ recordConstructMetadata: false });
  const charts: Chart[] = [
    new NamespaceChart(app, 'namespace', { ...props, discovery }),
    new CollectorChart(app, ctx.hosts.collector, props),
    spec.kubernetes.mode === 'operator'
      ? new OperatorPrometheusChart(app, ctx.hosts.prometheus, { ...props, ruleFiles: inputs.ruleFiles ?? renderedRuleFiles(spec) })
      : new PrometheusChart(app, ctx.hosts.prometheus, { ...props, ruleFiles: inputs.ruleFiles ?? renderedRuleFiles(spec) }),
    new AlertmanagerChart(app, ctx.hosts.alertmanager, props),
    lokiScalable(spec) ? new LokiScalableChart(app, ctx.hosts.loki, props) : new LokiChart(app, ctx.hosts.loki, props),
    tempoMicroservices(spec) ? new TempoMicroservicesChart(app, ctx.hosts.tempo, props) : new TempoChart(app, ctx.hosts.tempo, props),
    ...(deploysKafka(spec) ? [new KafkaChart(app, ctx.hosts.kafka, props)] : []),
    new GrafanaChart(app, ctx.hosts.grafana, { ...props, dashboards: inputs.dashboards ?? {} }),
    new BlackboxChart(app, ctx.hosts.blackbox, props),
    // `ha`: Thanos, unless Prometheus writes to a store the user already runs.
    ...(isHa(spec) && !spec.ha.externalStore
      ? [new ThanosReceiveChart(app, ctx.hosts['thanos-receive'], props), new ThanosQueryChart(app, ctx.hosts['thanos-query'], props)]
      : []),
    ...(needsKubeStateMetrics(spec) ? [new KubeStateMetricsChart(app, ctx.hosts.kubeStateMetrics, props)] : []),
  ];

  const files = charts.map((chart) => ({ path: posix.join(K8S_DIR, `${chart.node.id}.yaml`), objects: chart.toJson() }));
  const kustomization = {
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    kind: 'Kustomization',
    namespace: spec.namespace,
    resources: files.map((f) => posix.basename(f.path)),
  };
  return [
    ...files.map((f) => ({ path: f.path, content: yamlDocuments(f.objects) })),
    { path: posix.join(K8S_DIR, 'kustomization.yaml'), content: toYaml(kustomization) },
    ...(runsNodeAgent(spec) ? nodeAgentArtifacts(spec, ctx) : []),
  ];
}

/** dist/k8s-node-agent: a kustomization of its own, since dist/k8s's sets every object's namespace to the stack's. */
function nodeAgentArtifacts(spec: StackSpec, ctx: RenderContext): Artifact[] {
  const app = new App({ recordConstructMetadata: false });
  const props = { spec, ctx, config: toYaml(renderNodeAgentConfig(spec, ctx)) };
  const charts: Chart[] = [new NodeAgentNamespaceChart(app, 'namespace', props), new NodeAgentChart(app, 'node-agent', props)];
  const files = charts.map((chart) => ({ path: posix.join(NODE_AGENT_DIR, `${chart.node.id}.yaml`), objects: chart.toJson() }));
  const kustomization = {
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    kind: 'Kustomization',
    namespace: nodeAgentNamespace(spec),
    resources: files.map((f) => posix.basename(f.path)),
  };
  return [
    ...files.map((f) => ({ path: f.path, content: yamlDocuments(f.objects) })),
    { path: posix.join(NODE_AGENT_DIR, 'kustomization.yaml'), content: toYaml(kustomization) },
  ];
}
