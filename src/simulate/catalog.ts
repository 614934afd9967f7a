/**
 * The simulation catalog synth writes (compose/simulator/catalog.json): for each service the simulator plays, every
 * metric its mixins define, with buckets under the service's config and bounded label values (label-values.ts).
 * Generic: read from the mixins' metric catalogs and the spec's own queries, never written per system.
 */
import { buildDashboards } from '../dashboards';
import { panelsOf } from '../dashboards/check';
import { ruleFiles } from '../alerts';
import { serviceInstances, metricsOf } from '../mixin/compose';
import { selectorsIn } from '../promql/check';
import { seriesNamesOf, type AnyMetricDef } from '../sdk/catalog/define';
import type { SimulatedMetric, SimulatedService, SimulationCatalog } from '../sdk/simulate/catalog';
import type { ServiceSpec, StackSpec } from '../spec/types';
import { labelValues, selectedValues } from './label-values';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Every PromQL expression the spec generates: rule expressions and dashboard targets, annotations and variables. */
export function specQueries(spec: StackSpec): string[] {
  const out: string[] = [];
  for (const file of ruleFiles(spec)) for (const g of file.groups) for (const r of g.rules) out.push(r.expr);
  for (const { model } of buildDashboards(spec)) {
    const m = model as unknown as Json;
    for (const panel of panelsOf(m)) {
      for (const t of (panel.targets as Json[] | undefined) ?? []) {
        if (isObject(t.datasource) && t.datasource.type === 'prometheus' && typeof t.expr === 'string') out.push(t.expr);
      }
    }
    for (const a of ((m.annotations as Json | undefined)?.list as Json[] | undefined) ?? []) if (typeof a.expr === 'string') out.push(a.expr);
    for (const v of ((m.templating as Json | undefined)?.list as Json[] | undefined) ?? []) {
      const selector = /^label_values\((.+),\s*[A-Za-z_]\w*\)$/.exec(String(v.query ?? ''));
      if (v.type === 'query' && selector) out.push(selector[1]!);
    }
  }
  return out;
}

/** Per metric name, per label, the values the queries select. */
function selectedByMetric(queries: readonly string[], seriesToMetric: ReadonlyMap<string, string>): Map<string, Map<string, string[]>> {
  const out = new Map<string, Map<string, string[]>>();
  for (const expr of queries) {
    // Grafana's variables make no matcher values worth emitting; parse what is left.
    for (const selector of selectorsIn(expr.replace(/\$__\w+|\$\{?\w+\}?/g, (v) => (v.startsWith('$__') ? '1m' : '$v')))) {
      const metric = seriesToMetric.get(selector.name);
      if (!metric) continue;
      const labels = out.get(metric) ?? new Map<string, string[]>();
      out.set(metric, labels);
      for (const m of selector.matchers) labels.set(m.label, [...(labels.get(m.label) ?? []), ...selectedValues(m.op, m.value)]);
    }
  }
  return out;
}

function simulatedMetric(
  def: AnyMetricDef,
  examples: Readonly<Record<string, readonly string[]>>,
  selected: ReadonlyMap<string, string[]> | undefined,
  pooled: ReadonlyMap<string, string[]>,
): SimulatedMetric {
  return {
    name: def.name,
    help: def.help,
    type: def.type,
    unit: def.unit,
    labelNames: def.labelNames,
    ...(def.buckets ? { buckets: def.buckets } : {}),
    ...(def.percentiles ? { percentiles: def.percentiles } : {}),
    // Never more values than the definition promises (`maxLabelValues`), so `obskit check` finds a simulated service clean.
    labelValues: Object.fromEntries(
      def.labelNames.map((l) => [l, labelValues(l, examples[l] ?? [], selected?.get(l) ?? [], pooled.get(l) ?? []).slice(0, (def.maxLabelValues as Record<string, number> | undefined)?.[l])]),
    ),
  };
}

/** The catalog for the services `which` picks (default: those the spec marks `simulated`). */
export function simulationCatalog(spec: StackSpec, which: (s: ServiceSpec) => boolean = (s) => s.simulated === true): SimulationCatalog {
  const services = spec.services.filter(which);
  if (services.length === 0) return { services: [] };
  const instances = serviceInstances(spec);
  const seriesToMetric = new Map<string, string>();
  for (const i of instances) for (const def of metricsOf(i)) for (const s of seriesNamesOf(def) as readonly string[]) seriesToMetric.set(s, def.name);
  const selected = selectedByMetric(specQueries(spec), seriesToMetric);
  return {
    services: services.map((service): SimulatedService => {
      const metrics = new Map<string, SimulatedMetric>();
      for (const i of instances.filter((x) => x.service?.name === service.name)) {
        const examples = i.mixin.labelExamples ?? {};
        // What the mixin's queries select on a label of one metric is plausible for the same label of its others.
        const pooled = new Map<string, string[]>();
        for (const def of metricsOf(i)) for (const [label, values] of selected.get(def.name) ?? []) pooled.set(label, [...(pooled.get(label) ?? []), ...values]);
        for (const def of metricsOf(i)) if (!metrics.has(def.name)) metrics.set(def.name, simulatedMetric(def, examples, selected.get(def.name), pooled));
      }
      // Validation refuses `simulated` on a push-only service, so every simulated service has its scrape port.
      return { name: service.name, port: service.port ?? 0, metricsPath: service.metricsPath ?? '/metrics', metrics: [...metrics.values()] };
    }),
  };
}
