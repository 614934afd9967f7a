/**
 * The one way obskit builds a component's pods, so every container of every workload gets the same
 * hardening: non-root with the image's own user, read-only root filesystem (writable only where the program
 * writes: a bounded emptyDir /tmp and its PersistentVolumeClaim), no privilege escalation, every capability
 * dropped, seccomp RuntimeDefault, requests and limits from the spec, readiness and liveness probes, and a
 * checksum annotation per mounted ConfigMap so a config change rolls the pods.
 *
 * cdk8s-plus-28 does most of this; three things it cannot express are added as JSON patches on the synthesized
 * object: quantities exactly as the spec writes them (cdk8s-plus would rewrite `2Gi` as `2048Mi`), the
 * pod-level seccomp profile, and volumeClaimTemplates (plus their mounts). cdk8s-plus also labels pods with a
 * hashed `cdk8s.io/metadata.addr`; obskit selects pods by the stable `app.kubernetes.io/*` labels instead and
 * removes that label.
 */
import { createHash } from 'node:crypto';
import { ApiObject, Duration, JsonPatch, Size, type ApiObjectMetadataDefinition } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import type { Construct } from 'constructs';
import type { RenderContext } from '../config/context';
import { imageRef, type Component, type ComponentResources, type SecretRef, type StackSpec } from '../spec';
import { COMPONENT_META, componentLabels, componentName, selectorLabels } from './meta';
import { checkovAnnotations } from './checkov-exceptions';
import { kubeScoreAnnotations } from './policy-exceptions';

/** Ephemeral storage each container may use (container logs and /tmp); the spec has no field for it yet. */
export const EPHEMERAL_STORAGE = { request: '64Mi', limit: '1Gi' } as const;
/** Size cap of the writable /tmp every pod gets. */
export const TMP_SIZE_MIB = 64;
/** Name of the PersistentVolumeClaim template of every StatefulSet, and of the volume it mounts. */
export const DATA_VOLUME = 'data';
/** Annotation key prefix of the per-ConfigMap checksums on pod templates. */
export const CHECKSUM_PREFIX = 'checksum/';

const SELECTOR_KEYS = ['app.kubernetes.io/name', 'app.kubernetes.io/instance'] as const;
const ADDRESS_LABEL_PATH = `/spec/template/metadata/labels/${kplus.Pod.ADDRESS_LABEL.replace(/\//g, '~1')}`;

/** sha256 of a ConfigMap's data, keys sorted: what the checksum annotation carries. */
export function checksumOf(data: Readonly<Record<string, string>>): string {
  const hash = createHash('sha256');
  for (const key of Object.keys(data).sort()) hash.update(`${key}\0${data[key]}\0`);
  return hash.digest('hex');
}

function podSelector(metadata: ApiObjectMetadataDefinition): kplus.PodSelectorConfig {
  const labels: Record<string, string> = {};
  for (const key of SELECTOR_KEYS) {
    const value = metadata.getLabel(key);
    if (value === undefined) throw new Error(`pod template lacks the selector label ${key}`);
    labels[key] = value;
  }
  return { labelSelector: kplus.LabelSelector.of({ labels }) };
}

/** A StatefulSet whose Services and peers select its pods by the app.kubernetes.io labels. */
class ComponentStatefulSet extends kplus.StatefulSet {
  public override toPodSelectorConfig(): kplus.PodSelectorConfig {
    return podSelector(this.podMetadata);
  }
}

/** A Deployment whose Services and peers select its pods by the app.kubernetes.io labels. */
class ComponentDeployment extends kplus.Deployment {
  public override toPodSelectorConfig(): kplus.PodSelectorConfig {
    return podSelector(this.podMetadata);
  }
}

export interface ContainerPortSpec {
  readonly name: string;
  readonly number: number;
  /** TCP when omitted. */
  readonly protocol?: 'TCP' | 'UDP';
}

/** Facts about the pod a container reads from its environment (the downward API). */
export const POD_FIELDS = {
  podName: { path: kplus.EnvFieldPaths.POD_NAME },
  podIp: { path: kplus.EnvFieldPaths.POD_IP },
  // A StatefulSet pod's ordinal, the label Kubernetes (1.28+) sets on it.
  podIndex: { path: kplus.EnvFieldPaths.POD_LABEL, key: 'apps.kubernetes.io/pod-index' },
} as const satisfies Record<string, { path: kplus.EnvFieldPaths; key?: string }>;

