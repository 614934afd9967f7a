import { parse } from 'yaml';
import { DaemonSet, Deployment, StatefulSet } from 'kubernetes-models/apps/v1';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { PriorityClass } from 'kubernetes-models/scheduling.k8s.io/v1';
import { ClusterRole, ClusterRoleBinding, Role, RoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1';
import { ConfigMap, Namespace, Service, ServiceAccount } from 'kubernetes-models/v1';
import { renderCompose } from '../../src/compose/compose';
import { receiverSecrets, secretFile } from '../../src/config/alertmanager';
import { renderContext } from '../../src/config/context';
import { GRAFANA_ADMIN_PASSWORD_FILE } from '../../src/config/grafana';
import { STACK_SCRAPE_JOBS } from '../../src/config/prometheus';
import { kubernetesArtifacts, K8S_DIR, kubernetesInputsFrom, NODE_AGENT_DIR } from '../../src/charts';
import { COLLECTOR_REPLICAS } from '../../src/charts/collector';
import { COMPONENT_META } from '../../src/charts/meta';
import { buildArtifacts } from '../../src/synth/artifacts';
import { COMPONENTS, resolveSpec, STATEFUL_COMPONENTS, type StackSpec } from '../../src/spec';
import { demoSpecInput as stack } from '../fixtures/demo-spec';
import { fullSpec, fullSpecInput } from '../fixtures/full-spec';
import { find, manifests, manifestsOf, podMetadataOf, podSpecOf, WORKLOAD_KINDS, type Obj } from './manifests';

const spec = resolveSpec(stack);
const ctx = renderContext('kubernetes');
const SPECS: readonly [string, StackSpec][] = [
  ['demo spec', spec],
  ['full spec', fullSpec],
  ['tail-sampling spec', resolveSpec({ ...stack, sampling: { tail: { percent: 10 } } })],
];

type Validatable = { validate(): void };
const model =
  <T,>(Model: new (data: T) => Validatable) =>
  (object: Obj): Validatable =>
    new Model(object as T);

/** The model class for every apiVersion/kind the charts emit; anything else is an error. */
const MODELS: Record<string, (object: Obj) => Validatable> = {
  'v1/Namespace': model(Namespace),
  'v1/ConfigMap': model(ConfigMap),
  'v1/Service': model(Service),
  'v1/ServiceAccount': model(ServiceAccount),
  'apps/v1/Deployment': model(Deployment),
  'apps/v1/StatefulSet': model(StatefulSet),
  'apps/v1/DaemonSet': model(DaemonSet),
  'policy/v1/PodDisruptionBudget': model(PodDisruptionBudget),
  'networking.k8s.io/v1/NetworkPolicy': model(NetworkPolicy),
  'rbac.authorization.k8s.io/v1/Role': model(Role),
  'rbac.authorization.k8s.io/v1/RoleBinding': model(RoleBinding),
  'rbac.authorization.k8s.io/v1/ClusterRole': model(ClusterRole),
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding': model(ClusterRoleBinding),
  'scheduling.k8s.io/v1/PriorityClass': model(PriorityClass),
};
const CLUSTER_SCOPED = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'PriorityClass']);

function validate(object: Obj): void {
  const create = MODELS[`${object.apiVersion}/${object.kind}`];
  if (!create) throw new Error(`no kubernetes-models class for ${object.apiVersion} ${object.kind}: add it to MODELS`);
  create(object).validate();
}

