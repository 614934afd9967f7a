import { seriesLabelNamesOf, seriesNamesOf, type AnyMetricDef } from '../sdk/catalog/define';
import { KnownSeries } from '../promql/check';
import { BUILTIN_SERIES, SCRAPE_SERIES, UP } from '../promql/builtin';
import { recordedSeries } from '../promql/recorded';
import type { ServiceSpec, StackSpec, Target } from '../spec/types';
import { configOf, type MixinDefinition, type MixinUse } from './define';

/**
 * How a spec's mixins compose: which instances exist (a stack mixin once, a service mixin once per service listing
 * it), the catalog they define together, and what queries may name. Generators read only this.
 */

export interface MixinInstance {
  readonly mixin: MixinDefinition;
  readonly config: Readonly<Record<string, unknown>>;
  /** Where it is listed in the spec: `mixins[0]`, `services[1].mixins[2]`. */
  readonly path: string;
  /** Service mixins: the service listing it. */
  readonly service?: ServiceSpec;
}

const instance = (use: MixinUse, path: string, service?: ServiceSpec): MixinInstance => ({
  mixin: use.mixin,
  config: configOf(use),
  path,
  ...(service ? { service } : {}),
});

export function stackInstances(spec: StackSpec): MixinInstance[] {
  return spec.mixins.map((use, i) => instance(use, `mixins[${i}]`));
}

export function serviceInstances(spec: StackSpec): MixinInstance[] {
  return spec.services.flatMap((service, i) =>
    (service.mixins ?? []).map((use, j) => instance(use, `services[${i}].mixins[${j}]`, service)),
  );
}

/** Stack mixins, then service mixins per service, in spec order. */
export function allInstances(spec: StackSpec): MixinInstance[] {
  return [...stackInstances(spec), ...serviceInstances(spec)];
}

/** Every distinct mixin in use, by name, in order of first listing (stack mixins first). */
export function mixinsInUse(spec: StackSpec): MixinInstance[] {
  const seen = new Map<string, MixinInstance>();
  for (const i of allInstances(spec)) if (!seen.has(i.mixin.name)) seen.set(i.mixin.name, i);
  return [...seen.values()];
}

/** Whether a mixin's rules and dashboards belong to a target's stack (every target when it names none). */
export function runsOn(mixin: MixinDefinition, target: Target): boolean {
  return mixin.targets === undefined || mixin.targets.includes(target);
}

/** The mixins in use that only some targets run, so synth keeps their files out of the others' folders. */
export function targetOnlyMixins(spec: StackSpec): MixinDefinition[] {
  return mixinsInUse(spec).map((i) => i.mixin).filter((m) => m.targets !== undefined);
}

/** The mixins in use that `target` does not run (none without a target): their rules and dashboards are not its. */
export function mixinsNotOn(spec: StackSpec, target: Target | undefined): MixinDefinition[] {
  return target === undefined ? [] : targetOnlyMixins(spec).filter((m) => !runsOn(m, target));
}

/** Metric names the spec's stack mixins read from each cluster source, sorted; empty lists when none does. */
export function kubernetesSourcesOf(spec: StackSpec): { kubeStateMetrics: string[]; cadvisor: string[]; kubelet: string[] } {
  const names = (pick: (m: MixinDefinition) => readonly AnyMetricDef[] | undefined) =>
    [...new Set(stackInstances(spec).flatMap((i) => (pick(i.mixin) ?? []).map((d) => d.name)))].sort();
  return {
    kubeStateMetrics: names((m) => m.kubernetesSources?.kubeStateMetrics),
    cadvisor: names((m) => m.kubernetesSources?.cadvisor),
    kubelet: names((m) => m.kubernetesSources?.kubelet),
  };
}

/** The services listing a mixin (every service, for a stack mixin). */
export function servicesOf(spec: StackSpec, mixin: MixinDefinition): ServiceSpec[] {
  if (mixin.scope === 'stack') return [...spec.services];
  return spec.services.filter((s) => (s.mixins ?? []).some((u) => u.mixin.name === mixin.name));
}

/** The metrics of one instance, under its config. */
export function metricsOf(i: MixinInstance): readonly AnyMetricDef[] {
  return i.mixin.metrics(i.config as never);
}

/** The metrics a service emits, by name, with the buckets its mixins' config sets. */
export function serviceMetrics(spec: StackSpec, service: ServiceSpec): Map<string, AnyMetricDef> {
  const out = new Map<string, AnyMetricDef>();
  for (const i of serviceInstances(spec).filter((x) => x.service?.name === service.name)) {
    for (const def of metricsOf(i)) if (!out.has(def.name)) out.set(def.name, def);
  }
  return out;
}