export interface ConfigMapMount {
  readonly configMap: kplus.ConfigMap;
  /** The data, for the checksum annotation. */
  readonly data: Readonly<Record<string, string>>;
  readonly mountPath: string;
  /** Mount one key as a file at mountPath (used where the config file sits next to another mount). */
  readonly subPath?: string;
}

/** Several ConfigMaps as one folder (a projected volume), each with its checksum on the pod so a change rolls it. */
export interface ProjectedConfigMapsMount {
  readonly volume: string;
  readonly configMaps: readonly { readonly configMap: kplus.ConfigMap; readonly data: Readonly<Record<string, string>> }[];
  readonly mountPath: string;
}

export interface SecretMount {
  /** Name of the Secret the user creates. */
  readonly secretName: string;
  /** Keys to project; all keys when omitted. */
  readonly keys?: readonly string[];
  readonly mountPath: string;
}

export interface ComponentPodOptions {
  readonly spec: StackSpec;
  readonly ctx: RenderContext;
  readonly component: Component;
  readonly args?: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  /** Environment variables from the pod's own fields (its name, its IP). */
  readonly fieldEnv?: Readonly<Record<string, keyof typeof POD_FIELDS>>;
  /** Environment variables from keys of Secrets the user creates (never a value in the manifests). */
  readonly secretEnv?: Readonly<Record<string, SecretRef>>;
  readonly ports: readonly ContainerPortSpec[];
  readonly readiness: kplus.Probe;
  readonly liveness: kplus.Probe;
  readonly configMaps: readonly ConfigMapMount[];
  readonly projectedConfigMaps?: readonly ProjectedConfigMapsMount[];
  readonly secrets?: readonly SecretMount[];
  /** More writable emptyDirs besides /tmp, for paths the program writes that hold nothing worth keeping. */
  readonly scratch?: readonly { readonly name: string; readonly mountPath: string; readonly sizeMib?: number }[];
  /**
   * The ServiceAccount of a component that talks to the Kubernetes API (Prometheus, for discovery): its token is
   * mounted. Every other component gets a ServiceAccount of its own without a token.
   */
  readonly serviceAccount?: kplus.ServiceAccount;
  /** Time to shut down cleanly (flush, close the TSDB head) before being killed; 30 s when omitted. */
  readonly terminationGracePeriodSeconds?: number;
  /**
   * One of several workloads of the component (Tempo's live-store zones): the suffix of its name, the labels that tell
   * its pods from the others' (added to its selector; the component's Services, policy and budget still select all),
   * and the ServiceAccount the first one made, which the others share.
   */
  readonly instance?: { readonly suffix: string; readonly labels: Readonly<Record<string, string>>; readonly serviceAccount?: kplus.IServiceAccount };
}

export interface StatefulComponentOptions extends ComponentPodOptions {
  /** Headless Service that governs the StatefulSet (stable per-pod DNS). */
  readonly governingService: kplus.Service;
  /** Where the PersistentVolumeClaim is mounted. */
  readonly dataPath: string;
  readonly storageSize: string;
  /** 1 when omitted. Several replicas start in parallel and prefer distinct nodes. */
  readonly replicas?: number;
}

export interface DeploymentComponentOptions extends ComponentPodOptions {
  /** The fixed count, or (with `autoscaled`) the autoscaler's minimum. */
  readonly replicas: number;
  /** A HorizontalPodAutoscaler sets the count: the Deployment names none. */
  readonly autoscaled?: boolean;
}

/**
 * The component's own ServiceAccount, so no pod runs as the namespace's `default` and each can be granted (or
 * audited) alone: the one passed in when the component talks to the Kubernetes API (its token mounted), else one
 * of its own whose token is never mounted.
 */
