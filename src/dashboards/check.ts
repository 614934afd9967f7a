/**
 * Checks on generated dashboards (classic JSON model), shared by synth (which refuses to write a dashboard that
 * fails them) and the tests:
 *
 * - structure: unique uid and panel ids, panels within 24 columns and not overlapping, a unit and thresholds on
 *   every panel, every `$variable` defined, every datasource uid provisioned, Loki and Tempo queries on their
 *   datasources, links carrying variables and time;
 * - queries: every PromQL expression (targets, annotations, `label_values` selectors of variables) parses with
 *   Prometheus's lezer grammar and names only catalog metrics or recorded series (src/promql/check.ts); every LogQL
 *   expression of a Loki target parses with Grafana's LogQL grammar and selects streams by labels Loki indexes
 *   (src/logql/check.ts); every TraceQL expression of a Tempo target parses with Grafana's TraceQL grammar
 *   (src/traceql/check.ts) — each after Grafana's variables are replaced by sample values.
 */
import { checkLogQL } from '../logql/check';
import { checkPromQL, type KnownSeries, type Problem } from '../promql/check';
import { checkTraceQL } from '../traceql/check';
import { GRID_COLUMNS } from './layout';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** Grafana's built-in interval variables, as the sample durations the checker parses in their place. */
const INTERVAL_SAMPLES: Readonly<Record<string, string>> = {
  __rate_interval: '5m',
  __interval: '1m',
  __range: '1h',
  __auto: '1m',
};

/** Every `$name`, `${name}`, `${name:format}` and `[[name]]` in a string. */
const VARIABLE_REF = /\$\{([A-Za-z_]\w*)(?:[:.][^}]*)?\}|\$([A-Za-z_]\w*)|\[\[([A-Za-z_]\w*)(?::\w+)?\]\]/g;

/** The variable names a string references (Grafana's own `__…` ones excluded). */
export function variableRefs(text: string): string[] {
  const names: string[] = [];
  for (const m of text.matchAll(VARIABLE_REF)) {
    const name = m[1] ?? m[2] ?? m[3];
    if (name !== undefined && !name.startsWith('__')) names.push(name);
  }
  return names;
}

/**
 * An expression as Prometheus would receive it, near enough to parse: interval variables become durations
 * (`[$__rate_interval]` → `[5m]`), other variables a plain word (they only ever stand in label values here).
 * `values` sets what a variable becomes instead, by name (`{ service_name: 'demo', __rate_interval: '1m' }`), the
 * way Grafana expands a dashboard before it queries: the live test (test/live) runs every panel's query like that.
 */
export function substituteVariables(expr: string, values: Readonly<Record<string, string>> = {}): string {
  return expr.replace(VARIABLE_REF, (whole, braced?: string, bare?: string, bracketed?: string) => {
    const name = braced ?? bare ?? bracketed ?? '';
    const given = Object.hasOwn(values, name) ? values[name] : undefined;
    if (given !== undefined) return given;
    if (name.startsWith('__')) {
      const sample = INTERVAL_SAMPLES[name];
      if (sample === undefined) throw new Error(`no sample value for Grafana variable ${whole}`);
      return sample;
    }
    return 'x';
  });
}

/** Every panel, rows' nested panels included. */
export function panelsOf(model: unknown): Json[] {
  const top = asArray(isObject(model) ? model.panels : undefined).filter(isObject);
  return top.flatMap((p) => [p, ...asArray(p.panels).filter(isObject)]);
}

const isRow = (panel: Json) => panel.type === 'row';

function variables(model: Json): Json[] {
  return asArray(isObject(model.templating) ? model.templating.list : undefined).filter(isObject);
}

function annotations(model: Json): Json[] {
  return asArray(isObject(model.annotations) ? model.annotations.list : undefined).filter(isObject);
}

/** Every string anywhere in a value, with its JSON path. */
function strings(value: unknown, path = ''): { path: string; text: string }[] {
  if (typeof value === 'string') return [{ path, text: value }];
  if (Array.isArray(value)) return value.flatMap((v, i) => strings(v, `${path}[${i}]`));
  if (isObject(value)) return Object.entries(value).flatMap(([k, v]) => strings(v, path ? `${path}.${k}` : k));
  return [];
}

/** A datasource uid, with a `${var}` reference resolved to that datasource variable's current value. */
function resolveUid(uid: string, model: Json): string {
  const ref = /^\$\{?([A-Za-z_]\w*)\}?$/.exec(uid);
  if (!ref) return uid;
  const variable = variables(model).find((v) => v.name === ref[1] && v.type === 'datasource');
  const current = variable && isObject(variable.current) ? str(variable.current.value) : undefined;
  return current ?? uid;
}

