import type { Construct } from 'constructs';
import { receiverSecrets } from '../compose/compose';
import { alertmanagerArgs } from '../config/alertmanager';
import { StackChart, componentNetworkPolicy, type StackChartProps } from './chart';
import { componentConfigMap, componentService, livenessProbe, readinessProbe, statefulComponent, type SecretMount } from './workload';

/** Same paths as compose: the flags alertmanagerArgs renders are identical for both targets. */
export const ALERTMANAGER_CONFIG_FILE = '/etc/alertmanager/alertmanager.yml';
export const ALERTMANAGER_DATA_DIR = '/alertmanager';

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
    const data = { 'alertmanager.yml': props.configs.alertmanager };
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

    const servicePorts = [{ name: 'http', port }];
    const governingService = componentService(this, 'headless', { spec, ctx, component, ports: servicePorts, headless: true });
    componentService(this, 'service', { spec, ctx, component, ports: servicePorts });

    statefulComponent(this, {
      spec,
      ctx,
      component,
      governingService,
      args: alertmanagerArgs(spec, ctx, { configFile: ALERTMANAGER_CONFIG_FILE, dataDir: ALERTMANAGER_DATA_DIR }),
      ports: [{ name: 'http', number: port }],
      readiness: readinessProbe({ path: '/-/ready' }, port),
      liveness: livenessProbe({ path: '/-/healthy' }, port),
      configMaps: [{ configMap: config, data, mountPath: ALERTMANAGER_CONFIG_FILE, subPath: 'alertmanager.yml' }],
      secrets,
      dataPath: ALERTMANAGER_DATA_DIR,
      storageSize: spec.storage.sizes.alertmanager,
    });
    componentNetworkPolicy(this, props, component);
  }
}
