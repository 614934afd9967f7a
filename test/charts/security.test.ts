/**
 * Walks every container of every workload in dist/k8s and checks the hardening list, so a new component (or a
 * new container in an existing one) cannot ship without it. The walk finds workloads by kind, not by name.
 */
import { renderContext } from '../../src/config/context';
import { resolveSpec, type StackSpec } from '../../src/spec';
import { demoSpecInput as stack } from '../fixtures/demo-spec';
import { fullSpec } from '../fixtures/full-spec';
import { manifests, podMetadataOf, podSpecOf, WORKLOAD_KINDS, type Manifest, type Obj } from './manifests';

/**
 * The only pods that may hold an API token, and why: Prometheus's Kubernetes service discovery (and its kubelet
 * scrapes), and kube-state-metrics, which lists and watches the objects it reports.
 */
const TOKEN_HOLDERS = new Set([renderContext('kubernetes').hosts.prometheus, renderContext('kubernetes').hosts.kubeStateMetrics]);

/** Everything wrong with one workload's pods, as readable lines; empty when it meets the list. */
function securityProblems(object: Obj): string[] {
  const where = `${object.kind}/${object.metadata.name}`;
  const pod = podSpecOf(object);
  const podSc: Obj = pod.securityContext ?? {};
  const problems: string[] = [];
  const claims = new Set(((object.spec?.volumeClaimTemplates ?? []) as Obj[]).map((c) => c.metadata.name));
  const volumes = new Map(((pod.volumes ?? []) as Obj[]).map((v) => [v.name as string, v]));

  if (pod.hostNetwork || pod.hostPID || pod.hostIPC) problems.push(`${where}: shares a host namespace`);
  if (pod.automountServiceAccountToken !== false && !TOKEN_HOLDERS.has(object.metadata.name)) {
    problems.push(`${where}: automountServiceAccountToken must be false (only ${[...TOKEN_HOLDERS].join(', ')} need a token)`);
  }
  if (TOKEN_HOLDERS.has(object.metadata.name) && pod.automountServiceAccountToken && !pod.serviceAccountName) {
    problems.push(`${where}: mounts a token of the default ServiceAccount`);
  }
  if (!pod.serviceAccountName || pod.serviceAccountName === 'default') problems.push(`${where}: runs as the namespace's default ServiceAccount`);
  if (claims.size > 0 && typeof podSc.fsGroup !== 'number') problems.push(`${where}: has PersistentVolumeClaims but no fsGroup`);

  const containers = [...((pod.initContainers ?? []) as Obj[]), ...((pod.containers ?? []) as Obj[])];
  if (containers.length === 0) problems.push(`${where}: no containers`);
  const declaredPorts = (c: Obj) => new Set(((c.ports ?? []) as Obj[]).flatMap((p) => [p.containerPort, p.name]));

  for (const c of containers) {
    const at = `${where} container ${c.name}`;
    const sc: Obj = c.securityContext ?? {};
    const effective = (key: string) => sc[key] ?? podSc[key];
    if (effective('runAsNonRoot') !== true) problems.push(`${at}: runAsNonRoot is not true`);
    if (!(typeof effective('runAsUser') === 'number' && effective('runAsUser') > 0)) problems.push(`${at}: no non-zero runAsUser`);
    if (!(typeof effective('runAsGroup') === 'number' && effective('runAsGroup') > 0)) problems.push(`${at}: no non-zero runAsGroup`);
    if (sc.readOnlyRootFilesystem !== true) problems.push(`${at}: root filesystem is not read-only`);
    if (sc.allowPrivilegeEscalation !== false) problems.push(`${at}: allowPrivilegeEscalation is not false`);
    if (sc.privileged === true) problems.push(`${at}: privileged`);
    if (!((sc.capabilities?.drop ?? []) as string[]).includes('ALL')) problems.push(`${at}: capabilities.drop lacks ALL`);
    if (((sc.capabilities?.add ?? []) as string[]).length > 0) problems.push(`${at}: adds capabilities`);
    if ((sc.seccompProfile ?? podSc.seccompProfile)?.type !== 'RuntimeDefault') problems.push(`${at}: seccomp is not RuntimeDefault`);
    if (!/^[^:@]+(:[^:@]+)?(@sha256:[0-9a-f]{64})?$/.test(c.image) || !/[:@]/.test(c.image) || /:latest$/.test(c.image)) {
      problems.push(`${at}: image ${c.image} is not pinned`);
    }

    const r: Obj = c.resources ?? {};
    for (const k of ['cpu', 'memory']) if (!r.requests?.[k]) problems.push(`${at}: no ${k} request`);
    if (!r.limits?.memory) problems.push(`${at}: no memory limit`);
    // Stateful parts request what they may use, so node memory pressure evicts them last.
    if (claims.size > 0 && r.limits?.memory && r.requests?.memory !== r.limits.memory) {
      problems.push(`${at}: memory request ${r.requests?.memory} is not its limit ${r.limits.memory}`);
    }

    const isInit = ((pod.initContainers ?? []) as Obj[]).includes(c);
    if (!isInit) {
      for (const kind of ['readinessProbe', 'livenessProbe']) {
        const probe: Obj | undefined = c[kind];
        if (!probe) {
          problems.push(`${at}: no ${kind}`);
          continue;
        }
        const port = probe.httpGet?.port ?? probe.tcpSocket?.port ?? probe.grpc?.port;
        if (port !== undefined && !declaredPorts(c).has(port)) problems.push(`${at}: ${kind} on undeclared port ${port}`);
      }
    }

    for (const m of (c.volumeMounts ?? []) as Obj[]) {
      const volume = volumes.get(m.name);
      const writable = m.readOnly !== true;
      if (claims.has(m.name)) continue; // the component's PersistentVolumeClaim: where it keeps its data
      if (!volume) {
        problems.push(`${at}: mounts ${m.name}, which is neither a volume nor a claim template`);
        continue;
      }
      if (volume.hostPath) problems.push(`${at}: mounts a hostPath`);
      if ((volume.configMap || volume.secret || volume.projected) && writable) problems.push(`${at}: ${m.name} is not mounted read-only`);
      if (volume.emptyDir && !volume.emptyDir.sizeLimit) problems.push(`${at}: emptyDir ${m.name} has no sizeLimit`);
    }
  }
  for (const v of volumes.values()) {
    if (v.secret && !(typeof v.secret.defaultMode === 'number' && (v.secret.defaultMode & 0o007) === 0)) {
      problems.push(`${where}: Secret volume ${v.name} is readable by others`);
    }
  }
  if (!podMetadataOf(object).labels?.['app.kubernetes.io/name']) problems.push(`${where}: pods carry no app.kubernetes.io/name`);
  return problems;
}