/** Every datasource reference of the dashboard, where it is, and the uid it resolves to. */
export function datasourceRefs(model: Json): { where: string; type?: string; uid: string }[] {
  const refs: { where: string; type?: string; uid: string }[] = [];
  const add = (where: string, ds: unknown) => {
    if (!isObject(ds)) return;
    const uid = str(ds.uid);
    if (uid === undefined) return;
    const type = str(ds.type);
    refs.push({ where, uid: resolveUid(uid, model), ...(type !== undefined ? { type } : {}) });
  };
  for (const panel of panelsOf(model)) {
    const where = `panel ${String(panel.id)} "${String(panel.title)}"`;
    add(where, panel.datasource);
    asArray(panel.targets).forEach((t, i) => isObject(t) && add(`${where} target ${i}`, t.datasource));
  }
  for (const a of annotations(model)) add(`annotation "${String(a.name)}"`, a.datasource);
  for (const v of variables(model)) add(`variable $${String(v.name)}`, v.datasource);
  return refs;
}

export interface StructureOptions {
  /** The datasource uids Grafana is provisioned with (renderGrafanaDatasources). */
  readonly datasourceUids: ReadonlySet<string>;
  /** Grafana unit ids panels may use; any non-empty unit when omitted. */
  readonly units?: ReadonlySet<string>;
}

/** Structure problems of one dashboard, each naming the panel or part it is about. */
export function checkStructure(model: unknown, options: StructureOptions): string[] {
  if (!isObject(model)) return ['the dashboard is not an object'];
  const problems: string[] = [];
  const uid = str(model.uid);
  if (!uid) problems.push('has no uid');
  else if (!/^[a-zA-Z0-9_-]{1,40}$/.test(uid)) problems.push(`uid "${uid}" must be at most 40 letters, digits, "-" or "_"`);
  if (!str(model.title)) problems.push('has no title');

  const panels = panelsOf(model);
  const name = (p: Json) => `panel ${String(p.id)} "${String(p.title)}"`;

  // Ids.
  const seen = new Set<number>();
  for (const p of panels) {
    if (typeof p.id !== 'number' || !Number.isInteger(p.id) || p.id < 1) problems.push(`${name(p)}: id must be a positive integer`);
    else if (seen.has(p.id)) problems.push(`${name(p)}: id ${p.id} is used twice`);
    else seen.add(p.id);
  }

  // Grid: within 24 columns, and no two panels overlapping.
  const boxes: { p: Json; x: number; y: number; w: number; h: number }[] = [];
  for (const p of panels) {
    const g = p.gridPos;
    if (!isObject(g) || ![g.x, g.y, g.w, g.h].every((n) => typeof n === 'number' && Number.isInteger(n))) {
      problems.push(`${name(p)}: gridPos needs integer x, y, w, h`);
      continue;
    }
    const [x, y, w, h] = [g.x, g.y, g.w, g.h] as number[] as [number, number, number, number];
    if (x < 0 || y < 0 || w < 1 || h < 1 || x + w > GRID_COLUMNS) {
      problems.push(`${name(p)}: gridPos {x: ${x}, y: ${y}, w: ${w}, h: ${h}} is outside the ${GRID_COLUMNS}-column grid`);
    }
    boxes.push({ p, x, y, w, h });
  }
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i]!;
      const b = boxes[j]!;
      if (a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h) {
        problems.push(`${name(a.p)} and ${name(b.p)} overlap`);
      }
    }
  }

  // Unit and thresholds on every panel.
  for (const p of panels.filter((p) => !isRow(p))) {
    const defaults = isObject(p.fieldConfig) && isObject(p.fieldConfig.defaults) ? p.fieldConfig.defaults : {};
    const unit = str(defaults.unit);
    if (!unit) problems.push(`${name(p)}: has no unit (fieldConfig.defaults.unit)`);
    else if (options.units && !options.units.has(unit)) problems.push(`${name(p)}: unit "${unit}" is not a Grafana unit`);
    const steps = isObject(defaults.thresholds) ? asArray(defaults.thresholds.steps).filter(isObject) : [];
    if (steps.length === 0) problems.push(`${name(p)}: has no thresholds (fieldConfig.defaults.thresholds.steps)`);
    else if (steps[0]?.value !== null) problems.push(`${name(p)}: the first threshold step must be the base (value null)`);
    if (asArray(p.targets).length === 0) problems.push(`${name(p)}: has no query`);
  }

  // Variables: every reference is defined.
  const defined = new Set(variables(model).map((v) => str(v.name)).filter((n): n is string => n !== undefined));
  for (const { path, text } of strings(model)) {
    for (const ref of variableRefs(text)) {
      if (!defined.has(ref)) problems.push(`${path}: $${ref} is not a variable of this dashboard`);
    }
  }

  // Datasources: provisioned uids, and Loki/Tempo queries on their own datasource.
  for (const ref of datasourceRefs(model)) {
    if (!options.datasourceUids.has(ref.uid)) problems.push(`${ref.where}: datasource uid "${ref.uid}" is not provisioned`);
    if ((ref.type === 'loki' || ref.type === 'tempo') && ref.uid !== ref.type) {
      problems.push(`${ref.where}: a ${ref.type} query must use the datasource uid "${ref.type}", not "${ref.uid}"`);
    }
  }
  for (const p of panels) {
    asArray(p.targets).forEach((t, i) => {
      if (isObject(t) && !isObject(t.datasource)) problems.push(`${name(p)} target ${i}: names no datasource`);
    });
  }

  // Links to the other dashboards carry the variables and the time range.
  for (const [i, link] of asArray(model.links).filter(isObject).entries()) {
    if (link.includeVars !== true || link.keepTime !== true) problems.push(`link ${i} "${String(link.title)}": must set includeVars and keepTime`);
  }
  return problems;
}

