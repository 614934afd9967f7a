/**
 * The metric catalog: pure data and types, no prom-client. Services emit these metrics through the SDK;
 * dashboards and rules import the same definitions, so a query can only name what the SDK emits.
 */
export * from './define';
export * from './catalog';
export * from './http';
export * from './build';
export * from './runtime';
export * from './domain';

import { buildMetrics } from './build';
import { defineCatalog, metricNames, seriesNames } from './catalog';
import { domainMetrics } from './domain';
import { httpMetrics } from './http';
import { runtimeMetrics } from './runtime';

/** Everything the SDK itself emits: HTTP RED set, runtime/process metrics, build info and its own health. */
export const builtinCatalog = defineCatalog(httpMetrics, runtimeMetrics, buildMetrics);

/** The whole catalog: built-in metrics plus this repository's domain metrics (catalog/domain.ts). */
export const catalog = defineCatalog(httpMetrics, runtimeMetrics, buildMetrics, domainMetrics);
export type AppCatalog = typeof catalog;

/** Sorted metric names of `catalog`. */
export const catalogMetricNames = metricNames(catalog);
/** Sorted series names of `catalog` (`_bucket`, `_sum`, `_count` for histograms): for checking PromQL. */
export const catalogSeriesNames = seriesNames(catalog);
