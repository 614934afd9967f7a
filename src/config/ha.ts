import type { ObjectStorageSpec, StackSpec } from '../spec';
import type { RenderContext } from './context';
import { thanosKubernetesContext, type ThanosContext } from './thanos';

/**
 * The addresses the `ha` profile's configs name besides the context's hosts: every Alertmanager replica (each
 * Prometheus sends every alert to all of them; they agree by gossip on who notifies), their gossip peers, and Thanos.
 * In Kubernetes these are the StatefulSets' pods through their headless Services; the live test passes loopback ones.
 */
export interface HaAddresses {
  readonly thanos: ThanosContext;
  /** `host:port` of each Alertmanager replica's HTTP API. */
  readonly alertmanagers: readonly string[];
  /** `host:port` of each Alertmanager replica's gossip listener (`--cluster.peer`). */
  readonly alertmanagerPeers: readonly string[];
  /** The host a replica advertises to its peers: `$(POD_IP)`, expanded by the kubelet, in Kubernetes. */
  readonly alertmanagerAdvertiseHost: string;
}

/** The environment variable whose value (the pod's name) becomes Prometheus's `replica` external label. */
export const PROMETHEUS_REPLICA_ENV = 'POD_NAME';
/** The environment variable holding the pod's IP, which an Alertmanager replica advertises to its peers. */
export const POD_IP_ENV = 'POD_IP';

/**
 * The bucket's keys as the environment every S3 client obskit deploys reads when its config names none (Thanos's
 * objstore, Loki's and Tempo's AWS SDK chains), each taken from the Secret key the spec names.
 */
export const bucketCredentialsEnv = (store: ObjectStorageSpec) => ({ AWS_ACCESS_KEY_ID: store.accessKeyId, AWS_SECRET_ACCESS_KEY: store.secretAccessKey });

/** Whether the spec runs the `ha` profile on this target (compose never does: specForTarget makes it `single`). */
export const isHa = (spec: StackSpec): boolean => spec.profile === 'ha';

export function haAddresses(spec: StackSpec, ctx: RenderContext): HaAddresses {
  if (ctx.ha) return ctx.ha;
  const am = ctx.hosts.alertmanager;
  const pods = Array.from({ length: spec.ha.alertmanagerReplicas }, (_, i) => `${am}-${i}.${am}-headless`);
  return {
    thanos: thanosKubernetesContext(spec, ctx),
    alertmanagers: pods.map((p) => `${p}:${ctx.ports.alertmanager.http}`),
    alertmanagerPeers: pods.map((p) => `${p}:${ctx.ports.alertmanager.cluster}`),
    alertmanagerAdvertiseHost: `$(${POD_IP_ENV})`,
  };
}

/** Where Prometheus writes and Grafana reads: the user's own store, or Thanos. */
export function metricsStore(spec: StackSpec, ctx: RenderContext): { remoteWriteUrl: string; queryUrl: string } {
  if (spec.ha.externalStore) return spec.ha.externalStore;
  const { thanos } = haAddresses(spec, ctx);
  return { remoteWriteUrl: thanos.remoteWriteUrl, queryUrl: thanos.queryUrl };
}