function podServiceAccount(scope: Construct, o: ComponentPodOptions): { account: kplus.IServiceAccount; token: boolean } {
  if (o.serviceAccount) return { account: o.serviceAccount, token: true };
  if (o.instance?.serviceAccount) return { account: o.instance.serviceAccount, token: false };
  const account = new kplus.ServiceAccount(scope, 'service-account', {
    metadata: { name: componentName(o.ctx, o.component), namespace: o.spec.namespace, labels: componentLabels(o.ctx, o.component) },
    automountToken: false,
  });
  return { account, token: false };
}

function envVariables(scope: Construct, o: ComponentPodOptions): Record<string, kplus.EnvValue> {
  // The pod's own fields first: a value may refer to them as $(NAME), which the kubelet expands only from variables
  // defined before it.
  const field = (name: keyof typeof POD_FIELDS): kplus.EnvValue => {
    const f: { path: kplus.EnvFieldPaths; key?: string } = POD_FIELDS[name];
    return kplus.EnvValue.fromFieldRef(f.path, f.key ? { key: f.key } : undefined);
  };
  return {
    ...Object.fromEntries(Object.entries(o.fieldEnv ?? {}).map(([k, name]) => [k, field(name)])),
    ...Object.fromEntries(Object.entries(o.env ?? {}).map(([k, v]) => [k, kplus.EnvValue.fromValue(v)])),
    ...Object.fromEntries(
      Object.entries(o.secretEnv ?? {}).map(([k, ref]) => [
        k,
        kplus.EnvValue.fromSecretValue({ secret: kplus.Secret.fromSecretName(scope, `env-secret-${k}`, ref.name), key: ref.key }),
      ]),
    ),
  };
}

function workloadProps(
  scope: Construct,
  o: ComponentPodOptions,
  kind: 'StatefulSet' | 'Deployment',
  serviceAccount: { account: kplus.IServiceAccount; token: boolean },
): kplus.WorkloadProps {
  // The kube-score and checkov checks waived for this object, each listed with its reason in policy-exceptions.ts
  // and checkov-exceptions.ts.
  const waived = { ...kubeScoreAnnotations(kind, { component: o.component }, o.spec.kubernetes.mode), ...checkovAnnotations(kind, { component: o.component }) };
  const meta = COMPONENT_META[o.component];
  const annotations = Object.fromEntries(
    [...o.configMaps, ...(o.projectedConfigMaps ?? []).flatMap((p) => p.configMaps)].map((m) => [`${CHECKSUM_PREFIX}${m.configMap.name}`, checksumOf(m.data)]),
  );
  return {
    metadata: {
      name: componentName(o.ctx, o.component) + (o.instance?.suffix ?? ''),
      namespace: o.spec.namespace,
      labels: { ...componentLabels(o.ctx, o.component), ...o.instance?.labels },
      ...(Object.keys(waived).length > 0 ? { annotations: waived } : {}),
    },
    podMetadata: { labels: { ...componentLabels(o.ctx, o.component), ...o.instance?.labels }, annotations },
    select: false,
    serviceAccount: serviceAccount.account,
    automountServiceAccountToken: serviceAccount.token,
    ...(o.terminationGracePeriodSeconds ? { terminationGracePeriod: Duration.seconds(o.terminationGracePeriodSeconds) } : {}),
    securityContext: {
      ensureNonRoot: true,
      user: meta.uid,
      group: meta.gid,
      // Volumes (PVCs, Secrets) are group-owned by fsGroup so the non-root user can use them.
      fsGroup: meta.gid,
      fsGroupChangePolicy: kplus.FsGroupChangePolicy.ON_ROOT_MISMATCH,
    },
    containers: [
      {
        name: componentName(o.ctx, o.component),
        image: imageRef(meta.image),
        imagePullPolicy: kplus.ImagePullPolicy.ALWAYS,
        ...(o.args ? { args: [...o.args] } : {}),
        ...(o.env || o.fieldEnv || o.secretEnv ? { envVariables: envVariables(scope, o) } : {}),
        ports: o.ports.map((p) => ({ name: p.name, number: p.number, ...(p.protocol === 'UDP' ? { protocol: kplus.Protocol.UDP } : {}) })),
        readiness: o.readiness,
        liveness: o.liveness,
        securityContext: {
          ensureNonRoot: true,
          user: meta.uid,
          group: meta.gid,
          privileged: false,
          readOnlyRootFilesystem: true,
          allowPrivilegeEscalation: false,
          capabilities: { drop: [kplus.Capability.ALL] },
          seccompProfile: { type: kplus.SeccompProfileType.RUNTIME_DEFAULT },
        },
      },
    ],
  };
}

