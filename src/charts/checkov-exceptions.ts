/**
 * Every place the manifests in dist/k8s knowingly fail a checkov check, each with its reason. Nothing else may be
 * waived: test/charts/checkov.test.ts runs checkov over dist/k8s with exactly these and expects zero failed checks,
 * and fails on a skip annotation in the manifests that is not listed here.
 *
 * Run it yourself (.ci/run installs the pinned checkov into a virtualenv; see README, Testing):
 *
 *   checkov -d dist/k8s --framework kubernetes --skip-download --compact --skip-check CKV_K8S_11,CKV_K8S_43
 */
import { KAFKA_USER_REASON, NODE_AGENT_ROOT_REASON, THANOS_USER_REASON, type ObjectRef } from './policy-exceptions';

/** Pinned checkov release (PyPI); tools/checkov/requirements.txt pins it and everything it installs. */
export const CHECKOV_VERSION = '3.3.30';

/** checkov skips a check for one object when an annotation whose key starts with this names it: `CKV_K8S_40=reason`. */
export const CHECKOV_SKIP_ANNOTATION_PREFIX = 'checkov.io/skip';

/** Why Loki's simple scalable targets read the bucket's keys from environment variables. */
const LOKI_S3_ENV_REASON =
  'With ha.objectStorage, Loki\'s simple scalable targets read the bucket credentials from AWS_ACCESS_KEY_ID and ' +
  'AWS_SECRET_ACCESS_KEY (secretKeyRef to the Secret the spec names; no value is in the manifests): Loki 3.7 takes S3 ' +
  'keys only from its config (s3.access_key_id/secret_access_key, or placeholders expanded from the environment) or ' +
  'the AWS SDK default chain, which reads the environment; it has no key-file setting, and keys in the config would ' +
  'make the whole config a Secret.';

/** Why Tempo's microservices read the bucket's keys from environment variables. */
const TEMPO_S3_ENV_REASON =
  'With ha.objectStorage, Tempo\'s microservices read the bucket credentials from AWS_ACCESS_KEY_ID and ' +
  'AWS_SECRET_ACCESS_KEY (secretKeyRef to the Secret the spec names; no value is in the manifests): Tempo 3 takes S3 ' +
  'keys only from its config (storage.trace.s3.access_key/secret_key) or the credential chain after it, whose next ' +
  'link reads the environment (tempodb/backend/s3 fetchCreds); it has no key-file setting, and keys in the config ' +
  'would make the whole config a Secret.';

/** A check skipped for one object, by annotation on that object. */
export interface CheckovObjectException {
  readonly check: string;
  readonly kind: string;
  readonly object: ObjectRef;
  /** Written into the annotation, so it must not contain "=" (checkov splits the annotation on it). */
  readonly reason: string;
}

/** A check skipped for every object (`--skip-check`). */
export interface CheckovSkippedCheck {
  readonly check: string;
  readonly reason: string;
}

