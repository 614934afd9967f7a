/**
 * The `ha` profile's Kubernetes objects (test/fixtures/ha-spec.ts): the replica counts, the pod facts each replica
 * reads (its name, its IP), the Alertmanager gossip ports (headless Service, container, NetworkPolicy: TCP and UDP,
 * between its own pods only), Thanos Receive and Query with their PodDisruptionBudgets, object storage credentials by
 * Secret reference only, Grafana reading through Thanos Query; and none of it in `single` or with an external store.
 */
import { parse as parseYaml } from 'yaml';
import { kubernetesArtifacts } from '../../src/charts';
import { resolveSpec } from '../../src/spec';
import { fullSpec } from '../fixtures/full-spec';
import { haExternalStoreSpec, haSpec, haSpecInput } from '../fixtures/ha-spec';
import { find, manifests, podSpecOf, type Obj } from './manifests';

const all = manifests(haSpec);
const container = (kind: string, name: string): Obj => podSpecOf(find(all, kind, name)).containers[0];
const envOf = (c: Obj, name: string): Obj | undefined => (c.env as Obj[] | undefined)?.find((e) => e.name === name);

describe('the ha profile in Kubernetes', () => {
  it('runs Prometheus as a pair, each naming itself by its pod name, with a PodDisruptionBudget', () => {
    expect(find(all, 'StatefulSet', 'prometheus').spec.replicas).toBe(2);
    expect(envOf(container('StatefulSet', 'prometheus'), 'POD_NAME')?.valueFrom).toEqual({ fieldRef: { fieldPath: 'metadata.name' } });
    expect(find(all, 'PodDisruptionBudget', 'prometheus').spec.maxUnavailable).toBe(1);
    expect(find(all, 'StatefulSet', 'prometheus').spec.template.spec.affinity.podAntiAffinity).toBeDefined();
  });

  it('runs Alertmanager as a 3-replica gossip cluster, port 9094 TCP and UDP open between its pods only', () => {
    const set = find(all, 'StatefulSet', 'alertmanager');
    expect(set.spec.replicas).toBe(3);
    expect(set.spec.podManagementPolicy).toBe('Parallel');
    const am = container('StatefulSet', 'alertmanager');
    expect(am.args).toContain('--cluster.peer=alertmanager-2.alertmanager-headless:9094');
    expect(envOf(am, 'POD_IP')?.valueFrom).toEqual({ fieldRef: { fieldPath: 'status.podIP' } });
    expect((am.ports as Obj[]).filter((p) => p.containerPort === 9094).map((p) => p.protocol ?? 'TCP').sort()).toEqual(['TCP', 'UDP']);
    const headless = find(all, 'Service', 'alertmanager-headless');
    expect((headless.spec.ports as Obj[]).filter((p) => p.port === 9094).map((p) => p.protocol ?? 'TCP').sort()).toEqual(['TCP', 'UDP']);
    expect((find(all, 'Service', 'alertmanager').spec.ports as Obj[]).map((p) => p.port)).toEqual([9093]);
    const policy = find(all, 'NetworkPolicy', 'alertmanager');
    for (const direction of ['ingress', 'egress'] as const) {
      const peers = (policy.spec[direction] as Obj[]).filter((r) => (r.ports as Obj[]).some((p) => p.port === 9094));
      expect(peers).toHaveLength(1);
      expect((peers[0]!.ports as Obj[]).map((p) => p.protocol).sort()).toEqual(['TCP', 'UDP']);
      expect(peers[0]![direction === 'ingress' ? 'from' : 'to']).toEqual([{ podSelector: { matchLabels: { 'app.kubernetes.io/instance': 'obskit', 'app.kubernetes.io/name': 'alertmanager' } } }]);
    }
    expect(find(all, 'PodDisruptionBudget', 'alertmanager')).toBeDefined();
  });

  it('runs Thanos Receive (hashring, RF 3, a PVC each, S3 keys from the Secret) and Thanos Query, each with a PodDisruptionBudget', () => {
    const receive = find(all, 'StatefulSet', 'thanos-receive');
    expect(receive.spec.replicas).toBe(3);
    expect(receive.spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe('50Gi');
    const c = container('StatefulSet', 'thanos-receive');
    expect(c.args).toEqual(expect.arrayContaining(['--receive.replication-factor=3', '--objstore.config-file=/etc/thanos/objstore.yaml']));
    expect(envOf(c, 'AWS_SECRET_ACCESS_KEY')?.valueFrom).toEqual({ secretKeyRef: { name: 'thanos-s3', key: 'secret-access-key' } });
    expect(find(all, 'Deployment', 'thanos-query').spec.replicas).toBe(2);
    for (const name of ['thanos-receive', 'thanos-query']) expect(find(all, 'PodDisruptionBudget', name).spec.maxUnavailable).toBe(1);
    // Prometheus may write to Receive; only Query reads it; Grafana reads Query.
    const ingressFrom = (name: string) =>
      (find(all, 'NetworkPolicy', name).spec.ingress as Obj[]).flatMap((r) => (r.from as Obj[]).map((f) => `${f.podSelector?.matchLabels?.['app.kubernetes.io/name']}:${(r.ports as Obj[]).map((p) => p.port).join(',')}`));
    expect(ingressFrom('thanos-receive').sort()).toEqual(['prometheus:10902,19291', 'thanos-query:10901', 'thanos-receive:10901']);
    expect(ingressFrom('thanos-query').sort()).toEqual(['grafana:10902', 'prometheus:10902']);
  });

  it('runs the collector gateway under a HorizontalPodAutoscaler (CPU and memory, ha.collectorGateway), with a PodDisruptionBudget', () => {
    const gateway = find(all, 'Deployment', 'otel-collector');
    expect(gateway.spec.replicas).toBeUndefined();
    const hpa = find(all, 'HorizontalPodAutoscaler', 'otel-collector');
    expect(hpa.apiVersion).toBe('autoscaling/v2');
    expect(hpa.spec).toMatchObject({ minReplicas: 2, maxReplicas: 10, scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'otel-collector' } });
    expect((hpa.spec.metrics as Obj[]).map((m) => [m.resource.name, m.resource.target])).toEqual([
      ['cpu', { type: 'Utilization', averageUtilization: 70 }],
      ['memory', { type: 'Utilization', averageUtilization: 80 }],
    ]);
    const resources = container('Deployment', 'otel-collector').resources;
    expect(resources.requests).toMatchObject({ cpu: expect.any(String), memory: expect.any(String) });
    expect(find(all, 'PodDisruptionBudget', 'otel-collector').spec.maxUnavailable).toBe(1);
    const scaled = manifests(resolveSpec({ ...haSpecInput, ha: { ...haSpecInput.ha, collectorGateway: { minReplicas: 3, maxReplicas: 20 } } }));
    expect(find(scaled, 'HorizontalPodAutoscaler', 'otel-collector').spec).toMatchObject({ minReplicas: 3, maxReplicas: 20 });
    expect(find(manifests(fullSpec), 'Deployment', 'otel-collector').spec.replicas).toBe(2);
    expect(manifests(fullSpec).filter((m) => m.object.kind === 'HorizontalPodAutoscaler')).toEqual([]);
  });

  it('runs the node agent as the pods\' OTLP endpoint on their node, balancing traces by trace id to the gateways\' routed port', () => {
    const agentNs = 'obskit-ha-node-agent';
    const service = find(all, 'Service', 'otel-node-agent');
    expect(service.metadata.namespace).toBe(agentNs);
    expect(service.spec.internalTrafficPolicy).toBe('Local');
    expect((service.spec.ports as Obj[]).map((p) => p.port)).toEqual([4317, 4318]);
    const agent = parseYaml(Object.values(find(all, 'ConfigMap', 'otel-node-agent').data as Record<string, string>)[0]!) as Obj;
    expect(agent.exporters['load_balancing/traces']).toMatchObject({ routing_key: 'traceID', resolver: { dns: { hostname: 'otel-collector-headless.obskit-ha.svc', port: '4319' } } });
    expect(agent.service.pipelines.traces.exporters).toEqual(['load_balancing/traces']);
    expect(agent.service.pipelines.metrics.exporters).toEqual(['otlp_grpc/gateway']);
    expect(agent.service.pipelines.logs.receivers).toEqual(['filelog/pods', 'otlp']);
    expect(find(all, 'Service', 'otel-collector-headless').spec.clusterIP).toBe('None');
    // Pods → agent (OTLP), agent → gateway (OTLP and routed), gateway ← agent namespace on the routed port.
    const agentPolicy = find(all, 'NetworkPolicy', 'otel-node-agent');
    const ingress = agentPolicy.spec.ingress as Obj[];
    expect(ingress.flatMap((r) => (r.ports as Obj[]).map((p) => p.port))).toEqual([4317, 4318]);
    expect(ingress[0]!.from.map((f: Obj) => f.namespaceSelector.matchLabels['kubernetes.io/metadata.name'])).toContain('obskit-ha');
    const toGateway = (agentPolicy.spec.egress as Obj[]).find((r) => r.to[0].podSelector?.matchLabels?.['app.kubernetes.io/name'] === 'otel-collector');
    expect(toGateway?.ports.map((p: Obj) => p.port)).toEqual([4317, 4319]);
    const gatewayIngress = find(all, 'NetworkPolicy', 'otel-collector').spec.ingress as Obj[];
    const fromAgents = gatewayIngress.filter((r) => (r.from as Obj[]).some((f) => f.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'] === agentNs));
    expect(fromAgents.flatMap((r) => (r.ports as Obj[]).map((p) => p.port)).sort()).toEqual([4317, 4318, 4319]);
    // Backends: the gateway still exports to Tempo, Loki and Prometheus.
    const gatewayEgress = (find(all, 'NetworkPolicy', 'otel-collector').spec.egress as Obj[]).flatMap((r) => (r.to as Obj[]).map((t) => t.podSelector?.matchLabels?.['app.kubernetes.io/name']));
    expect(gatewayEgress).toEqual(expect.arrayContaining(['tempo', 'loki', 'prometheus']));
  });

  it('runs the OTLP-only node agent (no pod logs) as the image\'s user, without the host folder', () => {
    const spec = resolveSpec({ ...haSpecInput, namespace: 'obskit-ha-agent', intake: { ...haSpecInput.intake, logFiles: { nodeAgent: false } } });
    const set = find(manifests(spec), 'DaemonSet', 'otel-node-agent');
    const pod = podSpecOf(set);
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true });
    expect(pod.securityContext.runAsUser).not.toBe(0);
    expect((pod.volumes as Obj[]).map((v) => v.name)).not.toContain('pod-logs');
  });

  it('points Grafana at Thanos Query', () => {
    const datasources = find(all, 'ConfigMap', 'grafana-datasources');
    const config = parseYaml(Object.values(datasources.data as Record<string, string>)[0]!) as { datasources: Obj[] };
    expect(config.datasources.find((d) => d.uid === 'prometheus')).toMatchObject({ url: 'http://thanos-query:10902', jsonData: { prometheusType: 'Thanos' } });
  });

  it('writes no secret value: only the Secret names and keys appear', () => {
    const text = kubernetesArtifacts(haSpec).map((a) => String(a.content)).join('\n');
    expect(text).not.toMatch(/access_key:|secret_key:|AWS_SECRET_ACCESS_KEY=/);
  });

  it('deploys no Thanos with an external store, and none in the single profile', () => {
    const paths = (s: typeof haSpec) => kubernetesArtifacts(s).map((a) => a.path);
    expect(paths(haExternalStoreSpec).filter((p) => p.includes('thanos'))).toEqual([]);
    expect(paths(fullSpec).filter((p) => p.includes('thanos'))).toEqual([]);
    const single = manifests(resolveSpec({ namespace: 'x', services: [] }));
    expect(find(single, 'StatefulSet', 'alertmanager').spec.replicas).toBe(1);
    expect(find(single, 'StatefulSet', 'prometheus').spec.replicas).toBe(1);
  });
});