/** Mounts, patches and the selector shared by both workload kinds. */
function finish(workload: kplus.Workload, o: ComponentPodOptions): void {
  const container = workload.containers[0];
  if (!container) throw new Error('a component workload has one container');
  workload.select(kplus.LabelSelector.of({ labels: { ...selectorLabels(o.ctx, o.component), ...o.instance?.labels } }));

  for (const [i, m] of o.configMaps.entries()) {
    const volume = kplus.Volume.fromConfigMap(workload, `config-${i}`, m.configMap, { name: m.configMap.name });
    container.mount(m.mountPath, volume, { readOnly: true, ...(m.subPath ? { subPath: m.subPath } : {}) });
  }
  for (const [i, s] of (o.secrets ?? []).entries()) {
    const secret = kplus.Secret.fromSecretName(workload, `secret-ref-${i}`, s.secretName);
    const volume = kplus.Volume.fromSecret(workload, `secret-${i}`, secret, {
      // Secret names are DNS labels of up to 63 characters, so the prefix may not fit.
      name: `secret-${s.secretName}`.length <= 63 ? `secret-${s.secretName}` : `secret-${i}`,
      // Owner root, group fsGroup, read-only for both; nobody else.
      defaultMode: 0o440,
      ...(s.keys ? { items: Object.fromEntries(s.keys.map((k) => [k, { path: k }])) } : {}),
    });
    container.mount(s.mountPath, volume, { readOnly: true });
  }
  for (const p of o.projectedConfigMaps ?? []) {
    mountProjectedConfigMaps(workload, { volume: p.volume, configMaps: p.configMaps.map((m) => m.configMap.name), mountPath: p.mountPath });
  }
  const tmp = kplus.Volume.fromEmptyDir(workload, 'tmp', 'tmp', { sizeLimit: Size.mebibytes(TMP_SIZE_MIB) });
  container.mount('/tmp', tmp);
  for (const s of o.scratch ?? []) {
    container.mount(s.mountPath, kplus.Volume.fromEmptyDir(workload, `scratch-${s.name}`, s.name, { sizeLimit: Size.mebibytes(s.sizeMib ?? TMP_SIZE_MIB) }));
  }

  const api = ApiObject.of(workload);
  api.addJsonPatch(
    JsonPatch.replace('/spec/template/spec/containers/0/resources', quantities(resources(o.spec.resources[o.component]))),
    JsonPatch.add('/spec/template/spec/securityContext/seccompProfile', { type: 'RuntimeDefault' }),
    JsonPatch.remove(ADDRESS_LABEL_PATH),
  );
  const priorityClass = o.spec.kubernetes.priorityClass;
  if (priorityClass) api.addJsonPatch(JsonPatch.add('/spec/template/spec/priorityClassName', priorityClass.name));
}

/** Requests and limits exactly as the spec writes them, plus the ephemeral-storage bounds. */
export function resources(r: ComponentResources): Record<string, Record<string, string>> {
  return {
    requests: { cpu: r.requests.cpu, memory: r.requests.memory, 'ephemeral-storage': EPHEMERAL_STORAGE.request },
    limits: {
      ...(r.limits.cpu ? { cpu: r.limits.cpu } : {}),
      memory: r.limits.memory,
      'ephemeral-storage': EPHEMERAL_STORAGE.limit,
    },
  };
}

/**
 * Quantities for a JSON patch. cdk8s's generated objects serialize their spec once more after patching, reading
 * every quantity as a `Quantity` (its `.value`); a bare string would be dropped there.
 */
function quantities(values: Record<string, Record<string, string>>): Record<string, Record<string, kplus.k8s.Quantity>> {
  return Object.fromEntries(
    Object.entries(values).map(([k, v]) => [
      k,
      Object.fromEntries(Object.entries(v).map(([name, q]) => [name, kplus.k8s.Quantity.fromString(q)])),
    ]),
  );
}

/**
 * A StatefulSet with a PersistentVolumeClaim `data` per replica (size and class from the spec): one replica unless
 * `replicas` says more; several start in parallel (peers of a cluster or hashring wait for each other, not in turn)
 * and prefer one per node.
 */
