/**
 * The Pods the workload controllers would create from the manifests, for an API server that runs no controllers:
 * Pod Security `enforce` judges Pods only (a Deployment or StatefulSet gets a warning at most), so each pod template
 * is created as a Pod of its own to meet the enforcing admission.
 */
import { podMetadataOf, podSpecOf, WORKLOAD_KINDS, type Manifest, type Obj } from './manifests';

export interface TemplatePod {
  /** `Kind/name` of the workload the pod comes from. */
  readonly source: string;
  readonly pod: Obj;
}

/** The volumes the StatefulSet controller adds to its first pod: one per claim template, bound to `<claim>-<set>-0`. */
function claimVolumes(workload: Obj): Obj[] {
  if (workload.kind !== 'StatefulSet') return [];
  const templates = (workload.spec.volumeClaimTemplates ?? []) as Obj[];
  return templates.map((t) => ({
    name: t.metadata.name,
    persistentVolumeClaim: { claimName: `${t.metadata.name}-${workload.metadata.name}-0` },
  }));
}

/** A Pod per workload object, as its controller would make the first one. */
export function templatePods(all: readonly Manifest[]): TemplatePod[] {
  return all
    .map((m) => m.object)
    .filter((o) => WORKLOAD_KINDS.includes(o.kind as string))
    .map((workload) => {
      const metadata = podMetadataOf(workload) ?? {};
      const spec: Obj = structuredClone(podSpecOf(workload));
      const claims = claimVolumes(workload);
      if (claims.length > 0) spec.volumes = [...((spec.volumes ?? []) as Obj[]), ...claims];
      if (workload.kind === 'StatefulSet') {
        spec.hostname = `${workload.metadata.name}-0`;
        spec.subdomain = workload.spec.serviceName;
      }
      const name =
        workload.kind === 'Pod'
          ? workload.metadata.name
          : workload.kind === 'StatefulSet'
            ? `${workload.metadata.name}-0`
            : `${workload.metadata.name}-${String(workload.kind).toLowerCase()}`;
      const pod: Obj = {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          name,
          namespace: workload.metadata.namespace,
          labels: metadata.labels ?? {},
          annotations: metadata.annotations ?? {},
        },
        spec,
      };
      return { source: `${workload.kind}/${workload.metadata.name}`, pod };
    });
}

/** The ServiceAccounts the pods run as (`default` when a pod names none), by namespace. */
export function serviceAccountsOf(pods: readonly TemplatePod[]): { namespace: string; name: string }[] {
  const seen = new Map<string, { namespace: string; name: string }>();
  for (const { pod } of pods) {
    const account = { namespace: pod.metadata.namespace as string, name: (pod.spec.serviceAccountName as string | undefined) ?? 'default' };
    seen.set(`${account.namespace}/${account.name}`, account);
  }
  return [...seen.values()];
}
