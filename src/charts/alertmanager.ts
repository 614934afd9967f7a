import type { Construct } from 'constructs';
import { posix } from 'node:path';
import { alertmanagerArgs, receiverSecrets } from '../config/alertmanager';
import { CONTAINER_FILES } from '../config/files';
import { StackChart, componentNetworkPolicy, type StackChartProps } from './chart';
import { isHa, POD_IP_ENV } from '../config/ha';
import { componentConfigMap, disruptionBudget, livenessProbe, readinessProbe, statefulComponent, statefulServices, type SecretMount } from './workload';

/**
 * Alertmanager on a PersistentVolumeClaim (silences, notification log). Receiver secrets are Secrets you
 * create: key `key` of Secret `name` is mounted at `<alertmanagerSecrets>/<name>/<key>`, where the rendered
 * alertmanager.yml reads it (`*_file`). Nothing secret is in the manifests.
 */
export class AlertmanagerChart extends StackChart {
  constructor(scope: Construct, id: string, props: StackChartProps) {
    super(scope, id);
    const { spec, ctx } = props;
    const component = 'alertmanager' as const;
    const port = ctx.ports.alertmanager.http;
    const configFile = posix.basename(CONTAINER_FILES.alertmanagerConfig);
    const data = { [configFile]: props.configs.alertmanager };
    const config = componentConfigMap(this, 'config', { spec, ctx, component, name: ctx.hosts.alertmanager, data });

    const byName = new Map<string, string[]>();
    for (const ref of receiverSecrets(spec.alerting.receivers)) byName.set(ref.name, [...(byName.get(ref.name) ?? []), ref.key]);
    const secrets: SecretMount[] = [...byName.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([secretName, keys]) => ({
        secretName,
        keys: [...keys].sort(),
        mountPath: `${ctx.paths.alertmanagerSecrets}/${secretName}`,
      }));

    const ha = isHa(spec);
    const gossip = ctx.ports.alertmanager.cluster;
    // `ha`: the replicas gossip over TCP and UDP, reaching each other by pod name through the headless Service.
    const gossipPorts = ha
      ? [
          { name: 'gossip-tcp', port: gossip, protocol: 'TCP' as const },
          { name: 'gossip-udp', port: gossip, protocol: 'UDP' as const },
        ]
      : [];
    const governingService = statefulServices(this, { spec, ctx, component, ports: [{ name: 'http', port }], peerPorts: gossipPorts });

    statefulComponent(this, {
      spec,
      ctx,
      component,
      governingService,
      args: alertmanagerArgs(spec, ctx, {
        configFile: CONTAINER_FILES.alertmanagerConfig,
        dataDir: CONTAINER_FILES.alertmanagerData,
      }),
      ports: [{ name: 'http', number: port }, ...gossipPorts.map((p) => ({ name: p.name, number: p.port, protocol: p.protocol }))],
      readiness: readinessProbe({ path: '/-/ready' }, port),
      liveness: livenessProbe({ path: '/-/healthy' }, port),
      configMaps: [{ configMap: config, data, mountPath: CONTAINER_FILES.alertmanagerConfig, subPath: configFile }],
      secrets,
      dataPath: CONTAINER_FILES.alertmanagerData,
      storageSize: spec.storage.sizes.alertmanager,
      ...(ha ? { replicas: spec.ha.alertmanagerReplicas, fieldEnv: { [POD_IP_ENV]: 'podIp' as const } } : {}),
    });
    if (ha) disruptionBudget(this, { spec, ctx, component });
    componentNetworkPolicy(this, props, component);
  }
}
