/**
 * Prometheus Operator resources made from the same rendered config and rule files plain mode mounts: the
 * `Prometheus` resource carries what prometheus.yml's global, otlp and storage sections say, each scrape job becomes
 * a ServiceMonitor with the job's own relabelling, each rule file a PrometheusRule. Typed with
 * @kubernetes-models/prometheus-operator (types only: they are checked against its CRD schemas in the tests).
 *
 * A key of the rendered config that has no place here is an error, not dropped: operator mode must not quietly
 * scrape or store differently from plain mode.
 */
import type { IPrometheus } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/Prometheus';
import type { IPrometheusRule } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule';
import type { IServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor';
import { parse } from 'yaml';
import type { RenderContext } from '../../config/context';
import { imageRef, versions, type StackSpec } from '../../spec';
import { COMPONENT_META, componentLabels, PART_OF, stackLabels } from '../meta';

type Relabeling = NonNullable<NonNullable<IServiceMonitor['spec']['endpoints'][number]['relabelings']>[number]>;
type Obj = Record<string, unknown>;
type ClaimTemplate = NonNullable<NonNullable<IPrometheus['spec']['storage']>['volumeClaimTemplate']>;

/**
 * Name of the Prometheus resource. The Operator labels its pods `app.kubernetes.io/name: prometheus` and
 * `app.kubernetes.io/instance: <this name>`, which are exactly obskit's selector labels, so the `prometheus` Service
 * and NetworkPolicy select the Operator's pods as they select plain mode's.
 */
export const OPERATOR_INSTANCE = PART_OF;

/** The label every ServiceMonitor and PrometheusRule carries, and the Prometheus resource selects them by. */
export const OPERATOR_SELECTOR = { 'app.kubernetes.io/part-of': PART_OF } as const;

function expectKeys(what: string, object: Obj, known: readonly string[]): void {
  const unknown = Object.keys(object).filter((k) => !known.includes(k));
  if (unknown.length > 0) throw new Error(`operator mode: ${what} has ${unknown.join(', ')}, which it cannot carry over`);
}

const RELABEL_KEYS: Readonly<Record<string, keyof Relabeling>> = {
  source_labels: 'sourceLabels',
  separator: 'separator',
  regex: 'regex',
  modulus: 'modulus',
  target_label: 'targetLabel',
  replacement: 'replacement',
  action: 'action',
};

/** A prometheus.yml relabel_config as the Operator writes it (camelCase, same meaning). */
export function relabeling(rule: Obj, what: string): Relabeling {
  expectKeys(what, rule, Object.keys(RELABEL_KEYS));
  return Object.fromEntries(Object.entries(rule).map(([k, v]) => [RELABEL_KEYS[k], v])) as Relabeling;
}

/** One ServiceMonitor per scrape job of the rendered config: the same targets, relabelling, limits and path. */
export function serviceMonitors(spec: StackSpec, config: Obj): IServiceMonitor[] {
  const jobs = (config.scrape_configs ?? []) as Obj[];
  return jobs.map((job) => {
    const name = String(job.job_name);
    const what = `scrape job ${name}`;
    expectKeys(what, job, [
      'job_name',
      'metrics_path',
      'scrape_interval',
      'scrape_timeout',
      'sample_limit',
      'label_limit',
      'label_value_length_limit',
      'kubernetes_sd_configs',
      'relabel_configs',
      'metric_relabel_configs',
    ]);
    const sd = (job.kubernetes_sd_configs ?? []) as Obj[];
    const [only] = sd;
    if (sd.length !== 1 || !only || only.role !== 'endpointslice') {
      throw new Error(`operator mode: ${what} is not discovered from EndpointSlices, which a ServiceMonitor needs`);
    }
    expectKeys(`${what} kubernetes_sd_configs`, only, ['role', 'namespaces']);
    const namespaces = ((only.namespaces as Obj | undefined)?.names ?? []) as string[];
    if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name)) throw new Error(`operator mode: ${what} cannot name a ServiceMonitor`);
    return {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'ServiceMonitor',
      metadata: { name, namespace: spec.namespace, labels: { ...stackLabels(), ...OPERATOR_SELECTOR } },
      spec: {
        // Every Service of those namespaces; the job's own keep rule picks its Service and port, as in plain mode.
        selector: {},
        namespaceSelector: namespaces.length > 0 ? { matchNames: namespaces } : { any: true },
        ...(job.sample_limit !== undefined ? { sampleLimit: Number(job.sample_limit) } : {}),
        ...(job.label_limit !== undefined ? { labelLimit: Number(job.label_limit) } : {}),
        ...(job.label_value_length_limit !== undefined ? { labelValueLengthLimit: Number(job.label_value_length_limit) } : {}),
        endpoints: [
          {
            ...(job.metrics_path ? { path: String(job.metrics_path) } : {}),
            ...(job.scrape_interval ? { interval: String(job.scrape_interval) } : {}),
            ...(job.scrape_timeout ? { scrapeTimeout: String(job.scrape_timeout) } : {}),
            relabelings: [
              ...((job.relabel_configs ?? []) as Obj[]).map((r) => relabeling(r, `${what} relabel_configs`)),
              // The Operator names the job after the Service; rules and dashboards expect the job plain mode names.
              { targetLabel: 'job', replacement: name, action: 'replace' },
            ],
            ...(job.metric_relabel_configs
              ? { metricRelabelings: (job.metric_relabel_configs as Obj[]).map((r) => relabeling(r, `${what} metric_relabel_configs`)) }
              : {}),
          },
        ],
      },
    } satisfies IServiceMonitor;
  });
}