/** Every PromQL expression of a dashboard, where it is. */
export function promqlOf(model: unknown): { where: string; expr: string }[] {
  if (!isObject(model)) return [];
  const out: { where: string; expr: string }[] = [];
  for (const panel of panelsOf(model)) {
    asArray(panel.targets).forEach((t, i) => {
      if (!isObject(t) || !isObject(t.datasource) || t.datasource.type !== 'prometheus') return;
      const expr = str(t.expr);
      out.push({ where: `panel ${String(panel.id)} "${String(panel.title)}" target ${str(t.refId) ?? i}`, expr: expr ?? '' });
    });
  }
  for (const a of annotations(model)) {
    if (isObject(a.datasource) && a.datasource.type === 'prometheus') out.push({ where: `annotation "${String(a.name)}"`, expr: str(a.expr) ?? '' });
  }
  for (const v of variables(model)) {
    if (v.type !== 'query') continue;
    const query = str(v.query) ?? (isObject(v.query) ? str(v.query.query) : undefined) ?? '';
    const labelValues = /^label_values\((.+),\s*[A-Za-z_]\w*\)$/.exec(query);
    out.push({ where: `variable $${String(v.name)}`, expr: labelValues ? labelValues[1]! : query });
  }
  return out;
}

/** Every expression of the targets on one kind of datasource, where it is (`field`: where the target keeps it). */
function targetExprs(model: unknown, type: string, field: string): { where: string; expr: string }[] {
  return panelsOf(model).flatMap((panel) =>
    asArray(panel.targets).flatMap((t, i) => {
      if (!isObject(t) || !isObject(t.datasource) || t.datasource.type !== type) return [];
      return [{ where: `panel ${String(panel.id)} "${String(panel.title)}" target ${str(t.refId) ?? i}`, expr: str(t[field]) ?? '' }];
    }),
  );
}

/** Every LogQL expression of a dashboard (its Loki targets), where it is. */
export const logqlOf = (model: unknown) => targetExprs(model, 'loki', 'expr');

/** Every TraceQL expression of a dashboard (its Tempo targets), where it is. */
export const traceqlOf = (model: unknown) => targetExprs(model, 'tempo', 'query');

/** A check run on an expression after Grafana's variables are replaced by sample values; messages show the original. */
function checkSubstituted(where: string, expr: string, check: (substituted: string) => Problem[]): Problem[] {
  let substituted: string;
  try {
    substituted = substituteVariables(expr);
  } catch (error) {
    return [{ where, expr, message: (error as Error).message }];
  }
  // Offsets in messages are into the text as parsed; show it when the variables changed it.
  const shown = substituted === expr ? expr : `${expr}\nas parsed: ${substituted}`;
  return check(substituted).map((p) => ({ ...p, expr: shown }));
}

/** LogQL and TraceQL problems of one dashboard (`file` names it in messages). */
export function checkLogAndTraceQueries(model: unknown, file: string): Problem[] {
  return [
    ...logqlOf(model).flatMap(({ where, expr }) => checkSubstituted(`${file}: ${where}`, expr, (e) => checkLogQL(e, `${file}: ${where}`))),
    ...traceqlOf(model).flatMap(({ where, expr }) => checkSubstituted(`${file}: ${where}`, expr, (e) => checkTraceQL(e, `${file}: ${where}`))),
  ];
}

/** PromQL problems of one dashboard (`file` names it in messages). */
export function checkQueries(model: unknown, known: KnownSeries, file: string): Problem[] {
  return promqlOf(model).flatMap(({ where, expr }) => {
    let substituted: string;
    try {
      substituted = substituteVariables(expr);
    } catch (error) {
      return [{ where: `${file}: ${where}`, expr, message: (error as Error).message }];
    }
    return checkPromQL(substituted, known, `${file}: ${where}`).map((p) => ({ ...p, expr }));
  });
}

/** Problems across dashboards: uids and file names must be unique. */
export function checkUnique(models: readonly { file: string; model: unknown }[]): string[] {
  const problems: string[] = [];
  const uids = new Map<string, string>();
  const files = new Set<string>();
  for (const { file, model } of models) {
    if (files.has(file)) problems.push(`${file}: written twice`);
    files.add(file);
    const uid = isObject(model) ? str(model.uid) : undefined;
    if (uid === undefined) continue;
    const other = uids.get(uid);
    if (other !== undefined) problems.push(`${file}: uid "${uid}" is also the uid of ${other}`);
    uids.set(uid, file);
  }
  return problems;
}