export function statefulComponent(scope: Construct, o: StatefulComponentOptions): kplus.StatefulSet {
  const replicas = o.replicas ?? 1;
  const set = new ComponentStatefulSet(scope, 'statefulset', {
    ...workloadProps(scope, o, 'StatefulSet', podServiceAccount(scope, o)),
    service: o.governingService,
    replicas,
    podManagementPolicy: replicas > 1 ? kplus.PodManagementPolicy.PARALLEL : kplus.PodManagementPolicy.ORDERED_READY,
    strategy: kplus.StatefulSetUpdateStrategy.rollingUpdate(),
  });
  finish(set, o);
  if (replicas > 1) spreadReplicas(scope, set, o);
  const storageClass = o.spec.storage.storageClass;
  ApiObject.of(set).addJsonPatch(
    JsonPatch.add('/spec/volumeClaimTemplates', [
      {
        metadata: { name: DATA_VOLUME, labels: selectorLabels(o.ctx, o.component) },
        spec: {
          accessModes: ['ReadWriteOnce'],
          ...(storageClass ? { storageClassName: storageClass } : {}),
          resources: quantities({ requests: { storage: o.storageSize } }),
        },
      },
    ]),
    // First, so mounts inside the data folder (Grafana's dashboards) come after it in every runtime.
    JsonPatch.add('/spec/template/spec/containers/0/volumeMounts/0', { name: DATA_VOLUME, mountPath: o.dataPath }),
  );
  return set;
}

/** A Deployment that keeps serving during a rollout and spreads its replicas over nodes. */
export function deploymentComponent(scope: Construct, o: DeploymentComponentOptions): kplus.Deployment {
  const deployment = new ComponentDeployment(scope, 'deployment', {
    ...workloadProps(scope, o, 'Deployment', podServiceAccount(scope, o)),
    ...(!o.autoscaled && { replicas: o.replicas }),
    strategy: kplus.DeploymentStrategy.rollingUpdate({
      maxSurge: kplus.PercentOrAbsolute.absolute(1),
      maxUnavailable: kplus.PercentOrAbsolute.absolute(0),
    }),
  });
  finish(deployment, o);
  if (o.replicas > 1) spreadReplicas(scope, deployment, o);
  return deployment;
}

/** Prefer one replica per node, so losing a node does not take the whole component down. */
function spreadReplicas(scope: Construct, workload: kplus.Workload, o: ComponentPodOptions): void {
  workload.scheduling.separate(kplus.Pods.select(scope, 'anti-affinity-peers', { labels: selectorLabels(o.ctx, o.component) }), {
    weight: 100,
    topology: kplus.Topology.HOSTNAME,
  });
}

/** A PodDisruptionBudget keeping all but one replica up during voluntary disruptions (drains, upgrades). */
export function disruptionBudget(scope: Construct, o: { spec: StackSpec; ctx: RenderContext; component: Component }): void {
  new kplus.k8s.KubePodDisruptionBudget(scope, 'pdb', {
    metadata: { name: componentName(o.ctx, o.component), namespace: o.spec.namespace, labels: componentLabels(o.ctx, o.component) },
    spec: {
      maxUnavailable: kplus.k8s.IntOrString.fromNumber(1),
      selector: { matchLabels: selectorLabels(o.ctx, o.component) },
    },
  });
}

export interface ServicePortSpec {
  readonly name: string;
  readonly port: number;
  /** TCP when omitted. */
  readonly protocol?: 'TCP' | 'UDP';
}