describe.each(SPECS)('dist/k8s for the %s', (_, s) => {
  const everything = kubernetesArtifacts(s);
  // dist/k8s-node-agent (intake.logFiles.nodeAgent) is checked below; everything else is dist/k8s.
  const artifacts = everything.filter((a) => a.path.startsWith(`${K8S_DIR}/`));
  const all = manifestsOf(artifacts);
  const agent = everything.filter((a) => a.path.startsWith(`${NODE_AGENT_DIR}/`));

  it('writes the node agent to dist/k8s-node-agent, all in its own namespace, only when asked', () => {
    expect(everything).toHaveLength(artifacts.length + agent.length);
    if (!s.intake.logFiles.nodeAgent) {
      expect(agent).toEqual([]);
      return;
    }
    const namespace = `${s.namespace}-node-agent`;
    expect(parse(agent.find((a) => a.path === `${NODE_AGENT_DIR}/kustomization.yaml`)!.content)).toEqual({
      apiVersion: 'kustomize.config.k8s.io/v1beta1',
      kind: 'Kustomization',
      namespace,
      resources: ['namespace.yaml', 'node-agent.yaml'],
    });
    const objects = manifestsOf(agent).map((m) => m.object);
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}/${o.metadata.namespace ?? '-'}`)).toEqual([
      `Namespace/${namespace}/-`,
      `ServiceAccount/otel-node-agent/${namespace}`,
      `ConfigMap/otel-node-agent/${namespace}`,
      `DaemonSet/otel-node-agent/${namespace}`,
      `NetworkPolicy/otel-node-agent/${namespace}`,
    ]);
    for (const object of objects) validate(object);
  });

  it('validates every object against the Kubernetes schema of its apiVersion (kubernetes-models)', () => {
    const failures: string[] = [];
    for (const { file, object } of all) {
      try {
        validate(object);
      } catch (error) {
        failures.push(`${file} ${object.kind}/${object.metadata?.name}: ${(error as Error).message}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('is pure: the same spec gives the same bytes', () => {
    expect(kubernetesArtifacts(s)).toEqual(everything);
  });

  it('writes one file per part and a kustomization.yaml listing them, for the spec namespace', () => {
    const paths = artifacts.map((a) => a.path);
    expect(paths.every((p) => p.startsWith(`${K8S_DIR}/`))).toBe(true);
    const kustomization = parse(artifacts.find((a) => a.path === `${K8S_DIR}/kustomization.yaml`)!.content);
    expect(kustomization).toEqual({
      apiVersion: 'kustomize.config.k8s.io/v1beta1',
      kind: 'Kustomization',
      namespace: s.namespace,
      resources: [
        'namespace.yaml',
        'otel-collector.yaml',
        'prometheus.yaml',
        'alertmanager.yaml',
        'loki.yaml',
        'tempo.yaml',
        'grafana.yaml',
        'blackbox-exporter.yaml',
        // The kubernetes mixin (a default stack mixin) reads the cluster through it.
        'kube-state-metrics.yaml',
      ],
    });
    expect(paths.filter((p) => !p.endsWith('kustomization.yaml')).map((p) => p.slice(K8S_DIR.length + 1)).sort()).toEqual(
      [...kustomization.resources].sort(),
    );
  });

  it('puts every namespaced object in the spec namespace, explicitly (kubectl apply -f works too)', () => {
    for (const { object } of all) {
      if (CLUSTER_SCOPED.has(object.kind)) expect(object.metadata.namespace).toBeUndefined();
      else expect([object.kind, object.metadata.name, object.metadata.namespace]).toEqual([object.kind, object.metadata.name, s.namespace]);
    }
    expect(find(all, 'Namespace', s.namespace)).toBeDefined();
  });

  it('names every object with a stable human name (no hashes, no cdk8s construct ids or labels)', () => {
    for (const { object } of all) {
      expect(object.metadata.name).toMatch(/^[a-z]([-a-z0-9]*[a-z0-9])?$/);
      expect(object.metadata.name).not.toMatch(/-[0-9a-f]{8}$|c8[0-9a-f]{6}/);
    }
    for (const a of artifacts) expect(a.content).not.toMatch(/cdk8s/);
  });

  it('labels every object app.kubernetes.io/part-of and managed-by; components carry name, instance, component, version', () => {
    for (const { object } of all) {
      const labels = object.metadata.labels ?? {};
      expect(labels).toMatchObject({ 'app.kubernetes.io/part-of': 'obskit', 'app.kubernetes.io/managed-by': 'obskit' });
      if (labels['app.kubernetes.io/name']) {
        expect(Object.keys(labels)).toEqual(
          expect.arrayContaining(['app.kubernetes.io/instance', 'app.kubernetes.io/component', 'app.kubernetes.io/version']),
        );
      }
    }
  });

  it('names each Service as the host the configs use, with the ports of the render context, selecting its pods', () => {
    for (const component of COMPONENTS) {
      const service = find(all, 'Service', ctx.hosts[component]);
      const ports = (service.spec.ports as Obj[]).map((p) => p.port);
      // Every scrape target and every address a config names is a port of the Service.
      expect(Object.values(ctx.ports[component])).toEqual(expect.arrayContaining(ports));
      const workload = all.find(
        (m) => WORKLOAD_KINDS.includes(m.object.kind) && m.object.metadata.name === ctx.hosts[component],
      )!.object;
      expect(podMetadataOf(workload).labels).toMatchObject(service.spec.selector);
      expect(workload.spec.selector.matchLabels).toEqual(service.spec.selector);
    }
    expect(find(all, 'Service', ctx.hosts.collector).spec.ports.map((p: Obj) => p.port)).toEqual(
      expect.arrayContaining([4317, 4318]),
    );
    // Endpointslice discovery finds a stack component by its Service name and the port it scrapes.
    for (const job of STACK_SCRAPE_JOBS) {
      const ports = find(all, 'Service', ctx.hosts[job.component]).spec.ports.map((p: Obj) => p.port);
      expect([job.job, ports]).toEqual([job.job, expect.arrayContaining([job.port(ctx)])]);
    }
  });

  it('runs the stateful parts as StatefulSets on PersistentVolumeClaims sized by the spec, governed by a headless Service', () => {
    for (const component of STATEFUL_COMPONENTS) {
      const set = find(all, 'StatefulSet', ctx.hosts[component]);
      const [claim, ...more] = set.spec.volumeClaimTemplates as Obj[];
      expect(more).toEqual([]);
      expect(claim!.spec.resources.requests.storage).toBe(s.storage.sizes[component]);
      expect(claim!.spec.storageClassName).toBe(s.storage.storageClass);
      expect(podSpecOf(set).containers[0].volumeMounts.map((m: Obj) => m.name)).toContain(claim!.metadata.name);
      const governing = find(all, 'Service', set.spec.serviceName);
      expect(governing.spec.clusterIP).toBe('None');
      expect(podMetadataOf(set).labels).toMatchObject(governing.spec.selector);
    }
  });

  it('runs the collector as a Deployment with several replicas, a PodDisruptionBudget and anti-affinity', () => {
    const deployment = find(all, 'Deployment', ctx.hosts.collector);
    expect(deployment.spec.replicas).toBe(COLLECTOR_REPLICAS);
    expect(COLLECTOR_REPLICAS).toBeGreaterThan(1);
    const pdb = find(all, 'PodDisruptionBudget', ctx.hosts.collector);
    expect(pdb.spec.selector.matchLabels).toEqual(deployment.spec.selector.matchLabels);
    expect(podSpecOf(deployment).affinity.podAntiAffinity).toBeDefined();
  });

  it('gives a PodDisruptionBudget to every workload with more than one replica', () => {
    const budgets = all.filter((m) => m.object.kind === 'PodDisruptionBudget').map((m) => m.object);
    for (const { object } of all.filter((m) => ['Deployment', 'StatefulSet'].includes(m.object.kind))) {
      if ((object.spec.replicas ?? 1) <= 1) continue;
      const budget = budgets.find((b) => b.spec.selector.matchLabels && Object.entries(b.spec.selector.matchLabels).every(([k, v]) => podMetadataOf(object).labels[k] === v));
      expect([object.kind, object.metadata.name, budget?.metadata.name]).toEqual([object.kind, object.metadata.name, object.metadata.name]);
    }
  });

  it('takes requests and limits from the spec, as written', () => {
    for (const component of COMPONENTS) {
      const workload = all.find((m) => WORKLOAD_KINDS.includes(m.object.kind) && m.object.metadata.name === ctx.hosts[component])!.object;
      const { resources } = podSpecOf(workload).containers[0];
      const want = s.resources[component];
      expect(resources.requests).toMatchObject({ cpu: want.requests.cpu, memory: want.requests.memory });
      expect(resources.limits.memory).toBe(want.limits.memory);
      expect(resources.limits.cpu).toBe(want.limits.cpu);
    }
  });

  it('runs each image as the user its Dockerfile declares', () => {
    for (const component of COMPONENTS) {
      const workload = all.find((m) => WORKLOAD_KINDS.includes(m.object.kind) && m.object.metadata.name === ctx.hosts[component])!.object;
      const pod = podSpecOf(workload);
      expect([component, pod.securityContext.runAsUser, pod.securityContext.fsGroup]).toEqual([
        component,
        COMPONENT_META[component].uid,
        COMPONENT_META[component].gid,
      ]);
    }
  });

  it('starts each program with the same flags as compose', () => {
    const compose = renderCompose(s, renderContext('compose')) as { services: Record<string, Obj> };
    for (const component of COMPONENTS) {
      if (component === 'grafana') continue; // no arguments: configured by environment
      const workload = all.find((m) => WORKLOAD_KINDS.includes(m.object.kind) && m.object.metadata.name === ctx.hosts[component])!.object;
      expect(podSpecOf(workload).containers[0].args).toEqual(compose.services[ctx.hosts[component]]!.command);
    }
    const grafana = podSpecOf(find(all, 'StatefulSet', ctx.hosts.grafana)).containers[0];
    const env = Object.fromEntries((grafana.env as Obj[]).map((e) => [e.name, e.value]));
    // Only the admin credentials and anonymous access differ: compose generates a password, logs in as "admin" and
    // (by default) lets loopback visitors browse; Kubernetes reads both credentials from the Secret you create.
    const composeEnv = { ...(compose.services.grafana!.environment as Record<string, string>) };
    delete composeEnv.GF_SECURITY_ADMIN_PASSWORD__FILE;
    delete composeEnv.GF_SECURITY_ADMIN_USER;
    delete composeEnv.GF_AUTH_ANONYMOUS_ENABLED;
    delete composeEnv.GF_AUTH_ANONYMOUS_ORG_ROLE;
    expect(env.GF_AUTH_ANONYMOUS_ENABLED).toBe(s.grafana.anonymousViewer === 'always' ? 'true' : 'false');
    expect(env).toMatchObject(composeEnv);
    expect(env.GF_SECURITY_ADMIN_USER__FILE).toBe('/run/secrets/grafana-admin/admin-user');
    expect(env.GF_SECURITY_ADMIN_PASSWORD__FILE).toBe('/run/secrets/grafana-admin/admin-password');
  });

  it('holds no secret: Secrets are referenced by name only, secret files are mounted where the configs read them', () => {
    expect(all.filter((m) => m.object.kind === 'Secret')).toEqual([]);
    for (const { object } of all.filter((m) => WORKLOAD_KINDS.includes(m.object.kind))) {
      for (const c of podSpecOf(object).containers as Obj[]) {
        for (const e of (c.env ?? []) as Obj[]) {
          if (/PASSWORD|SECRET|TOKEN|KEY/i.test(e.name)) expect(e.name).toMatch(/__FILE$/);
        }
      }
    }
    // Grafana's admin Secret, mounted where GF_SECURITY_ADMIN_PASSWORD__FILE points.
    const grafana = podSpecOf(find(all, 'StatefulSet', ctx.hosts.grafana));
    const adminVolume = (grafana.volumes as Obj[]).find((v) => v.secret?.secretName === s.grafana.adminSecretName)!;
    const adminMount = (grafana.containers[0].volumeMounts as Obj[]).find((m) => m.name === adminVolume.name)!;
    expect(`${adminMount.mountPath}/admin-password`).toBe(GRAFANA_ADMIN_PASSWORD_FILE);
    expect(adminVolume.secret.items.map((i: Obj) => i.key).sort()).toEqual(['admin-password', 'admin-user']);
    // Each receiver secret at the file alertmanager.yml names.
    const alertmanager = podSpecOf(find(all, 'StatefulSet', ctx.hosts.alertmanager));
    const files = (alertmanager.volumes as Obj[])
      .filter((v) => v.secret)
      .flatMap((v) => {
        const mount = (alertmanager.containers[0].volumeMounts as Obj[]).find((m) => m.name === v.name)!;
        expect(mount.readOnly).toBe(true);
        return (v.secret.items as Obj[]).map((i) => `${mount.mountPath}/${i.path}`);
      });
    expect(files.sort()).toEqual(receiverSecrets(s.alerting.receivers).map((ref) => secretFile(ctx, ref)).sort());
    // And the config reads every integration secret from a file, never a value.
    const alertmanagerYml = find(all, 'ConfigMap', ctx.hosts.alertmanager).data['alertmanager.yml'] as string;
    expect(alertmanagerYml).not.toMatch(/^\s*(routing_key|service_key|api_url|url|auth_password|auth_secret):/m);
  });
});

describe('dist/k8s details', () => {
  it('with tail sampling, lists the ready collector replicas in a headless Service on their trace-routing port', () => {
    const routed = manifests(resolveSpec({ ...stack, sampling: { tail: { percent: 10 } } }));
    const peers = find(routed, 'Service', `${ctx.hosts.collector}-headless`);
    expect(peers.spec).toMatchObject({ clusterIP: 'None', publishNotReadyAddresses: false, ports: [{ name: 'otlp-routed', port: ctx.ports.collector.otlpRouted }] });
    const deployment = find(routed, 'Deployment', ctx.hosts.collector);
    expect(podMetadataOf(deployment).labels).toMatchObject(peers.spec.selector);
    expect(podSpecOf(deployment).containers[0].ports.map((p: Obj) => p.containerPort)).toContain(ctx.ports.collector.otlpRouted);
    expect(manifests(spec).some((m) => m.object.kind === 'Service' && m.object.metadata.name === `${ctx.hosts.collector}-headless`)).toBe(false);
  });

  it('the schema check can fail: a wrong type is rejected', () => {
    const broken = structuredClone(find(manifests(spec), 'StatefulSet', 'prometheus'));
    broken.spec.replicas = 'one';
    expect(() => validate(broken)).toThrow(/replicas/);
  });

  it('uses the storage class from the spec on every claim', () => {
    const withClass = resolveSpec({ ...stack, storage: { storageClass: 'fast-ssd' } });
    for (const component of STATEFUL_COMPONENTS) {
      const set = find(manifests(withClass), 'StatefulSet', ctx.hosts[component]);
      expect(set.spec.volumeClaimTemplates[0].spec.storageClassName).toBe('fast-ssd');
    }
  });

  it('puts a CPU limit on when the spec sets one', () => {
    const limited = resolveSpec({ ...fullSpecInput, resources: { prometheus: { limits: { cpu: '2' } } } });
    const set = find(manifests(limited), 'StatefulSet', 'prometheus');
    expect(podSpecOf(set).containers[0].resources.limits).toMatchObject({ cpu: '2', memory: limited.resources.prometheus.limits.memory });
  });

  it('gives the Grafana chart dashboards as ConfigMaps labelled grafana_dashboard, projected into the provider folder', () => {
    const dashboards = { 'service-overview.json': '{"title":"Service overview"}', 'slo.json': '{"title":"SLO"}' };
    const all = manifests(spec, { dashboards });
    const maps = all.filter((m) => m.object.kind === 'ConfigMap' && m.object.metadata.labels?.grafana_dashboard === '1');
    expect(maps.map((m) => [m.object.metadata.name, m.object.data])).toEqual([
      ['grafana-dashboard-service-overview', { 'service-overview.json': dashboards['service-overview.json'] }],
      ['grafana-dashboard-slo', { 'slo.json': dashboards['slo.json'] }],
    ]);
    const pod = podSpecOf(find(all, 'StatefulSet', 'grafana'));
    const volume = (pod.volumes as Obj[]).find((v) => v.projected)!;
    expect(volume.projected.sources.map((s: Obj) => s.configMap.name)).toEqual(maps.map((m) => m.object.metadata.name));
    const mount = (pod.containers[0].volumeMounts as Obj[]).find((m) => m.name === volume.name)!;
    expect(mount).toMatchObject({ mountPath: ctx.paths.grafanaDashboards, readOnly: true });
  });

  it('takes the rule files and dashboards synth writes (kubernetesInputsFrom)', () => {
    const artifacts = buildArtifacts(spec);
    const inputs = kubernetesInputsFrom([
      ...artifacts,
      { path: 'dist/dashboards/extra.json', content: '{}' },
      { path: 'dist/rules/tests/extra.yaml', content: 'not loaded by Prometheus' },
      { path: 'compose/prometheus/prometheus.yml', content: 'not a rule file' },
    ]);
    const named = (dir: string, ext: string) =>
      artifacts
        .filter((a) => a.path.startsWith(`${dir}/`) && a.path.split('/').length === 3 && a.path.endsWith(ext))
        .map((a) => a.path.slice(dir.length + 1))
        .sort();
    // The shared files, and the Kubernetes-only ones (dist/kubernetes/) of mixins compose does not run.
    expect(Object.keys(inputs.ruleFiles)).toEqual([...named('dist/rules', '.yaml'), 'kubernetes.yaml'].sort());
    expect(Object.keys(inputs.ruleFiles)).toContain('stack-health.yaml');
    expect(Object.keys(inputs.dashboards)).toEqual([...named('dist/dashboards', '.json'), 'extra.json', 'kubernetes.json'].sort());
    expect(inputs.dashboards['extra.json']).toBe('{}');
  });

});
