import { posix } from 'node:path';
import type { Construct } from 'constructs';
import { CONTAINER_FILES } from '../config/files';
import { GRAFANA_ADMIN_SECRET_DIR, GRAFANA_ADMIN_SECRET_KEYS, grafanaEnvironment } from '../config/grafana';
import { StackChart, componentNetworkPolicy, type StackChartProps } from './chart';
import {
  componentConfigMap,
  livenessProbe,
  mountProjectedConfigMaps,
  readinessProbe,
  statefulComponent,
  statefulServices,
} from './workload';

/** The label a dashboard ConfigMap carries (the convention Grafana's dashboard sidecars look for too). */
export const DASHBOARD_LABEL = { grafana_dashboard: '1' } as const;

export interface GrafanaChartProps extends StackChartProps {
  /** Dashboards (dist/dashboards/*.json), by file name: one ConfigMap each, mounted together. */
  readonly dashboards: Readonly<Record<string, string>>;
}

/** `grafana-dashboard-<file name without .json>`, as a DNS label. */
export function dashboardConfigMapName(file: string): string {
  const base = file
    .replace(/\.json$/, '')
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '');
  const name = `grafana-dashboard-${base}`;
  if (base === '' || name.length > 63) throw new Error(`dashboard ${file}: cannot make a ConfigMap name of it (at most 45 characters)`);
  return name;
}

/**
 * Grafana on a PersistentVolumeClaim, provisioned with the datasources and dashboard provider renderers, and the
 * dashboards as ConfigMaps labelled `grafana_dashboard: "1"`, projected into the provider's folder (Grafana
 * re-reads them every 30 s, so a dashboard change needs no restart and carries no checksum). The admin login
 * comes from the Secret `spec.grafana.adminSecretName` you create, mounted where GF_SECURITY_ADMIN_PASSWORD__FILE
 * points; no password is in any manifest.
 */
export class GrafanaChart extends StackChart {
  constructor(scope: Construct, id: string, props: GrafanaChartProps) {
    super(scope, id);
    const { spec, ctx } = props;
    const component = 'grafana' as const;
    const name = ctx.hosts.grafana;
    const port = ctx.ports.grafana.http;

    const datasourcesData = { [posix.basename(CONTAINER_FILES.grafanaDatasources)]: props.configs.grafanaDatasources };
    const datasources = componentConfigMap(this, 'datasources', { spec, ctx, component, name: `${name}-datasources`, data: datasourcesData });
    const providerData = { [posix.basename(CONTAINER_FILES.grafanaDashboardProvider)]: props.configs.grafanaDashboardProvider };
    const provider = componentConfigMap(this, 'dashboard-provider', { spec, ctx, component, name: `${name}-dashboard-provider`, data: providerData });

    const dashboardFiles = Object.keys(props.dashboards).sort();
    const dashboardNames = dashboardFiles.map((file) => {
      const cmName = dashboardConfigMapName(file);
      componentConfigMap(this, `dashboard-${cmName}`, {
        spec,
        ctx,
        component,
        name: cmName,
        data: { [file]: props.dashboards[file] ?? '' },
        labels: { ...DASHBOARD_LABEL },
      });
      return cmName;
    });
    if (new Set(dashboardNames).size !== dashboardNames.length) {
      throw new Error(`dashboards ${dashboardFiles.join(', ')}: two file names give the same ConfigMap name`);
    }

    const governingService = statefulServices(this, { spec, ctx, component, ports: [{ name: 'http', port }] });

    const set = statefulComponent(this, {
      spec,
      ctx,
      component,
      governingService,
      env: grafanaEnvironment(spec, ctx),
      ports: [{ name: 'http', number: port }],
      // /api/health also checks the database: readiness. /healthz only says the web server runs: liveness.
      readiness: readinessProbe({ path: '/api/health' }, port),
      liveness: livenessProbe({ path: '/healthz' }, port),
      configMaps: [
        { configMap: datasources, data: datasourcesData, mountPath: posix.dirname(CONTAINER_FILES.grafanaDatasources) },
        { configMap: provider, data: providerData, mountPath: posix.dirname(CONTAINER_FILES.grafanaDashboardProvider) },
      ],
      secrets: [{ secretName: spec.grafana.adminSecretName, keys: Object.values(GRAFANA_ADMIN_SECRET_KEYS), mountPath: GRAFANA_ADMIN_SECRET_DIR }],
      // With no dashboard yet, an empty folder for the provider to watch.
      ...(dashboardNames.length === 0 ? { scratch: [{ name: 'dashboards', mountPath: ctx.paths.grafanaDashboards }] } : {}),
      dataPath: CONTAINER_FILES.grafanaData,
      storageSize: spec.storage.sizes.grafana,
    });
    if (dashboardNames.length > 0) {
      mountProjectedConfigMaps(set, { volume: 'dashboards', configMaps: dashboardNames, mountPath: ctx.paths.grafanaDashboards });
    }
    componentNetworkPolicy(this, props, component);
  }
}
