import { checkStructure, checkUnique, datasourceRefs, panelsOf, variableRefs } from '../../src/dashboards/check';
import { GRAFANA_UNITS, buildDashboards } from '../../src/dashboards';
import { toJson } from '../../src/output/yaml';
import { dashboard, dashboards, FILES, isObject, provisionedUids, spec, type Json } from './support';

const all = dashboards();
const options = () => ({ datasourceUids: provisionedUids(), units: GRAFANA_UNITS });
const contentPanels = (model: Json) => panelsOf(model).filter((p) => p.type !== 'row');

describe('every dashboard', () => {
  it('is one of the five, in the classic JSON model that file provisioning accepts', () => {
    expect(all.map((d) => d.file).sort()).toEqual(FILES);
    for (const { model } of all) {
      expect(model).toHaveProperty('schemaVersion');
      expect(Array.isArray(model.panels)).toBe(true);
      // Not a dashboard.grafana.app resource (v1 or v2): the file provider rejects those.
      expect(model).not.toHaveProperty('apiVersion');
      expect(model).not.toHaveProperty('kind');
      expect(model).not.toHaveProperty('elements');
      expect(model).not.toHaveProperty('spec');
    }
  });

  it('has a fixed, unique uid', () => {
    expect(Object.fromEntries(all.map((d) => [d.file, d.model.uid]))).toEqual({
      'fleet.json': 'obskit-fleet',
      'kubernetes.json': 'obskit-kubernetes',
      'logs-traces.json': 'obskit-logs-traces',
      'python-runtime.json': 'obskit-python-runtime',
      'runtime.json': 'obskit-runtime',
      'service-overview.json': 'obskit-service-overview',
      'slo.json': 'obskit-slo',
      'stack-health.json': 'obskit-stack-health',
    });
    expect(checkUnique(all)).toEqual([]);
  });

  it.each(FILES)('%s passes every structure check', (file) => {
    expect(checkStructure(dashboard(file), options())).toEqual([]);
  });

  it.each(FILES)('%s: panel ids are unique and panels lie within 24 columns without overlapping', (file) => {
    const panels = panelsOf(dashboard(file));
    const ids = panels.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const p of panels) {
      const g = p.gridPos as { x: number; y: number; w: number; h: number };
      expect(g.x + g.w).toBeLessThanOrEqual(24);
    }
  });

  it.each(FILES)('%s: every panel has a Grafana unit and thresholds', (file) => {
    const panels = contentPanels(dashboard(file));
    expect(panels.length).toBeGreaterThan(0);
    for (const p of panels) {
      const defaults = (p.fieldConfig as { defaults: { unit?: string; thresholds?: { steps: unknown[] } } }).defaults;
      expect({ panel: p.title, unit: GRAFANA_UNITS.has(defaults.unit ?? '') }).toEqual({ panel: p.title, unit: true });
      expect(defaults.thresholds?.steps.length).toBeGreaterThan(0);
      expect(typeof p.description).toBe('string');
    }
  });

  it.each(FILES)('%s: every $variable it uses is defined', (file) => {
    const model = dashboard(file);
    const defined = new Set(((model.templating as { list: Json[] }).list).map((v) => v.name));
    const used = new Set(variableRefs(JSON.stringify(model)));
    expect(used.size).toBeGreaterThan(0);
    for (const name of used) expect({ name, defined: defined.has(name) }).toEqual({ name, defined: true });
  });

  it.each(FILES)('%s: every datasource uid is provisioned by renderGrafanaDatasources', (file) => {
    const refs = datasourceRefs(dashboard(file));
    expect(refs.length).toBeGreaterThan(0);
    const uids = provisionedUids();
    for (const ref of refs) expect({ ...ref, provisioned: uids.has(ref.uid) }).toEqual({ ...ref, provisioned: true });
  });

  it.each(FILES)('%s links to the other obskit dashboards, carrying variables and time range', (file) => {
    const links = dashboard(file).links as Json[];
    expect(links).toEqual([expect.objectContaining({ type: 'dashboards', tags: ['obskit'], includeVars: true, keepTime: true, asDropdown: true })]);
    // Every dashboard carries the tag the link selects, so each reaches all the others.
    for (const { model } of all) expect(model.tags).toContain('obskit');
  });

  it('Prometheus goes through the datasource variable (default: the provisioned uid), Loki and Tempo through fixed uids', () => {
    for (const { model } of all) {
      const variable = (model.templating as { list: Json[] }).list.find((v) => v.name === 'datasource');
      expect(variable).toMatchObject({ type: 'datasource', query: 'prometheus', current: { value: 'prometheus' } });
      for (const p of contentPanels(model)) {
        for (const t of p.targets as Json[]) {
          const ds = t.datasource as Json;
          const expected = { prometheus: '${datasource}', loki: 'loki', tempo: 'tempo' }[String(ds.type)];
          expect({ panel: p.title, uid: ds.uid }).toEqual({ panel: p.title, uid: expected });
        }
      }
    }
  });

  it('the service variable defaults to the first service of the spec; instance and route to All', () => {
    const model = dashboard('service-overview.json');
    const vars = Object.fromEntries((model.templating as { list: Json[] }).list.map((v) => [v.name, v]));
    expect(vars.service_name).toMatchObject({ current: { value: 'checkout' }, multi: false });
    expect(vars.instance).toMatchObject({ current: { value: '$__all' }, multi: true, includeAll: true, allValue: '.+' });
    expect(vars.route).toMatchObject({ current: { value: '$__all' }, multi: true, includeAll: true, allValue: '.+' });
  });

  it('is deterministic: the same spec gives the same bytes, pretty-printed', () => {
    const render = () => buildDashboards(spec).map((d) => toJson(d.model));
    const first = render();
    expect(render()).toEqual(first);
    for (const text of first) {
      expect(text.endsWith('}\n')).toBe(true);
      expect(text).toContain('\n  "panels": [');
      expect(text).not.toMatch(/"(created|updated|version|id)": "?\d{6,}/);
    }
  });
});

