/**
 * Every place the manifests in dist/k8s knowingly differ from kube-score's defaults, each with its reason.
 * Nothing else may be waived: test/charts/kube-score.test.ts runs kube-score over dist/k8s with exactly these
 * and expects zero findings, and fails on an annotation in the manifests that is not listed here.
 *
 * Run it yourself (npm run tools builds the pinned kube-score):
 *
 *   kube-score score --ignore-container-cpu-limit dist/k8s/*.yaml
 */
import type { Component, KubernetesMode } from '../spec';
import { OBSERVED_SERVICES_POLICY } from './network';

/** Pinned kube-score release (npm run tools builds this one; tools/pins.ts). */
export const KUBE_SCORE_VERSION = 'v1.20.0';

/** The annotation kube-score reads to skip named checks for one object. */
export const KUBE_SCORE_IGNORE_ANNOTATION = 'kube-score/ignore';

/** A component's object (named after its host), or a stack-wide object by its name. */
export type ObjectRef = { readonly component: Component } | { readonly name: string };

/** A check skipped for one object, by annotation on that object. */
export interface ObjectException {
  readonly check: string;
  readonly kind: string;
  readonly object: ObjectRef;
  /** Only in this kubernetes.mode; in every mode when omitted. */
  readonly mode?: KubernetesMode;
  readonly reason: string;
}

/** A check relaxed for every object, by a kube-score flag. */
export interface FlagException {
  readonly flag: string;
  readonly reason: string;
}

/** Why the node agent (src/charts/node-agent.ts) runs as user 0; the same words for kube-score and checkov. */
export const NODE_AGENT_ROOT_REASON =
  'The node agent (intake.logFiles.nodeAgent) reads the pods\' log files under /var/log/pods, which the container ' +
  'runtime writes as root and does not make world-readable, so it runs as user and group 0, in its own namespace ' +
  '(Pod Security enforced at privileged, warned and audited at restricted). It has every capability dropped (no ' +
  'DAC override: it reads only what root may read as owner), the host folder mounted read-only, a read-only root ' +
  'filesystem, no privilege escalation, seccomp RuntimeDefault, no service account token, and egress only to DNS ' +
  'and the collector.';

/** Why Thanos (the `ha` profile) runs as user 1001; the same words for kube-score and checkov. */
export const THANOS_USER_REASON =
  'Thanos runs as the user its image is built for, 1001 (`adduser -u 1001 thanos` in its Dockerfile), which owns ' +
  '/bin/thanos; the checks ask for a UID of 10000 or more to avoid clashing with host users. Every other hardening ' +
  '(non-root, read-only root filesystem, no capabilities, no privilege escalation, seccomp) applies as to the rest.';

export const KAFKA_USER_REASON =
  'Kafka runs as the user its image is built for, appuser, uid and gid 1000 (`adduser -D appuser` on Alpine in ' +
  'apache/kafka\'s docker/jvm/Dockerfile), which owns /opt/kafka, the launch scripts and /var/lib/kafka; the checks ask ' +
  'for a UID of 10000 or more to avoid clashing with host users. Every other hardening (non-root, read-only root ' +
  'filesystem, no capabilities, no privilege escalation, seccomp) applies as to the rest.';

export const OBJECT_EXCEPTIONS: readonly ObjectException[] = [
  {
    check: 'container-security-context-user-group-id',
    kind: 'StatefulSet',
    object: { component: 'grafana' },
    reason:
      'Grafana runs as the user its image is built for, 472 (GF_UID), which owns its files; kube-score asks for ' +
      'a UID and GID above 10000 to avoid clashing with host users. Every other hardening (non-root, read-only ' +
      'root filesystem, no capabilities, no privilege escalation, seccomp) applies to Grafana as to the rest.',
  },
  {
    check: 'networkpolicy-targets-pod',
    kind: 'NetworkPolicy',
    object: { name: OBSERVED_SERVICES_POLICY },
    reason:
      'This policy is for the observed services you deploy into the stack namespace (Prometheus may scrape them, ' +
      'they may send OTLP to the collector); those pods are yours, not in dist/k8s, so nothing there matches it.',
  },
  {
    check: 'service-targets-pod',
    kind: 'Service',
    object: { component: 'prometheus' },
    mode: 'operator',
    reason:
      'In operator mode the Prometheus Operator makes the Prometheus pods from the Prometheus resource, so no pod in ' +
      'dist/k8s matches the Service; the Operator labels them app.kubernetes.io/name=prometheus and ' +
      'app.kubernetes.io/instance=obskit, the labels it selects (test/charts/operator.test.ts checks this).',
  },
  {
    check: 'networkpolicy-targets-pod',
    kind: 'NetworkPolicy',
    object: { component: 'prometheus' },
    mode: 'operator',
    reason:
      'In operator mode the Prometheus Operator makes the Prometheus pods from the Prometheus resource, so no pod in ' +
      'dist/k8s matches the policy; it selects the labels the Operator gives them, as the Service does.',
  },
  { check: 'container-security-context-user-group-id', kind: 'DaemonSet', object: { name: 'otel-node-agent' }, reason: NODE_AGENT_ROOT_REASON },
  { check: 'container-security-context-user-group-id', kind: 'StatefulSet', object: { component: 'thanos-receive' }, reason: THANOS_USER_REASON },
  { check: 'container-security-context-user-group-id', kind: 'Deployment', object: { component: 'thanos-query' }, reason: THANOS_USER_REASON },
  {
    check: 'deployment-replicas',
    kind: 'Deployment',
    object: { component: 'kubeStateMetrics' },
    reason:
      'kube-state-metrics runs one replica: each replica reports every object, so two would double every series ' +
      '(their targets differ only by instance) and every sum over them. Its state is the API server\'s, so a ' +
      'restart loses nothing; while it is away the kubernetes mixin\'s alerts on its series stay silent and ' +
      'TargetDown fires for the job.',
  },
  {
    check: 'deployment-replicas',
    kind: 'Deployment',
    object: { component: 'tempo-backend-scheduler' },
    reason:
      'Tempo\'s backend-scheduler hands out compaction and retention jobs and keeps their state in the bucket; Tempo ' +
      'runs one (its jsonnet and Helm chart deploy one replica). While it restarts, no block is compacted or ' +
      'deleted; no span is lost and queries go on.',
  },
  { check: 'container-security-context-user-group-id', kind: 'StatefulSet', object: { component: 'kafka' }, reason: KAFKA_USER_REASON },
];

export const FLAG_EXCEPTIONS: readonly FlagException[] = [
  {
    flag: '--ignore-container-cpu-limit',
    reason:
      'CPU limits come from spec.resources.<component>.limits.cpu and are off by default: a CPU limit throttles ' +
      'the collector and Prometheus under bursts (CFS quota) while CPU requests already guarantee their share. ' +
      'Memory requests and limits are always set. Set limits.cpu in src/stack.ts to add one.',
  },
];

const sameObject = (a: ObjectRef, b: ObjectRef): boolean =>
  'component' in a ? 'component' in b && a.component === b.component : 'name' in b && a.name === b.name;

/** The kube-score/ignore annotation for an object (in kubernetes.mode `mode`), or none. */
export function kubeScoreAnnotations(kind: string, object: ObjectRef, mode: KubernetesMode = 'plain'): Record<string, string> {
  const checks = OBJECT_EXCEPTIONS.filter((e) => e.kind === kind && sameObject(e.object, object) && (e.mode ?? mode) === mode).map((e) => e.check);
  return checks.length > 0 ? { [KUBE_SCORE_IGNORE_ANNOTATION]: checks.join(',') } : {};
}
