/**
 * The `ha` profile's Kubernetes objects (test/fixtures/ha-spec.ts): the replica counts, the pod facts each replica
 * reads (its name, its IP), the Alertmanager gossip ports (headless Service, container, NetworkPolicy: TCP and UDP,
 * between its own pods only), Thanos Receive and Query with their PodDisruptionBudgets, object storage credentials by
 * Secret reference only, Grafana reading through Thanos Query; and none of it in `single` or with an external store.
 */
import { parse as parseYaml } from 'yaml';
import { kubernetesArtifacts } from '../../src/charts';
import { renderContext } from '../../src/config/context';
import { renderPrometheusConfig } from '../../src/config/prometheus';
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

  it('runs Loki as write and backend StatefulSets (PVCs) and a read Deployment, on one memberlist ring, S3 keys from the Secret', () => {
    expect(all.filter((m) => m.object.kind === 'StatefulSet' && m.object.metadata.name === 'loki')).toEqual([]);
    expect(all.filter((m) => String(m.object.metadata?.name).startsWith('loki-')).length).toBeGreaterThan(10);
    for (const [kind, name, replicas, target] of [
      ['StatefulSet', 'loki-write', 3, 'write'],
      ['StatefulSet', 'loki-backend', 3, 'backend'],
      ['Deployment', 'loki-read', 2, 'read'],
    ] as const) {
      const workload = find(all, kind, name);
      expect(workload.spec.replicas).toBe(replicas);
      expect(workload.spec.template.spec.affinity.podAntiAffinity).toBeDefined();
      expect(workload.spec.template.metadata.labels['app.kubernetes.io/component']).toBe('logs');
      const c = container(kind, name);
      expect(c.args).toEqual(['-config.file=/etc/loki/loki.yaml', `-target=${target}`]);
      expect(c.securityContext).toMatchObject({ readOnlyRootFilesystem: true, runAsNonRoot: true });
      expect(envOf(c, 'AWS_SECRET_ACCESS_KEY')?.valueFrom).toEqual({ secretKeyRef: { name: 'thanos-s3', key: 'secret-access-key' } });
      expect(find(all, 'PodDisruptionBudget', name).spec.maxUnavailable).toBe(1);
      if (kind === 'StatefulSet') expect(workload.spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe('20Gi');
    }
    const memberlist = find(all, 'Service', 'loki-memberlist');
    expect(memberlist.spec).toMatchObject({ clusterIP: 'None', publishNotReadyAddresses: true, selector: { 'app.kubernetes.io/instance': 'obskit', 'app.kubernetes.io/component': 'logs' } });
    expect((memberlist.spec.ports as Obj[]).map((p) => `${p.port}/${p.protocol}`).sort()).toEqual(['7946/TCP', '7946/UDP']);
    const config = parseYaml(Object.values(find(all, 'ConfigMap', 'loki').data as Record<string, string>)[0]!) as Obj;
    expect(config.memberlist.join_members).toEqual(['dns+loki-memberlist:7946']);
    expect(config.common.storage.s3).toMatchObject({ bucketnames: 'obskit-metrics', endpoint: 's3.eu-west-1.amazonaws.com' });
    expect(config.common.replication_factor).toBe(3);
  });

  it('opens memberlist (TCP and UDP) among the Loki targets, the push path to write, the query path to read', () => {
    const ingress = (name: string) =>
      (find(all, 'NetworkPolicy', name).spec.ingress as Obj[]).flatMap((r) => (r.from as Obj[]).map((f) => `${f.podSelector?.matchLabels?.['app.kubernetes.io/name']}:${(r.ports as Obj[]).map((p) => `${p.port}/${p.protocol}`).join(',')}`));
    expect(ingress('loki-write')).toEqual(expect.arrayContaining(['otel-collector:3100/TCP', 'loki-read:3100/TCP,9095/TCP', 'loki-backend:7946/TCP,7946/UDP']));
    expect(ingress('loki-write').some((r) => r.startsWith('grafana:'))).toBe(false);
    expect(ingress('loki-read')).toEqual(expect.arrayContaining(['grafana:3100/TCP', 'prometheus:3100/TCP']));
    expect(ingress('loki-read').some((r) => r.startsWith('otel-collector:'))).toBe(false);
    expect(ingress('loki-backend')).toEqual(expect.arrayContaining(['loki-write:7946/TCP,7946/UDP', 'loki-read:3100/TCP,9095/TCP']));
    const collector = parseYaml(Object.values(find(all, 'ConfigMap', 'otel-collector').data as Record<string, string>)[0]!) as Obj;
    expect(collector.exporters['otlp_http/loki'].endpoint).toBe('http://loki-write:3100/otlp');
    const datasources = parseYaml(Object.values(find(all, 'ConfigMap', 'grafana-datasources').data as Record<string, string>)[0]!) as { datasources: Obj[] };
    expect(datasources.datasources.find((d) => d.uid === 'loki')?.url).toBe('http://loki-read:3100');
  });

  it('scrapes the three Loki targets as job loki, so its alerts and dashboards read them as before', () => {
    const config = renderPrometheusConfig(haSpec, renderContext('kubernetes')) as { scrape_configs: Obj[] };
    const job = config.scrape_configs.find((j) => j.job_name === 'loki')!;
    expect(job.relabel_configs[0]).toMatchObject({ regex: '(loki-write|loki-read|loki-backend);3100', action: 'keep' });
    const single = renderPrometheusConfig(haExternalStoreSpec, renderContext('kubernetes')) as { scrape_configs: Obj[] };
    expect(single.scrape_configs.find((j) => j.job_name === 'loki')!.relabel_configs[0].regex).toBe('loki;3100');
  });

  it('keeps Loki a single binary without object storage', () => {
    const external = manifests(haExternalStoreSpec);
    expect(find(external, 'StatefulSet', 'loki').spec.replicas).toBe(1);
    expect(external.filter((m) => /^loki-(write|read|backend|memberlist)/.test(String(m.object.metadata?.name)))).toEqual([]);
  });

  it('runs Tempo as microservices: live-store and block-builder StatefulSets (PVCs), the rest Deployments, one memberlist ring, S3 keys from the Secret', () => {
    expect(all.filter((m) => m.object.kind === 'StatefulSet' && m.object.metadata.name === 'tempo')).toEqual([]);
    for (const [kind, name, replicas, target] of [
      ['StatefulSet', 'tempo-live-store-zone-a', 4, 'live-store'],
      ['StatefulSet', 'tempo-live-store-zone-b', 4, 'live-store'],
      ['StatefulSet', 'tempo-block-builder', 2, 'block-builder'],
      ['Deployment', 'tempo-distributor', 2, 'distributor'],
      ['Deployment', 'tempo-querier', 2, 'querier'],
      ['Deployment', 'tempo-query-frontend', 2, 'query-frontend'],
      ['Deployment', 'tempo-backend-scheduler', 1, 'backend-scheduler'],
      ['Deployment', 'tempo-backend-worker', 2, 'backend-worker'],
      ['Deployment', 'tempo-metrics-generator', 2, 'metrics-generator'],
    ] as const) {
      const workload = find(all, kind, name);
      expect([name, workload.spec.replicas]).toEqual([name, replicas]);
      expect(workload.spec.template.metadata.labels['app.kubernetes.io/component']).toBe('traces');
      const component = name.replace(/-zone-[ab]$/, '');
      expect(workload.spec.template.spec.serviceAccountName).toBe(component);
      const c = container(kind, name);
      expect(c.args.slice(0, 2)).toEqual(['-config.file=/etc/tempo/tempo.yaml', `-target=${target}`]);
      expect(c.readinessProbe.httpGet).toMatchObject({ path: '/ready', port: 3200 });
      expect(c.securityContext).toMatchObject({ readOnlyRootFilesystem: true, runAsNonRoot: true });
      expect(envOf(c, 'AWS_SECRET_ACCESS_KEY')?.valueFrom).toEqual({ secretKeyRef: { name: 'thanos-s3', key: 'secret-access-key' } });
      expect(find(all, 'PodDisruptionBudget', component).spec.maxUnavailable).toBe(1);
      if (replicas > 1) expect(workload.spec.template.spec.affinity.podAntiAffinity).toBeDefined();
      if (kind === 'StatefulSet') {
        expect(workload.spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe(haSpec.storage.sizes.tempo);
        expect(c.resources.requests.memory).toBe(c.resources.limits.memory);
      }
    }
    const memberlist = find(all, 'Service', 'tempo-memberlist');
    expect(memberlist.spec).toMatchObject({ clusterIP: 'None', publishNotReadyAddresses: true, selector: { 'app.kubernetes.io/instance': 'obskit', 'app.kubernetes.io/component': 'traces' } });
    // Two zones of live-stores, each with every partition: the zone flag, the zone label in each one's selector only,
    // one ServiceAccount, one governing Service and one PodDisruptionBudget over both.
    for (const zone of ['zone-a', 'zone-b']) {
      const set = find(all, 'StatefulSet', `tempo-live-store-${zone}`);
      expect(container('StatefulSet', `tempo-live-store-${zone}`).args).toContain(`-live-store.instance-availability-zone=${zone}`);
      expect(set.spec.selector.matchLabels).toEqual({ 'app.kubernetes.io/name': 'tempo-live-store', 'app.kubernetes.io/instance': 'obskit', 'tempo-live-store-zone': zone });
      expect(set.spec.serviceName).toBe('tempo-live-store-headless');
    }
    expect(all.filter((m) => m.object.kind === 'ServiceAccount' && m.object.metadata.name === 'tempo-live-store')).toHaveLength(1);
    expect(find(all, 'PodDisruptionBudget', 'tempo-live-store').spec.selector.matchLabels).toEqual({ 'app.kubernetes.io/name': 'tempo-live-store', 'app.kubernetes.io/instance': 'obskit' });
    const config = parseYaml(Object.values(find(all, 'ConfigMap', 'tempo').data as Record<string, string>)[0]!) as Obj;
    expect(config.memberlist.join_members).toEqual(['dns+tempo-memberlist:7946']);
    expect(config.ingest.kafka).toEqual({ address: 'kafka:9092', topic: 'tempo-ingest', auto_create_topic_default_partitions: 4 });
    expect(config.block_builder.partitions_per_instance).toBe(2);
    expect(config.storage.trace).toMatchObject({ backend: 's3', s3: { bucket: 'obskit-metrics', prefix: 'tempo', endpoint: 's3.eu-west-1.amazonaws.com', forcepathstyle: false } });
    expect(config.storage.trace.s3.access_key).toBeUndefined();
    expect(config.querier.frontend_worker.frontend_address).toBe('tempo-query-frontend-discovery:9095');
    expect(find(all, 'Service', 'tempo-query-frontend-discovery').spec).toMatchObject({ clusterIP: 'None', selector: { 'app.kubernetes.io/name': 'tempo-query-frontend' } });
  });

  it('pushes spans to the distributor and reads them from the query-frontend; the Kafka clients reach Kafka, and Prometheus scrapes every target as job tempo', () => {
    const collector = parseYaml(Object.values(find(all, 'ConfigMap', 'otel-collector').data as Record<string, string>)[0]!) as Obj;
    expect(collector.exporters['otlp_grpc/tempo'].endpoint).toBe('tempo-distributor:4317');
    const datasources = parseYaml(Object.values(find(all, 'ConfigMap', 'grafana-datasources').data as Record<string, string>)[0]!) as { datasources: Obj[] };
    expect(datasources.datasources.find((d) => d.uid === 'tempo')?.url).toBe('http://tempo-query-frontend:3200');
    const ingress = (name: string) =>
      (find(all, 'NetworkPolicy', name).spec.ingress as Obj[]).flatMap((r) => (r.from as Obj[]).map((f) => `${f.podSelector?.matchLabels?.['app.kubernetes.io/name']}:${(r.ports as Obj[]).map((p) => `${p.port}/${p.protocol}`).join(',')}`));
    expect(ingress('tempo-distributor')).toEqual(expect.arrayContaining(['otel-collector:4317/TCP', 'prometheus:3200/TCP', 'tempo-querier:3200/TCP,9095/TCP', 'tempo-live-store:7946/TCP,7946/UDP']));
    expect(ingress('tempo-query-frontend')).toEqual(expect.arrayContaining(['grafana:3200/TCP']));
    expect(ingress('tempo-distributor').some((r) => r.startsWith('grafana:'))).toBe(false);
    expect(ingress('kafka').sort()).toEqual(['kafka:9092/TCP,9093/TCP', 'tempo-block-builder:9092/TCP', 'tempo-distributor:9092/TCP', 'tempo-live-store:9092/TCP', 'tempo-metrics-generator:9092/TCP']);
    expect(ingress('prometheus')).toEqual(expect.arrayContaining(['tempo-metrics-generator:9090/TCP']));
    const config = renderPrometheusConfig(haSpec, renderContext('kubernetes')) as { scrape_configs: Obj[] };
    expect(config.scrape_configs.find((j) => j.job_name === 'tempo')!.relabel_configs[0].regex).toBe(
      '(tempo-distributor|tempo-live-store|tempo-block-builder|tempo-querier|tempo-query-frontend|tempo-backend-scheduler|tempo-backend-worker|tempo-metrics-generator);3200',
    );
  });

  it('runs Kafka as three KRaft broker+controller nodes (a PVC each, node id from the pod index, quorum over the headless Service)', () => {
    const set = find(all, 'StatefulSet', 'kafka');
    expect(set.spec.replicas).toBe(3);
    expect(set.spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe('20Gi');
    expect(set.spec.template.spec.affinity.podAntiAffinity).toBeDefined();
    const c = container('StatefulSet', 'kafka');
    expect(c.image).toBe('apache/kafka:4.4.0');
    expect(c.securityContext).toMatchObject({ readOnlyRootFilesystem: true, runAsNonRoot: true, runAsUser: 1000 });
    expect(c.resources.requests.memory).toBe(c.resources.limits.memory);
    const names = (c.env as Obj[]).map((e) => e.name);
    expect(names.indexOf('POD_NAME')).toBeLessThan(names.indexOf('KAFKA_ADVERTISED_LISTENERS'));
    expect(envOf(c, 'KAFKA_NODE_ID')?.valueFrom).toEqual({ fieldRef: { fieldPath: "metadata.labels['apps.kubernetes.io/pod-index']" } });
    expect(envOf(c, 'KAFKA_CONTROLLER_QUORUM_VOTERS')?.value).toBe('0@kafka-0.kafka-headless:9093,1@kafka-1.kafka-headless:9093,2@kafka-2.kafka-headless:9093');
    expect(envOf(c, 'KAFKA_ADVERTISED_LISTENERS')?.value).toBe('PLAINTEXT://$(POD_NAME).kafka-headless:9092');
    expect(envOf(c, 'KAFKA_NUM_PARTITIONS')?.value).toBe('4');
    expect(envOf(c, 'KAFKA_MIN_INSYNC_REPLICAS')?.value).toBe('2');
    expect(envOf(c, 'CLUSTER_ID')?.value).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect((c.volumeMounts as Obj[]).map((m) => m.mountPath)).toEqual(expect.arrayContaining(['/var/lib/kafka/data', '/opt/kafka/config', '/opt/kafka/logs']));
    expect(find(all, 'Service', 'kafka-headless').spec).toMatchObject({ clusterIP: 'None', publishNotReadyAddresses: true });
    expect(find(all, 'PodDisruptionBudget', 'kafka').spec.maxUnavailable).toBe(1);
  });

  it('deploys no Kafka when ha.tempo.kafka names one, and Tempo neither creates its topic nor alters that cluster', () => {
    const own = manifests(resolveSpec({ ...haSpecInput, ha: { ...haSpecInput.ha, tempo: { kafka: { address: 'kafka.data.svc:9093', topic: 'traces' } } } }));
    expect(own.filter((m) => m.object.metadata?.name === 'kafka' || m.object.metadata?.name === 'kafka-headless')).toEqual([]);
    const config = parseYaml(Object.values(find(own, 'ConfigMap', 'tempo').data as Record<string, string>)[0]!) as Obj;
    expect(config.ingest.kafka).toEqual({ address: 'kafka.data.svc:9093', topic: 'traces', auto_create_topic_enabled: false });
    const egress = (find(own, 'NetworkPolicy', 'tempo-distributor').spec.egress as Obj[]).filter((r) => (r.ports as Obj[]).some((p) => p.port === 9093));
    // Any address, IPv4 and IPv6: the brokers' addresses are learnt from the bootstrap broker.
    expect(egress.map((r) => r.to[0].ipBlock.cidr).sort()).toEqual(['0.0.0.0/0', '::/0']);
    expect((find(own, 'NetworkPolicy', 'tempo-querier').spec.egress as Obj[]).some((r) => (r.ports as Obj[]).some((p) => p.port === 9093))).toBe(false);
  });

  it('keeps Tempo a single binary, and deploys no Kafka, without object storage', () => {
    const external = manifests(haExternalStoreSpec);
    expect(find(external, 'StatefulSet', 'tempo').spec.replicas).toBe(1);
    expect(external.filter((m) => /^(tempo-(distributor|live-store|block-builder|querier|query-frontend|backend|metrics|memberlist)|kafka)/.test(String(m.object.metadata?.name)))).toEqual([]);
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
    // Loki's write target and Tempo's distributor, as the ha fixture has object storage (scalable modes).
    expect(gatewayEgress).toEqual(expect.arrayContaining(['tempo-distributor', 'loki-write', 'prometheus']));
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
