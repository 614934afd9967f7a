import type { RenderContext } from '../config/context';
import { COMPONENT_IMAGES, RUN_AS } from '../config/run-as';
import { versions, type Component, type PinnedImage } from '../spec';

/** The value of `app.kubernetes.io/part-of` and `app.kubernetes.io/instance` on everything obskit deploys. */
export const PART_OF = 'obskit';
export const MANAGED_BY = 'obskit';

/**
 * What each component's pods run as: the user and group in src/config/run-as.ts, which come from what each
 * pinned image was looked up to contain (src/spec/images.ts), so compose and Kubernetes run the same ids.
 */
export interface ComponentMeta {
  /** `app.kubernetes.io/component`: the part it plays in the stack. */
  readonly role: string;
  readonly image: PinnedImage;
  readonly uid: number;
  readonly gid: number;
}

const meta = (component: Component, role: string): ComponentMeta => ({
  role,
  image: COMPONENT_IMAGES[component],
  uid: RUN_AS[component].uid,
  gid: RUN_AS[component].gid,
});

export const COMPONENT_META: Readonly<Record<Component, ComponentMeta>> = {
  collector: meta('collector', 'telemetry-gateway'),
  prometheus: meta('prometheus', 'metrics'),
  alertmanager: meta('alertmanager', 'alerting'),
  grafana: meta('grafana', 'dashboards'),
  loki: meta('loki', 'logs'),
  tempo: meta('tempo', 'traces'),
  blackbox: meta('blackbox', 'health-prober'),
  'thanos-receive': meta('thanos-receive', 'metrics-store'),
  'thanos-query': meta('thanos-query', 'metrics-query'),
  // One role for Loki's three targets: the memberlist Service selects them all by it (src/charts/loki.ts).
  'loki-write': meta('loki-write', 'logs'),
  'loki-read': meta('loki-read', 'logs'),
  'loki-backend': meta('loki-backend', 'logs'),
  // One role for Tempo's microservices: the memberlist Service selects them all by it (src/charts/tempo-microservices.ts).
  'tempo-distributor': meta('tempo-distributor', 'traces'),
  'tempo-live-store': meta('tempo-live-store', 'traces'),
  'tempo-block-builder': meta('tempo-block-builder', 'traces'),
  'tempo-querier': meta('tempo-querier', 'traces'),
  'tempo-query-frontend': meta('tempo-query-frontend', 'traces'),
  'tempo-backend-scheduler': meta('tempo-backend-scheduler', 'traces'),
  'tempo-backend-worker': meta('tempo-backend-worker', 'traces'),
  'tempo-metrics-generator': meta('tempo-metrics-generator', 'traces'),
  kafka: meta('kafka', 'trace-queue'),
  kubeStateMetrics: meta('kubeStateMetrics', 'cluster-state-exporter'),
};

/** A component's object name: its host name (`prometheus`, `otel-collector`), the same word compose uses. */
export function componentName(ctx: RenderContext, component: Component): string {
  return ctx.hosts[component];
}

/** The labels that pick a component's pods: stable across versions (a selector is immutable). */
export function selectorLabels(ctx: RenderContext, component: Component): Record<string, string> {
  return { 'app.kubernetes.io/name': componentName(ctx, component), 'app.kubernetes.io/instance': PART_OF };
}

/** The recommended `app.kubernetes.io/*` labels, on every object of a component and on its pods. */
export function componentLabels(ctx: RenderContext, component: Component): Record<string, string> {
  const meta = COMPONENT_META[component];
  return {
    ...selectorLabels(ctx, component),
    'app.kubernetes.io/component': meta.role,
    'app.kubernetes.io/part-of': PART_OF,
    'app.kubernetes.io/version': versions[meta.image].tag,
    'app.kubernetes.io/managed-by': MANAGED_BY,
  };
}

/** Labels of the objects that belong to the stack as a whole (namespace, namespace-wide policies). */
export function stackLabels(): Record<string, string> {
  return { 'app.kubernetes.io/part-of': PART_OF, 'app.kubernetes.io/managed-by': MANAGED_BY };
}