/** Every metric the spec's mixins define, by name (the first definition; `catalogProblems` checks the rest agree). */
export function specCatalog(spec: StackSpec): Map<string, { def: AnyMetricDef; path: string; mixin: string }> {
  const out = new Map<string, { def: AnyMetricDef; path: string; mixin: string }>();
  for (const i of allInstances(spec)) {
    for (const def of metricsOf(i)) if (!out.has(def.name)) out.set(def.name, { def, path: i.path, mixin: i.mixin.name });
  }
  return out;
}

const sameLabels = (a: readonly string[], b: readonly string[]) => [...a].sort().join() === [...b].sort().join();

/**
 * Metrics defined twice that disagree (type or labels), and two different mixins under one name: each as a
 * problem at the path of the later listing.
 */
export function catalogProblems(spec: StackSpec): Array<{ path: string; message: string }> {
  const problems: Array<{ path: string; message: string }> = [];
  const first = new Map<string, { def: AnyMetricDef; path: string; mixin: string }>();
  const mixins = new Map<string, { mixin: MixinDefinition; path: string }>();
  for (const i of allInstances(spec)) {
    const named = mixins.get(i.mixin.name);
    if (named && named.mixin !== i.mixin) {
      problems.push({ path: i.path, message: `another mixin named "${i.mixin.name}" is listed at ${named.path}; mixin names must be unique` });
      continue;
    }
    if (!named) mixins.set(i.mixin.name, { mixin: i.mixin, path: i.path });
    let defs: readonly AnyMetricDef[];
    try {
      defs = metricsOf(i);
    } catch (error) {
      problems.push({ path: i.path, message: `${i.mixin.name}: ${(error as Error).message}` });
      continue;
    }
    for (const def of defs) {
      const earlier = first.get(def.name);
      if (!earlier) {
        first.set(def.name, { def, path: i.path, mixin: i.mixin.name });
        continue;
      }
      const where = `metric "${def.name}" of the ${i.mixin.name} mixin is also defined by the ${earlier.mixin} mixin (${earlier.path})`;
      if (earlier.def.type !== def.type) {
        problems.push({ path: i.path, message: `${where} as a ${earlier.def.type}, here as a ${def.type}; one name, one type` });
      } else if (!sameLabels(earlier.def.labelNames, def.labelNames)) {
        problems.push({
          path: i.path,
          message: `${where} with labels [${earlier.def.labelNames.join(', ')}], here with [${def.labelNames.join(', ')}]; one name, one label set`,
        });
      }
    }
  }
  return problems;
}

/**
 * Labels every ingested series may carry besides its metric's own: `namespace` and `pod` from Kubernetes service
 * discovery, and the OTLP resource attributes Prometheus promotes to labels. Set by src/promql/known.ts.
 */
export interface KnownSeriesOptions {
  readonly ingestionLabels: readonly string[];
}

/**
 * What a rule or dashboard of this spec may query: the metrics of its mixins, their recorded series, the SLO
 * series, and Prometheus's built-in alert series.
 */
export function specKnownSeries(spec: StackSpec, options: KnownSeriesOptions): KnownSeries {
  const known = new KnownSeries();
  for (const [, { def, mixin }] of specCatalog(spec)) {
    const labels = [...(seriesLabelNamesOf(def) as readonly string[]), ...options.ingestionLabels];
    for (const name of seriesNamesOf(def) as readonly string[]) known.add(name, `the ${mixin} mixin`, labels);
  }
  // Prometheus writes `up` for every target, whether or not a mixin (stack-health) defines it.
  known.add(UP.name, 'Prometheus (every scrape target)', [...UP.labelNames, ...options.ingestionLabels]);
  // … and the scrape_* series (what a scrape cost and brought: cardinality budgets).
  for (const s of Object.values(SCRAPE_SERIES)) known.add(s.name, 'Prometheus (every scrape target)', [...s.labelNames, ...options.ingestionLabels]);
  for (const i of mixinsInUse(spec)) known.addRecorded(i.mixin.recorded ?? [], `the ${i.mixin.name} mixin's recording rules`);
  known.addRecorded(recordedSeries(), 'obskit SLO recording rules (src/promql/recorded.ts)');
  for (const name of BUILTIN_SERIES) known.add(name, 'Prometheus (alert state)');
  return known;
}
