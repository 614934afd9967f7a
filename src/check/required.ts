/**
 * Which metrics a service must expose: those its mixins' dashboards, alerts, recording rules and its SLOs query.
 *
 * Read from the generated PromQL, parsed with Prometheus's own grammar (@prometheus-io/lezer-promql, through
 * `selectorsIn`), rather than from the typed helpers that build it: panels pass through the Grafana foundation SDK
 * into dashboard JSON, variables and annotations are strings, and a user's mixin may write an expression by hand, so
 * the final text is the one source every path ends in — and it is exactly what Prometheus and Grafana will run.
 * Recorded series are followed back through the recording rules that write them to the raw metrics they read.
 */
import { buildRuleFiles } from '../alerts';
import { isAlertRule, type RuleGroup } from '../alerts/model';
import { sloServiceGroup } from '../alerts/slo';
import { buildDashboard, mixinDashboards } from '../dashboards';
import { panelsOf } from '../dashboards/check';
import { metricsOf, serviceInstances } from '../mixin/compose';
import { selectorsIn } from '../promql/check';
import { seriesNamesOf, type AnyMetricDef } from '../sdk/catalog/define';
import type { ServiceSpec, StackSpec } from '../spec/types';

/** A metric of the service's catalog, the mixin that defines it, and what reads it. */
export interface CatalogEntry {
  readonly def: AnyMetricDef;
  readonly mixin: string;
}

export interface Need {
  readonly metric: string;
  /** The mixin defining the metric. */
  readonly mixin: string;
  /** What queries it: `alert ServiceErrorRatioHigh`, `dashboard "Service overview"`, `SLO availability`. */
  readonly by: string[];
}

/** The service's metrics by name, each with the mixin that defines it (the first listing, as synth does). */
export function serviceCatalog(spec: StackSpec, service: ServiceSpec): Map<string, CatalogEntry> {
  const out = new Map<string, CatalogEntry>();
  for (const i of serviceInstances(spec).filter((x) => x.service?.name === service.name)) {
    for (const def of metricsOf(i)) if (!out.has(def.name)) out.set(def.name, { def, mixin: i.mixin.name });
  }
  return out;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Grafana's variables are not PromQL; stand-ins that parse (as the simulator's catalog does). */
const withoutVariables = (expr: string) => expr.replace(/\$__\w+|\$\{?\w+\}?/g, (v) => (v.startsWith('$__') ? '1m' : '$v'));

/** Every PromQL expression of a dashboard model: panel targets, annotations, query variables. */
function dashboardQueries(model: Json): string[] {
  const out: string[] = [];
  for (const panel of panelsOf(model)) {
    for (const t of (panel.targets as Json[] | undefined) ?? []) {
      if (isObject(t.datasource) && t.datasource.type === 'prometheus' && typeof t.expr === 'string') out.push(t.expr);
    }
  }
  for (const a of ((model.annotations as Json | undefined)?.list as Json[] | undefined) ?? []) if (typeof a.expr === 'string') out.push(a.expr);
  for (const v of ((model.templating as Json | undefined)?.list as Json[] | undefined) ?? []) {
    const selector = /^label_values\((.+),\s*[A-Za-z_]\w*\)$/.exec(String(v.query ?? ''));
    if (v.type === 'query' && selector) out.push(selector[1]!);
  }
  return out;
}

/** The metrics (by name) the service's mixins and SLOs query, each with who reads it. */
export function requiredMetrics(spec: StackSpec, service: ServiceSpec): Map<string, Need> {
  const catalog = serviceCatalog(spec, service);
  const metricOfSeries = new Map<string, string>();
  for (const [name, { def }] of catalog) for (const s of seriesNamesOf(def) as readonly string[]) metricOfSeries.set(s, name);

  const mixins = [...new Set(serviceInstances(spec).filter((x) => x.service?.name === service.name).map((i) => i.mixin))];
  const files = buildRuleFiles(spec);
  const groups = files.flatMap((f) => f.groups);
  const ofService = (mixin: string, g: RuleGroup, name: string) => g.name === `obskit.${mixin}.${name}` || g.name.startsWith(`obskit.${mixin}.${name}.`);
  // A mixin's groups, but those of its other services: its recording rules, this service's, and those written once
  // for every service (shared alerts and their per-service data).
  const own = (g: RuleGroup) =>
    mixins.some((m) => g.name.startsWith(`obskit.${m.name}.`) && !spec.services.some((o) => o.name !== service.name && ofService(m.name, g, o.name))) ||
    ((service.slos ?? []).length > 0 && g.name === sloServiceGroup(service.name));

  // What each series a recording rule of this service (its mixins' or its SLOs') writes is computed from.
  const recorded = new Map<string, string[]>();
  for (const g of groups.filter(own)) {
    for (const r of g.rules) if (!isAlertRule(r)) recorded.set(r.record, [...(recorded.get(r.record) ?? []), r.expr]);
  }

  const needs = new Map<string, Need>();
  const visit = (expr: string, by: string, seen: Set<string>) => {
    for (const { name } of selectorsIn(withoutVariables(expr))) {
      const metric = metricOfSeries.get(name);
      if (metric !== undefined) {
        const need = needs.get(metric) ?? { metric, mixin: catalog.get(metric)!.mixin, by: [] };
        if (!need.by.includes(by)) need.by.push(by);
        needs.set(metric, need);
      } else if (recorded.has(name) && !seen.has(name)) {
        seen.add(name);
        for (const source of recorded.get(name)!) visit(source, by, seen);
      }
    }
  };

  for (const g of groups.filter(own)) {
    // The service's SLO group holds each SLO's own rules (the only ones reading raw metrics), labelled with its name.
    const slos = g.name === sloServiceGroup(service.name);
    for (const r of g.rules) {
      const by = slos ? `SLO ${r.labels?.slo ?? ''}` : isAlertRule(r) ? `alert ${r.alert}` : `recording rule ${r.record}`;
      visit(r.expr, by, new Set());
    }
  }
  for (const mixin of mixins) {
    for (const def of mixinDashboards(spec, mixin)) {
      const { model } = buildDashboard(def);
      const title = (model as unknown as Json).title;
      for (const expr of dashboardQueries(model as unknown as Json)) visit(expr, `dashboard "${String(title)}"`, new Set());
    }
  }
  return needs;
}
