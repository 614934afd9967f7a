import { parseAllDocuments } from 'yaml';
import { dashboardConfigMapName, DASHBOARD_LABEL } from '../../src/charts/grafana';
import { renderCompose } from '../../src/compose/compose';
import { renderContext } from '../../src/config/context';
import { GRAFANA_DASHBOARD_FOLDER, renderGrafanaDashboardProvider } from '../../src/config/grafana';
import { dashboardArtifacts, DASHBOARDS_DIR } from '../../src/dashboards';
import { buildArtifacts } from '../../src/synth/artifacts';
import { FILES, spec, type Json } from './support';

describe('provisioning', () => {
  const artifacts = buildArtifacts(spec);

  it('synth writes dist/dashboards/*.json (and no placeholder)', () => {
    const files = artifacts.filter((a) => a.path.startsWith(`${DASHBOARDS_DIR}/`)).map((a) => a.path);
    // The Kubernetes-only dashboard is outside the folder compose mounts (dist/kubernetes/dashboards).
    expect(files).toEqual(FILES.filter((f) => f !== 'kubernetes.json').map((f) => `${DASHBOARDS_DIR}/${f}`));
    expect(artifacts.filter((a) => a.path === 'dist/kubernetes/dashboards/kubernetes.json')).toHaveLength(1);
    expect(dashboardArtifacts(spec).map((a) => JSON.parse(a.content) as Json).every((d) => typeof d.uid === 'string')).toBe(true);
  });

  it('compose mounts dist/dashboards where the file provider reads, into the obskit folder', () => {
    const ctx = renderContext('compose');
    const provider = (renderGrafanaDashboardProvider(spec, ctx).providers as Json[])[0]!;
    expect(provider).toMatchObject({ type: 'file', folder: GRAFANA_DASHBOARD_FOLDER.title, folderUid: GRAFANA_DASHBOARD_FOLDER.uid });
    const path = (provider.options as Json).path as string;
    const grafana = ((renderCompose(spec, ctx).services as Json).grafana as { volumes: unknown[] }).volumes;
    const mounts = grafana.map((v) => (typeof v === 'string' ? v : `${String((v as Json).source)}:${String((v as Json).target)}`));
    expect(mounts).toEqual(expect.arrayContaining([expect.stringMatching(new RegExp(`dist/dashboards:${path}(:ro)?$`))]));
  });

  it('Kubernetes ships each dashboard as a ConfigMap labelled grafana_dashboard: "1", mounted where the provider reads', () => {
    const docs = artifacts
      .filter((a) => a.path.startsWith('dist/k8s/') && a.path.endsWith('.yaml'))
      .flatMap((a) => parseAllDocuments(a.content).map((d) => d.toJS() as Json | null))
      .filter((d): d is Json => d !== null && typeof d === 'object');
    const configMaps = docs.filter((d) => d.kind === 'ConfigMap' && String((d.metadata as Json).name).startsWith('grafana-dashboard-'));
    const byName = new Map(configMaps.map((cm) => [String((cm.metadata as Json).name), cm]));
    for (const file of FILES) {
      const cm = byName.get(dashboardConfigMapName(file));
      expect(cm).toBeDefined();
      expect((cm!.metadata as { labels: Json }).labels).toMatchObject(DASHBOARD_LABEL);
      expect(cm!.data as Json).toEqual({ [file]: dashboardArtifacts(spec).find((a) => a.path.endsWith(`/${file}`))!.content });
    }
    const grafana = docs.find((d) => d.kind === 'StatefulSet' && (d.metadata as Json).name === 'grafana');
    expect(JSON.stringify(grafana)).toContain(renderContext('kubernetes').paths.grafanaDashboards);
  });
});
