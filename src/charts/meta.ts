import type { RenderContext } from '../config/context';
import { versions, type Component, type PinnedImage } from '../spec';

/** The value of `app.kubernetes.io/part-of` and `app.kubernetes.io/instance` on everything obskit deploys. */
export const PART_OF = 'obskit';
export const MANAGED_BY = 'obskit';

/**
 * What each component's pods run as: the user (and its group) the image itself declares, so files the image
 * ships are readable and nothing depends on a user the image does not know. Checked against the images'
 * Dockerfiles: prom/prometheus and prom/alertmanager `USER nobody` (65534:65534, busybox base);
 * grafana/grafana `GF_UID=472` (its group is root, 0: we run with group 472 instead, which the image's
 * world-readable files and 0777 data folders allow, rather than the root group); grafana/loki `USER 10001`
 * (group loki, 10001); grafana/tempo `USER 10001:10001`; otel/opentelemetry-collector-contrib
 * `USER 10001:10001`.
 */
export interface ComponentMeta {
  /** `app.kubernetes.io/component`: the part it plays in the stack. */
  readonly role: string;
  readonly image: PinnedImage;
  readonly uid: number;
  readonly gid: number;
}

export const COMPONENT_META: Readonly<Record<Component, ComponentMeta>> = {
  collector: { role: 'telemetry-gateway', image: 'collector', uid: 10001, gid: 10001 },
  prometheus: { role: 'metrics', image: 'prometheus', uid: 65534, gid: 65534 },
  alertmanager: { role: 'alerting', image: 'alertmanager', uid: 65534, gid: 65534 },
  grafana: { role: 'dashboards', image: 'grafana', uid: 472, gid: 472 },
  loki: { role: 'logs', image: 'loki', uid: 10001, gid: 10001 },
  tempo: { role: 'traces', image: 'tempo', uid: 10001, gid: 10001 },
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
