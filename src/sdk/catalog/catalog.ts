import {
  seriesNamesOf,
  validateMetricDef,
  type AnyMetricDef,
  type LabelName,
  type SeriesLabelName,
  type SeriesName,
} from './define';

/** A set of metric definitions keyed by name, as `defineCatalog` builds it. */
export type Catalog<D extends AnyMetricDef = AnyMetricDef> = { readonly [N in D['name']]: Extract<D, { readonly name: N }> };

export type CatalogDef<C> = C[keyof C] & AnyMetricDef;
/** The metric names of a catalog (what `sum(rate(X[5m]))` may name). */
export type CatalogMetricName<C> = keyof C & string;
/** Every series name of a catalog (histograms contribute `_bucket`, `_sum`, `_count`). */
export type CatalogSeriesName<C> = SeriesName<CatalogDef<C>>;
/** The labels of one metric of a catalog, as queries may name them. */
export type CatalogLabelName<C, N extends CatalogMetricName<C>> = SeriesLabelName<C[N] & AnyMetricDef>;
/** The labels a metric declares (what the SDK's instruments take). */
export type DeclaredLabelName<C, N extends CatalogMetricName<C>> = LabelName<C[N] & AnyMetricDef>;

/**
 * Builds a catalog from definitions (and other catalogs' `Object.values`). Names must be unique: a second
 * definition under a taken name throws, naming it.
 */
export function defineCatalog<const G extends readonly (readonly AnyMetricDef[])[]>(...groups: G): Catalog<G[number][number]> {
  const out: Record<string, AnyMetricDef> = {};
  for (const group of groups) {
    for (const def of group) {
      validateMetricDef(def);
      if (Object.prototype.hasOwnProperty.call(out, def.name)) {
        throw new Error(`catalog: metric "${def.name}" is defined twice`);
      }
      out[def.name] = def;
    }
  }
  return Object.freeze(out) as Catalog<G[number][number]>;
}

/** All metric names of a catalog, sorted. */
export function metricNames<C extends Catalog>(catalog: C): readonly CatalogMetricName<C>[] {
  return Object.keys(catalog).sort() as CatalogMetricName<C>[];
}

/** All series names of a catalog, sorted: what a PromQL checker accepts as a metric name. */
export function seriesNames<C extends Catalog>(catalog: C): readonly CatalogSeriesName<C>[] {
  const names = Object.values<AnyMetricDef>(catalog).flatMap((def) => seriesNamesOf(def) as readonly string[]);
  return names.sort() as CatalogSeriesName<C>[];
}

/** The definition a series name belongs to (`foo_bucket` → `foo`), or undefined when it is not in the catalog. */
export function metricOfSeries<C extends Catalog>(catalog: C, series: string): CatalogDef<C> | undefined {
  for (const def of Object.values<AnyMetricDef>(catalog)) {
    if ((seriesNamesOf(def) as readonly string[]).includes(series)) return def as CatalogDef<C>;
  }
  return undefined;
}