describe('the structure checks catch', () => {
  const overview = () => dashboard('service-overview.json');
  const firstPanel = (model: Json) => contentPanels(model)[0]!;
  const problems = (model: Json) => checkStructure(model, options());

  it('a duplicate panel id', () => {
    const model = overview();
    const [a, b] = contentPanels(model);
    b!.id = a!.id;
    expect(problems(model)).toEqual([expect.stringContaining(`id ${String(a!.id)} is used twice`)]);
  });

  it('a panel wider than the grid, and overlapping panels', () => {
    const model = overview();
    const [a, b] = contentPanels(model);
    (a!.gridPos as Json).w = 30;
    expect(problems(model)).toEqual(expect.arrayContaining([expect.stringContaining('outside the 24-column grid'), expect.stringContaining('overlap')]));
    (a!.gridPos as Json).w = 6;
    b!.gridPos = { ...(a!.gridPos as Json) };
    expect(problems(model)).toEqual([expect.stringMatching(/panel \d+ "Request rate" and panel \d+ "Error ratio" overlap/)]);
  });

  it('a panel without a unit or thresholds, or with an unknown unit', () => {
    const model = overview();
    const defaults = (firstPanel(model).fieldConfig as { defaults: Json }).defaults;
    delete defaults.unit;
    delete defaults.thresholds;
    expect(problems(model)).toEqual([expect.stringContaining('has no unit'), expect.stringContaining('has no thresholds')]);
    defaults.unit = 'requests per fortnight';
    defaults.thresholds = { mode: 'absolute', steps: [{ value: null, color: 'green' }] };
    expect(problems(model)).toEqual([expect.stringContaining('is not a Grafana unit')]);
  });

  it('an undefined variable', () => {
    const model = overview();
    const target = (firstPanel(model).targets as Json[])[0]!;
    target.expr = String(target.expr).replace('$service_name', '$service');
    expect(problems(model)).toEqual([expect.stringContaining('$service is not a variable of this dashboard')]);
  });

  it('a datasource uid that is not provisioned, and a Loki query on another datasource', () => {
    const model = overview();
    firstPanel(model).datasource = { type: 'prometheus', uid: 'thanos' };
    expect(problems(model)).toEqual([expect.stringContaining('datasource uid "thanos" is not provisioned')]);

    const logs = dashboard('logs-traces.json');
    const lokiPanel = contentPanels(logs).find((p) => p.type === 'logs')!;
    for (const t of lokiPanel.targets as Json[]) t.datasource = { type: 'loki', uid: 'prometheus' };
    expect(checkStructure(logs, options())).toEqual([expect.stringContaining('a loki query must use the datasource uid "loki"')]);
  });

  it('a link that drops the variables or the time range', () => {
    const model = overview();
    (model.links as Json[])[0]!.includeVars = false;
    expect(problems(model)).toEqual([expect.stringContaining('must set includeVars and keepTime')]);
  });

  it('two dashboards with one uid', () => {
    const copies = [
      { file: 'a.json', model: { uid: 'same' } },
      { file: 'b.json', model: { uid: 'same' } },
    ];
    expect(checkUnique(copies)).toEqual(['b.json: uid "same" is also the uid of a.json']);
  });

  it('(sanity) nothing in a correct dashboard', () => {
    for (const { model } of all) expect(isObject(model) && problems(model)).toEqual([]);
  });
});
