/**
 * What keeps a spec's catalog from being published, each at its path in the spec: a mixin whose metrics differ in more
 * than buckets between configs (a catalog states one shape per metric), and what the Python bindings cannot express
 * (a counter prometheus_client would expose under another name, two names sharing one Python identifier).
 */
import { mixinsInUse } from '../mixin/compose';
import type { StackSpec } from '../spec/types';
import { catalogMetric, defaultMetrics, listingsOf, mixinCatalog, overridesOf, type CatalogMetric } from './catalog';
import { pythonNameProblems } from './python-names';

export function contractProblems(spec: StackSpec): Array<{ path: string; message: string }> {
  const problems: Array<{ path: string; message: string }> = [];
  for (const first of mixinsInUse(spec)) {
    let base: CatalogMetric[];
    try {
      base = defaultMetrics(first.mixin).map(catalogMetric);
    } catch (error) {
      problems.push({ path: first.path, message: `the ${first.mixin.name} mixin's metrics fail under its default config: ${(error as Error).message}` });
      continue;
    }
    const listings = listingsOf(spec, first.mixin);
    const before = problems.length;
    for (const i of listings) {
      const { problem } = overridesOf(base, i);
      if (problem) problems.push({ path: i.path, message: `the ${i.mixin.name} mixin cannot be published as one catalog: ${problem}` });
    }
    if (problems.length > before) continue;
    const bindings = (message: string) => problems.push({ path: first.path, message: `the ${first.mixin.name} mixin's Python bindings: ${message}` });
    for (const m of base) {
      // prometheus_client's Counter always exposes `<name>_total` (prometheus_client/metrics.py _build_full_name).
      if (m.type === 'counter' && m.origin === 'instrument' && !m.name.endsWith('_total')) {
        bindings(`counter "${m.name}" does not end in _total, and prometheus_client would expose it as "${m.name}_total"`);
      }
    }
    for (const message of pythonNameProblems(mixinCatalog(first.mixin, listings))) bindings(message);
  }
  return problems;
}
