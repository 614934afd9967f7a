import { kubernetesSourcesOf } from '../mixin/compose';
import type { ScrapeLimits, StackSpec } from '../spec';
import type { RenderContext } from './context';
import { escapeRegex } from '../promql/regex';

/**
 * Prometheus's scrape jobs for the cluster sources the spec's stack mixins read (the `kubernetes` mixin by default):
 * kube-state-metrics, and every node's kubelet (`/metrics` and `/metrics/cadvisor`). Kubernetes target only, and only
 * in plain mode (with the Prometheus Operator, the cluster's own kube-prometheus scrapes these under the same names).
 *
 * The kubelets are scraped directly at each node's address on the kubelet port (Kubernetes SD role `node`), with
 * Prometheus's ServiceAccount token, which the kubelet authorizes as `get nodes/metrics` (kubelet authorization maps
 * `/metrics` and `/metrics/*` to that subresource). Going through the API server's proxy instead would need
 * `nodes/proxy`, which opens the kubelet's whole API; direct scrapes need only TCP 10250 to the nodes
 * (`kubernetes.nodeCidrs` in Prometheus's egress NetworkPolicy). Each kubelet job keeps only the series a mixin reads.
 */

/** The kubelet's authenticated HTTPS port (its `--port`, 10250 on every distribution we know of). */
export const KUBELET_PORT = 10250;
export const KUBE_STATE_METRICS_JOB = 'kube-state-metrics';
export const KUBELET_JOB = 'kubelet';
export const CADVISOR_JOB = 'kubelet-cadvisor';


const limitsOf = (limits: ScrapeLimits) => ({
  sample_limit: limits.sampleLimit,
  label_limit: limits.labelLimit,
  label_value_length_limit: limits.labelValueLengthLimit,
});

/** Whether the Kubernetes target deploys kube-state-metrics for this spec. */
export function needsKubeStateMetrics(spec: StackSpec): boolean {
  return spec.kubernetes.mode === 'plain' && kubernetesSourcesOf(spec).kubeStateMetrics.length > 0;
}

/** Whether Prometheus scrapes the kubelets for this spec (Kubernetes target). */
export function scrapesKubelets(spec: StackSpec): boolean {
  const sources = kubernetesSourcesOf(spec);
  return spec.kubernetes.mode === 'plain' && sources.cadvisor.length + sources.kubelet.length > 0;
}

function kubeletJob(spec: StackSpec, ctx: RenderContext, job: string, metricsPath: string, keep: readonly string[]): Record<string, unknown> {
  return {
    job_name: job,
    scheme: 'https',
    metrics_path: metricsPath,
    ...limitsOf(spec.scrapeLimits),
    authorization: { credentials_file: `${ctx.paths.serviceAccount}/token` },
    tls_config: {
      ca_file: `${ctx.paths.serviceAccount}/ca.crt`,
      ...(spec.kubernetes.kubeletInsecureSkipVerify ? { insecure_skip_verify: true } : {}),
    },
    kubernetes_sd_configs: [{ role: 'node' }],
    relabel_configs: [
      { source_labels: ['__meta_kubernetes_node_name'], target_label: 'node', action: 'replace' },
      { target_label: 'service_name', replacement: job, action: 'replace' },
    ],
    // Only what a mixin reads: cAdvisor alone exposes dozens of series per container.
    metric_relabel_configs: [{ source_labels: ['__name__'], regex: keep.map(escapeRegex).join('|'), action: 'keep' }],
  };
}

/** The cluster scrape jobs of a spec, for the Kubernetes target; none for compose or when no mixin reads the cluster. */
export function kubernetesScrapeJobs(spec: StackSpec, ctx: RenderContext): Record<string, unknown>[] {
  if (ctx.target !== 'kubernetes' || spec.kubernetes.mode !== 'plain') return [];
  const sources = kubernetesSourcesOf(spec);
  const jobs: Record<string, unknown>[] = [];
  if (sources.kubeStateMetrics.length > 0) {
    jobs.push({
      job_name: KUBE_STATE_METRICS_JOB,
      // kube-state-metrics reports other pods: their `namespace`, `pod` and `node` are its series' own labels.
      honor_labels: true,
      metrics_path: '/metrics',
      ...limitsOf(spec.scrapeLimits),
      kubernetes_sd_configs: [{ role: 'endpointslice', namespaces: { names: [spec.namespace] } }],
      relabel_configs: [
        {
          source_labels: ['__meta_kubernetes_service_name', '__meta_kubernetes_endpointslice_port'],
          regex: `${escapeRegex(ctx.hosts.kubeStateMetrics)};${ctx.ports.kubeStateMetrics.http}`,
          action: 'keep',
        },
        { source_labels: ['__meta_kubernetes_endpointslice_endpoint_conditions_terminating'], regex: 'true', action: 'drop' },
        { target_label: 'service_name', replacement: KUBE_STATE_METRICS_JOB, action: 'replace' },
      ],
    });
  }
  if (sources.kubelet.length > 0) jobs.push(kubeletJob(spec, ctx, KUBELET_JOB, '/metrics', sources.kubelet));
  if (sources.cadvisor.length > 0) jobs.push(kubeletJob(spec, ctx, CADVISOR_JOB, '/metrics/cadvisor', sources.cadvisor));
  return jobs;
}