export const CHECKOV_OBJECT_EXCEPTIONS: readonly CheckovObjectException[] = [
  {
    check: 'CKV_K8S_40',
    kind: 'StatefulSet',
    object: { component: 'grafana' },
    reason:
      'Grafana runs as the user its image is built for, 472 (GF_UID), which owns its files; checkov asks for a UID ' +
      'of 10000 or more to avoid clashing with host users. Every other hardening (non-root, read-only root ' +
      'filesystem, no capabilities, no privilege escalation, seccomp) applies to Grafana as to the rest.',
  },
  {
    check: 'CKV_K8S_38',
    kind: 'StatefulSet',
    object: { component: 'prometheus' },
    reason:
      'Prometheus discovers its scrape targets through the Kubernetes API (kubernetes_sd_configs), which needs its ' +
      'service account token; its Role grants only get, list and watch on the objects it discovers (and, for the ' +
      'kubelet scrapes, get on nodes/metrics). Every other workload but kube-state-metrics has ' +
      'automountServiceAccountToken: false.',
  },
  {
    check: 'CKV_K8S_38',
    kind: 'Deployment',
    object: { component: 'kubeStateMetrics' },
    reason:
      'kube-state-metrics reports the cluster\'s objects by listing and watching them through the Kubernetes API, ' +
      'which needs its service account token; its ClusterRole grants only list and watch on the objects behind the ' +
      'metrics it may expose (pods and nodes by default).',
  },
  { check: 'CKV_K8S_23', kind: 'DaemonSet', object: { name: 'otel-node-agent' }, reason: NODE_AGENT_ROOT_REASON },
  { check: 'CKV_K8S_40', kind: 'DaemonSet', object: { name: 'otel-node-agent' }, reason: NODE_AGENT_ROOT_REASON },
  { check: 'CKV_K8S_40', kind: 'StatefulSet', object: { component: 'thanos-receive' }, reason: THANOS_USER_REASON },
  {
    check: 'CKV_K8S_35',
    kind: 'StatefulSet',
    object: { component: 'thanos-receive' },
    reason:
      'With ha.objectStorage, Thanos Receive reads the bucket credentials from AWS_ACCESS_KEY_ID and ' +
      'AWS_SECRET_ACCESS_KEY (secretKeyRef to the Secret the spec names; no value is in the manifests). Thanos takes ' +
      'S3 keys only from its objstore config or the environment, and a config holding keys would make the whole ' +
      'bucket config a Secret; the keys are read once at start and never logged.',
  },
  { check: 'CKV_K8S_40', kind: 'Deployment', object: { component: 'thanos-query' }, reason: THANOS_USER_REASON },
  ...(
    [
      ['StatefulSet', 'loki-write'],
      ['StatefulSet', 'loki-backend'],
      ['Deployment', 'loki-read'],
    ] as const
  ).map(([kind, component]) => ({ check: 'CKV_K8S_35', kind, object: { component }, reason: LOKI_S3_ENV_REASON })),
  ...(
    [
      ['StatefulSet', 'tempo-live-store'],
      ['StatefulSet', 'tempo-block-builder'],
      ['Deployment', 'tempo-distributor'],
      ['Deployment', 'tempo-querier'],
      ['Deployment', 'tempo-query-frontend'],
      ['Deployment', 'tempo-backend-scheduler'],
      ['Deployment', 'tempo-backend-worker'],
      ['Deployment', 'tempo-metrics-generator'],
    ] as const
  ).map(([kind, component]) => ({ check: 'CKV_K8S_35', kind, object: { component }, reason: TEMPO_S3_ENV_REASON })),
  { check: 'CKV_K8S_40', kind: 'StatefulSet', object: { component: 'kafka' }, reason: KAFKA_USER_REASON },
];

export const CHECKOV_SKIPPED_CHECKS: readonly CheckovSkippedCheck[] = [
  {
    check: 'CKV_K8S_11',
    reason:
      'CPU limits come from spec.resources.<component>.limits.cpu and are off by default: a CPU limit throttles ' +
      'the collector and Prometheus under bursts (CFS quota) while CPU requests already guarantee their share. ' +
      'Memory requests and limits are always set. kube-score is run with --ignore-container-cpu-limit for the same reason.',
  },
  {
    check: 'CKV_K8S_43',
    reason:
      'Images are pinned to exact release tags in src/spec/versions.ts (never latest), not to digests: a digest ' +
      'must be read from the registry, which obskit cannot reach when it generates. Pinning digests is a ' +
      'follow-up for whoever can resolve them against the registries.',
  },
];

const sameObject = (a: ObjectRef, b: ObjectRef): boolean =>
  'component' in a ? 'component' in b && a.component === b.component : 'name' in b && a.name === b.name;

/** The checkov skip annotations for an object (`checkov.io/skip1: CKV_K8S_40=<reason>`), or none. */
export function checkovAnnotations(kind: string, object: ObjectRef): Record<string, string> {
  const skipped = CHECKOV_OBJECT_EXCEPTIONS.filter((e) => e.kind === kind && sameObject(e.object, object));
  return Object.fromEntries(skipped.map((e, i) => [`${CHECKOV_SKIP_ANNOTATION_PREFIX}${i + 1}`, `${e.check}=${e.reason}`]));
}
