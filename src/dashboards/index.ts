/**
 * Grafana dashboards, typed end to end: panels are built with @grafana/grafana-foundation-sdk, every PromQL query
 * with the typed builder from catalog constants and recorded series, and each dashboard is checked before it is
 * written (src/dashboards/check.ts). Output is the classic dashboard JSON model, which Grafana 13's file provider
 * (src/config/grafana.ts) provisions; compose mounts dist/dashboards and Kubernetes ships each file as a
 * ConfigMap labelled `grafana_dashboard: "1"`.
 */
import * as units from '@grafana/grafana-foundation-sdk/units';

/** Grafana's unit ids, for panels (`units.Seconds`, `units.PercentUnit`, …). */
export { units };
import { DATASOURCE_UIDS } from '../config/grafana';
import type { Artifact } from '../output/artifact';
import { GeneratedCheckError } from '../output/check-error';
import { toJson } from '../output/yaml';
import { formatProblems, type KnownSeries } from '../promql/check';
import { knownSeries } from '../promql/known';
import { mixinsInUse, mixinsNotOn, servicesOf } from '../mixin/compose';
import { configOf, type DashboardContext, type MixinDefinition } from '../mixin/define';
import { fleetOverview } from './fleet';
import type { StackSpec, Target } from '../spec/types';
import { checkLogAndTraceQueries, checkQueries, checkStructure, checkUnique } from './check';
import { buildDashboard, type BuiltDashboard, type DashboardDefinition } from './layout';
import { sloDashboard } from './slo';

export { buildDashboard, place, type BuiltDashboard, type DashboardDefinition, type Row } from './layout';
export * from './panels';
export * from './variables';
export * from './queries';
export { firingAlerts } from './annotations';

/** Where synth writes the dashboards; compose mounts this folder and Kubernetes packages its files. */
export const DASHBOARDS_DIR = 'dist/dashboards';

/** Every Grafana unit id the foundation SDK knows. */
export const GRAFANA_UNITS: ReadonlySet<string> = new Set<string>(Object.values(units));

/**
 * The dashboards of each mixin in use (a service mixin's serve the services listing it, with a picker over them, and
 * draw the first one's thresholds), then the SLO dashboard over every service.
 */
export function dashboardDefinitions(spec: StackSpec): DashboardDefinition[] {
  const mixins = mixinsInUse(spec).map(({ mixin }) => mixin);
  const fleetPanels = mixins.flatMap((mixin) => (mixin.fleetPanels ? [...mixin.fleetPanels(contextOf(spec, mixin))] : []));
  const own = mixins.flatMap((mixin) => (mixin.dashboards ? [...mixin.dashboards(contextOf(spec, mixin))] : []));
  return [...own, sloDashboard(spec), fleetOverview(spec, fleetPanels)];
}

/** One mixin's dashboards for a spec, and its fleet panels (in a fleet overview of their own). */
export function mixinDashboards(spec: StackSpec, mixin: MixinDefinition): DashboardDefinition[] {
  const own = mixin.dashboards ? [...mixin.dashboards(contextOf(spec, mixin))] : [];
  return mixin.fleetPanels ? [...own, fleetOverview(spec, mixin.fleetPanels(contextOf(spec, mixin)))] : own;
}

/** What a mixin's dashboards see: the services listing it, the first of them, and that one's config. */
function contextOf(spec: StackSpec, mixin: MixinDefinition): DashboardContext<never> {
  const services = servicesOf(spec, mixin);
  const use = mixin.scope === 'stack' ? spec.mixins.find((u) => u.mixin === mixin) : (services[0]?.mixins ?? []).find((u) => u.mixin === mixin);
  return { spec, config: (use ? configOf(use) : defaultsOf(mixin)) as never, services, defaultService: services[0]?.name ?? '' };
}

const defaultsOf = (mixin: MixinDefinition) => Object.fromEntries(Object.entries(mixin.params).map(([k, p]) => [k, p.default]));

export function buildDashboards(spec: StackSpec, target?: Target): BuiltDashboard[] {
  // A target's own: without the dashboards of mixins it does not run (compose has no cluster for `kubernetes()`).
  const elsewhere = new Set(mixinsNotOn(spec, target).flatMap((m) => (m.dashboards ? m.dashboards(contextOf(spec, m)) : []).map((d) => d.file)));
  return dashboardDefinitions(spec)
    .filter((d) => !elsewhere.has(d.file))
    .map(buildDashboard);
}

/** Every problem of a set of dashboards, as lines naming the file and the part. */
export function dashboardProblems(
  dashboards: readonly BuiltDashboard[],
  known: KnownSeries,
  datasourceUids: ReadonlySet<string> = new Set(Object.values(DATASOURCE_UIDS)),
): string[] {
  const structure = dashboards.flatMap(({ file, model }) =>
    checkStructure(model, { datasourceUids, units: GRAFANA_UNITS }).map((p) => `${file}: ${p}`),
  );
  const queries = dashboards.flatMap(({ file, model }) => [...checkQueries(model, known, file), ...checkLogAndTraceQueries(model, file)]);
  return [...checkUnique(dashboards), ...structure, ...queries.map((q) => formatProblems([q]))];
}

/** `dist/dashboards/*.json`, pretty-printed and deterministic; throws (naming each problem) if a check fails. */
export function dashboardArtifacts(spec: StackSpec): Artifact[] {
  const dashboards = buildDashboards(spec);
  const problems = dashboardProblems(dashboards, knownSeries(spec));
  if (problems.length > 0) throw new GeneratedCheckError(`the generated dashboards (${DASHBOARDS_DIR})`, problems);
  return dashboards.map(({ file, model }) => ({ path: `${DASHBOARDS_DIR}/${file}`, content: toJson(model) }));
}