/** `obskit-<file>` for a rule file `<file>.yaml`. */
export function prometheusRuleName(file: string): string {
  const base = file.replace(/\.ya?ml$/, '').toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '');
  const name = `${PART_OF}-${base}`;
  if (base === '' || name.length > 253) throw new Error(`rule file ${file}: cannot make a PrometheusRule name of it`);
  return name;
}

/** One PrometheusRule per rule file, holding the file's groups unchanged. */
export function prometheusRules(spec: StackSpec, ruleFiles: Readonly<Record<string, string>>): IPrometheusRule[] {
  return Object.keys(ruleFiles)
    .sort()
    .map((file) => {
      const content = (parse(ruleFiles[file] ?? '') ?? {}) as Obj;
      expectKeys(`rule file ${file}`, content, ['groups']);
      return {
        apiVersion: 'monitoring.coreos.com/v1',
        kind: 'PrometheusRule',
        metadata: { name: prometheusRuleName(file), namespace: spec.namespace, labels: { ...stackLabels(), ...OPERATOR_SELECTOR } },
        spec: { groups: (content.groups ?? []) as IPrometheusRule['spec']['groups'] },
      } satisfies IPrometheusRule;
    });
}

/**
 * The Prometheus resource: one replica on a PersistentVolumeClaim, the same image, flags, retention, OTLP and TSDB
 * settings, external labels and Alertmanager as plain mode, selecting obskit's ServiceMonitors and PrometheusRules
 * in its namespace. The Operator adds its config-reloader sidecar and runs the containers with a read-only root
 * filesystem and no capabilities; obskit sets the pod's security context for Pod Security `restricted`.
 */
