/**
 * Grafana dashboards, typed end to end: panels are built with @grafana/grafana-foundation-sdk, every PromQL query
 * with the typed builder from catalog constants and recorded series, and each dashboard is checked before it is
 * written (src/dashboards/check.ts). Output is the classic dashboard JSON model, which Grafana 13's file provider
 * (src/config/grafana.ts) provisions; compose mounts dist/dashboards and Kubernetes ships each file as a
 * ConfigMap labelled `grafana_dashboard: "1"`.
 */
import * as units from '@grafana/grafana-foundation-sdk/units';
import { DATASOURCE_UIDS } from '../config/grafana';
import type { Artifact } from '../output/artifact';
import { GeneratedCheckError } from '../output/check-error';
import { toJson } from '../output/yaml';
import { formatProblems, type KnownSeries } from '../promql/check';
import { knownSeries } from '../promql/known';
import type { StackSpec } from '../spec';
import { checkLogAndTraceQueries, checkQueries, checkStructure, checkUnique } from './check';
import { buildDashboard, type BuiltDashboard } from './layout';
import { logsTraces } from './logs-traces';
import { runtime } from './runtime';
import { serviceOverview } from './service-overview';
import { sloDashboard } from './slo';
import { stackHealth } from './stack-health';

export { buildDashboard, place, type BuiltDashboard, type DashboardDefinition, type Row } from './layout';
export * from './panels';
export * from './variables';
export * from './queries';

/** Where synth writes the dashboards; compose mounts this folder and Kubernetes packages its files. */
export const DASHBOARDS_DIR = 'dist/dashboards';

/** Every Grafana unit id the foundation SDK knows. */
export const GRAFANA_UNITS: ReadonlySet<string> = new Set<string>(Object.values(units));

/** The dashboards of a stack; the service variables default to its first service. */
export function buildDashboards(spec: StackSpec): BuiltDashboard[] {
  const defaultService = spec.services[0]?.name ?? '';
  return [
    serviceOverview(defaultService, spec.alerting.red),
    runtime(defaultService, spec.alerting.red),
    sloDashboard(spec, defaultService),
    logsTraces(defaultService),
    stackHealth(),
  ].map(buildDashboard);
}

/** Every problem of a set of dashboards, as lines naming the file and the part. */
export function dashboardProblems(
  dashboards: readonly BuiltDashboard[],
  known: KnownSeries = knownSeries(),
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
  const problems = dashboardProblems(dashboards);
  if (problems.length > 0) throw new GeneratedCheckError(`the generated dashboards (${DASHBOARDS_DIR})`, problems);
  return dashboards.map(({ file, model }) => ({ path: `${DASHBOARDS_DIR}/${file}`, content: toJson(model) }));
}
