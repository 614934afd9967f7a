/**
 * The metric contract of a spec's mixins, as plain data: what `dist/catalog/<mixin>.json` holds (its format is
 * schema/catalog.schema.json) and what other languages' bindings are generated from. Pure: same spec, same value.
 *
 * Buckets are configurable per listing (`http({ buckets })` on one service, the defaults on another), so a mixin's
 * catalog states its metrics with the mixin's default config, and each listing that configures other buckets says
 * which, by metric: `services[].buckets` for a service mixin, `stack.buckets` for a stack mixin. Everything else
 * (names, types, units, labels, help) is the same whatever the config; a mixin whose metrics differ in more than
 * buckets between configs cannot be published so and is refused (contractProblems).
 */
import { configOf, type MixinDefinition, type MixinScope } from '../mixin/define';
import { allInstances, metricsOf, mixinsInUse, type MixinInstance } from '../mixin/compose';
import type { AnyMetricDef, MetricOrigin, MetricType, Unit } from '../sdk/catalog/define';
import type { StackSpec } from '../spec/types';

/** The format's version (`schemaVersion` in each file); raised when a consumer would have to change. */
export const CATALOG_SCHEMA_VERSION = 1;

export interface CatalogMetric {
  readonly name: string;
  readonly type: MetricType;
  readonly unit: Unit;
  readonly help: string;
  readonly labels: readonly string[];
  /** Histograms: bucket upper bounds, ascending, without +Inf. */
  readonly buckets?: readonly number[];
  /** Summaries: the quantiles it states. */
  readonly percentiles?: readonly number[];
  readonly maxSeries?: number;
  readonly maxLabelValues?: Readonly<Record<string, number>>;
  /** `runtime`: emitted by the runtime's own collectors (prom-client's or prometheus_client's), not created by code. */
  readonly origin: MetricOrigin;
}

/** Buckets a listing configures, by metric name, where they differ from the catalog's. */
export type BucketOverrides = Readonly<Record<string, readonly number[]>>;

export interface MixinCatalog {
  readonly schemaVersion: typeof CATALOG_SCHEMA_VERSION;
  readonly mixin: string;
  readonly version: string;
  readonly scope: MixinScope;
  readonly description: string;
  readonly metrics: readonly CatalogMetric[];
  /** Service mixins: every service listing it, in spec order, with the buckets it configures otherwise. */
  readonly services?: ReadonlyArray<{ readonly name: string; readonly buckets?: BucketOverrides }>;
  /** Stack mixins whose config sets other buckets. */
  readonly stack?: { readonly buckets: BucketOverrides };
}

export function catalogMetric(def: AnyMetricDef): CatalogMetric {
  return {
    name: def.name,
    type: def.type,
    unit: def.unit,
    help: def.help,
    labels: [...def.labelNames],
    ...(def.buckets ? { buckets: [...def.buckets] } : {}),
    ...(def.percentiles ? { percentiles: [...def.percentiles] } : {}),
    ...(def.maxSeries !== undefined ? { maxSeries: def.maxSeries } : {}),
    ...(def.maxLabelValues ? { maxLabelValues: { ...(def.maxLabelValues as Record<string, number>) } } : {}),
    origin: def.origin,
  };
}

/** The metrics of a mixin under its default config. */
export function defaultMetrics(mixin: MixinDefinition): readonly AnyMetricDef[] {
  return mixin.metrics(configOf({ kind: 'obskit.mixin', mixin, config: {} }) as never);
}

const sameNumbers = (a: readonly number[] | undefined, b: readonly number[] | undefined) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** Without buckets: what must be the same in every config. */
const shape = (m: CatalogMetric) => JSON.stringify({ ...m, buckets: undefined });

/** How one listing's metrics differ from the defaults: bucket overrides, or a problem when more than buckets differ. */
export function overridesOf(base: readonly CatalogMetric[], i: MixinInstance): { buckets: Record<string, number[]>; problem?: string } {
  const listed = metricsOf(i).map(catalogMetric);
  const names = (ms: readonly CatalogMetric[]) => ms.map((m) => m.name).join(', ');
  if (names(listed) !== names(base)) {
    return { buckets: {}, problem: `its config changes which metrics it defines ([${names(listed)}], by default [${names(base)}]); a catalog states one metric set per mixin` };
  }
  const buckets: Record<string, number[]> = {};
  for (const [k, m] of listed.entries()) {
    const d = base[k]!;
    if (shape(m) !== shape(d)) return { buckets, problem: `its config changes metric "${m.name}" in more than its buckets; a catalog states one shape per metric` };
    if (!sameNumbers(m.buckets, d.buckets)) buckets[m.name] = [...(m.buckets ?? [])];
  }
  return { buckets };
}

/** The catalog of one mixin as the spec lists it (`instances`: its listings). */
export function mixinCatalog(mixin: MixinDefinition, instances: readonly MixinInstance[]): MixinCatalog {
  const metrics = defaultMetrics(mixin).map(catalogMetric);
  const catalog: MixinCatalog = {
    schemaVersion: CATALOG_SCHEMA_VERSION,
    mixin: mixin.name,
    version: mixin.version,
    scope: mixin.scope,
    description: mixin.description,
    metrics,
  };
  if (mixin.scope === 'service') {
    const services = instances.map((i) => {
      const { buckets } = overridesOf(metrics, i);
      return { name: i.service!.name, ...(Object.keys(buckets).length > 0 ? { buckets } : {}) };
    });
    return { ...catalog, services };
  }
  const stackBuckets = instances.length > 0 ? overridesOf(metrics, instances[0]!).buckets : {};
  return Object.keys(stackBuckets).length > 0 ? { ...catalog, stack: { buckets: stackBuckets } } : catalog;
}

export const listingsOf = (spec: StackSpec, mixin: MixinDefinition) => allInstances(spec).filter((i) => i.mixin.name === mixin.name);

/** The catalog of every mixin the spec lists (stack mixins first, then in order of first listing). */
export function catalogOf(spec: StackSpec): MixinCatalog[] {
  return mixinsInUse(spec).map((first) => mixinCatalog(first.mixin, listingsOf(spec, first.mixin)));
}