export function prometheusResource(spec: StackSpec, ctx: RenderContext, config: Obj, serviceAccountName: string): IPrometheus {
  expectKeys('prometheus.yml', config, ['global', 'rule_files', 'alerting', 'scrape_configs', 'otlp', 'storage']);
  const global = (config.global ?? {}) as Obj;
  expectKeys('prometheus.yml global', global, ['scrape_interval', 'evaluation_interval', 'external_labels']);
  const otlp = (config.otlp ?? {}) as Obj;
  expectKeys('prometheus.yml otlp', otlp, ['promote_resource_attributes', 'translation_strategy']);
  const storage = (config.storage ?? {}) as Obj;
  expectKeys('prometheus.yml storage', storage, ['tsdb', 'exemplars']);
  const tsdb = (storage.tsdb ?? {}) as Obj;
  expectKeys('prometheus.yml storage.tsdb', tsdb, ['out_of_order_time_window', 'retention']);
  const retention = (tsdb.retention ?? {}) as Obj;
  const exemplars = (storage.exemplars ?? {}) as Obj;
  const meta = COMPONENT_META.prometheus;
  const resources = spec.resources.prometheus;
  const storageClass = spec.storage.storageClass;

  return {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'Prometheus',
    metadata: { name: OPERATOR_INSTANCE, namespace: spec.namespace, labels: componentLabels(ctx, 'prometheus') },
    spec: {
      replicas: 1,
      image: imageRef(meta.image),
      version: versions[meta.image].tag,
      serviceAccountName,
      // Kubernetes service discovery for the ServiceMonitors reads the API with this token (Role in prometheus.yaml).
      automountServiceAccountToken: true,
      podMetadata: { labels: componentLabels(ctx, 'prometheus') },
      serviceMonitorSelector: { matchLabels: { ...OPERATOR_SELECTOR } },
      ruleSelector: { matchLabels: { ...OPERATOR_SELECTOR } },
      serviceDiscoveryRole: 'EndpointSlice',
      scrapeInterval: String(global.scrape_interval),
      evaluationInterval: String(global.evaluation_interval),
      externalLabels: { ...((global.external_labels ?? {}) as Record<string, string>) },
      // Without these two the Operator adds `prometheus` and `prometheus_replica` external labels to every alert.
      prometheusExternalLabelName: '',
      replicaExternalLabelName: '',
      alerting: {
        alertmanagers: [{ namespace: spec.namespace, name: ctx.hosts.alertmanager, port: 'http', apiVersion: 'v2' }],
      },
      enableOTLPReceiver: true,
      enableRemoteWriteReceiver: true,
      enableFeatures: ['exemplar-storage', 'otlp-deltatocumulative'],
      otlp: {
        promoteResourceAttributes: [...((otlp.promote_resource_attributes ?? []) as string[])],
        ...(otlp.translation_strategy ? { translationStrategy: otlp.translation_strategy as 'UnderscoreEscapingWithSuffixes' } : {}),
      },
      ...(tsdb.out_of_order_time_window ? { tsdb: { outOfOrderTimeWindow: String(tsdb.out_of_order_time_window) } } : {}),
      ...(retention.time ? { retention: String(retention.time) } : {}),
      ...(retention.size ? { retentionSize: String(retention.size) } : {}),
      ...(exemplars.max_exemplars !== undefined ? { exemplars: { maxSize: Number(exemplars.max_exemplars) } } : {}),
      resources: {
        requests: { cpu: resources.requests.cpu, memory: resources.requests.memory },
        limits: { memory: resources.limits.memory, ...(resources.limits.cpu ? { cpu: resources.limits.cpu } : {}) },
      },
      storage: {
        // The generated type demands the model's own apiVersion and kind here; the CRD schema (checked in the
        // tests) asks for neither, and the Operator ignores them.
        volumeClaimTemplate: {
          spec: {
            accessModes: ['ReadWriteOnce'],
            ...(storageClass ? { storageClassName: storageClass } : {}),
            resources: { requests: { storage: spec.storage.sizes.prometheus } },
          },
        } as unknown as ClaimTemplate,
      },
      securityContext: {
        runAsNonRoot: true,
        runAsUser: meta.uid,
        runAsGroup: meta.gid,
        fsGroup: meta.gid,
        seccompProfile: { type: 'RuntimeDefault' },
      },
      ...(spec.kubernetes.priorityClass ? { priorityClassName: spec.kubernetes.priorityClass.name } : {}),
    },
  } satisfies IPrometheus;
}