const workloads = (all: readonly Manifest[]) => all.filter((m) => WORKLOAD_KINDS.includes(m.object.kind)).map((m) => m.object);

describe.each([
  ['demo spec', resolveSpec(stack)],
  ['full spec', fullSpec],
] as [string, StackSpec][])('pod security of every workload (%s)', (_, spec) => {
  // The node agent (dist/k8s-node-agent) is walked on its own below: it knowingly deviates.
  const all = manifests(spec).filter((m) => !m.file.startsWith('dist/k8s-node-agent/'));

  it('finds the workloads to walk: one per component', () => {
    expect(workloads(all).map((w) => `${w.kind}/${w.metadata.name}`).sort()).toEqual([
      'Deployment/blackbox-exporter',
      'Deployment/kube-state-metrics',
      'Deployment/otel-collector',
      'StatefulSet/alertmanager',
      'StatefulSet/grafana',
      'StatefulSet/loki',
      'StatefulSet/prometheus',
      'StatefulSet/tempo',
    ]);
  });

  it.each(['Deployment/otel-collector', 'StatefulSet/prometheus', 'StatefulSet/alertmanager', 'StatefulSet/grafana', 'StatefulSet/loki', 'StatefulSet/tempo'])(
    '%s meets the list',
    (id) => {
      const w = workloads(all).find((o) => `${o.kind}/${o.metadata.name}` === id)!;
      expect(securityProblems(w)).toEqual([]);
    },
  );

  it('every workload meets the list, whatever it is called', () => {
    expect(workloads(all).flatMap(securityProblems)).toEqual([]);
  });

  it('gives every workload a ServiceAccount of its own', () => {
    const accounts = workloads(all).map((w) => podSpecOf(w).serviceAccountName as string);
    expect(new Set(accounts).size).toBe(accounts.length);
    const defined = new Set(all.filter((m) => m.object.kind === 'ServiceAccount').map((m) => m.object.metadata.name as string));
    expect(accounts.filter((a) => !defined.has(a))).toEqual([]);
  });

  it('gives every pod the PriorityClass the spec names, and generates it when the spec gives its value', () => {
    const priorityClass = spec.kubernetes.priorityClass;
    expect(workloads(all).map((w) => podSpecOf(w).priorityClassName)).toEqual(workloads(all).map(() => priorityClass?.name));
    const generated = all.filter((m) => m.object.kind === 'PriorityClass').map((m) => [m.object.metadata.name, m.object.value]);
    expect(generated).toEqual(priorityClass?.value === undefined ? [] : [[priorityClass.name, priorityClass.value]]);
  });

  it('makes every Service dual-stack where the cluster is', () => {
    const services = all.filter((m) => m.object.kind === 'Service').map((m) => m.object);
    expect(services.length).toBeGreaterThan(0);
    expect(services.filter((s) => s.spec.ipFamilyPolicy !== 'PreferDualStack').map((s) => s.metadata.name)).toEqual([]);
  });
});

