/**
 * PromQL for rules and dashboards: a typed builder (expr.ts), the vocabulary it may use (the SDK catalog, the
 * stack catalogs, the recorded series) and a checker that parses expressions with Prometheus's lezer grammar.
 */
export * from './expr';
export * from './decimal';
export * from './le';
export * from './recorded';
export * from './builtin';
export * from './check';
export { knownSeries, INGESTION_LABELS } from './known';