/** The component's Service, named as the host the configs use, in the stack's namespace. */
export function componentService(
  scope: Construct,
  id: string,
  o: {
    spec: StackSpec;
    ctx: RenderContext;
    component: Component;
    ports: readonly ServicePortSpec[];
    headless?: boolean;
    /** Headless only: list pods before they are ready (a StatefulSet's peers must find each other to start). Default true. */
    publishNotReady?: boolean;
  },
): kplus.Service {
  const name = componentName(o.ctx, o.component) + (o.headless ? '-headless' : '');
  const waived = o.headless ? {} : kubeScoreAnnotations('Service', { component: o.component }, o.spec.kubernetes.mode);
  const service = new kplus.Service(scope, id, {
    metadata: {
      name,
      namespace: o.spec.namespace,
      labels: componentLabels(o.ctx, o.component),
      ...(Object.keys(waived).length > 0 ? { annotations: waived } : {}),
    },
    type: kplus.ServiceType.CLUSTER_IP,
    ...(o.headless ? { clusterIP: 'None', publishNotReadyAddresses: o.publishNotReady ?? true } : {}),
    ports: o.ports.map((p) => ({ name: p.name, port: p.port, targetPort: p.port, ...(p.protocol === 'UDP' ? { protocol: kplus.Protocol.UDP } : {}) })),
  });
  // IPv4, IPv6 or both, whatever the cluster offers; every address the configs use is a DNS name.
  ApiObject.of(service).addJsonPatch(JsonPatch.add('/spec/ipFamilyPolicy', 'PreferDualStack'));
  service.select(kplus.Pods.select(scope, `${id}-pods`, { labels: selectorLabels(o.ctx, o.component) }));
  return service;
}

/**
 * The two Services of a StatefulSet component: `<host>` for its clients and `<host>-headless` to govern the
 * StatefulSet. Returns the governing one.
 */
export function statefulServices(
  scope: Construct,
  o: { spec: StackSpec; ctx: RenderContext; component: Component; ports: readonly ServicePortSpec[]; peerPorts?: readonly ServicePortSpec[] },
): kplus.Service {
  // Ports only the replicas use among themselves (gossip) are on the headless Service alone.
  const governing = componentService(scope, 'headless', { ...o, ports: [...o.ports, ...(o.peerPorts ?? [])], headless: true });
  componentService(scope, 'service', o);
  return governing;
}

/** A ConfigMap named `name` holding `data`, labelled as part of `component`. */
export function componentConfigMap(
  scope: Construct,
  id: string,
  o: { spec: StackSpec; ctx: RenderContext; component: Component; name: string; data: Readonly<Record<string, string>>; labels?: Record<string, string> },
): kplus.ConfigMap {
  return new kplus.ConfigMap(scope, id, {
    metadata: { name: o.name, namespace: o.spec.namespace, labels: { ...componentLabels(o.ctx, o.component), ...o.labels } },
    data: { ...o.data },
  });
}

/** Probe timings: readiness reacts within ~30 s; liveness restarts only after a minute or more of failure. */
export function readinessProbe(kind: { path: string } | { tcp: true }, port: number): kplus.Probe {
  const timing = {
    initialDelaySeconds: Duration.seconds(5),
    periodSeconds: Duration.seconds(10),
    timeoutSeconds: Duration.seconds(5),
    failureThreshold: 3,
  };
  return 'path' in kind ? kplus.Probe.fromHttpGet(kind.path, { port, ...timing }) : kplus.Probe.fromTcpSocket({ port, ...timing });
}

export function livenessProbe(kind: { path: string } | { tcp: true }, port: number): kplus.Probe {
  const timing = {
    initialDelaySeconds: Duration.seconds(30),
    periodSeconds: Duration.seconds(20),
    timeoutSeconds: Duration.seconds(5),
    failureThreshold: 6,
  };
  return 'path' in kind ? kplus.Probe.fromHttpGet(kind.path, { port, ...timing }) : kplus.Probe.fromTcpSocket({ port, ...timing });
}

/**
 * Mounts several ConfigMaps as one read-only folder (a projected volume, which cdk8s-plus has no construct
 * for). The kubelet keeps it in sync with the ConfigMaps, so no restart is needed when one changes.
 */
export function mountProjectedConfigMaps(workload: kplus.Workload, o: { volume: string; configMaps: readonly string[]; mountPath: string }): void {
  ApiObject.of(workload).addJsonPatch(
    JsonPatch.add('/spec/template/spec/volumes/-', {
      name: o.volume,
      projected: { defaultMode: 0o444, sources: o.configMaps.map((name) => ({ configMap: { name } })) },
    }),
    JsonPatch.add('/spec/template/spec/containers/0/volumeMounts/-', { name: o.volume, mountPath: o.mountPath, readOnly: true }),
  );
}