describe('pod security of the node agent (full spec)', () => {
  const agent = workloads(manifests(fullSpec).filter((m) => m.file.startsWith('dist/k8s-node-agent/')));

  it('deviates from the list only by running as user 0 and reading the host\'s /var/log/pods, read-only', () => {
    expect(agent.map((w) => `${w.kind}/${w.metadata.name}`)).toEqual(['DaemonSet/otel-node-agent']);
    expect(agent.flatMap(securityProblems)).toEqual([
      'DaemonSet/otel-node-agent container otel-node-agent: runAsNonRoot is not true',
      'DaemonSet/otel-node-agent container otel-node-agent: no non-zero runAsUser',
      'DaemonSet/otel-node-agent container otel-node-agent: no non-zero runAsGroup',
      'DaemonSet/otel-node-agent container otel-node-agent: mounts a hostPath',
    ]);
    const pod = podSpecOf(agent[0]!);
    const container = pod.containers[0];
    expect(container.securityContext).toMatchObject({ allowPrivilegeEscalation: false, privileged: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
    expect(container.volumeMounts.find((m: Obj) => m.name === 'pod-logs')).toEqual({ name: 'pod-logs', mountPath: '/var/log/pods', readOnly: true });
    expect(pod.volumes.filter((v: Obj) => v.hostPath).map((v: Obj) => v.hostPath)).toEqual([{ path: '/var/log/pods', type: 'Directory' }]);
  });
});

describe('the security walk can fail', () => {
  const base = () => structuredClone(workloads(manifests(resolveSpec(stack))).find((w) => w.metadata.name === 'loki')!);

  it.each<[string, (w: Obj) => void, RegExp]>([
    ['a writable root filesystem', (w) => (w.spec.template.spec.containers[0].securityContext.readOnlyRootFilesystem = false), /not read-only/],
    ['a kept capability', (w) => (w.spec.template.spec.containers[0].securityContext.capabilities = { add: ['NET_ADMIN'] }), /drop lacks ALL/],
    ['privilege escalation', (w) => delete w.spec.template.spec.containers[0].securityContext.allowPrivilegeEscalation, /allowPrivilegeEscalation/],
    ['no seccomp', (w) => {
      delete w.spec.template.spec.containers[0].securityContext.seccompProfile;
      delete w.spec.template.spec.securityContext.seccompProfile;
    }, /seccomp/],
    ['root', (w) => {
      w.spec.template.spec.containers[0].securityContext.runAsNonRoot = false;
    }, /runAsNonRoot/],
    ['no probes', (w) => delete w.spec.template.spec.containers[0].livenessProbe, /no livenessProbe/],
    ['no limits', (w) => delete w.spec.template.spec.containers[0].resources.limits, /no memory limit/],
    ['burstable memory on a stateful part', (w) => (w.spec.template.spec.containers[0].resources.requests.memory = '256Mi'), /memory request 256Mi is not its limit/],
    ['the default ServiceAccount', (w) => delete w.spec.template.spec.serviceAccountName, /default ServiceAccount/],
    ['a token', (w) => (w.spec.template.spec.automountServiceAccountToken = true), /automountServiceAccountToken/],
    ['a writable config', (w) => delete w.spec.template.spec.containers[0].volumeMounts.find((m: Obj) => m.name === 'loki').readOnly, /not mounted read-only/],
    ['an unpinned image', (w) => (w.spec.template.spec.containers[0].image = 'grafana/loki:latest'), /not pinned/],
    ['a second container without hardening', (w) => w.spec.template.spec.containers.push({ name: 'sidecar', image: 'busybox:1.37' }), /container sidecar/],
  ])('catches %s', (_, breakIt, problem) => {
    const w = base();
    expect(securityProblems(w)).toEqual([]);
    breakIt(w);
    expect(securityProblems(w).join('\n')).toMatch(problem);
  });
});
